import rrulePkg, { type Options } from 'rrule';
import { addDays, localDateOfUtcMidnight, utcMidnightOf } from './local-time.js';
import type { LocalDate } from './schedule.js';

// rrule ships CommonJS for Node (no "exports" map): a default import works under NodeNext and at runtime.
const { RRule } = rrulePkg;

/** An RRULE body expanded from `from` (its DTSTART) to `until` (inclusive), as floating local dates. */
export interface Recurrence {
  rrule: string;
  from: LocalDate;
  until: LocalDate | null;
}

export interface RecurrenceProblem {
  code: string;
  message: string;
}

type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';
const BASE_PARTS = ['FREQ', 'INTERVAL', 'COUNT', 'WKST', 'BYDAY', 'BYMONTH'];

/**
 * Per frequency, the parts a rule may use. DAILY and WEEKLY stay with weekdays and months so that
 * a rule that never occurs can be told statically: rrule walks period by period up to year 9999
 * looking for an occurrence, which for a daily rule is seconds of CPU.
 */
const PARTS: Record<Freq, ReadonlySet<string>> = {
  DAILY: new Set(BASE_PARTS),
  WEEKLY: new Set(BASE_PARTS),
  MONTHLY: new Set([...BASE_PARTS, 'BYMONTHDAY', 'BYSETPOS']),
  YEARLY: new Set([...BASE_PARTS, 'BYMONTHDAY', 'BYSETPOS', 'BYYEARDAY', 'BYWEEKNO']),
};
const FORBIDDEN = new Set(['DTSTART', 'UNTIL', 'TZID', 'BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYEASTER']);

const intList = (min: number, max: number) => (value: string) =>
  value
    .split(',')
    .every((item) => /^[+-]?\d{1,4}$/.test(item) && Math.abs(Number(item)) >= min && Math.abs(Number(item)) <= max);

const VALUE_CHECKS: Record<string, (value: string, freq: Freq) => boolean> = {
  INTERVAL: (value) => /^\d{1,2}$/.test(value) && Number(value) >= 1,
  COUNT: (value) => /^\d{1,4}$/.test(value) && Number(value) >= 1,
  WKST: (value) => new RegExp(`^${WEEKDAY}$`).test(value),
  BYDAY: (value, freq) =>
    value.split(',').every((item) => {
      const match = new RegExp(`^([+-]?\\d{1,2})?${WEEKDAY}$`).exec(item);
      if (!match) return false;
      if (match[1] === undefined) return true;
      const limit = freq === 'MONTHLY' ? 5 : freq === 'YEARLY' ? 53 : 0;
      return Math.abs(Number(match[1])) >= 1 && Math.abs(Number(match[1])) <= limit;
    }),
  BYMONTH: (value) => value.split(',').every((item) => /^\d{1,2}$/.test(item) && +item >= 1 && +item <= 12),
  BYMONTHDAY: intList(1, 31),
  BYSETPOS: intList(1, 366),
  BYYEARDAY: intList(1, 366),
  BYWEEKNO: intList(1, 53),
};

const problem = (code: string, message: string): RecurrenceProblem => ({ code, message });
const INVALID = problem('SCHEDULE_RRULE_INVALID', 'Quy tắc lặp (RRULE) không hợp lệ');

function syntaxProblem(rrule: string): RecurrenceProblem | null {
  const parts = new Map<string, string>();
  for (const part of rrule.split(';')) {
    const [key, value, extra] = part.split('=');
    if (key === undefined || value === undefined || extra !== undefined || value === '') return INVALID;
    if (FORBIDDEN.has(key.toUpperCase())) {
      return problem(
        'SCHEDULE_RRULE_PART_NOT_ALLOWED',
        `Quy tắc lặp không được chứa ${key.toUpperCase()}: ngày bắt đầu, kết thúc lấy từ "từ ngày", "đến ngày"; giờ lấy từ các khung giờ`,
      );
    }
    if (parts.has(key)) return INVALID;
    parts.set(key, value);
  }
  const freq = parts.get('FREQ');
  if (freq === undefined) return INVALID;
  if (!(freq in PARTS)) {
    return problem('SCHEDULE_RRULE_FREQ_UNSUPPORTED', 'Tần suất lặp phải là DAILY, WEEKLY, MONTHLY hoặc YEARLY');
  }
  const allowed = PARTS[freq as Freq];
  for (const [key, value] of parts) {
    if (!allowed.has(key)) {
      return problem('SCHEDULE_RRULE_PART_NOT_ALLOWED', `Quy tắc lặp ${freq} không hỗ trợ ${key}`);
    }
    const check = VALUE_CHECKS[key];
    if (check && !check(value, freq as Freq)) return INVALID;
  }
  return null;
}

