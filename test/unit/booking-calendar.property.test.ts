import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Busy, conflictWith } from '../../domain/booking/availability.js';
import {
  type CalendarCommand,
  type CalendarContext,
  type CalendarState,
  calendarDecider,
  liveSpans,
} from '../../domain/booking/calendar.js';
import type { CalendarEvent } from '../../domain/booking/calendar-events.js';
import { collides } from '../../domain/booking/conflicts.js';
import { isDomainError } from '../../domain/shared/decider.js';

const MINUTE = 60_000;
const day = { providerId: 'expert-1', date: '2026-11-24' };
const DAY_START = new Date('2026-11-24T08:00:00+07:00').getTime();
const CLOCK_START = new Date('2026-11-24T05:00:00+07:00').getTime();

/** What a step sends; a hold's expiry and the spans' instants are resolved against the clock then. */
type Plan =
  | {
      type: 'HoldSlot';
      holdSuffix: string;
      customerId: string;
      start: number;
      minutes: number;
      before: number;
      after: number;
      holdMinutes: number;
      dailyLimit: number | null;
    }
  | {
      type: 'BookSlot';
      bookingId: string;
      customerId: string;
      start: number;
      minutes: number;
      before: number;
      after: number;
      holdSuffix: string | null;
      dailyLimit: number | null;
      weeklyLimit: number | null;
      elsewhere: number;
    }
  | { type: 'MoveBooking'; bookingId: string; start: number; minutes: number }
  | { type: 'ReleaseSlot'; bookingId: string }
  | { type: 'ReleaseHold'; holdSuffix: string; customerId: string };

const customer = fc.constantFrom('c1', 'c2', 'c3');
/** Each customer picks among their own two hold ids, so takeovers and replacements happen often. */
const holdSuffix = fc.constantFrom('h1', 'h2');
const bookingId = fc.constantFrom('b1', 'b2', 'b3', 'b4');
/** Starts on a 5-minute grid from 08:00 to 14:00, spans of 5 to 120 minutes. */
const start = fc.integer({ min: 0, max: 72 }).map((i) => DAY_START + i * 5 * MINUTE);
const minutes = fc.integer({ min: 1, max: 24 }).map((i) => i * 5);
const buffer = fc.constantFrom(0, 0, 5, 10, 15, 30);
const limit = fc.option(fc.integer({ min: 1, max: 6 }), { nil: null, freq: 3 });

const plan: fc.Arbitrary<Plan> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('HoldSlot' as const),
      holdSuffix,
      customerId: customer,
      start,
      minutes,
      before: buffer,
      after: buffer,
      holdMinutes: fc.integer({ min: 1, max: 10 }),
      dailyLimit: limit,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('BookSlot' as const),
      bookingId,
      customerId: customer,
      start,
      minutes,
      before: buffer,
      after: buffer,
      holdSuffix: fc.option(holdSuffix, { nil: null }),
      dailyLimit: limit,
      weeklyLimit: limit,
      elsewhere: fc.integer({ min: 0, max: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('MoveBooking' as const), bookingId, start, minutes }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('ReleaseSlot' as const), bookingId }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('ReleaseHold' as const), holdSuffix, customerId: customer }) },
);
const step = fc.record({ advanceMinutes: fc.integer({ min: 0, max: 3 }), plan });

function commandOf(plan: Plan, now: number): { command: CalendarCommand; elsewhere: number } {
  const span = (from: number, length: number) => ({ start: new Date(from), end: new Date(from + length * MINUTE) });
  switch (plan.type) {
    case 'HoldSlot':
      return {
        elsewhere: 0,
        command: {
          type: 'HoldSlot',
          ...day,
          holdId: `${plan.customerId}-${plan.holdSuffix}`,
          customerId: plan.customerId,
          ...span(plan.start, plan.minutes),
          bufferBeforeMinutes: plan.before,
          bufferAfterMinutes: plan.after,
          expiresAt: new Date(now + plan.holdMinutes * MINUTE),
          dailyLimit: plan.dailyLimit,
        },
      };
    case 'BookSlot':
      return {
        elsewhere: plan.elsewhere,
        command: {
          type: 'BookSlot',
          ...day,
          bookingId: plan.bookingId,
          customerId: plan.customerId,
          ...span(plan.start, plan.minutes),
          bufferBeforeMinutes: plan.before,
          bufferAfterMinutes: plan.after,
          holdId: plan.holdSuffix === null ? null : `${plan.customerId}-${plan.holdSuffix}`,
          dailyLimit: plan.dailyLimit,
          weeklyLimit: plan.weeklyLimit,
        },
      };
    case 'MoveBooking':
      return {
        elsewhere: 0,
        command: { type: 'MoveBooking', ...day, bookingId: plan.bookingId, ...span(plan.start, plan.minutes) },
      };
    case 'ReleaseSlot':
      return { elsewhere: 0, command: { type: 'ReleaseSlot', ...day, bookingId: plan.bookingId, reason: 'cancelled' } };
    case 'ReleaseHold':
      return {
        elsewhere: 0,
        command: {
          type: 'ReleaseHold',
          ...day,
          holdId: `${plan.customerId}-${plan.holdSuffix}`,
          customerId: plan.customerId,
        },
      };
  }
}

