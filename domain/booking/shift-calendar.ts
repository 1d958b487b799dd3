import { localDateOf, localDayBounds } from './availability.js';
import { addDays, isLocalDate } from './local-time.js';
import { DEFAULT_TIME_ZONE, type LocalDate, type LocalTime, type ProviderSchedule } from './schedule.js';
import { type OneOffShift, WEEKDAYS, type Weekday, type WeeklyShift } from './shift-events.js';

/** Staff shifts are kept in the business time zone. */
export const SHIFT_TIME_ZONE = DEFAULT_TIME_ZONE;

export const TIME_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export const minutesOf = (time: LocalTime): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export { addDays, isLocalDate };

/** 'MO'…'SU' of a calendar date (the date itself, no time zone involved). */
export const weekdayOf = (date: LocalDate): Weekday =>
  WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7] as Weekday;

/** The instant a wall-clock time on a date is, in the staff time zone (`24:00` = the next midnight). */
export function instantOf(date: LocalDate, time: LocalTime, timeZone = SHIFT_TIME_ZONE): Date {
  const { start, end } = localDayBounds(date, timeZone);
  if (time === '24:00') return end;
  return new Date(start.getTime() + minutesOf(time) * 60_000);
}

/** One-off and weekly shifts as one shape: a one-off shift is a pattern of a single date. */
export interface ShiftPattern {
  id: string;
  weekly: boolean;
  weekdays: readonly Weekday[];
  from: LocalDate;
  until: LocalDate | null;
  exceptDates: readonly LocalDate[];
  start: LocalTime;
  end: LocalTime;
  areaIds: readonly string[];
}

export const patternOfShift = (shift: OneOffShift): ShiftPattern => ({
  id: shift.id,
  weekly: false,
  weekdays: WEEKDAYS,
  from: shift.date,
  until: shift.date,
  exceptDates: [],
  start: shift.start,
  end: shift.end,
  areaIds: shift.areaIds,
});

export const patternOfWeekly = (shift: WeeklyShift): ShiftPattern => ({ ...shift, weekly: true });

/** A staff member's shifts: the decider's state (maps) or read-model rows (arrays). */
export interface ShiftSet {
  shifts: ReadonlyMap<string, OneOffShift> | readonly OneOffShift[];
  weekly: ReadonlyMap<string, WeeklyShift> | readonly WeeklyShift[];
}

const listOf = <T>(items: ReadonlyMap<string, T> | readonly T[]): readonly T[] =>
  items instanceof Map ? [...items.values()] : (items as readonly T[]);

export const patternsOf = (set: ShiftSet): ShiftPattern[] => [
  ...listOf(set.shifts).map(patternOfShift),
  ...listOf(set.weekly).map(patternOfWeekly),
];

/** Does the shift take place on `date` (weekday, date range, not an exception)? */
export const occursOn = (pattern: ShiftPattern, date: LocalDate): boolean =>
  date >= pattern.from &&
  (pattern.until === null || date <= pattern.until) &&
  pattern.weekdays.includes(weekdayOf(date)) &&
  !pattern.exceptDates.includes(date);

/** The dates in [from, to] (inclusive) the shift takes place on. */
export function occurrenceDates(pattern: ShiftPattern, from: LocalDate, to: LocalDate): LocalDate[] {
  const first = from > pattern.from ? from : pattern.from;
  const last = pattern.until !== null && pattern.until < to ? pattern.until : to;
  const dates: LocalDate[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) if (occursOn(pattern, date)) dates.push(date);
  return dates;
}

export const timesOverlap = (a: { start: LocalTime; end: LocalTime }, b: { start: LocalTime; end: LocalTime }) =>
  minutesOf(a.start) < minutesOf(b.end) && minutesOf(b.start) < minutesOf(a.end);

