import { describe, expect, test } from 'vitest';
import {
  availabilityWindows,
  fitsAvailability,
  type Interval,
  isoWeekDates,
  localDateOf,
  localDayBounds,
} from '../../domain/booking/availability.js';
import { occurrencesBetween } from '../../domain/booking/recurrence.js';
import {
  emptySchedule,
  type ProviderSchedule,
  type RecurringOffTime,
  type RecurringRule,
  type TimeRange,
} from '../../domain/booking/schedule.js';

const ranges = (...pairs: [string, string][]): TimeRange[] => pairs.map(([start, end]) => ({ start, end }));
const rule = (rrule: string, times: [string, string][], extra: Partial<RecurringRule> = {}): RecurringRule => ({
  id: 'rule-1',
  rrule,
  from: '2026-03-02',
  until: null,
  ranges: ranges(...times),
  exceptDates: [],
  ...extra,
});
const schedule = (extra: Partial<ProviderSchedule>, timeZone = 'Asia/Ho_Chi_Minh'): ProviderSchedule => ({
  ...emptySchedule(timeZone),
  ...extra,
});
const spans = (intervals: Interval[]) =>
  intervals.map(({ start, end }) => `${start.toISOString()}/${end.toISOString()}`);
const windowsOf = (given: ProviderSchedule, from: string, to: string) =>
  spans(availabilityWindows(given, new Date(from), new Date(to)));

/** The week of Monday 2026-03-02 in Asia/Ho_Chi_Minh (UTC+7). */
const WEEK = ['2026-03-01T17:00:00Z', '2026-03-08T17:00:00Z'] as const;
const monWed = rule('FREQ=WEEKLY;BYDAY=MO,WE', [['09:00', '12:00']]);

