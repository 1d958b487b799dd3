import { describe, expect, test } from 'vitest';
import { type Busy, conflictWith, freeSlots } from '../../domain/booking/availability.js';
import { emptySchedule, type ProviderSchedule, type SlotPolicy } from '../../domain/booking/schedule.js';

/** Weekdays 09:00–12:00 in Asia/Ho_Chi_Minh (02:00–05:00 UTC) from Monday 2026-03-02. */
const schedule: ProviderSchedule = {
  ...emptySchedule(),
  rules: [
    {
      id: 'mornings',
      rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      from: '2026-03-02',
      until: null,
      ranges: [{ start: '09:00', end: '12:00' }],
      exceptDates: [],
    },
  ],
};
const policy: SlotPolicy = {
  durationMinutes: 30,
  stepMinutes: 30,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 0,
  bookingWindowDays: 30,
  dailyLimit: null,
  weeklyLimit: null,
};
const SUNDAY_BEFORE = new Date('2026-03-01T00:00:00Z');
const MONDAY = ['2026-03-01T17:00:00Z', '2026-03-02T17:00:00Z'] as const;

/** Slot starts as local `HH:mm` (UTC+7), with the date when the range spans several days. */
function slots(
  options: { policy?: Partial<SlotPolicy>; busy?: Busy[]; now?: string; range?: readonly [string, string] } = {},
  withDate = false,
): string[] {
  const [from, to] = options.range ?? MONDAY;
  const found = freeSlots({
    schedule,
    policy: { ...policy, ...options.policy },
    busy: options.busy ?? [],
    now: options.now ? new Date(options.now) : SUNDAY_BEFORE,
    from: new Date(from),
    to: new Date(to),
  });
  return found.map(({ start }) => {
    const local = new Date(start.getTime() + 7 * 3_600_000).toISOString();
    return withDate ? `${local.slice(5, 10)} ${local.slice(11, 16)}` : local.slice(11, 16);
  });
}

let ids = 0;
const booking = (start: string, end: string, extra: Partial<Busy> = {}): Busy => ({
  id: `b-${++ids}`,
  kind: 'booking',
  start: new Date(start),
  end: new Date(end),
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  ...extra,
});

