import type { ShiftEvent, Weekday } from '../../domain/booking/shift-events.js';
import { type ConfirmedBooking, type ShiftCommand, shiftsDecider } from '../../domain/booking/shifts.js';
import { scenario, testContext } from './given-when-then.js';

/**
 * Fixtures of the shift decider tests (test/unit/shifts*.test.ts). The clock (testContext): Sunday
 * 2026-11-22, 10:00 in Asia/Ho_Chi_Minh; Monday 23 and Tuesday 24 follow.
 */
export const STAFF = 'staff-1';
export const at = (date: string, time: string) => new Date(`${date}T${time}:00+07:00`);
export const booking = (bookingId: string, date: string, start: string, end: string): ConfirmedBooking => ({
  bookingId,
  start: at(date, start),
  end: at(date, end),
});
export const shifts = (confirmedBookings: ConfirmedBooking[] = []) =>
  scenario(shiftsDecider, { ...testContext({ actorId: STAFF, roles: ['sales'] }), confirmedBookings });

export const added = (
  shiftId: string,
  date: string,
  start: string,
  end: string,
  areaIds: string[] = [],
): ShiftEvent => ({
  type: 'ShiftAdded',
  data: { staffId: STAFF, shiftId, date, start, end, areaIds },
});
export const weeklyAdded = (
  shiftId: string,
  weekdays: Weekday[],
  start: string,
  end: string,
  from: string,
  until: string | null = null,
  exceptDates: string[] = [],
): ShiftEvent => ({
  type: 'WeeklyShiftAdded',
  data: { staffId: STAFF, shiftId, weekdays, start, end, from, until, areaIds: [], exceptDates, continues: null },
});
export const add = (
  shiftId: string,
  date: string,
  start: string,
  end: string,
  areaIds: string[] = [],
): ShiftCommand => ({
  type: 'AddShift',
  staffId: STAFF,
  shiftId,
  date,
  start,
  end,
  areaIds,
});
export const addWeekly = (
  shiftId: string,
  weekdays: Weekday[],
  start: string,
  end: string,
  from: string,
  until: string | null = null,
): ShiftCommand => ({
  type: 'AddWeeklyShift',
  staffId: STAFF,
  shiftId,
  weekdays,
  start,
  end,
  from,
  until,
  areaIds: [],
});

// A weekly shift Mondays 08:00–12:00 that started on Monday 2026-11-02 (under way).
export const mondays = weeklyAdded('w-mon', ['MO'], '08:00', '12:00', '2026-11-02');
// A weekly shift Monday/Wednesday 13:00–17:00 from next Monday (not started yet).
export const afternoons = weeklyAdded('w-pm', ['MO', 'WE'], '13:00', '17:00', '2026-11-23');
