import { DateTime } from 'luxon';
import { isKnownTimeZone, isLocalDate, minutesOfTime } from './local-time.js';
import { type Recurrence, recurrenceProblem } from './recurrence.js';
import type { ProviderSchedule, SlotPolicy, TimeRange } from './schedule.js';

/** What is wrong with a schedule or policy: `field` is the path of the offending entry (`rules.0.ranges.1.end`). */
export interface ScheduleProblem {
  field: string;
  code: string;
  message: string;
}

const problem = (field: string, code: string, message: string): ScheduleProblem => ({ field, code, message });

const dateProblem = (value: string, field: string) =>
  isLocalDate(value) ? null : problem(field, 'SCHEDULE_DATE_INVALID', 'Ngày không hợp lệ (định dạng YYYY-MM-DD)');

function rangesProblem(ranges: readonly TimeRange[], field: string, allowEmpty: boolean): ScheduleProblem | null {
  if (ranges.length === 0 && !allowEmpty) {
    return problem(field, 'SCHEDULE_RANGES_EMPTY', 'Cần ít nhất một khung giờ');
  }
  const spans: { start: number; end: number; index: number }[] = [];
  for (const [index, range] of ranges.entries()) {
    const start = minutesOfTime(range.start);
    if (start === null) {
      return problem(`${field}.${index}.start`, 'SCHEDULE_TIME_INVALID', 'Giờ không hợp lệ (định dạng HH:mm)');
    }
    const end = minutesOfTime(range.end, true);
    if (end === null) {
      return problem(
        `${field}.${index}.end`,
        'SCHEDULE_TIME_INVALID',
        'Giờ không hợp lệ (định dạng HH:mm, tối đa 24:00)',
      );
    }
    if (end <= start) {
      return problem(`${field}.${index}.end`, 'SCHEDULE_RANGE_EMPTY', 'Giờ kết thúc phải sau giờ bắt đầu');
    }
    spans.push({ start, end, index });
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const [previous, current] = [spans[i - 1], spans[i]];
    if (previous && current && current.start < previous.end) {
      const later = Math.max(previous.index, current.index);
      return problem(
        `${field}.${later}.start`,
        'SCHEDULE_RANGES_OVERLAP',
        'Các khung giờ trong ngày không được chồng nhau',
      );
    }
  }
  return null;
}

function recurrenceFieldsProblem(recurrence: Recurrence, field: string): ScheduleProblem | null {
  const from = dateProblem(recurrence.from, `${field}.from`);
  if (from) return from;
  if (recurrence.until !== null) {
    const until = dateProblem(recurrence.until, `${field}.until`);
    if (until) return until;
    if (recurrence.until < recurrence.from) {
      return problem(`${field}.until`, 'SCHEDULE_UNTIL_BEFORE_FROM', '"Đến ngày" không được trước "từ ngày"');
    }
  }
  const rule = recurrenceProblem(recurrence);
  return rule ? problem(`${field}.rrule`, rule.code, rule.message) : null;
}

const OFFSET_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
function instantOf(value: string): number | null {
  if (!OFFSET_INSTANT.test(value)) return null;
  const instant = DateTime.fromISO(value, { setZone: true });
  return instant.isValid ? instant.toMillis() : null;
}

function offTimesProblem(schedule: ProviderSchedule): ScheduleProblem | null {
  for (const [index, offTime] of schedule.offTimes.entries()) {
    const field = `offTimes.${index}`;
    const start = instantOf(offTime.start);
    if (start === null) {
      return problem(`${field}.start`, 'SCHEDULE_INSTANT_INVALID', 'Thời điểm không hợp lệ (ISO 8601 kèm múi giờ)');
    }
    const end = instantOf(offTime.end);
    if (end === null) {
      return problem(`${field}.end`, 'SCHEDULE_INSTANT_INVALID', 'Thời điểm không hợp lệ (ISO 8601 kèm múi giờ)');
    }
    if (end <= start) return problem(`${field}.end`, 'SCHEDULE_OFF_TIME_EMPTY', 'Thời điểm kết thúc phải sau bắt đầu');
  }
  for (const [index, offTime] of schedule.recurringOffTimes.entries()) {
    const field = `recurringOffTimes.${index}`;
    const bad =
      recurrenceFieldsProblem(offTime, field) ??
      (offTime.ranges === null ? null : rangesProblem(offTime.ranges, `${field}.ranges`, false));
    if (bad) return bad;
  }
  return null;
}

/**
 * The first problem of a provider's schedule, or null: an IANA time zone, `HH:mm` ranges inside
 * one day that do not overlap, usable RRULEs (DAILY/WEEKLY/MONTHLY/YEARLY, start and end from
 * `from`/`until` only), real dates, one override per date, off-times that end after they start.
 */
export function validateSchedule(schedule: ProviderSchedule): ScheduleProblem | null {
  if (!isKnownTimeZone(schedule.timeZone)) {
    return problem('timeZone', 'SCHEDULE_TIME_ZONE_INVALID', 'Múi giờ không hợp lệ (tên IANA, ví dụ Asia/Ho_Chi_Minh)');
  }
  for (const [index, rule] of schedule.rules.entries()) {
    const field = `rules.${index}`;
    const bad = recurrenceFieldsProblem(rule, field) ?? rangesProblem(rule.ranges, `${field}.ranges`, false);
    if (bad) return bad;
    for (const [at, date] of rule.exceptDates.entries()) {
      const badDate = dateProblem(date, `${field}.exceptDates.${at}`);
      if (badDate) return badDate;
    }
  }
  const overridden = new Set<string>();
  for (const [index, override] of schedule.overrides.entries()) {
    const field = `overrides.${index}`;
    const bad = dateProblem(override.date, `${field}.date`) ?? rangesProblem(override.ranges, `${field}.ranges`, true);
    if (bad) return bad;
    if (overridden.has(override.date)) {
      return problem(`${field}.date`, 'SCHEDULE_OVERRIDE_DUPLICATE', 'Mỗi ngày chỉ có một thiết lập riêng');
    }
    overridden.add(override.date);
  }
  for (const [index, addition] of schedule.additions.entries()) {
    const field = `additions.${index}`;
    const bad = dateProblem(addition.date, `${field}.date`) ?? rangesProblem(addition.ranges, `${field}.ranges`, false);
    if (bad) return bad;
  }
  return offTimesProblem(schedule);
}

const POLICY_BOUNDS: [keyof SlotPolicy, number, number][] = [
  ['durationMinutes', 5, 24 * 60],
  ['stepMinutes', 5, 24 * 60],
  ['bufferBeforeMinutes', 0, 24 * 60],
  ['bufferAfterMinutes', 0, 24 * 60],
  ['minimumNoticeMinutes', 0, 365 * 24 * 60],
  ['bookingWindowDays', 1, 3650],
];

/** The first problem of a slot policy (whole minutes within sane bounds, limits null or ≥ 1), or null. */
export function validateSlotPolicy(policy: SlotPolicy): ScheduleProblem | null {
  for (const [field, min, max] of POLICY_BOUNDS) {
    const value = policy[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return problem(field, 'SLOT_POLICY_INVALID', `Giá trị phải là số nguyên từ ${min} đến ${max}`);
    }
  }
  for (const field of ['dailyLimit', 'weeklyLimit'] as const) {
    const value = policy[field];
    if (value !== null && (!Number.isInteger(value) || value < 1)) {
      return problem(field, 'SLOT_POLICY_INVALID', 'Giới hạn phải để trống hoặc là số nguyên từ 1');
    }
  }
  return null;
}
