import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, type DomainError } from '../shared/errors.js';
import { type Busy, conflictWith } from './availability.js';
import type { CalendarEvent } from './calendar-events.js';

interface Span {
  id: string;
  kind: 'booking' | 'hold';
  start: Date;
  end: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  customerId: string;
  /** Holds only: after this instant the hold no longer blocks anyone. */
  expiresAt: Date | null;
}

export interface CalendarState {
  spans: Map<string, Span>;
}

interface Buffers {
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

type Day = { providerId: string; date: string };

export type CalendarCommand =
  | (Day &
      Buffers & {
        type: 'HoldSlot';
        holdId: string;
        customerId: string;
        start: Date;
        end: Date;
        expiresAt: Date;
        dailyLimit: number | null;
      })
  | (Day & { type: 'ReleaseHold'; holdId: string; customerId: string })
  | (Day &
      Buffers & {
        type: 'BookSlot';
        bookingId: string;
        customerId: string;
        start: Date;
        end: Date;
        /** The customer's hold this booking takes over, if any. */
        holdId: string | null;
        dailyLimit: number | null;
        weeklyLimit: number | null;
      })
  | (Day & { type: 'MoveBooking'; bookingId: string; start: Date; end: Date })
  | (Day & { type: 'ReleaseSlot'; bookingId: string; reason: string });

/** What the day stream cannot know: the provider's bookings on the other days of the same week. */
export interface CalendarContext extends DecisionContext {
  bookingsElsewhereThisWeek: number;
}

const isLive = (span: Span, now: Date) => span.kind === 'booking' || (span.expiresAt?.getTime() ?? 0) > now.getTime();

const toBusy = (span: Span): Busy => ({
  id: span.id,
  kind: span.kind,
  start: span.start,
  end: span.end,
  bufferBeforeMinutes: span.bufferBeforeMinutes,
  bufferAfterMinutes: span.bufferAfterMinutes,
});

/** Live spans that block `customerId`: every booking, and other customers' unexpired holds. */
function blockers(state: CalendarState, now: Date, customerId: string, except: string | null): Busy[] {
  const busy: Busy[] = [];
  for (const span of state.spans.values()) {
    if (span.id === except || !isLive(span, now)) continue;
    if (span.kind === 'hold' && span.customerId === customerId) continue;
    busy.push(toBusy(span));
  }
  return busy;
}

const slotTaken = (taken: Busy) =>
  conflict('SLOT_TAKEN', 'Khung giờ này vừa có người đặt hoặc đang được giữ, vui lòng chọn khung giờ khác', {
    takenBy: taken.kind,
    start: taken.start.toISOString(),
    end: taken.end.toISOString(),
  });

function dayFull(state: CalendarState, now: Date, customerId: string, limit: number | null): DomainError | null {
  if (limit === null) return null;
  const used = blockers(state, now, customerId, null).length;
  return used >= limit
    ? conflict('PROVIDER_DAY_FULL', 'Người tư vấn đã đủ số lịch hẹn trong ngày này', { limit })
    : null;
}

function hold(state: CalendarState, command: Extract<CalendarCommand, { type: 'HoldSlot' }>, now: Date) {
  const existing = state.spans.get(command.holdId);
  if (existing && isLive(existing, now)) return [];
  const taken = conflictWith(command, blockers(state, now, command.customerId, null));
  if (taken) return slotTaken(taken);
  const full = dayFull(state, now, command.customerId, command.dailyLimit);
  if (full) return full;
  const replaced: CalendarEvent[] = [...state.spans.values()]
    .filter((span) => span.kind === 'hold' && span.customerId === command.customerId && isLive(span, now))
    .map((span) => ({
      type: 'SlotHoldReleased',
      data: { providerId: command.providerId, date: command.date, holdId: span.id, reason: 'replaced' },
    }));
  return [
    ...replaced,
    {
      type: 'SlotHeld',
      data: {
        providerId: command.providerId,
        date: command.date,
        holdId: command.holdId,
        customerId: command.customerId,
        start: command.start.toISOString(),
        end: command.end.toISOString(),
        bufferBeforeMinutes: command.bufferBeforeMinutes,
        bufferAfterMinutes: command.bufferAfterMinutes,
        expiresAt: command.expiresAt.toISOString(),
      },
    },
  ] satisfies CalendarEvent[];
}

function book(state: CalendarState, command: Extract<CalendarCommand, { type: 'BookSlot' }>, context: CalendarContext) {
  const { now } = context;
  const existing = state.spans.get(command.bookingId);
  if (existing?.kind === 'booking') {
    const same =
      existing.start.getTime() === command.start.getTime() && existing.end.getTime() === command.end.getTime();
    return same ? [] : conflict('BOOKING_ALREADY_ON_CALENDAR', 'Lịch hẹn này đã có trên lịch của ngày này');
  }
  const taken = conflictWith(command, blockers(state, now, command.customerId, null));
  if (taken) return slotTaken(taken);
  const full = dayFull(state, now, command.customerId, command.dailyLimit);
  if (full) return full;
  if (command.weeklyLimit !== null) {
    const thisDay = [...state.spans.values()].filter((span) => span.kind === 'booking').length;
    if (thisDay + context.bookingsElsewhereThisWeek >= command.weeklyLimit) {
      return conflict('PROVIDER_WEEK_FULL', 'Người tư vấn đã đủ số lịch hẹn trong tuần này', {
        limit: command.weeklyLimit,
      });
    }
  }
  const heldSpan = command.holdId === null ? undefined : state.spans.get(command.holdId);
  const takesHold = heldSpan?.kind === 'hold' && heldSpan.customerId === command.customerId && isLive(heldSpan, now);
  return [
    {
      type: 'SlotBooked',
      data: {
        providerId: command.providerId,
        date: command.date,
        bookingId: command.bookingId,
        customerId: command.customerId,
        start: command.start.toISOString(),
        end: command.end.toISOString(),
        bufferBeforeMinutes: command.bufferBeforeMinutes,
        bufferAfterMinutes: command.bufferAfterMinutes,
        holdId: takesHold ? (command.holdId as string) : null,
      },
    },
  ] satisfies CalendarEvent[];
}

function move(state: CalendarState, command: Extract<CalendarCommand, { type: 'MoveBooking' }>, now: Date) {
  const span = state.spans.get(command.bookingId);
  if (span?.kind !== 'booking') return conflict('BOOKING_NOT_ON_CALENDAR', 'Lịch hẹn không có trên lịch của ngày này');
  if (span.start.getTime() === command.start.getTime() && span.end.getTime() === command.end.getTime()) return [];
  const candidate = { ...toBusy(span), start: command.start, end: command.end };
  const taken = conflictWith(candidate, blockers(state, now, span.customerId, span.id));
  if (taken) return slotTaken(taken);
  return [
    {
      type: 'SlotMoved',
      data: {
        providerId: command.providerId,
        date: command.date,
        bookingId: command.bookingId,
        start: command.start.toISOString(),
        end: command.end.toISOString(),
      },
    },
  ] satisfies CalendarEvent[];
}

/**
 * No double booking: every span a command adds is checked, with both sides' buffers, against
 * the day's bookings and other customers' unexpired holds. Holds expire by time alone (no event):
 * a hold past `expiresAt` blocks nobody. Releases are idempotent.
 */
export const calendarDecider: Decider<CalendarCommand, CalendarState, CalendarEvent, CalendarContext> = {
  initialState: () => ({ spans: new Map() }),

  evolve(state, event) {
    const { spans } = state;
    switch (event.type) {
      case 'SlotHeld':
      case 'SlotBooked': {
        const { data } = event;
        const id = event.type === 'SlotHeld' ? event.data.holdId : event.data.bookingId;
        if (event.type === 'SlotBooked' && event.data.holdId) spans.delete(event.data.holdId);
        spans.set(id, {
          id,
          kind: event.type === 'SlotHeld' ? 'hold' : 'booking',
          start: new Date(data.start),
          end: new Date(data.end),
          bufferBeforeMinutes: data.bufferBeforeMinutes,
          bufferAfterMinutes: data.bufferAfterMinutes,
          customerId: data.customerId,
          expiresAt: event.type === 'SlotHeld' ? new Date(event.data.expiresAt) : null,
        });
        return state;
      }
      case 'SlotMoved': {
        const span = spans.get(event.data.bookingId);
        if (span) spans.set(span.id, { ...span, start: new Date(event.data.start), end: new Date(event.data.end) });
        return state;
      }
      case 'SlotHoldReleased':
        spans.delete(event.data.holdId);
        return state;
      case 'SlotReleased':
        spans.delete(event.data.bookingId);
        return state;
    }
  },

  decide(command, state, context) {
    switch (command.type) {
      case 'HoldSlot':
        return hold(state, command, context.now);
      case 'BookSlot':
        return book(state, command, context);
      case 'MoveBooking':
        return move(state, command, context.now);
      case 'ReleaseHold': {
        const span = state.spans.get(command.holdId);
        if (span?.kind !== 'hold' || span.customerId !== command.customerId || !isLive(span, context.now)) return [];
        return [
          {
            type: 'SlotHoldReleased',
            data: { providerId: command.providerId, date: command.date, holdId: command.holdId, reason: 'released' },
          },
        ];
      }
      case 'ReleaseSlot':
        if (state.spans.get(command.bookingId)?.kind !== 'booking') return [];
        return [
          {
            type: 'SlotReleased',
            data: {
              providerId: command.providerId,
              date: command.date,
              bookingId: command.bookingId,
              reason: command.reason,
            },
          },
        ];
    }
  },
};

export const liveSpans = (state: CalendarState, now: Date) => [...state.spans.values()].filter((s) => isLive(s, now));