describe('freeSlots', () => {
  test('cuts the window every step from its start; a slot must end inside the window', () => {
    expect(slots()).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
    expect(slots({ policy: { durationMinutes: 60 } })).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00']);
    expect(slots({ policy: { durationMinutes: 45, stepMinutes: 60 } })).toEqual(['09:00', '10:00', '11:00']);
    expect(slots({ policy: { durationMinutes: 50, stepMinutes: 20 } })).toEqual([
      '09:00',
      '09:20',
      '09:40',
      '10:00',
      '10:20',
      '10:40',
      '11:00',
    ]);
  });

  test('a booking takes its own time; the policy’s buffers keep slots further away', () => {
    const busy = [booking('2026-03-02T03:00:00Z', '2026-03-02T03:30:00Z')];
    expect(slots({ busy })).toEqual(['09:00', '09:30', '10:30', '11:00', '11:30']);
    expect(slots({ busy, policy: { bufferAfterMinutes: 15 } })).toEqual(['09:00', '10:30', '11:00', '11:30']);
    expect(slots({ busy, policy: { bufferBeforeMinutes: 15 } })).toEqual(['09:00', '09:30', '11:00', '11:30']);
  });

  test('the buffers a booking was made with count too, whichever side carries them', () => {
    const busy = [booking('2026-03-02T03:00:00Z', '2026-03-02T03:30:00Z', { bufferAfterMinutes: 15 })];
    expect(slots({ busy })).toEqual(['09:00', '09:30', '11:00', '11:30']);
    const before = [booking('2026-03-02T03:00:00Z', '2026-03-02T03:30:00Z', { bufferBeforeMinutes: 1 })];
    expect(slots({ busy: before })).toEqual(['09:00', '10:30', '11:00', '11:30']);
  });

  test('holds block like bookings; busy entries may come in any order', () => {
    const busy = [
      booking('2026-03-02T04:30:00Z', '2026-03-02T05:00:00Z'),
      booking('2026-03-02T02:00:00Z', '2026-03-02T02:30:00Z', { kind: 'hold' }),
      booking('2026-03-02T03:15:00Z', '2026-03-02T03:20:00Z'),
    ];
    expect(slots({ busy })).toEqual(['09:30', '10:30', '11:00']);
  });

  test('past slots are never offered, and none sooner than the minimum notice', () => {
    expect(slots({ now: '2026-03-02T03:00:00Z' })).toEqual(['10:00', '10:30', '11:00', '11:30']);
    expect(slots({ now: '2026-03-02T03:01:00Z' })).toEqual(['10:30', '11:00', '11:30']);
    expect(slots({ now: '2026-03-02T02:10:00Z', policy: { minimumNoticeMinutes: 60 } })).toEqual([
      '10:30',
      '11:00',
      '11:30',
    ]);
    expect(slots({ now: '2026-03-02T05:00:00Z' })).toEqual([]);
  });

  test('no slot starts later than the booking window after now', () => {
    const twoDays = ['2026-03-01T17:00:00Z', '2026-03-03T17:00:00Z'] as const;
    const found = slots({ now: '2026-03-02T02:00:00Z', policy: { bookingWindowDays: 1 }, range: twoDays }, true);
    expect(found).toEqual([
      '03-02 09:00',
      '03-02 09:30',
      '03-02 10:00',
      '03-02 10:30',
      '03-02 11:00',
      '03-02 11:30',
      '03-03 09:00',
    ]);
  });

  test('slots start inside [from, to) and keep the grid of their window', () => {
    expect(slots({ range: ['2026-03-02T02:45:00Z', '2026-03-02T04:00:00Z'] })).toEqual(['10:00', '10:30']);
  });

  test('a day whose bookings and holds reached the daily limit offers nothing', () => {
    const twoDays = ['2026-03-01T17:00:00Z', '2026-03-03T17:00:00Z'] as const;
    const busy = [
      booking('2026-03-02T02:00:00Z', '2026-03-02T02:30:00Z'),
      booking('2026-03-02T04:00:00Z', '2026-03-02T04:30:00Z', { kind: 'hold' }),
    ];
    const found = slots({ busy, policy: { dailyLimit: 2 }, range: twoDays }, true);
    expect(found).toEqual(['03-03 09:00', '03-03 09:30', '03-03 10:00', '03-03 10:30', '03-03 11:00', '03-03 11:30']);
    expect(slots({ busy, policy: { dailyLimit: 3 } })).toEqual(['09:30', '10:00', '10:30', '11:30']);
  });

  test('an ISO week (Monday to Sunday, local) that reached the weekly limit offers nothing', () => {
    const fortnight = ['2026-03-01T17:00:00Z', '2026-03-15T17:00:00Z'] as const;
    const busy = [
      booking('2026-03-02T02:00:00Z', '2026-03-02T02:30:00Z'),
      booking('2026-03-03T02:00:00Z', '2026-03-03T02:30:00Z'),
      // Sunday 2026-03-08 23:30 local still belongs to the week of 03-02.
      booking('2026-03-08T16:30:00Z', '2026-03-08T17:00:00Z'),
      // Sunday 2026-03-01 belongs to the week before.
      booking('2026-03-01T03:00:00Z', '2026-03-01T03:30:00Z'),
    ];
    const days = (limit: number) => [
      ...new Set(slots({ busy, policy: { weeklyLimit: limit }, range: fortnight }, true).map((s) => s.slice(0, 5))),
    ];
    expect(days(3)).toEqual(['03-09', '03-10', '03-11', '03-12', '03-13']);
    expect(days(4)).toEqual(['03-02', '03-03', '03-04', '03-05', '03-06', '03-09', '03-10', '03-11', '03-12', '03-13']);
  });

  test('an empty or reversed range, or a window already over, gives nothing', () => {
    expect(slots({ range: ['2026-03-02T05:00:00Z', '2026-03-02T02:00:00Z'] })).toEqual([]);
    expect(slots({ range: ['2026-03-07T17:00:00Z', '2026-03-08T17:00:00Z'] })).toEqual([]);
  });
});

describe('conflictWith', () => {
  const candidate = (start: string, end: string, before = 0, after = 0) => ({
    start: new Date(start),
    end: new Date(end),
    bufferBeforeMinutes: before,
    bufferAfterMinutes: after,
  });
  const taken = booking('2026-03-02T03:00:00Z', '2026-03-02T04:00:00Z', { id: 'taken', bufferAfterMinutes: 10 });

  test('back to back is fine; overlap or a buffer reaching the other span conflicts', () => {
    expect(conflictWith(candidate('2026-03-02T02:00:00Z', '2026-03-02T03:00:00Z'), [taken])).toBeNull();
    expect(conflictWith(candidate('2026-03-02T02:00:00Z', '2026-03-02T03:00:00Z', 0, 1), [taken])?.id).toBe('taken');
    expect(conflictWith(candidate('2026-03-02T04:10:00Z', '2026-03-02T05:00:00Z'), [taken])).toBeNull();
    expect(conflictWith(candidate('2026-03-02T04:05:00Z', '2026-03-02T05:00:00Z'), [taken])?.id).toBe('taken');
    expect(conflictWith(candidate('2026-03-02T04:10:00Z', '2026-03-02T05:00:00Z', 11), [taken])?.id).toBe('taken');
    expect(conflictWith(candidate('2026-03-02T03:20:00Z', '2026-03-02T03:40:00Z'), [taken])?.id).toBe('taken');
  });

  test('returns the first conflicting entry in the given order, or null for none', () => {
    const other = booking('2026-03-02T03:30:00Z', '2026-03-02T05:00:00Z', { id: 'other', kind: 'hold' });
    expect(conflictWith(candidate('2026-03-02T03:45:00Z', '2026-03-02T04:15:00Z'), [other, taken])?.id).toBe('other');
    expect(conflictWith(candidate('2026-03-02T03:45:00Z', '2026-03-02T04:15:00Z'), [taken, other])?.id).toBe('taken');
    expect(conflictWith(candidate('2026-03-02T01:00:00Z', '2026-03-02T02:00:00Z'), [])).toBeNull();
  });
});
