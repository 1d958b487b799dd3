import { describe, expect, test } from 'vitest';
import { expertDecider } from '../../domain/booking/expert.js';
import { DEFAULT_BOOKING_SETTINGS, slotPolicyOf } from '../../domain/booking/expert-events.js';
import type { RecurringOffTime, RecurringRule } from '../../domain/booking/schedule.js';
import { fold } from '../../domain/shared/decider.js';
import { created, EXPERT, event, expert, onlineService, serviceAdded } from '../support/experts.js';

const { active: _, ...newService } = onlineService;
const addService = (changes: Partial<typeof newService> = {}) => ({
  type: 'AddExpertService' as const,
  expertId: EXPERT,
  service: { ...newService, ...changes },
});

describe('expert services', () => {
  test('the first service starts the stream; online sessions keep no address', () => {
    expert()
      .given([])
      .when(addService({ address: 'ignored' }))
      .thenEmits([created, serviceAdded]);
    expert().given([created, serviceAdded]).when(addService()).thenEmits([]);
  });

  test('an offline service needs an address', () => {
    const offline = { ...onlineService, id: 'svc-2', name: 'Gặp trực tiếp', mode: 'offline' as const };
    expert()
      .given([created])
      .when(addService({ ...offline, address: ' 12 Lê Lợi, Quận 1 ' }))
      .thenEmits([event('ExpertServiceAdded', { service: { ...offline, address: '12 Lê Lợi, Quận 1' } })]);
    expert()
      .given([created])
      .when(addService({ ...offline, address: null }))
      .thenFails('ADDRESS_REQUIRED', 'address');
    expert()
      .given([created])
      .when(addService({ ...offline, address: '  ' }))
      .thenFails('ADDRESS_REQUIRED', 'address');
  });

  test('duration 15–480 in steps of 5, integer fee ≥ 0, a name, a known mode', () => {
    const cases: [Partial<typeof newService>, string, string][] = [
      [{ durationMinutes: 10 }, 'NUMBER_OUT_OF_RANGE', 'durationMinutes'],
      [{ durationMinutes: 485 }, 'NUMBER_OUT_OF_RANGE', 'durationMinutes'],
      [{ durationMinutes: 47 }, 'NUMBER_OUT_OF_RANGE', 'durationMinutes'],
      [{ feeVnd: -1 }, 'NUMBER_OUT_OF_RANGE', 'feeVnd'],
      [{ feeVnd: 1000.5 }, 'NUMBER_OUT_OF_RANGE', 'feeVnd'],
      [{ name: ' ' }, 'FIELD_REQUIRED', 'name'],
      [{ description: 'x'.repeat(2001) }, 'FIELD_TOO_LONG', 'description'],
      [{ mode: 'phone' as 'online' }, 'SERVICE_MODE_INVALID', 'mode'],
    ];
    for (const [changes, code, field] of cases)
      expert().given([created]).when(addService(changes)).thenFails(code, field);
    expert()
      .given([created])
      .when(addService({ feeVnd: 0, durationMinutes: 480 }))
      .thenEmits([event('ExpertServiceAdded', { service: { ...onlineService, feeVnd: 0, durationMinutes: 480 } })]);
  });

  test('service names are unique per expert (accents and case aside); at most 30 services', () => {
    const clash = expert()
      .given([created, serviceAdded])
      .when(addService({ id: 'svc-2', name: 'TU VAN HOP DONG 60 PHUT' }))
      .thenFails('SERVICE_NAME_TAKEN', 'name');
    expect(clash.status).toBe(409);
    const many = Array.from({ length: 30 }, (_, i) =>
      event('ExpertServiceAdded', { service: { ...onlineService, id: `s${i}`, name: `Dịch vụ ${i}` } }),
    );
    expert()
      .given([created, ...many])
      .when(addService({ id: 'x', name: 'Mới' }))
      .thenFails('SERVICE_LIMIT');
  });

  test('changing a service records it whole; no change is nothing; checks apply; unknown is 404', () => {
    const change = (changes: Record<string, unknown>, serviceId = 'svc-1') => ({
      type: 'ChangeExpertService' as const,
      expertId: EXPERT,
      serviceId,
      changes,
    });
    expert()
      .given([created, serviceAdded])
      .when(change({ feeVnd: 600_000, durationMinutes: 90 }))
      .thenEmits([
        event('ExpertServiceChanged', { service: { ...onlineService, feeVnd: 600_000, durationMinutes: 90 } }),
      ]);
    expert()
      .given([created, serviceAdded])
      .when(change({ feeVnd: 500_000 }))
      .thenEmits([]);
    expert()
      .given([created, serviceAdded])
      .when(change({ mode: 'offline' }))
      .thenFails('ADDRESS_REQUIRED', 'address');
    expert()
      .given([created, serviceAdded])
      .when(change({ durationMinutes: 7 }))
      .thenFails('NUMBER_OUT_OF_RANGE');
    expert()
      .given([created, serviceAdded])
      .when(change({ feeVnd: 1 }, 'nope'))
      .thenFails('SERVICE_NOT_FOUND');
  });

  test('deactivate and reactivate are idempotent; unknown is 404', () => {
    const toggle = (type: 'DeactivateExpertService' | 'ReactivateExpertService', serviceId = 'svc-1') => ({
      type,
      expertId: EXPERT,
      serviceId,
    });
    const off = event('ExpertServiceDeactivated', { serviceId: 'svc-1' });
    expert().given([created, serviceAdded]).when(toggle('DeactivateExpertService')).thenEmits([off]);
    expert().given([created, serviceAdded, off]).when(toggle('DeactivateExpertService')).thenEmits([]);
    expert()
      .given([created, serviceAdded, off])
      .when(toggle('ReactivateExpertService'))
      .thenEmits([event('ExpertServiceReactivated', { serviceId: 'svc-1' })]);
    expert().given([created, serviceAdded]).when(toggle('ReactivateExpertService')).thenEmits([]);
    expert().given([created]).when(toggle('DeactivateExpertService', 'nope')).thenFails('SERVICE_NOT_FOUND');
    expect(fold(expertDecider, [created, serviceAdded, off]).services[0]?.active).toBe(false);
  });
});

