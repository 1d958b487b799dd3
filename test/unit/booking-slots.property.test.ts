import fc from 'fast-check';
import { DateTime } from 'luxon';
import rrulePkg from 'rrule';
import { describe, expect, test } from 'vitest';
import {
  availabilityWindows,
  type Busy,
  conflictWith,
  freeSlots,
  isoWeekDates,
  localDateOf,
  validateSchedule,
} from '../../domain/booking/availability.js';
import { occurrencesBetween } from '../../domain/booking/recurrence.js';
import type { LocalDate, ProviderSchedule, SlotPolicy, TimeRange } from '../../domain/booking/schedule.js';
import { windowsCovering } from '../../domain/booking/windows.js';

const { RRule } = rrulePkg;
const MINUTE = 60_000;
const DAY = 86_400_000;

const dateAt = (offsetDays: number): LocalDate =>
  new Date(Date.UTC(2025, 9, 1) + offsetDays * DAY).toISOString().slice(0, 10);
const hhmm = (quarter: number) =>
  `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;

/** Non-overlapping ranges on a quarter-hour grid, `24:00` allowed as an end. */
const rangesArb = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 6 }).map((points) => {
  const sorted = [...points].sort((a, b) => a - b);
  const ranges: TimeRange[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) {
    ranges.push({ start: hhmm(sorted[i] as number), end: hhmm(sorted[i + 1] as number) });
  }
  return ranges;
});
const RRULES = [
  'FREQ=WEEKLY;BYDAY=MO,WE',
  'FREQ=DAILY',
  'FREQ=WEEKLY;BYDAY=TU,TH,SA',
  'FREQ=DAILY;INTERVAL=2',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR,SU',
  'FREQ=MONTHLY;BYMONTHDAY=1,15,28',
  'FREQ=DAILY;COUNT=40',
];
const dateArb = fc.integer({ min: 0, max: 220 }).map(dateAt);

const scheduleArb = (base: number) =>
  fc.record({
    timeZone: fc.constantFrom('Asia/Ho_Chi_Minh', 'America/New_York', 'Europe/Berlin'),
    rules: fc.array(
      fc.record({
        id: fc.constant('rule'),
        rrule: fc.constantFrom(...RRULES),
        from: fc.integer({ min: 0, max: 150 }).map(dateAt),
        until: fc.option(fc.integer({ min: 181, max: 450 }).map(dateAt), { freq: 2 }),
        ranges: rangesArb,
        exceptDates: fc.array(dateArb, { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    overrides: fc.uniqueArray(fc.record({ date: dateArb, ranges: fc.oneof(fc.constant<TimeRange[]>([]), rangesArb) }), {
      maxLength: 3,
      selector: (override) => override.date,
    }),
    additions: fc.array(fc.record({ id: fc.constant('add'), date: dateArb, ranges: rangesArb }), { maxLength: 2 }),
    offTimes: fc.array(
      fc
        .record({ at: fc.integer({ min: -2 * 1440, max: 20 * 1440 }), minutes: fc.integer({ min: 15, max: 600 }) })
        .map(({ at, minutes }) => ({
          id: 'off',
          start: new Date(base + at * MINUTE).toISOString(),
          end: new Date(base + (at + minutes) * MINUTE).toISOString(),
          reason: null,
        })),
      { maxLength: 3 },
    ),
    recurringOffTimes: fc.array(
      fc.record({
        id: fc.constant('recurring-off'),
        rrule: fc.constantFrom('FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=WE', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=10'),
        from: fc.constant('2025-01-01'),
        until: fc.constant(null),
        ranges: fc.option(rangesArb),
        reason: fc.constant(null),
      }),
      { maxLength: 1 },
    ),
  }) satisfies fc.Arbitrary<ProviderSchedule>;

const busyArb = (base: number) =>
  fc.array(
    fc
      .record({
        at: fc.integer({ min: -2 * 1440, max: 20 * 1440 }),
        minutes: fc.integer({ min: 5, max: 180 }),
        before: fc.integer({ min: 0, max: 30 }),
        after: fc.integer({ min: 0, max: 30 }),
        kind: fc.constantFrom<Busy['kind']>('booking', 'hold'),
      })
      .map(
        ({ at, minutes, before, after, kind }): Busy => ({
          id: `busy-${at}-${minutes}`,
          kind,
          start: new Date(base + at * MINUTE),
          end: new Date(base + (at + minutes) * MINUTE),
          bufferBeforeMinutes: before,
          bufferAfterMinutes: after,
        }),
      ),
    { maxLength: 20 },
  );

const policyArb: fc.Arbitrary<SlotPolicy> = fc.record({
  durationMinutes: fc.constantFrom(15, 30, 45, 60, 90),
  stepMinutes: fc.constantFrom(10, 15, 20, 30, 60),
  bufferBeforeMinutes: fc.integer({ min: 0, max: 30 }),
  bufferAfterMinutes: fc.integer({ min: 0, max: 30 }),
  minimumNoticeMinutes: fc.integer({ min: 0, max: 600 }),
  bookingWindowDays: fc.integer({ min: 1, max: 20 }),
  dailyLimit: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 2 }),
  weeklyLimit: fc.option(fc.integer({ min: 1, max: 12 }), { freq: 2 }),
});

/** Around both DST changes of 2026 in New York and Berlin. */
const worldArb = fc
  .constantFrom(Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-10-20T00:00:00Z'))
  .chain((base) =>
    fc.record({
      schedule: scheduleArb(base),
      policy: policyArb,
      busy: busyArb(base),
      now: fc.integer({ min: 0, max: 8 * 1440 }).map((minutes) => new Date(base + minutes * MINUTE)),
      fromAfterNow: fc.integer({ min: -2 * 1440, max: 5 * 1440 }),
      days: fc.integer({ min: 1, max: 10 }),
    }),
  )
  .map(({ fromAfterNow, ...world }) => ({ ...world, from: new Date(world.now.getTime() + fromAfterNow * MINUTE) }));

const horizonOf = (now: Date, days: number, timeZone: string) =>
  DateTime.fromJSDate(now, { zone: timeZone }).plus({ days }).toMillis();

describe('freeSlots properties', () => {
  test('every slot lies in a window, collides with no busy entry, and respects notice, window and range', () => {
    fc.assert(
      fc.property(worldArb, ({ schedule, policy, busy, now, from, days }) => {
        expect(validateSchedule(schedule)).toBeNull();
        const to = new Date(from.getTime() + days * DAY);
        const slots = freeSlots({ schedule, policy, busy, now, from, to });
        const windows = availabilityWindows(schedule, new Date(from.getTime() - DAY), new Date(to.getTime() + DAY));
        const earliest = Math.max(from.getTime(), now.getTime() + policy.minimumNoticeMinutes * MINUTE);
        const horizon = horizonOf(now, policy.bookingWindowDays, schedule.timeZone);
        let previous = Number.NEGATIVE_INFINITY;
        for (const slot of slots) {
          const [start, end] = [slot.start.getTime(), slot.end.getTime()];
          expect(end - start).toBe(policy.durationMinutes * MINUTE);
          expect(windows.some((w) => w.start.getTime() <= start && end <= w.end.getTime())).toBe(true);
          expect(conflictWith({ ...slot, ...buffersOf(policy) }, busy)).toBeNull();
          expect(start).toBeGreaterThanOrEqual(earliest);
          expect(start).toBeLessThanOrEqual(horizon);
          expect(start).toBeLessThan(to.getTime());
          expect(start).toBeGreaterThan(previous);
          previous = start;
        }
      }),
      { numRuns: 150 },
    );
  });

  test('freeSlots offers exactly the grid starts a slot-by-slot check accepts', () => {
    fc.assert(
      fc.property(worldArb, ({ schedule, policy, busy, now, from, days }) => {
        const to = new Date(from.getTime() + days * DAY);
        const zone = schedule.timeZone;
        const earliest = Math.max(from.getTime(), now.getTime() + policy.minimumNoticeMinutes * MINUTE);
        const latest = Math.min(to.getTime() - 1, horizonOf(now, policy.bookingWindowDays, zone));
        const busyDates = busy.map((entry) => localDateOf(entry.start, zone));
        const count = (dates: LocalDate[]) => busyDates.filter((date) => dates.includes(date)).length;
        const expected: string[] = [];
        if (earliest <= latest) {
          for (const window of windowsCovering(schedule, new Date(earliest), new Date(latest + 1))) {
            const step = policy.stepMinutes * MINUTE;
            for (
              let start = window.start.getTime();
              start + policy.durationMinutes * MINUTE <= window.end.getTime();
              start += step
            ) {
              if (start < earliest || start > latest) continue;
              const slot = { start: new Date(start), end: new Date(start + policy.durationMinutes * MINUTE) };
              if (conflictWith({ ...slot, ...buffersOf(policy) }, busy)) continue;
              const date = localDateOf(slot.start, zone);
              if (policy.dailyLimit !== null && count([date]) >= policy.dailyLimit) continue;
              if (policy.weeklyLimit !== null && count(isoWeekDates(date)) >= policy.weeklyLimit) continue;
              expected.push(slot.start.toISOString());
            }
          }
        }
        const slots = freeSlots({ schedule, policy, busy, now, from, to });
        expect(slots.map((slot) => slot.start.toISOString())).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

const buffersOf = (policy: SlotPolicy) => ({
  bufferBeforeMinutes: policy.bufferBeforeMinutes,
  bufferAfterMinutes: policy.bufferAfterMinutes,
});

describe('conflictWith properties', () => {
  const spanArb = (before: fc.Arbitrary<number>, after: fc.Arbitrary<number>) =>
    fc.record({ at: fc.integer({ min: 0, max: 600 }), minutes: fc.integer({ min: 1, max: 120 }), before, after }).map(
      ({ at, minutes, before, after }): Busy => ({
        id: `span-${at}`,
        kind: 'booking',
        start: new Date(Date.UTC(2026, 2, 2) + at * MINUTE),
        end: new Date(Date.UTC(2026, 2, 2) + (at + minutes) * MINUTE),
        bufferBeforeMinutes: before,
        bufferAfterMinutes: after,
      }),
    );

  test('is symmetric for equal buffers', () => {
    const pair = fc
      .record({ before: fc.integer({ min: 0, max: 45 }), after: fc.integer({ min: 0, max: 45 }) })
      .chain(({ before, after }) =>
        fc.tuple(spanArb(fc.constant(before), fc.constant(after)), spanArb(fc.constant(before), fc.constant(after))),
      );
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(conflictWith(a, [b]) !== null).toBe(conflictWith(b, [a]) !== null);
      }),
      { numRuns: 500 },
    );
  });

  test('and for any buffers, since each side’s buffered span is checked against the other', () => {
    const anySpan = spanArb(fc.integer({ min: 0, max: 45 }), fc.integer({ min: 0, max: 45 }));
    fc.assert(
      fc.property(anySpan, anySpan, (a, b) => {
        expect(conflictWith(a, [b]) !== null).toBe(conflictWith(b, [a]) !== null);
      }),
      { numRuns: 500 },
    );
  });
});

describe('recurrence expansion', () => {
  test('starting the walk near the asked dates gives what a walk from the rule’s start gives', () => {
    const rules = [...RRULES, 'FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,SU;WKST=SU', 'FREQ=DAILY;INTERVAL=5;BYMONTH=3,4'];
    fc.assert(
      fc.property(
        fc.constantFrom(...rules),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 0, max: 60 }),
        (rrule, fromOffset, firstOffset, length) => {
          const from = dateAt(fromOffset);
          const [first, last] = [dateAt(firstOffset), dateAt(firstOffset + length)];
          const walk = new RRule({ ...RRule.parseString(rrule), dtstart: new Date(`${from}T00:00:00Z`) });
          const expected = walk
            .between(new Date(`${first}T00:00:00Z`), new Date(`${last}T00:00:00Z`), true)
            .map((date) => date.toISOString().slice(0, 10));
          expect(occurrencesBetween({ rrule, from, until: null }, first, last)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
