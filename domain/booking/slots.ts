import { type Busy, blockedSpan } from './conflicts.js';
import { datesBetween, type Interval, instantOf, isoWeekDates, localDateOf, plusLocalDays } from './local-time.js';
import type { ProviderSchedule, SlotPolicy } from './schedule.js';
import { windowsCovering } from './windows.js';

export type { Busy } from './conflicts.js';

export interface FreeSlotsInput {
  schedule: ProviderSchedule;
  policy: SlotPolicy;
  /** The provider's bookings and live holds; any order. */
  busy: readonly Busy[];
  now: Date;
  from: Date;
  to: Date;
}

const MINUTE_MS = 60_000;

interface Span {
  start: number;
  end: number;
}

/** What busy entries block for slots with the policy's buffers: sorted, merged, only near `[lo, hi)`. */
function blockedSpans(busy: readonly Busy[], policy: SlotPolicy, lo: number, hi: number): Span[] {
  const spans: Span[] = [];
  for (const entry of busy) {
    const span = blockedSpan(entry, policy.bufferBeforeMinutes, policy.bufferAfterMinutes);
    if (span.start < hi && span.end > lo) spans.push(span);
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/**
 * The provider-local days a slot may not start on because the day's or its ISO week's busy count
 * (bookings and holds starting then) reached the policy's limit. Returns a test to call with
 * ascending instants (it sweeps), or null when the policy sets no limit.
 */
function fullDayTest(input: FreeSlotsInput, earliest: number, latest: number): ((instant: number) => boolean) | null {
  const { dailyLimit, weeklyLimit } = input.policy;
  if (dailyLimit === null && weeklyLimit === null) return null;
  const zone = input.schedule.timeZone;
  const first = isoWeekDates(localDateOf(new Date(earliest), zone))[0] as string;
  const last = isoWeekDates(localDateOf(new Date(latest), zone))[6] as string;
  const dates = datesBetween(first, last);
  const starts = dates.map((date) => instantOf(date, 0, zone).getTime());
  const end = instantOf(last, 1440, zone).getTime();
  const perDay = new Array<number>(dates.length).fill(0);
  for (const entry of input.busy) {
    const at = entry.start.getTime();
    if (at < (starts[0] as number) || at >= end) continue;
    let lowest = 0;
    let highest = starts.length - 1;
    while (lowest < highest) {
      const middle = (lowest + highest + 1) >> 1;
      if ((starts[middle] as number) <= at) lowest = middle;
      else highest = middle - 1;
    }
    perDay[lowest] = (perDay[lowest] as number) + 1;
  }
  const full = perDay.map((count, day) => {
    if (dailyLimit !== null && count >= dailyLimit) return true;
    if (weeklyLimit === null) return false;
    const monday = day - (day % 7);
    const week = perDay.slice(monday, monday + 7).reduce((sum, n) => sum + n, 0);
    return week >= weeklyLimit;
  });
  let day = 0;
  return (instant) => {
    while (day + 1 < starts.length && (starts[day + 1] as number) <= instant) day++;
    return full[day] === true;
  };
}

/**
 * Bookable slots in `[from, to)` (by start): `durationMinutes` long, starting every `stepMinutes`
 * from each availability window's start and ending inside it; clear of every busy entry with the
 * policy's buffers (see `collides`); starting no sooner than `now` + minimum notice and no later
 * than `bookingWindowDays` provider-local days after `now`; none on a provider-local day or ISO
 * week whose bookings and holds reached the daily or weekly limit.
 */
export function freeSlots(input: FreeSlotsInput): Interval[] {
  const { policy, now } = input;
  if (!(policy.durationMinutes > 0 && policy.stepMinutes > 0)) {
    throw new RangeError('durationMinutes and stepMinutes must be positive');
  }
  const duration = policy.durationMinutes * MINUTE_MS;
  const step = policy.stepMinutes * MINUTE_MS;
  const earliest = Math.max(input.from.getTime(), now.getTime() + policy.minimumNoticeMinutes * MINUTE_MS);
  const horizon = plusLocalDays(now, policy.bookingWindowDays, input.schedule.timeZone).getTime();
  const latest = Math.min(input.to.getTime() - 1, horizon);
  if (earliest > latest) return [];

  const windows = windowsCovering(input.schedule, new Date(earliest), new Date(latest + 1));
  const blocked = blockedSpans(input.busy, policy, earliest, latest + duration);
  const isFull = fullDayTest(input, earliest, latest);
  const slots: Interval[] = [];
  let next = 0;
  for (const window of windows) {
    const windowStart = window.start.getTime();
    const windowEnd = window.end.getTime();
    let start = windowStart < earliest ? windowStart + Math.ceil((earliest - windowStart) / step) * step : windowStart;
    for (; start + duration <= windowEnd && start <= latest; start += step) {
      const end = start + duration;
      while (next < blocked.length && (blocked[next] as Span).end <= start) next++;
      const taken = next < blocked.length && (blocked[next] as Span).start < end;
      if (taken || isFull?.(start)) continue;
      slots.push({ start: new Date(start), end: new Date(end) });
    }
  }
  return slots;
}
