import type { DomainEvent } from '../shared/decider.js';
import type { LocalDate, LocalTime } from './schedule.js';

/** iCalendar weekday codes (RFC 5545 BYDAY), Monday first. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A sales staff member's one-off shift (LichLamViec) on one date, `start`–`end` the same day in
 * Asia/Ho_Chi_Minh. Empty `areaIds` = the areas of the staff member's profile apply; otherwise the
 * shift is limited to these areas (UC-SALE-01 step 3).
 */
export interface OneOffShift {
  id: string;
  date: LocalDate;
  start: LocalTime;
  end: LocalTime;
  areaIds: string[];
}

/**
 * A shift repeated every week on `weekdays` from `from` to `until` (inclusive; null = open-ended),
 * except on `exceptDates`. Empty `areaIds` = the profile's areas, as for a one-off shift.
 */
export interface WeeklyShift {
  id: string;
  weekdays: Weekday[];
  start: LocalTime;
  end: LocalTime;
  from: LocalDate;
  until: LocalDate | null;
  areaIds: string[];
  exceptDates: LocalDate[];
}

type Times = { start: LocalTime; end: LocalTime; areaIds: string[] };

/** Facts of stream `shifts-<staffId>`: one stream per person, so no two of their shifts overlap. */
export type ShiftEvent =
  | DomainEvent<'ShiftAdded', { staffId: string; shiftId: string; date: LocalDate } & Times>
  | DomainEvent<
      'ShiftChanged',
      { staffId: string; shiftId: string; date: LocalDate; previous: { date: LocalDate } & Times } & Times
    >
  | DomainEvent<'ShiftRemoved', { staffId: string; shiftId: string; date: LocalDate }>
  | DomainEvent<
      'WeeklyShiftAdded',
      Omit<WeeklyShift, 'id'> & {
        staffId: string;
        shiftId: string;
        /** Set when a change to a shift already under way continues it under this new id from today. */
        continues: string | null;
      }
    >
  | DomainEvent<
      'WeeklyShiftChanged',
      {
        staffId: string;
        shiftId: string;
        until: LocalDate | null;
        previous: Times & { until: LocalDate | null };
      } & Times
    >
  | DomainEvent<
      'WeeklyShiftEnded',
      { staffId: string; shiftId: string; until: LocalDate; previousUntil: LocalDate | null }
    >
  | DomainEvent<'WeeklyShiftRemoved', { staffId: string; shiftId: string }>
  | DomainEvent<'ShiftExceptionAdded', { staffId: string; shiftId: string; date: LocalDate }>
  | DomainEvent<'ShiftExceptionRemoved', { staffId: string; shiftId: string; date: LocalDate }>;

export type ShiftEventType = ShiftEvent['type'];
export const SHIFT_EVENT_TYPES: ShiftEventType[] = [
  'ShiftAdded',
  'ShiftChanged',
  'ShiftRemoved',
  'WeeklyShiftAdded',
  'WeeklyShiftChanged',
  'WeeklyShiftEnded',
  'WeeklyShiftRemoved',
  'ShiftExceptionAdded',
  'ShiftExceptionRemoved',
];

export const shiftsStream = (staffId: string) => `shifts-${staffId}`;