describe('availability windows in Asia/Ho_Chi_Minh (UTC+7, no DST)', () => {
  test('given a weekly MO,WE 09:00–12:00 rule, the week has two windows at 02:00–05:00 UTC', () => {
    expect(windowsOf(schedule({ rules: [monWed] }), ...WEEK)).toEqual([
      '2026-03-02T02:00:00.000Z/2026-03-02T05:00:00.000Z',
      '2026-03-04T02:00:00.000Z/2026-03-04T05:00:00.000Z',
    ]);
  });

  test('nothing before the rule starts or after its until; windows are clipped to the range', () => {
    const bounded = rule('FREQ=WEEKLY;BYDAY=MO,WE', [['09:00', '12:00']], { from: '2026-03-04', until: '2026-03-09' });
    expect(windowsOf(schedule({ rules: [bounded] }), '2026-03-01T17:00:00Z', '2026-03-15T17:00:00Z')).toEqual([
      '2026-03-04T02:00:00.000Z/2026-03-04T05:00:00.000Z',
      '2026-03-09T02:00:00.000Z/2026-03-09T05:00:00.000Z',
    ]);
    expect(windowsOf(schedule({ rules: [monWed] }), '2026-03-02T03:30:00Z', '2026-03-04T03:00:00Z')).toEqual([
      '2026-03-02T03:30:00.000Z/2026-03-02T05:00:00.000Z',
      '2026-03-04T02:00:00.000Z/2026-03-04T03:00:00.000Z',
    ]);
  });

  test('an override replaces the rules of its date, additions still add, an empty override closes the day', () => {
    const given = schedule({
      rules: [monWed],
      overrides: [
        { date: '2026-03-04', ranges: ranges(['14:00', '16:00']) },
        { date: '2026-03-02', ranges: [] },
      ],
      additions: [
        { id: 'a-1', date: '2026-03-04', ranges: ranges(['10:00', '11:00']) },
        { id: 'a-2', date: '2026-03-03', ranges: ranges(['18:00', '20:00']) },
      ],
    });
    expect(windowsOf(given, ...WEEK)).toEqual([
      '2026-03-03T11:00:00.000Z/2026-03-03T13:00:00.000Z',
      '2026-03-04T03:00:00.000Z/2026-03-04T04:00:00.000Z',
      '2026-03-04T07:00:00.000Z/2026-03-04T09:00:00.000Z',
    ]);
  });

  test('exceptDates skip an occurrence; overlapping and touching ranges of several rules merge', () => {
    const given = schedule({
      rules: [
        { ...monWed, exceptDates: ['2026-03-02'] },
        rule('FREQ=WEEKLY;BYDAY=WE', [['11:00', '13:00']], { id: 'rule-2' }),
        rule('FREQ=WEEKLY;BYDAY=WE', [['13:00', '14:00']], { id: 'rule-3' }),
      ],
    });
    expect(windowsOf(given, ...WEEK)).toEqual(['2026-03-04T02:00:00.000Z/2026-03-04T07:00:00.000Z']);
  });

  test('a range ending at 24:00 joins the next day’s range from 00:00 into one window', () => {
    const night = schedule({
      rules: [rule('FREQ=DAILY', [['20:00', '24:00']]), rule('FREQ=DAILY', [['00:00', '02:00']], { id: 'rule-2' })],
    });
    expect(windowsOf(night, '2026-03-02T12:00:00Z', '2026-03-03T12:00:00Z')).toEqual([
      '2026-03-02T13:00:00.000Z/2026-03-02T19:00:00.000Z',
    ]);
    expect(fitsAvailability(night, new Date('2026-03-02T16:30:00Z'), new Date('2026-03-02T17:30:00Z'))).toBe(true);
  });

  test('one-off time off cuts a window in two; a recurring daily lunch break cuts every day', () => {
    const offTime = { id: 'off-1', start: '2026-03-04T10:00:00+07:00', end: '2026-03-04T10:30:00+07:00', reason: null };
    const lunch: RecurringOffTime = {
      id: 'lunch',
      rrule: 'FREQ=DAILY',
      from: '2026-01-01',
      until: null,
      ranges: ranges(['11:30', '13:00']),
      reason: 'Nghỉ trưa',
    };
    expect(windowsOf(schedule({ rules: [monWed], offTimes: [offTime], recurringOffTimes: [lunch] }), ...WEEK)).toEqual([
      '2026-03-02T02:00:00.000Z/2026-03-02T04:30:00.000Z',
      '2026-03-04T02:00:00.000Z/2026-03-04T03:00:00.000Z',
      '2026-03-04T03:30:00.000Z/2026-03-04T04:30:00.000Z',
    ]);
  });

  test('a yearly holiday (2 September) with no ranges takes the whole local day off', () => {
    const weekdays = rule('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', [['09:00', '12:00']], { from: '2025-01-06' });
    const nationalDay: RecurringOffTime = {
      id: 'quoc-khanh',
      rrule: 'FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2',
      from: '2025-01-01',
      until: null,
      ranges: null,
      reason: 'Quốc khánh',
    };
    const given = schedule({ rules: [weekdays], recurringOffTimes: [nationalDay] });
    const week = windowsOf(given, '2026-08-31T17:00:00Z', '2026-09-04T17:00:00Z');
    expect(week).toEqual([
      '2026-09-01T02:00:00.000Z/2026-09-01T05:00:00.000Z',
      '2026-09-03T02:00:00.000Z/2026-09-03T05:00:00.000Z',
      '2026-09-04T02:00:00.000Z/2026-09-04T05:00:00.000Z',
    ]);
    expect(windowsOf(given, '2027-09-01T17:00:00Z', '2027-09-02T17:00:00Z')).toEqual([]);
  });

  test('rules begun long ago expand from their start: every other week, every other day', () => {
    const fortnightly = rule('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', [['09:00', '10:00']], { from: '2020-01-06' });
    const mondays = windowsOf(schedule({ rules: [fortnightly] }), '2026-03-01T17:00:00Z', '2026-03-29T17:00:00Z');
    // 2020-01-06 + 321 weeks = 2026-03-02 (321 is odd: skipped), then 03-09 and 03-23.
    expect(mondays).toEqual([
      '2026-03-09T02:00:00.000Z/2026-03-09T03:00:00.000Z',
      '2026-03-23T02:00:00.000Z/2026-03-23T03:00:00.000Z',
    ]);
    const everyOtherDay = { rrule: 'FREQ=DAILY;INTERVAL=2', from: '2026-01-01', until: null };
    expect(occurrencesBetween(everyOtherDay, '2026-03-01', '2026-03-06')).toEqual([
      '2026-03-02',
      '2026-03-04',
      '2026-03-06',
    ]);
    expect(occurrencesBetween({ ...everyOtherDay, rrule: 'FREQ=DAILY;COUNT=3' }, '2026-01-02', '2026-01-09')).toEqual([
      '2026-01-02',
      '2026-01-03',
    ]);
  });

  test('fitsAvailability: inside one window only', () => {
    const given = schedule({
      rules: [monWed],
      offTimes: [{ id: 'o', start: '2026-03-04T03:00:00Z', end: '2026-03-04T03:30:00Z', reason: null }],
    });
    const fits = (start: string, end: string) => fitsAvailability(given, new Date(start), new Date(end));
    expect(fits('2026-03-02T02:00:00Z', '2026-03-02T05:00:00Z')).toBe(true);
    expect(fits('2026-03-02T04:30:00Z', '2026-03-02T05:00:01Z')).toBe(false);
    expect(fits('2026-03-02T01:59:00Z', '2026-03-02T02:30:00Z')).toBe(false);
    expect(fits('2026-03-04T02:30:00Z', '2026-03-04T03:30:00Z')).toBe(false);
    expect(fits('2026-03-04T03:30:00Z', '2026-03-04T04:30:00Z')).toBe(true);
    expect(fits('2026-03-03T02:00:00Z', '2026-03-03T03:00:00Z')).toBe(false);
  });
});

