import { isLocalDate } from '../booking/local-time.js';
import { DomainError, invalid } from '../shared/errors.js';
import type { ContractTerms } from './contract-events.js';
import { formatDate, formatVnd, isKnownPlaceholder } from './placeholders.js';

const DAY_MS = 86_400_000;
/** Asia/Ho_Chi_Minh has no daylight saving time: always UTC+7. */
const VN_OFFSET_MS = 7 * 3_600_000;

export const CONTRACT_LIMITS = {
  maxVnd: 10_000_000_000,
  value: 2_000,
  clauses: 20_000,
  reason: 500,
  note: 1_000,
  scanBytes: 10 * 1024 * 1024,
} as const;

export const SCAN_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/**
 * Placeholders whose value the contract derives from its terms (so text and terms never disagree),
 * with the term to change instead.
 */
export const TERM_PLACEHOLDERS: Readonly<Record<string, keyof ContractTerms>> = {
  GiaThue: 'rentVnd',
  TienCoc: 'depositVnd',
  NgayBatDau: 'startDate',
  NgayKetThuc: 'endDate',
  ThoiHanThang: 'endDate',
  DieuKhoan: 'clauses',
};

/** The calendar date (yyyy-mm-dd) an instant falls on in Vietnam. */
export const vnDateOf = (instant: Date) => new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);

/** The instant a date ends in Vietnam: the next day's midnight, UTC+7. */
export const endOfVnDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - VN_OFFSET_MS);

/** Whole months from `start` to `end`, the end day included: 01/01 → 31/12 is 12 months. */
export function leaseMonths(start: string, end: string): number {
  const afterEnd = new Date(Date.parse(`${end}T00:00:00Z`) + DAY_MS);
  const [sy, sm, sd] = start.split('-').map(Number) as [number, number, number];
  const months = (afterEnd.getUTCFullYear() - sy) * 12 + (afterEnd.getUTCMonth() + 1 - sm);
  return afterEnd.getUTCDate() < sd ? months - 1 : months;
}

/** The values of the term placeholders; blank when the term is unknown (so it stays missing). */
export function termValues(terms: ContractTerms): Record<string, string> {
  const { startDate, endDate } = terms;
  const months = startDate && endDate ? leaseMonths(startDate, endDate) : 0;
  return {
    GiaThue: formatVnd(terms.rentVnd),
    TienCoc: formatVnd(terms.depositVnd),
    NgayBatDau: startDate ? formatDate(startDate) : '',
    NgayKetThuc: endDate ? formatDate(endDate) : '',
    ThoiHanThang: months > 0 ? String(months) : '',
    DieuKhoan: terms.clauses ?? '',
  };
}

const isVnd = (n: unknown): n is number =>
  typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 && n <= CONTRACT_LIMITS.maxVnd;

/** Free text cleaned for storage: NFC, `\n` line ends, trimmed; blank → null. */
export const cleanText = (text: string | null | undefined) => {
  if (typeof text !== 'string') return null;
  const clean = text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  return clean.length === 0 ? null : clean;
};

function checkDate(date: string | null | undefined, field: string): string | null | DomainError {
  if (date === null || date === undefined || date === '') return null;
  if (typeof date !== 'string' || !isLocalDate(date)) {
    return invalid('DATE_INVALID', 'Ngày không hợp lệ (định dạng yyyy-mm-dd)', field);
  }
  return date;
}

/** Terms in canonical form, or the first rule they break. */
export function checkContractTerms(terms: ContractTerms): ContractTerms | DomainError {
  if (!isVnd(terms.rentVnd)) return invalid('AMOUNT_INVALID', 'Giá thuê là số nguyên VND dương', 'rentVnd');
  if (!isVnd(terms.depositVnd)) return invalid('AMOUNT_INVALID', 'Tiền cọc là số nguyên VND dương', 'depositVnd');
  const startDate = checkDate(terms.startDate, 'startDate');
  if (startDate instanceof DomainError) return startDate;
  const endDate = checkDate(terms.endDate, 'endDate');
  if (endDate instanceof DomainError) return endDate;
  if (startDate !== null && endDate !== null && endDate <= startDate) {
    return invalid('END_BEFORE_START', 'Ngày kết thúc phải sau ngày bắt đầu', 'endDate');
  }
  const clauses = cleanText(terms.clauses);
  if (clauses !== null && clauses.length > CONTRACT_LIMITS.clauses) {
    return invalid('FIELD_TOO_LONG', 'Điều khoản bổ sung dài tối đa 20.000 ký tự', 'clauses');
  }
  return { rentVnd: terms.rentVnd, depositVnd: terms.depositVnd, startDate, endDate, clauses };
}

/**
 * Placeholder values cleaned (NFC, trimmed), or the first bad one: unknown name, not text, too long,
 * or (when `termsOwnThem`) a term placeholder, which is changed through its term instead.
 */
export function checkValues(
  values: Readonly<Record<string, string>> | undefined,
  termsOwnThem: boolean,
): Record<string, string> | DomainError {
  const clean: Record<string, string> = {};
  if (values === undefined) return clean;
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    return invalid('VALUES_INVALID', 'Giá trị các trường phải là một đối tượng', 'values');
  }
  for (const [name, value] of Object.entries(values)) {
    const field = `values.${name}`;
    if (!isKnownPlaceholder(name)) return invalid('PLACEHOLDER_UNKNOWN', `Biến không được hỗ trợ: {{${name}}}`, field);
    const term = TERM_PLACEHOLDERS[name];
    if (termsOwnThem && term) {
      return invalid('PLACEHOLDER_FROM_TERMS', `{{${name}}} lấy từ trường ${term}; hãy sửa trường đó`, field);
    }
    if (typeof value !== 'string') return invalid('VALUE_INVALID', 'Giá trị phải là chuỗi', field);
    const text = value.normalize('NFC').trim();
    if (text.length > CONTRACT_LIMITS.value) {
      return invalid('FIELD_TOO_LONG', `Giá trị dài tối đa ${CONTRACT_LIMITS.value} ký tự`, field);
    }
    clean[name] = text;
  }
  return clean;
}
