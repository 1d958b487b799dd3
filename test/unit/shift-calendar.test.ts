import { describe, expect, test } from 'vitest';
import {
  effectiveAreaIds,
  occurrenceDates,
  patternOfWeekly,
  shiftAt,
  shiftCovering,
  staffSchedule,
} from '../../domain/booking/shift-calendar.js';
import type { OneOffShift, WeeklyShift } from '../../domain/booking/shift-events.js';
import { bookingPeriod, shiftsDecider } from '../../domain/booking/shifts.js';
import { fold } from '../../domain/shared/decider.js';

const at = (date: string, time: string) => new Date(`${date}T${time}:00+07:00`);
const oneOff: OneOffShift = { id: 's1', date: '2026-11-24', start: '13:00', end: '17:00', areaIds: ['q3'] };
const weekly: WeeklyShift = {
  id: 'w1',
  weekdays: ['MO', 'WE'],
  start: '08:00',
  end: '12:00',
  from: '2026-11-23',
  until: '2026-12-31',
  areaIds: [],
  exceptDates: ['2026-11-25'],
};
const set = { shifts: [oneOff], weekly: [weekly] };

describe('shift calendar', () => {
  test('the slot engine schedule: one-off shifts as additions, weekly shifts as weekly rules', () => {
    expect(staffSchedule(set)).toEqual({
      timeZone: 'Asia/Ho_Chi_Minh',
      rules: [
        {
          id: 'w1',
          rrule: 'FREQ=WEEKLY;BYDAY=MO,WE',
          from: '2026-11-23',
          until: '2026-12-31',
          ranges: [{ start: '08:00', end: '12:00' }],
          exceptDates: ['2026-11-25'],
        },
      ],
      overrides: [],
      additions: [{ id: 's1', date: '2026-11-24', ranges: [{ start: '13:00', end: '17:00' }] }],
      offTimes: [],
      recurringOffTimes: [],
    });
  });

  test('the decider state maps the same way as read rows', () => {
    const state = fold(shiftsDecider, [
      {
        type: 'ShiftAdded',
        data: { staffId: 'x', shiftId: 's1', date: '2026-11-24', start: '13:00', end: '17:00', areaIds: ['q3'] },
      },
      {
        type: 'WeeklyShiftAdded',
        data: { staffId: 'x', shiftId: 'w1', ...weekly, exceptDates: [], continues: null },
      },
      { type: 'ShiftExceptionAdded', data: { staffId: 'x', shiftId: 'w1', date: '2026-11-25' } },
    ]);
    expect(staffSchedule(state)).toEqual(staffSchedule(set));
  });

  test('occurrence dates skip other weekdays, exceptions and dates outside the range', () => {
    expect(occurrenceDates(patternOfWeekly(weekly), '2026-11-20', '2026-12-03')).toEqual([
      '2026-11-23',
      '2026-11-30',
      '2026-12-02',
    ]);
    expect(occurrenceDates(patternOfWeekly(weekly), '2026-12-28', '2027-01-10')).toEqual(['2026-12-28', '2026-12-30']);
  });

  test('shiftAt: the shift an instant falls in, [start, end), in Asia/Ho_Chi_Minh', () => {
    expect(shiftAt(set, at('2026-11-23', '08:00'))).toEqual({ shiftId: 'w1', areaIds: [] });
    expect(shiftAt(set, new Date('2026-11-23T04:59:00Z'))).toEqual({ shiftId: 'w1', areaIds: [] });
    expect(shiftAt(set, at('2026-11-23', '12:00'))).toBeNull();
    expect(shiftAt(set, at('2026-11-25', '09:00'))).toBeNull(); // an exception date
    expect(shiftAt(set, at('2026-11-24', '16:59'))).toEqual({ shiftId: 's1', areaIds: ['q3'] });
    expect(shiftAt(set, at('2027-01-04', '09:00'))).toBeNull(); // after until
  });

  test('a viewing must lie inside one shift', () => {
    expect(shiftCovering(set, at('2026-11-24', '16:30'), at('2026-11-24', '17:00'))).toEqual({
      shiftId: 's1',
      areaIds: ['q3'],
    });
    expect(shiftCovering(set, at('2026-11-24', '16:45'), at('2026-11-24', '17:15'))).toBeNull();
    expect(shiftCovering(set, at('2026-11-30', '07:45'), at('2026-11-30', '08:15'))).toBeNull();
  });

  test('empty shift areas mean the profile areas', () => {
    expect(effectiveAreaIds([], ['q1', 'q2'])).toEqual(['q1', 'q2']);
    expect(effectiveAreaIds(['q3'], ['q1', 'q2'])).toEqual(['q3']);
  });

  test('bookingPeriod: what the bookings port is asked for', () => {
    const state = fold(shiftsDecider, [
      {
        type: 'ShiftAdded',
        data: { staffId: 'x', shiftId: 's1', date: '2026-11-24', start: '13:00', end: '17:00', areaIds: [] },
      },
      {
        type: 'WeeklyShiftAdded',
        data: { staffId: 'x', shiftId: 'w1', ...weekly, from: '2026-11-02', until: null, continues: null },
      },
    ]);
    const now = new Date('2026-11-22T03:00:00Z');
    const add = {
      type: 'AddShift' as const,
      staffId: 'x',
      shiftId: 's2',
      date: '2026-11-25',
      start: '08:00',
      end: '09:00',
      areaIds: [],
    };
    expect(bookingPeriod(add, state, now)).toBeNull();
    expect(bookingPeriod({ type: 'RemoveShift', staffId: 'x', shiftId: 's1' }, state, now)).toEqual({
      from: new Date('2026-11-23T17:00:00Z'),
      to: new Date('2026-11-24T17:00:00Z'),
    });
    const period = bookingPeriod(
      { type: 'EndWeeklyShift', staffId: 'x', shiftId: 'w1', until: '2026-12-01' },
      state,
      now,
    );
    expect(period?.from).toEqual(new Date('2026-11-21T17:00:00Z')); // today, not the shift's first day
    expect(period?.to.getUTCFullYear()).toBe(9999);
  });
});
