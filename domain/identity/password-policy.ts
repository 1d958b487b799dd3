import { foldVietnamese } from '../shared/text.js';

/**
 * The password strength rule (issue 3, "strength rule stated in the error"). Pure: no clock, no
 * randomness, no I/O. Lengths are counted in code points after NFC normalisation, so a Vietnamese
 * letter typed as base + combining mark counts once.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_CLASSES = 3;
/** Shortest email local part / name fragment that the password may not contain. */
export const PERSONAL_FRAGMENT_MIN_LENGTH = 4;

export const PASSWORD_RULE_MESSAGE =
  'Mật khẩu phải có từ 10 đến 128 ký tự, gồm ít nhất 3 trong 4 loại: chữ thường, chữ hoa, chữ số, ký tự đặc biệt, ' +
  'không chứa email hoặc tên của bạn và không phải là mật khẩu phổ biến.';

/** Stable codes, one per broken part of the rule; clients may switch on them. */
export type PasswordProblem =
  | 'too_short'
  | 'too_long'
  | 'too_few_classes'
  | 'contains_email'
  | 'contains_name'
  | 'too_common';

export type PasswordCheck =
  | { ok: true }
  | { ok: false; code: 'PASSWORD_WEAK'; message: string; problems: PasswordProblem[] };

export interface PasswordContext {
  email?: string;
  name?: string;
}

/**
 * Very common passwords of at least 10 characters (shorter ones already fail the length rule).
 * Compared case-insensitively, also with trailing punctuation removed ("Password123!" is common).
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password123',
  'password1234',
  'password12345',
  'passw0rd123',
  '1234567890',
  '12345678910',
  '123456789a',
  '0123456789',
  '1111111111',
  '0987654321',
  'qwerty12345',
  'qwerty123456',
  'qwertyuiop',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'abc1234567',
  'abcd123456',
  'iloveyou123',
  'welcome123',
  'admin12345',
  'letmein123',
  'football123',
  'matkhau123',
  'matkhau1234',
  'anhyeuem123',
  'emyeuanh123',
  'vietnam123',
  'vietnam2024',
  'vietnam2025',
  'vietnam2026',
  'saigon12345',
  'hanoi12345',
]);

type CharClass = 'lower' | 'upper' | 'digit' | 'symbol';

function classOf(ch: string): CharClass | null {
  if (/\p{Ll}/u.test(ch)) return 'lower';
  if (/\p{Lu}/u.test(ch)) return 'upper';
  if (/\p{Nd}/u.test(ch)) return 'digit';
  // Other letters (no case, e.g. CJK) and other numerals count as no class at all.
  if (/[\p{L}\p{N}]/u.test(ch)) return null;
  return 'symbol';
}

/** Lower-cased, accent-folded, only letters and digits: "Nguyễn Văn" → "nguyenvan". */
function squash(text: string): string {
  return foldVietnamese(text).replace(/[^\p{L}\p{N}]/gu, '');
}

/** The fragments of a personal value a password may not contain: the whole value and its long parts. */
function fragmentsOf(value: string, splitter: RegExp): string[] {
  const parts = [value, ...value.split(splitter)].map(squash);
  return [...new Set(parts)].filter((p) => [...p].length >= PERSONAL_FRAGMENT_MIN_LENGTH);
}

function containsAny(haystack: string, fragments: string[]): boolean {
  return fragments.some((f) => haystack.includes(f));
}

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  const trimmed = lower.replace(/[^\p{L}\p{N}]+$/u, '');
  return COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(trimmed);
}

export function checkPasswordStrength(password: string, context: PasswordContext = {}): PasswordCheck {
  const normalized = password.normalize('NFC');
  const chars = [...normalized];
  const problems: PasswordProblem[] = [];

  if (chars.length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (chars.length > PASSWORD_MAX_LENGTH) problems.push('too_long');

  const classes = new Set(chars.map(classOf).filter((c): c is CharClass => c !== null));
  if (classes.size < PASSWORD_MIN_CLASSES) problems.push('too_few_classes');

  const squashed = squash(normalized);
  const localPart = context.email?.split('@')[0] ?? '';
  if (localPart !== '' && containsAny(squashed, fragmentsOf(localPart, /[^\p{L}\p{N}]+/u))) {
    problems.push('contains_email');
  }
  const name = context.name ?? '';
  if (name.trim() !== '' && containsAny(squashed, fragmentsOf(name, /\s+/u))) problems.push('contains_name');

  if (isCommon(normalized)) problems.push('too_common');

  return problems.length === 0
    ? { ok: true }
    : { ok: false, code: 'PASSWORD_WEAK', message: PASSWORD_RULE_MESSAGE, problems };
}