describe('expert booking settings', () => {
  const settings = { ...DEFAULT_BOOKING_SETTINGS, autoConfirm: true, bufferAfterMinutes: 15, dailyLimit: 4 };
  const change = (changes: Partial<typeof settings>) => ({
    type: 'ChangeExpertBookingSettings' as const,
    expertId: EXPERT,
    settings: { ...settings, ...changes },
  });

  test('records the settings; the schedule follows the time zone; the same settings again are nothing', () => {
    expert()
      .given([created])
      .when(change({}))
      .thenEmits([event('ExpertBookingSettingsChanged', { settings })]);
    const moved = event('ExpertBookingSettingsChanged', { settings: { ...settings, timeZone: 'Asia/Tokyo' } });
    expect(fold(expertDecider, [created, moved]).schedule.timeZone).toBe('Asia/Tokyo');
    expert()
      .given([created, moved])
      .when(change({ timeZone: 'Asia/Tokyo' }))
      .thenEmits([]);
  });

  test('defaults: Asia/Ho_Chi_Minh, manual confirmation, 120 min notice, 60 days ahead, 30 min steps', () => {
    expect(fold(expertDecider, []).settings).toEqual({
      timeZone: 'Asia/Ho_Chi_Minh',
      autoConfirm: false,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 120,
      bookingWindowDays: 60,
      dailyLimit: null,
      weeklyLimit: null,
      stepMinutes: 30,
    });
    expect(slotPolicyOf(settings, { durationMinutes: 45 })).toMatchObject({
      durationMinutes: 45,
      bufferAfterMinutes: 15,
      dailyLimit: 4,
    });
  });

  test('refuses an unknown time zone and numbers out of range, naming them', () => {
    const cases: [Partial<typeof settings>, string, string][] = [
      [{ timeZone: 'Mars/Olympus' }, 'TIME_ZONE_INVALID', 'timeZone'],
      [{ bufferBeforeMinutes: 7 }, 'NUMBER_OUT_OF_RANGE', 'bufferBeforeMinutes'],
      [{ bufferAfterMinutes: 245 }, 'NUMBER_OUT_OF_RANGE', 'bufferAfterMinutes'],
      [{ minimumNoticeMinutes: -5 }, 'NUMBER_OUT_OF_RANGE', 'minimumNoticeMinutes'],
      [{ bookingWindowDays: 0 }, 'NUMBER_OUT_OF_RANGE', 'bookingWindowDays'],
      [{ stepMinutes: 0 }, 'NUMBER_OUT_OF_RANGE', 'stepMinutes'],
      [{ stepMinutes: 12 }, 'NUMBER_OUT_OF_RANGE', 'stepMinutes'],
      [{ dailyLimit: 0 }, 'NUMBER_OUT_OF_RANGE', 'dailyLimit'],
      [{ weeklyLimit: 2 }, 'WEEKLY_LIMIT_BELOW_DAILY', 'weeklyLimit'],
    ];
    for (const [changes, code, field] of cases) expert().given([created]).when(change(changes)).thenFails(code, field);
  });
});

