import { DateTime, IANAZone } from 'luxon';
import type { LocalDate, LocalTime } from './schedule.js';

/** A half-open span of time `[start, end)`. */
export interface Interval {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `YYYY-MM-DD` of a real calendar date (years 1970–2999). */
export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1970 || year > 2999) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Minutes after midnight of `HH:mm`; `24:00` is 1440 only when `allowEndOfDay`. Null when malformed. */
export function minutesOfTime(value: LocalTime, allowEndOfDay = false): number | null {
  if (allowEndOfDay && value === '24:00') return 1440;
  const match = LOCAL_TIME.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** An IANA zone name luxon (Intl) knows, e.g. `Asia/Ho_Chi_Minh`; fixed offsets like `UTC+7` are not. */
export const isKnownTimeZone = (timeZone: string): boolean => IANAZone.isValidZone(timeZone);

/** The calendar date as a UTC midnight (the floating dates rrule works with). */
export const utcMidnightOf = (date: LocalDate): Date => new Date(`${date}T00:00:00Z`);
export const localDateOfUtcMidnight = (instant: Date): LocalDate => instant.toISOString().slice(0, 10);

export const addDays = (date: LocalDate, days: number): LocalDate =>
  localDateOfUtcMidnight(new Date(utcMidnightOf(date).getTime() + days * DAY_MS));

/** Every date from `first` to `last`, both included. */
export function datesBetween(first: LocalDate, last: LocalDate): LocalDate[] {
  const dates: LocalDate[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) dates.push(date);
  return dates;
}

function zoned(instant: Date, timeZone: string): DateTime {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`Unknown time zone ${timeZone}`);
  return local;
}

/** The provider-local calendar date an instant falls on. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  return zoned(instant, timeZone).toISODate() as LocalDate;
}

/**
 * The instant of a wall-clock time (minutes after midnight, 1440 = the next midnight) on a date.
 * A time inside a spring-forward gap does not exist; luxon moves it forward by the gap (02:30 on a
 * 02:00→03:00 day is 03:30). A time repeated at fall-back resolves to the offset luxon picks.
 */
export function instantOf(date: LocalDate, minutes: number, timeZone: string): Date {
  const day = minutes >= 1440 ? addDays(date, 1) : date;
  const rest = minutes >= 1440 ? minutes - 1440 : minutes;
  const [year, month, dayOfMonth] = day.split('-').map(Number);
  const local = DateTime.fromObject(
    { year, month, day: dayOfMonth, hour: Math.floor(rest / 60), minute: rest % 60 },
    { zone: timeZone },
  );
  if (!local.isValid) throw new RangeError(`Invalid local time ${date} +${minutes}min in ${timeZone}`);
  return local.toJSDate();
}

/** The instants a provider-local day spans: `[its midnight, the next midnight)`. */
export function localDayBounds(date: LocalDate, timeZone: string): Interval {
  return { start: instantOf(date, 0, timeZone), end: instantOf(date, 1440, timeZone) };
}

/** The 7 dates, Monday to Sunday, of the ISO week `date` is in. */
export function isoWeekDates(date: LocalDate): LocalDate[] {
  const weekday = (utcMidnightOf(date).getUTCDay() + 6) % 7;
  const monday = addDays(date, -weekday);
  return Array.from({ length: 7 }, (_, index) => addDays(monday, index));
}

/** The instant `days` calendar days after `instant` at the same wall-clock time in the zone. */
export function plusLocalDays(instant: Date, days: number, timeZone: string): Date {
  return zoned(instant, timeZone).plus({ days }).toJSDate();
}
