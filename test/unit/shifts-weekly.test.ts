import { describe, expect, test } from 'vitest';
import type { ShiftEvent } from '../../domain/booking/shift-events.js';
import type { ShiftCommand } from '../../domain/booking/shifts.js';
import {
  added,
  addWeekly,
  afternoons,
  booking,
  mondays,
  STAFF,
  shifts,
  weeklyAdded,
} from '../support/shift-fixtures.js';

// The clock (testContext): Sunday 2026-11-22, 10:00 in Asia/Ho_Chi_Minh. Monday 23, Tuesday 24 follow.
describe('weekly shifts', () => {
  test('adds a weekly shift with weekdays in week order; refuses bad weekdays, past from, until before from', () => {
    shifts()
      .given([])
      .when(addWeekly('w1', ['WE', 'MO', 'WE'], '08:00', '12:00', '2026-11-23', '2026-12-31'))
      .thenEmits([weeklyAdded('w1', ['MO', 'WE'], '08:00', '12:00', '2026-11-23', '2026-12-31')]);
    shifts()
      .given([])
      .when(addWeekly('w1', [], '08:00', '12:00', '2026-11-23'))
      .thenFails('SHIFT_WEEKDAYS_INVALID', 'weekdays');
    shifts()
      .given([])
      .when(addWeekly('w1', ['XX' as 'MO'], '08:00', '12:00', '2026-11-23'))
      .thenFails('SHIFT_WEEKDAYS_INVALID', 'weekdays');
    shifts()
      .given([])
      .when(addWeekly('w1', ['MO'], '08:00', '12:00', '2026-11-01'))
      .thenFails('SHIFT_DATE_PAST', 'from');
    shifts()
      .given([])
      .when(addWeekly('w1', ['MO'], '08:00', '12:00', '2026-11-30', '2026-11-29'))
      .thenFails('SHIFT_UNTIL_BEFORE_FROM', 'until');
    shifts()
      .given([])
      .when(addWeekly('w1', ['MO'], '12:00', '08:00', '2026-11-30'))
      .thenFails('SHIFT_TIME_RANGE', 'end');
  });

  test('weekly vs weekly: overlap needs a shared weekday, overlapping dates and times', () => {
    const refused = shifts()
      .given([mondays])
      .when(addWeekly('w2', ['MO', 'FR'], '11:00', '14:00', '2026-11-27'))
      .thenFails('SHIFT_OVERLAP');
    expect(refused.details).toEqual({ shiftId: 'w-mon', date: '2026-11-30' });
    // touching times, no shared weekday, date ranges apart:
    shifts()
      .given([mondays])
      .when(addWeekly('w2', ['MO'], '12:00', '14:00', '2026-11-23'))
      .thenEmits([weeklyAdded('w2', ['MO'], '12:00', '14:00', '2026-11-23')]);
    shifts()
      .given([mondays])
      .when(addWeekly('w2', ['TU', 'SU'], '08:00', '12:00', '2026-11-22'))
      .thenEmits([weeklyAdded('w2', ['TU', 'SU'], '08:00', '12:00', '2026-11-22')]);
    const endsSoon = weeklyAdded('w-short', ['MO'], '08:00', '12:00', '2026-11-23', '2026-11-30');
    shifts()
      .given([endsSoon])
      .when(addWeekly('w2', ['MO'], '09:00', '10:00', '2026-12-01'))
      .thenEmits([weeklyAdded('w2', ['MO'], '09:00', '10:00', '2026-12-01')]);
    // Ranges overlap on Tuesday 24 only, but the shared weekday is Monday: no common date.
    const oneMonday = weeklyAdded('w-one', ['MO', 'TU'], '08:00', '12:00', '2026-11-23', '2026-11-24');
    shifts()
      .given([oneMonday])
      .when(addWeekly('w2', ['MO'], '08:00', '12:00', '2026-11-24', '2026-11-29'))
      .thenEmits([weeklyAdded('w2', ['MO'], '08:00', '12:00', '2026-11-24', '2026-11-29')]);
    // The only common Monday is an exception of the existing shift.
    const excepted = weeklyAdded('w-ex', ['MO'], '08:00', '12:00', '2026-11-23', '2026-11-30', ['2026-11-30']);
    shifts()
      .given([excepted])
      .when(addWeekly('w2', ['MO'], '08:00', '12:00', '2026-11-24', '2026-12-06'))
      .thenEmits([weeklyAdded('w2', ['MO'], '08:00', '12:00', '2026-11-24', '2026-12-06')]);
    shifts()
      .given([excepted])
      .when(addWeekly('w2', ['MO'], '08:00', '12:00', '2026-11-22', '2026-12-06'))
      .thenFails('SHIFT_OVERLAP');
  });

  test('change of a shift not yet started: in place, with the previous values', () => {
    shifts()
      .given([afternoons])
      .when({
        type: 'ChangeWeeklyShift',
        staffId: STAFF,
        shiftId: 'w-pm',
        newShiftId: 'n1',
        end: '18:00',
        until: '2027-01-31',
      })
      .thenEmits([
        {
          type: 'WeeklyShiftChanged',
          data: {
            staffId: STAFF,
            shiftId: 'w-pm',
            start: '13:00',
            end: '18:00',
            areaIds: [],
            until: '2027-01-31',
            previous: { start: '13:00', end: '17:00', areaIds: [], until: null },
          },
        },
      ]);
    shifts()
      .given([afternoons])
      .when({ type: 'ChangeWeeklyShift', staffId: STAFF, shiftId: 'w-pm', newShiftId: 'n1', start: '13:00' })
      .thenEmits([]);
    shifts()
      .given([afternoons, mondays])
      .when({ type: 'ChangeWeeklyShift', staffId: STAFF, shiftId: 'w-pm', newShiftId: 'n1', start: '11:00' })
      .thenFails('SHIFT_OVERLAP');
    shifts()
      .given([afternoons])
      .when({ type: 'ChangeWeeklyShift', staffId: STAFF, shiftId: 'w-pm', newShiftId: 'n1', until: '2026-11-20' })
      .thenFails('SHIFT_UNTIL_BEFORE_FROM', 'until');
    shifts()
      .given([])
      .when({ type: 'ChangeWeeklyShift', staffId: STAFF, shiftId: 'w-pm', newShiftId: 'n1', end: '18:00' })
      .thenFails('SHIFT_NOT_FOUND');
  });

  test('change of a shift under way keeps its past: it ends yesterday and continues from today', () => {
    const exceptions: ShiftEvent[] = ['2026-11-16', '2026-12-07'].map((date) => ({
      type: 'ShiftExceptionAdded',
      data: { staffId: STAFF, shiftId: 'w-mon', date },
    }));
    shifts()
      .given([mondays, ...exceptions])
      .when({ type: 'ChangeWeeklyShift', staffId: STAFF, shiftId: 'w-mon', newShiftId: 'w-mon-2', start: '09:00' })
      .thenEmits([
        {
          type: 'WeeklyShiftEnded',
          data: { staffId: STAFF, shiftId: 'w-mon', until: '2026-11-21', previousUntil: null },
        },
        {
          type: 'WeeklyShiftAdded',
          data: {
            staffId: STAFF,
            shiftId: 'w-mon-2',
            weekdays: ['MO'],
            start: '09:00',
            end: '12:00',
            from: '2026-11-22',
            until: null,
            areaIds: [],
            exceptDates: ['2026-12-07'],
            continues: 'w-mon',
          },
        },
      ]);
    // A confirmed booking the new times still cover is fine; one they drop is not.
    const change: ShiftCommand = {
      type: 'ChangeWeeklyShift',
      staffId: STAFF,
      shiftId: 'w-mon',
      newShiftId: 'w-mon-2',
      start: '09:00',
    };
    shifts([booking('b1', '2026-11-30', '10:00', '10:30')])
      .given([mondays])
      .when(change)
      .thenEmits([
        {
          type: 'WeeklyShiftEnded',
          data: { staffId: STAFF, shiftId: 'w-mon', until: '2026-11-21', previousUntil: null },
        },
        {
          type: 'WeeklyShiftAdded',
          data: {
            staffId: STAFF,
            shiftId: 'w-mon-2',
            weekdays: ['MO'],
            start: '09:00',
            end: '12:00',
            from: '2026-11-22',
            until: null,
            areaIds: [],
            exceptDates: [],
            continues: 'w-mon',
          },
        },
      ]);
    const refused = shifts([booking('b1', '2026-11-30', '08:00', '08:30')])
      .given([mondays])
      .when(change)
      .thenFails('SHIFT_HAS_CONFIRMED_BOOKINGS');
    expect(refused.details).toEqual({ bookingIds: ['b1'] });
    shifts()
      .given([weeklyAdded('w-done', ['MO'], '08:00', '12:00', '2026-11-02', '2026-11-16')])
      .when({ type: 'ChangeWeeklyShift', staffId: STAFF, shiftId: 'w-done', newShiftId: 'n', end: '11:00' })
      .thenFails('SHIFT_IN_PAST');
  });

  test('end: sets the last date; not before yesterday, not dropping a confirmed booking; may not overlap when extended', () => {
    const end = (until: string): ShiftCommand => ({ type: 'EndWeeklyShift', staffId: STAFF, shiftId: 'w-mon', until });
    shifts()
      .given([mondays])
      .when(end('2026-11-21'))
      .thenEmits([
        {
          type: 'WeeklyShiftEnded',
          data: { staffId: STAFF, shiftId: 'w-mon', until: '2026-11-21', previousUntil: null },
        },
      ]);
    shifts().given([mondays]).when(end('2026-11-20')).thenFails('SHIFT_DATE_PAST', 'until');
    shifts()
      .given([afternoons])
      .when({ ...end('2026-11-22'), shiftId: 'w-pm' })
      .thenFails('SHIFT_UNTIL_BEFORE_FROM', 'until');
    const refused = shifts([booking('b9', '2026-12-07', '09:00', '09:30')])
      .given([mondays])
      .when(end('2026-11-30'))
      .thenFails('SHIFT_HAS_CONFIRMED_BOOKINGS');
    expect(refused.details).toEqual({ bookingIds: ['b9'] });
    const short = weeklyAdded('w-short', ['MO'], '08:00', '12:00', '2026-11-23', '2026-11-30');
    shifts()
      .given([short, added('s1', '2026-12-14', '10:00', '11:00')])
      .when({ ...end('2026-12-31'), shiftId: 'w-short' })
      .thenFails('SHIFT_OVERLAP');
    shifts()
      .given([mondays])
      .when(end('2026-12-31'))
      .thenEmits([
        {
          type: 'WeeklyShiftEnded',
          data: { staffId: STAFF, shiftId: 'w-mon', until: '2026-12-31', previousUntil: null },
        },
      ]);
  });

  test('remove: only a shift not yet started, and not under a confirmed booking', () => {
    const remove = (shiftId: string): ShiftCommand => ({ type: 'RemoveWeeklyShift', staffId: STAFF, shiftId });
    shifts()
      .given([afternoons])
      .when(remove('w-pm'))
      .thenEmits([{ type: 'WeeklyShiftRemoved', data: { staffId: STAFF, shiftId: 'w-pm' } }]);
    shifts().given([mondays]).when(remove('w-mon')).thenFails('WEEKLY_SHIFT_STARTED');
    shifts([booking('b1', '2026-11-25', '14:00', '14:30')])
      .given([afternoons])
      .when(remove('w-pm'))
      .thenFails('SHIFT_HAS_CONFIRMED_BOOKINGS');
    shifts().given([]).when(remove('w-pm')).thenFails('SHIFT_NOT_FOUND');
  });

  test('exceptions: skip a date the shift takes place on, and work it again', () => {
    const except = (date: string): ShiftCommand => ({
      type: 'AddShiftException',
      staffId: STAFF,
      shiftId: 'w-pm',
      date,
    });
    const exceptionAdded: ShiftEvent = {
      type: 'ShiftExceptionAdded',
      data: { staffId: STAFF, shiftId: 'w-pm', date: '2026-11-25' },
    };
    shifts().given([afternoons]).when(except('2026-11-25')).thenEmits([exceptionAdded]);
    shifts().given([afternoons, exceptionAdded]).when(except('2026-11-25')).thenEmits([]);
    shifts().given([afternoons]).when(except('2026-11-24')).thenFails('SHIFT_NOT_OCCURRING', 'date');
    shifts()
      .given([mondays])
      .when({ ...except('2026-11-16'), shiftId: 'w-mon' })
      .thenFails('SHIFT_DATE_PAST', 'date');
    const refused = shifts([booking('b3', '2026-11-25', '16:30', '17:00')])
      .given([afternoons])
      .when(except('2026-11-25'))
      .thenFails('SHIFT_HAS_CONFIRMED_BOOKINGS');
    expect(refused.details).toEqual({ bookingIds: ['b3'] });

    const restore: ShiftCommand = { type: 'RemoveShiftException', staffId: STAFF, shiftId: 'w-pm', date: '2026-11-25' };
    shifts()
      .given([afternoons, exceptionAdded])
      .when(restore)
      .thenEmits([{ type: 'ShiftExceptionRemoved', data: { staffId: STAFF, shiftId: 'w-pm', date: '2026-11-25' } }]);
    shifts().given([afternoons]).when(restore).thenEmits([]);
    // Working the date again may not overlap the one-off shift added on it meanwhile.
    shifts()
      .given([afternoons, exceptionAdded, added('s1', '2026-11-25', '15:00', '19:00')])
      .when(restore)
      .thenFails('SHIFT_OVERLAP');
  });
});
