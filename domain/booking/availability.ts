import { clipIntervals } from './intervals.js';
import type { Interval } from './local-time.js';
import type { ProviderSchedule } from './schedule.js';
import { windowsCovering } from './windows.js';

export { type Busy, type Candidate, conflictWith } from './conflicts.js';
export { type Interval, isoWeekDates, localDateOf, localDayBounds } from './local-time.js';
export { type ScheduleProblem, validateSchedule, validateSlotPolicy } from './schedule-validation.js';
export { type FreeSlotsInput, freeSlots } from './slots.js';

/**
 * When the provider is available inside `[from, to)`: sorted, merged windows. Per local date the
 * recurring rules' ranges (minus their exceptDates), or the date's override instead of them; plus
 * the date's additions; minus one-off and recurring time off. Wall-clock ranges become instants in
 * the schedule's zone, so a 09:00 rule stays 09:00 local across DST changes.
 */
export function availabilityWindows(schedule: ProviderSchedule, from: Date, to: Date): Interval[] {
  if (from.getTime() >= to.getTime()) return [];
  return clipIntervals(windowsCovering(schedule, from, to), from, to);
}

/** Does `[start, end)` lie inside one availability window? */
export function fitsAvailability(schedule: ProviderSchedule, start: Date, end: Date): boolean {
  if (start.getTime() >= end.getTime()) return false;
  return windowsCovering(schedule, start, end).some(
    (window) => window.start.getTime() <= start.getTime() && end.getTime() <= window.end.getTime(),
  );
}
