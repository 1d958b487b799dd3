import { describe, expect, test } from 'vitest';
import { validateSchedule, validateSlotPolicy } from '../../domain/booking/availability.js';
import { VIEWING_SLOT_POLICY } from '../../domain/booking/policy.js';
import { emptySchedule, type ProviderSchedule, type RecurringRule } from '../../domain/booking/schedule.js';

const rule = (extra: Partial<RecurringRule> = {}): RecurringRule => ({
  id: 'rule-1',
  rrule: 'FREQ=WEEKLY;BYDAY=MO,WE',
  from: '2026-03-02',
  until: null,
  ranges: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '17:00' },
  ],
  exceptDates: [],
  ...extra,
});
const valid = (): ProviderSchedule => ({
  ...emptySchedule(),
  rules: [rule()],
  overrides: [{ date: '2026-03-04', ranges: [] }],
  additions: [{ id: 'add-1', date: '2026-03-07', ranges: [{ start: '20:00', end: '24:00' }] }],
  offTimes: [{ id: 'off-1', start: '2026-03-09T10:00:00+07:00', end: '2026-03-09T11:00:00+07:00', reason: null }],
  recurringOffTimes: [
    {
      id: 'tet',
      rrule: 'FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2',
      from: '2026-01-01',
      until: null,
      ranges: null,
      reason: null,
    },
  ],
});
const problemOf = (change: (schedule: ProviderSchedule) => void) => {
  const schedule = valid();
  change(schedule);
  const problem = validateSchedule(schedule);
  return problem && { field: problem.field, code: problem.code };
};
const withRule = (extra: Partial<RecurringRule>) => problemOf((s) => s.rules.push(rule(extra)));