/** The day as the accepted events describe it, folded independently of the decider's evolve. */
interface ModelSpan extends Busy {
  customerId: string;
  expiresAt: number | null;
}
class DayModel {
  readonly bookings = new Map<string, ModelSpan>();
  readonly holds = new Map<string, ModelSpan>();

  apply(event: CalendarEvent) {
    switch (event.type) {
      case 'SlotHeld':
      case 'SlotBooked': {
        const { data } = event;
        const id = event.type === 'SlotHeld' ? event.data.holdId : event.data.bookingId;
        const span: ModelSpan = {
          id,
          kind: event.type === 'SlotHeld' ? 'hold' : 'booking',
          start: new Date(data.start),
          end: new Date(data.end),
          bufferBeforeMinutes: data.bufferBeforeMinutes,
          bufferAfterMinutes: data.bufferAfterMinutes,
          customerId: data.customerId,
          expiresAt: event.type === 'SlotHeld' ? Date.parse(event.data.expiresAt) : null,
        };
        if (event.type === 'SlotHeld') this.holds.set(id, span);
        else {
          if (event.data.holdId !== null) this.holds.delete(event.data.holdId);
          this.bookings.set(id, span);
        }
        return;
      }
      case 'SlotMoved': {
        const booking = this.bookings.get(event.data.bookingId);
        if (booking) booking.start = new Date(event.data.start);
        if (booking) booking.end = new Date(event.data.end);
        return;
      }
      case 'SlotHoldReleased':
        this.holds.delete(event.data.holdId);
        return;
      case 'SlotReleased':
        this.bookings.delete(event.data.bookingId);
    }
  }

  liveHolds(now: number) {
    return [...this.holds.values()].filter((hold) => (hold.expiresAt ?? 0) > now);
  }

  /** What may keep `customerId` out: every booking, and other customers' live holds. */
  blockersFor(customerId: string, now: number, except: string | null) {
    return [...this.bookings.values(), ...this.liveHolds(now).filter((hold) => hold.customerId !== customerId)].filter(
      (span) => span.id !== except,
    );
  }
}

const REFUSALS = [
  'SLOT_TAKEN',
  'PROVIDER_DAY_FULL',
  'PROVIDER_WEEK_FULL',
  'BOOKING_ALREADY_ON_CALENDAR',
  'BOOKING_NOT_ON_CALENDAR',
];

function assertInvariants(model: DayModel, state: CalendarState, now: number) {
  const bookings = [...model.bookings.values()];
  for (const booking of bookings) {
    expect(
      conflictWith(
        booking,
        bookings.filter((other) => other.id !== booking.id),
      ),
    ).toBeNull();
  }
  for (const hold of model.liveHolds(now)) {
    const others = bookings.filter((booking) => booking.customerId !== hold.customerId);
    expect(conflictWith(hold, others)).toBeNull();
  }
  // The decider's own fold agrees with the events' meaning.
  const live = liveSpans(state, new Date(now)).map((span) => `${span.kind}:${span.id}@${span.start.toISOString()}`);
  const expected = [...bookings, ...model.liveHolds(now)].map(
    (span) => `${span.kind}:${span.id}@${span.start.toISOString()}`,
  );
  expect(live.sort()).toEqual(expected.sort());
}

describe('booking calendar, any interleaving of holds, bookings, moves and releases', () => {
  test('no two bookings collide (buffers included); a live hold never collides with another customer’s booking', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), (steps) => {
        let state = calendarDecider.initialState();
        const model = new DayModel();
        let now = CLOCK_START;
        for (const { advanceMinutes, plan } of steps) {
          now += advanceMinutes * MINUTE;
          const { command, elsewhere } = commandOf(plan, now);
          const context: CalendarContext = {
            now: new Date(now),
            actorId: 'system',
            roles: ['system'],
            bookingsElsewhereThisWeek: elsewhere,
          };
          const decision = calendarDecider.decide(command, state, context);
          if (isDomainError(decision)) {
            expect(REFUSALS).toContain(decision.code);
            if (decision.code === 'SLOT_TAKEN') expectReallyTaken(model, command, now);
            continue;
          }
          for (const event of decision) {
            if (event.type === 'SlotBooked' && event.data.holdId !== null) {
              const taken = model.holds.get(event.data.holdId);
              expect(taken?.customerId).toBe(event.data.customerId);
              expect(taken?.expiresAt ?? 0).toBeGreaterThan(now);
            }
            model.apply(event);
            state = calendarDecider.evolve(state, event);
          }
          assertInvariants(model, state, now);
          // The same command again right away records nothing more.
          expect(calendarDecider.decide(command, state, context)).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });
});

/** A SLOT_TAKEN refusal names a span that is really there and really collides. */
function expectReallyTaken(model: DayModel, command: CalendarCommand, now: number) {
  if (command.type === 'HoldSlot' || command.type === 'BookSlot') {
    expect(conflictWith(command, model.blockersFor(command.customerId, now, null))).not.toBeNull();
  } else if (command.type === 'MoveBooking') {
    const booking = model.bookings.get(command.bookingId);
    expect(booking).toBeDefined();
    if (!booking) return;
    const moved = { ...booking, start: command.start, end: command.end };
    expect(model.blockersFor(booking.customerId, now, booking.id).some((span) => collides(moved, span))).toBe(true);
  } else {
    throw new Error(`${command.type} cannot be refused with SLOT_TAKEN`);
  }
}