describe('availability across DST in America/New_York', () => {
  const ny = (extra: Partial<ProviderSchedule>) => schedule(extra, 'America/New_York');
  const workdays = rule('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', [['09:00', '17:00']], { from: '2026-01-05' });

  test('09:00–17:00 stays 09:00 local: 14:00Z before the March change, 13:00Z after', () => {
    expect(windowsOf(ny({ rules: [workdays] }), '2026-03-06T05:00:00Z', '2026-03-10T04:00:00Z')).toEqual([
      '2026-03-06T14:00:00.000Z/2026-03-06T22:00:00.000Z',
      '2026-03-09T13:00:00.000Z/2026-03-09T21:00:00.000Z',
    ]);
  });

  test('and 13:00Z before the November change, 14:00Z after', () => {
    expect(windowsOf(ny({ rules: [workdays] }), '2026-10-30T04:00:00Z', '2026-11-03T05:00:00Z')).toEqual([
      '2026-10-30T13:00:00.000Z/2026-10-30T21:00:00.000Z',
      '2026-11-02T14:00:00.000Z/2026-11-02T22:00:00.000Z',
    ]);
  });

  test('on the spring-forward day a time in the 02:00–03:00 gap moves forward by the gap', () => {
    const sunday = (times: [string, string]) =>
      windowsOf(
        ny({ rules: [rule('FREQ=WEEKLY;BYDAY=SU', [times], { from: '2026-03-01' })] }),
        '2026-03-08T05:00:00Z',
        '2026-03-09T04:00:00Z',
      );
    expect(sunday(['01:00', '04:00'])).toEqual(['2026-03-08T06:00:00.000Z/2026-03-08T08:00:00.000Z']);
    expect(sunday(['02:30', '05:00'])).toEqual(['2026-03-08T07:30:00.000Z/2026-03-08T09:00:00.000Z']);
    expect(sunday(['02:00', '03:00'])).toEqual([]);
  });

  test('on the fall-back day 00:00–03:00 lasts four real hours; the local day lasts 25', () => {
    const night = ny({ rules: [rule('FREQ=WEEKLY;BYDAY=SU', [['00:00', '03:00']], { from: '2026-10-04' })] });
    expect(windowsOf(night, '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z')).toEqual([
      '2026-11-01T04:00:00.000Z/2026-11-01T08:00:00.000Z',
    ]);
    const day = localDayBounds('2026-11-01', 'America/New_York');
    expect((day.end.getTime() - day.start.getTime()) / 3_600_000).toBe(25);
  });
});

describe('local calendar helpers', () => {
  test('localDateOf reads the provider-local date', () => {
    expect(localDateOf(new Date('2026-03-01T17:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-03-02');
    expect(localDateOf(new Date('2026-03-01T16:59:59Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-03-01');
    expect(localDateOf(new Date('2026-03-09T03:00:00Z'), 'America/New_York')).toBe('2026-03-08');
    expect(() => localDateOf(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });

  test('localDayBounds: local midnight to the next; 23 hours on the spring-forward day', () => {
    const hcm = localDayBounds('2026-03-02', 'Asia/Ho_Chi_Minh');
    expect(spans([hcm])).toEqual(['2026-03-01T17:00:00.000Z/2026-03-02T17:00:00.000Z']);
    expect(spans([localDayBounds('2026-03-08', 'America/New_York')])).toEqual([
      '2026-03-08T05:00:00.000Z/2026-03-09T04:00:00.000Z',
    ]);
  });

  test('isoWeekDates: Monday to Sunday, across a year end', () => {
    expect(isoWeekDates('2026-03-04')).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
    ]);
    expect(isoWeekDates('2026-03-08')[0]).toBe('2026-03-02');
    expect(isoWeekDates('2026-03-09')[0]).toBe('2026-03-09');
    expect(isoWeekDates('2027-01-01')).toEqual([
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
    ]);
  });
});