describe('expert availability', () => {
  const weekdays: RecurringRule = {
    id: 'r1',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
    from: '2026-12-01',
    until: null,
    ranges: [
      { start: '09:00', end: '12:00' },
      { start: '14:00', end: '17:00' },
    ],
    exceptDates: [],
  };
  const replace = (rules: RecurringRule[]) => ({ type: 'ReplaceExpertWeeklyRules' as const, expertId: EXPERT, rules });
  const rulesSet = event('ExpertWeeklyRulesReplaced', { rules: [weekdays] });

  test('replaces the weekly rules; the same rules again are nothing', () => {
    expert()
      .given([])
      .when(replace([weekdays]))
      .thenEmits([created, rulesSet]);
    expert()
      .given([created, rulesSet])
      .when(replace([weekdays]))
      .thenEmits([]);
    expert()
      .given([created, rulesSet])
      .when(replace([]))
      .thenEmits([event('ExpertWeeklyRulesReplaced', { rules: [] })]);
  });

  test('a bad rule is refused with its path: RRULE, overlapping ranges, duplicate ids, too many', () => {
    expert()
      .given([created])
      .when(replace([{ ...weekdays, rrule: 'FREQ=SOMETIMES' }]))
      .thenFails('SCHEDULE_RRULE_FREQ_UNSUPPORTED', 'rules.0.rrule');
    expert()
      .given([created])
      .when(replace([{ ...weekdays, rrule: 'BYDAY=MO' }]))
      .thenFails('SCHEDULE_RRULE_INVALID', 'rules.0.rrule');
    const overlapping = {
      ...weekdays,
      ranges: [
        { start: '09:00', end: '12:00' },
        { start: '11:00', end: '13:00' },
      ],
    };
    expert()
      .given([created])
      .when(replace([overlapping]))
      .thenFails('SCHEDULE_RANGES_OVERLAP', 'rules.0.ranges.1.start');
    expert()
      .given([created])
      .when(replace([weekdays, weekdays]))
      .thenFails('DUPLICATE', 'rules.1.id');
    const many = Array.from({ length: 51 }, (_, i) => ({ ...weekdays, id: `r${i}` }));
    expert().given([created]).when(replace(many)).thenFails('SCHEDULE_LIMIT', 'rules');
  });

  test('date overrides: set, replace, unchanged is nothing, bad ranges named inside the body, remove', () => {
    const set = (date: string, ranges: { start: string; end: string }[]) => ({
      type: 'SetExpertDateOverride' as const,
      expertId: EXPERT,
      override: { date, ranges },
    });
    const dayOff = event('ExpertDateOverrideSet', { override: { date: '2026-12-24', ranges: [] } });
    expert().given([created]).when(set('2026-12-24', [])).thenEmits([dayOff]);
    expert().given([created, dayOff]).when(set('2026-12-24', [])).thenEmits([]);
    const shorter = { date: '2026-12-24', ranges: [{ start: '09:00', end: '11:00' }] };
    expert()
      .given([created, dayOff])
      .when(set(shorter.date, shorter.ranges))
      .thenEmits([event('ExpertDateOverrideSet', { override: shorter })]);
    const other = event('ExpertDateOverrideSet', { override: { date: '2026-12-01', ranges: [] } });
    expert()
      .given([created, dayOff, other])
      .when(set('2026-12-31', [{ start: '10:00', end: '09:00' }]))
      .thenFails('SCHEDULE_RANGE_EMPTY', 'ranges.0.end');
    expect(fold(expertDecider, [created, dayOff, other]).schedule.overrides.map((o) => o.date)).toEqual([
      '2026-12-01',
      '2026-12-24',
    ]);
    const remove = (date: string) => ({ type: 'RemoveExpertDateOverride' as const, expertId: EXPERT, date });
    expert()
      .given([created, dayOff])
      .when(remove('2026-12-24'))
      .thenEmits([event('ExpertDateOverrideRemoved', { date: '2026-12-24' })]);
    expert().given([created]).when(remove('2026-12-24')).thenFails('OVERRIDE_NOT_FOUND');
  });

  test('off-times: added, must end after they start (field named in the body), removed', () => {
    const offTime = {
      id: 'off-1',
      start: '2026-12-10T02:00:00.000Z',
      end: '2026-12-10T05:00:00.000Z',
      reason: 'Khám bệnh',
    };
    const add = (changes: Partial<typeof offTime> = {}) => ({
      type: 'AddExpertOffTime' as const,
      expertId: EXPERT,
      offTime: { ...offTime, ...changes },
    });
    const added = event('ExpertOffTimeAdded', { offTime });
    expert().given([created]).when(add()).thenEmits([added]);
    expert().given([created, added]).when(add()).thenEmits([]);
    expert()
      .given([created])
      .when(add({ end: offTime.start }))
      .thenFails('SCHEDULE_OFF_TIME_EMPTY', 'end');
    expert()
      .given([created])
      .when(add({ start: 'tomorrow' }))
      .thenFails('SCHEDULE_INSTANT_INVALID', 'start');
    const remove = (offTimeId: string) => ({ type: 'RemoveExpertOffTime' as const, expertId: EXPERT, offTimeId });
    expert()
      .given([created, added])
      .when(remove('off-1'))
      .thenEmits([event('ExpertOffTimeRemoved', { offTimeId: 'off-1' })]);
    expert().given([created]).when(remove('off-1')).thenFails('OFF_TIME_NOT_FOUND');
  });

  test('recurring off-times: a yearly holiday is added; a bad rule is named in the body; removed', () => {
    const holiday: RecurringOffTime = {
      id: 'nd',
      rrule: 'FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2',
      from: '2026-01-01',
      until: null,
      ranges: null,
      reason: 'Quốc khánh',
    };
    const add = (changes: Partial<RecurringOffTime> = {}) => ({
      type: 'AddExpertRecurringOffTime' as const,
      expertId: EXPERT,
      recurringOffTime: { ...holiday, ...changes },
    });
    const added = event('ExpertRecurringOffTimeAdded', { recurringOffTime: holiday });
    expert().given([created]).when(add()).thenEmits([added]);
    expert()
      .given([created])
      .when(add({ rrule: 'FREQ=YEARLY;UNTIL=20300101' }))
      .thenFails('SCHEDULE_RRULE_PART_NOT_ALLOWED', 'rrule');
    expert()
      .given([created])
      .when(add({ until: '2025-01-01' }))
      .thenFails('SCHEDULE_UNTIL_BEFORE_FROM', 'until');
    const remove = (recurringOffTimeId: string) => ({
      type: 'RemoveExpertRecurringOffTime' as const,
      expertId: EXPERT,
      recurringOffTimeId,
    });
    expert()
      .given([created, added])
      .when(remove('nd'))
      .thenEmits([event('ExpertRecurringOffTimeRemoved', { recurringOffTimeId: 'nd' })]);
    expert().given([created]).when(remove('nd')).thenFails('OFF_TIME_NOT_FOUND');
    expect(fold(expertDecider, [created, added]).schedule.recurringOffTimes).toEqual([holiday]);
  });
});