/**
 * The first date both shifts take place on with overlapping times (touching, end == start, is
 * fine), or null. Each exception removes one date, so if a common date exists one is found within
 * 7 × (exceptions + 1) days of the shared range's start: that bounds the search of open-ended shifts.
 */
export function firstOverlap(a: ShiftPattern, b: ShiftPattern): LocalDate | null {
  if (!timesOverlap(a, b)) return null;
  const from = a.from > b.from ? a.from : b.from;
  const untils = [a.until, b.until].filter((u): u is LocalDate => u !== null);
  const cap = addDays(from, 7 * (a.exceptDates.length + b.exceptDates.length + 1) - 1);
  const to = [cap, ...untils].reduce((min, d) => (d < min ? d : min));
  for (let date = from; date <= to; date = addDays(date, 1)) {
    if (occursOn(a, date) && occursOn(b, date)) return date;
  }
  return null;
}

/** The shift's working time on a date as instants, `[startAt, endAt)`. */
export const occurrenceInstants = (pattern: { start: LocalTime; end: LocalTime }, date: LocalDate) => ({
  startAt: instantOf(date, pattern.start),
  endAt: instantOf(date, pattern.end),
});

/** Does one occurrence of the shift contain `[start, end)`? */
export function covers(pattern: ShiftPattern, start: Date, end: Date): boolean {
  const date = localDateOf(start, SHIFT_TIME_ZONE);
  if (!occursOn(pattern, date)) return false;
  const { startAt, endAt } = occurrenceInstants(pattern, date);
  return startAt.getTime() <= start.getTime() && end.getTime() <= endAt.getTime();
}

/**
 * The shift covering `[start, end)` entirely (a viewing must lie inside one shift), or null.
 * `areaIds` are the shift's own: empty means the staff member's profile areas apply.
 */
export function shiftCovering(set: ShiftSet, start: Date, end: Date): { shiftId: string; areaIds: string[] } | null {
  const found = patternsOf(set).find((pattern) => covers(pattern, start, end));
  return found ? { shiftId: found.id, areaIds: [...found.areaIds] } : null;
}

/** The shift an instant falls in (`[start, end)` of an occurrence), or null; see shiftCovering. */
export function shiftAt(set: ShiftSet, instant: Date): { shiftId: string; areaIds: string[] } | null {
  const date = localDateOf(instant, SHIFT_TIME_ZONE);
  const found = patternsOf(set).find((pattern) => {
    if (!occursOn(pattern, date)) return false;
    const { startAt, endAt } = occurrenceInstants(pattern, date);
    return startAt.getTime() <= instant.getTime() && instant.getTime() < endAt.getTime();
  });
  return found ? { shiftId: found.id, areaIds: [...found.areaIds] } : null;
}

/** The areas a shift serves: its own, or the profile's when it names none. */
export const effectiveAreaIds = (shiftAreaIds: readonly string[], profileAreaIds: readonly string[]): string[] => [
  ...(shiftAreaIds.length > 0 ? shiftAreaIds : profileAreaIds),
];

/**
 * The shifts as the slot engine's schedule: one-off shifts are `additions`, weekly shifts
 * `rules` (`FREQ=WEEKLY;BYDAY=…` with their exceptions).
 */
export function staffSchedule(set: ShiftSet): ProviderSchedule {
  return {
    timeZone: SHIFT_TIME_ZONE,
    rules: listOf(set.weekly).map((shift) => ({
      id: shift.id,
      rrule: `FREQ=WEEKLY;BYDAY=${shift.weekdays.join(',')}`,
      from: shift.from,
      until: shift.until,
      ranges: [{ start: shift.start, end: shift.end }],
      exceptDates: [...shift.exceptDates],
    })),
    overrides: [],
    additions: listOf(set.shifts).map((shift) => ({
      id: shift.id,
      date: shift.date,
      ranges: [{ start: shift.start, end: shift.end }],
    })),
    offTimes: [],
    recurringOffTimes: [],
  };
}