const parsed = new Map<string, Partial<Options>>();

/** The rule's options; memoized (rules repeat across queries), bounded. Assumes a valid rule. */
function optionsOf(rrule: string): Partial<Options> {
  let options = parsed.get(rrule);
  if (!options) {
    options = RRule.parseString(rrule);
    if (parsed.size >= 1000) parsed.clear();
    parsed.set(rrule, options);
  }
  return options;
}

const GREGORIAN_CYCLE_YEARS = 400;
const LAST_YEAR = 9999;

/**
 * Does the rule never produce a date? The Gregorian calendar repeats every 400 years (weekdays
 * included), so a rule with interval n repeats every 400·n years: probing one such cycle placed
 * just before rrule's last year (9999) decides it in a bounded number of steps.
 */
function neverOccurs(rrule: string, from: LocalDate): boolean {
  const options = optionsOf(rrule);
  const freq = options.freq;
  const interval = options.interval ?? 1;
  if (freq === RRule.DAILY || freq === RRule.WEEKLY) {
    // With weekday and month filters only, a daily rule stepping a multiple of 7 days sees only its
    // start's weekday; any other walk reaches every weekday and every month.
    if (freq === RRule.WEEKLY || interval % 7 !== 0 || !options.byweekday) return false;
    const weekday = (utcMidnightOf(from).getUTCDay() + 6) % 7;
    const days = Array.isArray(options.byweekday) ? options.byweekday : [options.byweekday];
    return !days.some((day) => typeof day === 'object' && day.weekday === weekday);
  }
  const cycle = GREGORIAN_CYCLE_YEARS * interval;
  const start = utcMidnightOf(from);
  const year = start.getUTCFullYear();
  const shifts = Math.max(0, Math.floor((LAST_YEAR - cycle - year) / cycle));
  start.setUTCFullYear(year + shifts * cycle);
  const probe = new RRule({ ...options, dtstart: start, until: null, count: null, tzid: null }, true);
  return probe.after(start, true) === null;
}

/** Why the rule cannot be used (`from` must already be a valid date), or null. */
export function recurrenceProblem(recurrence: Recurrence): RecurrenceProblem | null {
  const syntax = syntaxProblem(recurrence.rrule);
  if (syntax) return syntax;
  try {
    optionsOf(recurrence.rrule);
  } catch {
    return INVALID;
  }
  if (neverOccurs(recurrence.rrule, recurrence.from)) {
    return problem('SCHEDULE_RRULE_NEVER_OCCURS', 'Quy tắc lặp không bao giờ xảy ra');
  }
  return null;
}

/**
 * The rule's dates in `[first, last]` (both included). Daily and weekly rules without COUNT start
 * their walk at the last period boundary before `first`, so a rule begun years ago stays cheap.
 */
export function occurrencesBetween(recurrence: Recurrence, first: LocalDate, last: LocalDate): LocalDate[] {
  const until = recurrence.until !== null && recurrence.until < last ? recurrence.until : last;
  if (until < first || until < recurrence.from) return [];
  const options = optionsOf(recurrence.rrule);
  let from = recurrence.from;
  if (!options.count && (options.freq === RRule.DAILY || options.freq === RRule.WEEKLY)) {
    const step = (options.interval ?? 1) * (options.freq === RRule.WEEKLY ? 7 : 1);
    const gap = Math.round((utcMidnightOf(first).getTime() - utcMidnightOf(from).getTime()) / 86_400_000);
    if (gap > 0) from = addDays(from, gap - (gap % step));
  }
  const rule = new RRule({ ...options, dtstart: utcMidnightOf(from), until: utcMidnightOf(until), tzid: null }, true);
  return rule.between(utcMidnightOf(first), utcMidnightOf(until), true).map(localDateOfUtcMidnight);
}
