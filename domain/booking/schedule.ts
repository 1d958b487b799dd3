/**
 * The shapes of a provider's working time, shared by staff shifts, expert availability and the
 * slot engine (availability.ts, slots.ts). Wall-clock values are local to the provider's
 * `timeZone`; instants are UTC ISO strings.
 */

/** Wall-clock time `HH:mm` (`24:00` allowed as an end). */
export type LocalTime = string;
/** Calendar date `YYYY-MM-DD` in the provider's time zone. */
export type LocalDate = string;

export interface TimeRange {
  start: LocalTime;
  end: LocalTime;
}

/** Recurring availability: an RRULE (RFC 5545 body, e.g. `FREQ=WEEKLY;BYDAY=MO,WE`) from a date. */
export interface RecurringRule {
  id: string;
  rrule: string;
  from: LocalDate;
  until: LocalDate | null;
  ranges: TimeRange[];
  /** Occurrences skipped (a recurring shift's exceptions). */
  exceptDates: LocalDate[];
}

/** A date whose availability replaces the recurring rules' (`ranges: []` = not available). */
export interface DateOverride {
  date: LocalDate;
  ranges: TimeRange[];
}

/** Availability on a date in addition to the recurring rules (a one-off shift). */
export interface DateAddition {
  id: string;
  date: LocalDate;
  ranges: TimeRange[];
}

/** One-off time off between two instants. */
export interface OffTime {
  id: string;
  start: string;
  end: string;
  reason: string | null;
}

/** Recurring time off (yearly holidays, a weekly lunch break); `ranges: null` = the whole day. */
export interface RecurringOffTime {
  id: string;
  rrule: string;
  from: LocalDate;
  until: LocalDate | null;
  ranges: TimeRange[] | null;
  reason: string | null;
}

export interface ProviderSchedule {
  timeZone: string;
  rules: RecurringRule[];
  overrides: DateOverride[];
  additions: DateAddition[];
  offTimes: OffTime[];
  recurringOffTimes: RecurringOffTime[];
}

/** How slots are cut from availability and what a booking must respect (Cal.com's event-type settings). */
export interface SlotPolicy {
  durationMinutes: number;
  /** Slots start every `stepMinutes` from each availability window's start. */
  stepMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  /** How far ahead a slot may start. */
  bookingWindowDays: number;
  /** Bookings per provider-local day / ISO week (Monday first); null = unlimited. */
  dailyLimit: number | null;
  weeklyLimit: number | null;
}

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export const emptySchedule = (timeZone = DEFAULT_TIME_ZONE): ProviderSchedule => ({
  timeZone,
  rules: [],
  overrides: [],
  additions: [],
  offTimes: [],
  recurringOffTimes: [],
});
