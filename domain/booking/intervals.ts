import type { Interval } from './local-time.js';

/** Sorted by start, overlapping and touching spans joined; empty spans dropped. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals
    .filter((interval) => interval.start.getTime() < interval.end.getTime())
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start.getTime() <= last.end.getTime()) {
      if (interval.end.getTime() > last.end.getTime()) last.end = interval.end;
    } else {
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
}

/** `base` minus `cuts`, both merged (sorted, disjoint); a sweep over the two lists. */
export function subtractIntervals(base: readonly Interval[], cuts: readonly Interval[]): Interval[] {
  const result: Interval[] = [];
  let next = 0;
  for (const interval of base) {
    let start = interval.start.getTime();
    const end = interval.end.getTime();
    while (next < cuts.length && (cuts[next] as Interval).end.getTime() <= start) next++;
    for (let index = next; index < cuts.length; index++) {
      const cut = cuts[index] as Interval;
      if (cut.start.getTime() >= end) break;
      if (cut.start.getTime() > start) result.push({ start: new Date(start), end: cut.start });
      start = Math.max(start, cut.end.getTime());
      if (start >= end) break;
    }
    if (start < end) result.push({ start: new Date(start), end: new Date(end) });
  }
  return result;
}

/** The parts of sorted `intervals` inside `[from, to)`. */
export function clipIntervals(intervals: readonly Interval[], from: Date, to: Date): Interval[] {
  const result: Interval[] = [];
  for (const interval of intervals) {
    const start = Math.max(interval.start.getTime(), from.getTime());
    const end = Math.min(interval.end.getTime(), to.getTime());
    if (start < end) result.push({ start: new Date(start), end: new Date(end) });
  }
  return result;
}