describe('validateSchedule', () => {
  test('a well-formed schedule passes, in any IANA zone', () => {
    expect(validateSchedule(valid())).toBeNull();
    expect(validateSchedule({ ...valid(), timeZone: 'Europe/Berlin' })).toBeNull();
    expect(validateSchedule(emptySchedule())).toBeNull();
  });

  test('an unknown time zone is refused, with a Vietnamese message', () => {
    const problem = validateSchedule({ ...valid(), timeZone: 'Mars/Olympus' });
    expect(problem).toMatchObject({ field: 'timeZone', code: 'SCHEDULE_TIME_ZONE_INVALID' });
    expect(problem?.message).toContain('Múi giờ');
    expect(problemOf((s) => Object.assign(s, { timeZone: '' }))?.code).toBe('SCHEDULE_TIME_ZONE_INVALID');
    expect(problemOf((s) => Object.assign(s, { timeZone: 'UTC+7' }))?.code).toBe('SCHEDULE_TIME_ZONE_INVALID');
  });

  test('times are HH:mm, end may be 24:00, start before end, ranges do not overlap', () => {
    const ranges = (pairs: [string, string][]) => withRule({ ranges: pairs.map(([start, end]) => ({ start, end })) });
    expect(ranges([['9:00', '12:00']])).toEqual({ field: 'rules.1.ranges.0.start', code: 'SCHEDULE_TIME_INVALID' });
    expect(ranges([['24:00', '24:00']])).toEqual({ field: 'rules.1.ranges.0.start', code: 'SCHEDULE_TIME_INVALID' });
    expect(ranges([['09:00', '24:30']])).toEqual({ field: 'rules.1.ranges.0.end', code: 'SCHEDULE_TIME_INVALID' });
    expect(ranges([['22:00', '24:00']])).toBeNull();
    expect(ranges([['10:00', '10:00']])).toEqual({ field: 'rules.1.ranges.0.end', code: 'SCHEDULE_RANGE_EMPTY' });
    expect(
      ranges([
        ['09:00', '12:00'],
        ['13:00', '14:00'],
        ['11:00', '12:30'],
      ]),
    ).toEqual({ field: 'rules.1.ranges.2.start', code: 'SCHEDULE_RANGES_OVERLAP' });
    expect(
      ranges([
        ['09:00', '12:00'],
        ['12:00', '13:00'],
      ]),
    ).toBeNull();
    expect(ranges([])).toEqual({ field: 'rules.1.ranges', code: 'SCHEDULE_RANGES_EMPTY' });
  });

  test('RRULEs parse, repeat daily to yearly, and take their start and end from from/until only', () => {
    const rrule = (value: string) => withRule({ rrule: value })?.code ?? null;
    expect(rrule('FREQ=DAILY;INTERVAL=2')).toBeNull();
    expect(rrule('FREQ=MONTHLY;BYDAY=-1FR')).toBeNull();
    expect(rrule('FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;COUNT=5')).toBeNull();
    expect(withRule({ rrule: 'FREQ=HOURLY' })).toEqual({
      field: 'rules.1.rrule',
      code: 'SCHEDULE_RRULE_FREQ_UNSUPPORTED',
    });
    expect(rrule('FREQ=WEEKLY;DTSTART=20260101T000000Z')).toBe('SCHEDULE_RRULE_PART_NOT_ALLOWED');
    expect(rrule('FREQ=WEEKLY;UNTIL=20261231')).toBe('SCHEDULE_RRULE_PART_NOT_ALLOWED');
    expect(rrule('FREQ=DAILY;BYHOUR=9')).toBe('SCHEDULE_RRULE_PART_NOT_ALLOWED');
    expect(rrule('FREQ=WEEKLY;BYMONTHDAY=3')).toBe('SCHEDULE_RRULE_PART_NOT_ALLOWED');
    for (const bad of ['', 'garbage', 'FREQ=WEEKLY;BYDAY=XX', 'FREQ=WEEKLY;BYDAY=1MO', 'FREQ=MONTHLY;BYMONTHDAY=32']) {
      expect(rrule(bad)).toBe('SCHEDULE_RRULE_INVALID');
    }
    expect(rrule('FREQ=WEEKLY;INTERVAL=0')).toBe('SCHEDULE_RRULE_INVALID');
    expect(rrule('FREQ=WEEKLY;FREQ=DAILY')).toBe('SCHEDULE_RRULE_INVALID');
  });

  test('a rule that can never occur is refused (it would make rrule search to the year 9999)', () => {
    const rrule = (value: string, from = '2026-03-02') => withRule({ rrule: value, from })?.code ?? null;
    expect(rrule('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30')).toBe('SCHEDULE_RRULE_NEVER_OCCURS');
    expect(rrule('FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=20')).toBe('SCHEDULE_RRULE_NEVER_OCCURS');
    // 2026-03-02 is a Monday: every 7 days is always a Monday.
    expect(rrule('FREQ=DAILY;INTERVAL=7;BYDAY=TU')).toBe('SCHEDULE_RRULE_NEVER_OCCURS');
    expect(rrule('FREQ=DAILY;INTERVAL=7;BYDAY=MO')).toBeNull();
    expect(rrule('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29')).toBeNull();
    expect(rrule('FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29', '2026-01-01')).toBe('SCHEDULE_RRULE_NEVER_OCCURS');
    expect(rrule('FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29', '2028-01-01')).toBeNull();
  });

  test('dates are real dates; until not before from', () => {
    expect(withRule({ from: '2026-02-30' })).toEqual({ field: 'rules.1.from', code: 'SCHEDULE_DATE_INVALID' });
    expect(withRule({ until: '2026-3-9' })).toEqual({ field: 'rules.1.until', code: 'SCHEDULE_DATE_INVALID' });
    expect(withRule({ until: '2026-03-01' })).toEqual({ field: 'rules.1.until', code: 'SCHEDULE_UNTIL_BEFORE_FROM' });
    expect(withRule({ until: '2026-03-02' })).toBeNull();
    expect(withRule({ exceptDates: ['2026-03-04', 'tomorrow'] })).toEqual({
      field: 'rules.1.exceptDates.1',
      code: 'SCHEDULE_DATE_INVALID',
    });
  });

  test('overrides: one per date, may be empty; additions need a range', () => {
    expect(
      problemOf((s) => s.overrides.push({ date: '2026-03-04', ranges: [{ start: '09:00', end: '10:00' }] })),
    ).toEqual({ field: 'overrides.1.date', code: 'SCHEDULE_OVERRIDE_DUPLICATE' });
    expect(problemOf((s) => s.overrides.push({ date: '2026-13-01', ranges: [] }))).toEqual({
      field: 'overrides.1.date',
      code: 'SCHEDULE_DATE_INVALID',
    });
    expect(problemOf((s) => s.additions.push({ id: 'a', date: '2026-03-10', ranges: [] }))).toEqual({
      field: 'additions.1.ranges',
      code: 'SCHEDULE_RANGES_EMPTY',
    });
  });

  test('off-times: ISO instants with an offset, start before end; recurring ones like rules', () => {
    const off = (start: string, end: string) =>
      problemOf((s) => s.offTimes.push({ id: 'o', start, end, reason: null }));
    expect(off('2026-03-09T10:00:00', '2026-03-09T11:00:00Z')).toEqual({
      field: 'offTimes.1.start',
      code: 'SCHEDULE_INSTANT_INVALID',
    });
    expect(off('2026-03-09T10:00:00Z', '2026-02-30T11:00:00Z')).toEqual({
      field: 'offTimes.1.end',
      code: 'SCHEDULE_INSTANT_INVALID',
    });
    expect(off('2026-03-09T11:00:00Z', '2026-03-09T18:00:00+07:00')).toEqual({
      field: 'offTimes.1.end',
      code: 'SCHEDULE_OFF_TIME_EMPTY',
    });
    expect(
      problemOf((s) => {
        const recurring = s.recurringOffTimes[0];
        if (recurring) recurring.ranges = [{ start: '12:00', end: '11:00' }];
      }),
    ).toEqual({ field: 'recurringOffTimes.0.ranges.0.end', code: 'SCHEDULE_RANGE_EMPTY' });
    expect(
      problemOf((s) => {
        const recurring = s.recurringOffTimes[0];
        if (recurring) recurring.rrule = 'FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2;DTSTART=20260101';
      }),
    ).toEqual({ field: 'recurringOffTimes.0.rrule', code: 'SCHEDULE_RRULE_PART_NOT_ALLOWED' });
  });
});

describe('validateSlotPolicy', () => {
  test('whole minutes within bounds; limits null or at least 1', () => {
    expect(validateSlotPolicy(VIEWING_SLOT_POLICY)).toBeNull();
    expect(validateSlotPolicy({ ...VIEWING_SLOT_POLICY, durationMinutes: 0 })?.field).toBe('durationMinutes');
    expect(validateSlotPolicy({ ...VIEWING_SLOT_POLICY, stepMinutes: 7.5 })?.field).toBe('stepMinutes');
    expect(validateSlotPolicy({ ...VIEWING_SLOT_POLICY, bufferAfterMinutes: -5 })?.field).toBe('bufferAfterMinutes');
    expect(validateSlotPolicy({ ...VIEWING_SLOT_POLICY, dailyLimit: 0 })).toMatchObject({
      field: 'dailyLimit',
      code: 'SLOT_POLICY_INVALID',
    });
    expect(validateSlotPolicy({ ...VIEWING_SLOT_POLICY, weeklyLimit: 10 })).toBeNull();
  });
});
