import { mergeIntervals, subtractIntervals } from './intervals.js';
import { addDays, type Interval, instantOf, localDateOf, localDayBounds, minutesOfTime } from './local-time.js';
import { occurrencesBetween } from './recurrence.js';
import type { LocalDate, ProviderSchedule, TimeRange } from './schedule.js';

function rangeInstants(date: LocalDate, range: TimeRange, timeZone: string): Interval {
  const start = minutesOfTime(range.start);
  const end = minutesOfTime(range.end, true);
  if (start === null || end === null) throw new RangeError(`Invalid time range ${range.start}-${range.end}`);
  return { start: instantOf(date, start, timeZone), end: instantOf(date, end, timeZone) };
}

/**
 * Merged availability of every provider-local date from the day before `from`'s date to the day
 * after `to`'s, not clipped: a window reaching across midnight keeps its real start (slots are
 * cut from it) and its real end (a slot may run past `to`).
 */
export function windowsCovering(schedule: ProviderSchedule, from: Date, to: Date): Interval[] {
  const zone = schedule.timeZone;
  const first = addDays(localDateOf(from, zone), -1);
  const last = addDays(localDateOf(new Date(Math.max(from.getTime(), to.getTime() - 1)), zone), 1);
  const inRange = (date: LocalDate) => first <= date && date <= last;
  const available: Interval[] = [];
  const add = (date: LocalDate, ranges: readonly TimeRange[]) => {
    for (const range of ranges) available.push(rangeInstants(date, range, zone));
  };

  const overrides = new Map(schedule.overrides.filter((o) => inRange(o.date)).map((o) => [o.date, o.ranges]));
  for (const [date, ranges] of overrides) add(date, ranges);
  for (const rule of schedule.rules) {
    const skipped = new Set(rule.exceptDates);
    for (const date of occurrencesBetween(rule, first, last)) {
      if (!overrides.has(date) && !skipped.has(date)) add(date, rule.ranges);
    }
  }
  for (const addition of schedule.additions) if (inRange(addition.date)) add(addition.date, addition.ranges);

  const off: Interval[] = [];
  const span = { start: instantOf(first, 0, zone).getTime(), end: instantOf(last, 1440, zone).getTime() };
  for (const offTime of schedule.offTimes) {
    const interval = { start: new Date(offTime.start), end: new Date(offTime.end) };
    if (interval.start.getTime() < span.end && span.start < interval.end.getTime()) off.push(interval);
  }
  for (const recurring of schedule.recurringOffTimes) {
    for (const date of occurrencesBetween(recurring, first, last)) {
      if (recurring.ranges === null) off.push(localDayBounds(date, zone));
      else for (const range of recurring.ranges) off.push(rangeInstants(date, range, zone));
    }
  }
  return subtractIntervals(mergeIntervals(available), mergeIntervals(off));
}
