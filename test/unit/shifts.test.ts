import { describe, expect, test } from 'vitest';
import type { ShiftEvent } from '../../domain/booking/shift-events.js';
import type { ShiftCommand } from '../../domain/booking/shifts.js';
import { add, added, booking, mondays, STAFF, shifts, weeklyAdded } from '../support/shift-fixtures.js';

// The clock (testContext): Sunday 2026-11-22, 10:00 in Asia/Ho_Chi_Minh. Monday 23, Tuesday 24 follow.
describe('one-off shifts', () => {
  test('adds a shift; areas deduplicated (empty = the profile areas); today is allowed', () => {
    shifts()
      .given([])
      .when(add('s1', '2026-11-23', '08:00', '12:00', ['q1', 'q1', 'q3']))
      .thenEmits([added('s1', '2026-11-23', '08:00', '12:00', ['q1', 'q3'])]);
    shifts()
      .given([])
      .when(add('s1', '2026-11-22', '13:00', '24:00'))
      .thenEmits([added('s1', '2026-11-22', '13:00', '24:00')]);
  });

  test('refuses bad times, bad or past dates, a reused id and too many areas, naming the field', () => {
    shifts()
      .given([])
      .when(add('s1', '2026-11-23', '8:00', '12:00'))
      .thenFails('SHIFT_TIME_INVALID', 'start');
    shifts()
      .given([])
      .when(add('s1', '2026-11-23', '24:00', '24:00'))
      .thenFails('SHIFT_TIME_INVALID', 'start');
    shifts()
      .given([])
      .when(add('s1', '2026-11-23', '08:00', '12:60'))
      .thenFails('SHIFT_TIME_INVALID', 'end');
    shifts()
      .given([])
      .when(add('s1', '2026-11-23', '12:00', '12:00'))
      .thenFails('SHIFT_TIME_RANGE', 'end');
    shifts()
      .given([])
      .when(add('s1', '2026-11-23', '14:00', '09:00'))
      .thenFails('SHIFT_TIME_RANGE', 'end');
    shifts()
      .given([])
      .when(add('s1', '2026-02-30', '08:00', '12:00'))
      .thenFails('SHIFT_DATE_INVALID', 'date');
    shifts()
      .given([])
      .when(add('s1', '2026-11-21', '08:00', '12:00'))
      .thenFails('SHIFT_DATE_PAST', 'date');
    const removed: ShiftEvent = { type: 'ShiftRemoved', data: { staffId: STAFF, shiftId: 's1', date: '2026-11-23' } };
    shifts()
      .given([added('s1', '2026-11-23', '08:00', '12:00'), removed])
      .when(add('s1', '2026-11-24', '08:00', '12:00'))
      .thenFails('SHIFT_EXISTS');
    const many = Array.from({ length: 101 }, (_, i) => `a${i}`);
    shifts()
      .given([])
      .when(add('s1', '2026-11-23', '08:00', '12:00', many))
      .thenFails('TOO_MANY_AREAS', 'areaIds');
  });

  test('no two one-off shifts of a person overlap on a date; touching is fine', () => {
    const morning = added('s1', '2026-11-23', '08:00', '12:00');
    const refused = shifts()
      .given([morning])
      .when(add('s2', '2026-11-23', '11:00', '15:00'))
      .thenFails('SHIFT_OVERLAP');
    expect(refused.status).toBe(409);
    expect(refused.details).toEqual({ shiftId: 's1', date: '2026-11-23' });
    shifts()
      .given([morning])
      .when(add('s2', '2026-11-23', '07:00', '08:30'))
      .thenFails('SHIFT_OVERLAP');
    shifts()
      .given([morning])
      .when(add('s2', '2026-11-23', '09:00', '10:00'))
      .thenFails('SHIFT_OVERLAP');
    shifts()
      .given([morning])
      .when(add('s2', '2026-11-23', '12:00', '17:00'))
      .thenEmits([added('s2', '2026-11-23', '12:00', '17:00')]);
    shifts()
      .given([morning])
      .when(add('s2', '2026-11-24', '08:00', '12:00'))
      .thenEmits([added('s2', '2026-11-24', '08:00', '12:00')]);
  });

  test('a one-off shift may not overlap an occurrence of a weekly shift, except on its exception dates', () => {
    const refused = shifts()
      .given([mondays])
      .when(add('s1', '2026-11-30', '11:00', '13:00'))
      .thenFails('SHIFT_OVERLAP');
    expect(refused.details).toEqual({ shiftId: 'w-mon', date: '2026-11-30' });
    shifts()
      .given([mondays])
      .when(add('s1', '2026-12-01', '09:00', '11:00'))
      .thenEmits([added('s1', '2026-12-01', '09:00', '11:00')]);
    const excepted: ShiftEvent = {
      type: 'ShiftExceptionAdded',
      data: { staffId: STAFF, shiftId: 'w-mon', date: '2026-11-30' },
    };
    shifts()
      .given([mondays, excepted])
      .when(add('s1', '2026-11-30', '09:00', '11:00'))
      .thenEmits([added('s1', '2026-11-30', '09:00', '11:00')]);
    const ended = weeklyAdded('w-old', ['MO'], '08:00', '12:00', '2026-11-23', '2026-11-23');
    shifts()
      .given([ended])
      .when(add('s1', '2026-11-30', '09:00', '11:00'))
      .thenEmits([added('s1', '2026-11-30', '09:00', '11:00')]);
    const later = weeklyAdded('w-later', ['MO'], '08:00', '12:00', '2026-12-07');
    shifts()
      .given([later])
      .when(add('s1', '2026-11-30', '09:00', '11:00'))
      .thenEmits([added('s1', '2026-11-30', '09:00', '11:00')]);
  });

  test('change: new values with the previous ones; nothing when unchanged; overlap and past refused', () => {
    const morning = added('s1', '2026-11-23', '08:00', '12:00');
    shifts()
      .given([morning])
      .when({ type: 'ChangeShift', staffId: STAFF, shiftId: 's1', end: '11:00', areaIds: ['q1'] })
      .thenEmits([
        {
          type: 'ShiftChanged',
          data: {
            staffId: STAFF,
            shiftId: 's1',
            date: '2026-11-23',
            start: '08:00',
            end: '11:00',
            areaIds: ['q1'],
            previous: { date: '2026-11-23', start: '08:00', end: '12:00', areaIds: [] },
          },
        },
      ]);
    shifts()
      .given([morning])
      .when({ type: 'ChangeShift', staffId: STAFF, shiftId: 's1', start: '08:00' })
      .thenEmits([]);
    shifts()
      .given([morning, added('s2', '2026-11-23', '13:00', '17:00')])
      .when({ type: 'ChangeShift', staffId: STAFF, shiftId: 's1', end: '14:00' })
      .thenFails('SHIFT_OVERLAP');
    shifts()
      .given([morning, added('s2', '2026-11-24', '08:00', '12:00')])
      .when({ type: 'ChangeShift', staffId: STAFF, shiftId: 's1', date: '2026-11-24' })
      .thenFails('SHIFT_OVERLAP');
    shifts()
      .given([morning])
      .when({ type: 'ChangeShift', staffId: STAFF, shiftId: 's1', date: '2026-11-20' })
      .thenFails('SHIFT_DATE_PAST', 'date');
    shifts()
      .given([added('old', '2026-11-20', '08:00', '12:00')])
      .when({ type: 'ChangeShift', staffId: STAFF, shiftId: 'old', end: '11:00' })
      .thenFails('SHIFT_IN_PAST');
    shifts()
      .given([])
      .when({ type: 'ChangeShift', staffId: STAFF, shiftId: 'nope', end: '11:00' })
      .thenFails('SHIFT_NOT_FOUND');
  });

  test('remove; a past shift stays', () => {
    shifts()
      .given([added('s1', '2026-11-23', '08:00', '12:00')])
      .when({ type: 'RemoveShift', staffId: STAFF, shiftId: 's1' })
      .thenEmits([{ type: 'ShiftRemoved', data: { staffId: STAFF, shiftId: 's1', date: '2026-11-23' } }]);
    shifts()
      .given([added('old', '2026-11-21', '08:00', '12:00')])
      .when({ type: 'RemoveShift', staffId: STAFF, shiftId: 'old' })
      .thenFails('SHIFT_IN_PAST');
    shifts().given([]).when({ type: 'RemoveShift', staffId: STAFF, shiftId: 's1' }).thenFails('SHIFT_NOT_FOUND');
  });

  test('a shift with a confirmed booking is not removed, moved or shrunk under it', () => {
    const morning = added('s1', '2026-11-23', '08:00', '12:00');
    const viewing = booking('b1', '2026-11-23', '10:30', '11:00');
    const remove: ShiftCommand = { type: 'RemoveShift', staffId: STAFF, shiftId: 's1' };
    const refused = shifts([viewing]).given([morning]).when(remove).thenFails('SHIFT_HAS_CONFIRMED_BOOKINGS');
    expect(refused.status).toBe(409);
    expect(refused.details).toEqual({ bookingIds: ['b1'] });
    shifts([viewing])
      .given([morning])
      .when({ type: 'ChangeShift', staffId: STAFF, shiftId: 's1', end: '10:45' })
      .thenFails('SHIFT_HAS_CONFIRMED_BOOKINGS');
    shifts([viewing])
      .given([morning])
      .when({ type: 'ChangeShift', staffId: STAFF, shiftId: 's1', date: '2026-11-24' })
      .thenFails('SHIFT_HAS_CONFIRMED_BOOKINGS');
    // Shrinking around it, or a booking the shift never covered, is fine.
    shifts([viewing])
      .given([morning])
      .when({ type: 'ChangeShift', staffId: STAFF, shiftId: 's1', start: '10:30', end: '11:00' })
      .thenEmits([
        {
          type: 'ShiftChanged',
          data: {
            staffId: STAFF,
            shiftId: 's1',
            date: '2026-11-23',
            start: '10:30',
            end: '11:00',
            areaIds: [],
            previous: { date: '2026-11-23', start: '08:00', end: '12:00', areaIds: [] },
          },
        },
      ]);
    shifts([booking('b2', '2026-11-23', '12:00', '12:30')])
      .given([morning])
      .when(remove)
      .thenEmits([{ type: 'ShiftRemoved', data: { staffId: STAFF, shiftId: 's1', date: '2026-11-23' } }]);
  });
});
