import { describe, expect, test } from 'vitest';
import { MODERATION_SLA_HOURS, slaBreached, workingHoursBetween } from '../../domain/catalog/moderation-sla.js';

/** Wall-clock time in Ho Chi Minh City (UTC+7): 2026-11-20 is a Friday, 11-23 a Monday. */
const vn = (local: string) => new Date(`${local}:00+07:00`);

describe('moderation SLA: 4 working hours, Monday–Friday 08:00–17:00 Vietnam time', () => {
  test('hours inside one working day count fully', () => {
    expect(workingHoursBetween(vn('2026-11-23T09:00'), vn('2026-11-23T12:30'))).toBe(3.5);
    expect(workingHoursBetween(vn('2026-11-23T08:00'), vn('2026-11-23T17:00'))).toBe(9);
  });

  test('nights do not count, also across the UTC date line (07:00 Vietnam is 00:00 UTC)', () => {
    expect(workingHoursBetween(vn('2026-11-23T16:00'), vn('2026-11-24T09:00'))).toBe(2);
    expect(workingHoursBetween(vn('2026-11-23T20:00'), vn('2026-11-24T08:00'))).toBe(0);
    expect(workingHoursBetween(vn('2026-11-24T06:30'), vn('2026-11-24T10:00'))).toBe(2);
    expect(workingHoursBetween(vn('2026-11-23T20:00'), vn('2026-11-24T12:00'))).toBe(4);
  });

  test('weekends do not count', () => {
    expect(workingHoursBetween(vn('2026-11-20T16:00'), vn('2026-11-23T09:00'))).toBe(2);
    expect(workingHoursBetween(vn('2026-11-21T10:00'), vn('2026-11-22T23:00'))).toBe(0);
    expect(workingHoursBetween(vn('2026-11-20T08:00'), vn('2026-11-27T08:00'))).toBe(45);
  });

  test('no time, or time running backwards, is zero hours', () => {
    expect(workingHoursBetween(vn('2026-11-23T10:00'), vn('2026-11-23T10:00'))).toBe(0);
    expect(workingHoursBetween(vn('2026-11-23T11:00'), vn('2026-11-23T10:00'))).toBe(0);
  });

  test('breached only after more than 4 working hours: exactly 4 is on time', () => {
    expect(MODERATION_SLA_HOURS).toBe(4);
    const submitted = vn('2026-11-23T09:00');
    expect(slaBreached(submitted, vn('2026-11-23T13:00'))).toBe(false);
    expect(slaBreached(submitted, new Date(vn('2026-11-23T13:00').getTime() + 1000))).toBe(true);
    // Friday 15:00 + 2 h on Friday + 2 h on Monday = Monday 10:00.
    const friday = vn('2026-11-20T15:00');
    expect(slaBreached(friday, vn('2026-11-22T23:59'))).toBe(false);
    expect(slaBreached(friday, vn('2026-11-23T10:00'))).toBe(false);
    expect(slaBreached(friday, vn('2026-11-23T10:01'))).toBe(true);
    // Submitted at night: the clock starts at 08:00 the next working day.
    expect(slaBreached(vn('2026-11-23T22:00'), vn('2026-11-24T12:00'))).toBe(false);
    expect(slaBreached(vn('2026-11-23T22:00'), vn('2026-11-24T12:05'))).toBe(true);
  });
});
