import { describe, expect, test } from 'vitest';
import { checkPasswordStrength, PASSWORD_RULE_MESSAGE } from '../../domain/identity/password-policy.js';

const problemsOf = (password: string, ctx: { email?: string; name?: string } = {}) => {
  const result = checkPasswordStrength(password, ctx);
  return result.ok ? [] : result.problems;
};

describe('strong passwords', () => {
  test.each([
    'Phòng-trọ-2026',
    'Correct horse battery 9',
    'tôi-thích-phở-bò-99',
    'ĐÀ LẠT mùa mưa',
    'Xk7#pQ2!mZ',
    `${'a'.repeat(100)}B1`,
  ])('%s is accepted', (password) => {
    expect(checkPasswordStrength(password, { email: 'lan.tran@example.vn', name: 'Trần Thị Lan' })).toEqual({
      ok: true,
    });
  });

  test('exactly 10 characters with three classes is enough; 128 is the upper bound', () => {
    expect(checkPasswordStrength('abcdefgH1x', {}).ok).toBe(true);
    expect(checkPasswordStrength(`Aa1${'x'.repeat(125)}`, {}).ok).toBe(true);
  });

  test('a Vietnamese letter typed with a combining mark counts as one character', () => {
    // 9 letters when precomposed (NFC) but 10 UTF-16 units in NFD: still too short.
    const nfd = 'Phòng-trọ'.normalize('NFD');
    expect(nfd.length).toBeGreaterThan(9);
    expect(problemsOf(nfd)).toContain('too_short');
  });
});

describe('weak passwords', () => {
  test('too short, with the whole rule in Vietnamese', () => {
    const result = checkPasswordStrength('Ab1!xyz', {});
    expect(result).toEqual({
      ok: false,
      code: 'PASSWORD_WEAK',
      message: PASSWORD_RULE_MESSAGE,
      problems: ['too_short'],
    });
    expect(PASSWORD_RULE_MESSAGE).toMatch(/ít nhất 10 ký tự|từ 10 đến 128 ký tự/);
    expect(PASSWORD_RULE_MESSAGE).toContain('3 trong 4 loại');
    expect(PASSWORD_RULE_MESSAGE).toContain('email hoặc tên');
  });

  test('too long', () => {
    expect(problemsOf(`Aa1${'x'.repeat(126)}`)).toEqual(['too_long']);
  });

  test.each([
    ['alllowercaseletters', 'one class'],
    ['lowercase1234', 'two classes'],
    ['UPPER-CASE-ONLY', 'two classes'],
    ['phòng trọ giá rẻ', 'lowercase Vietnamese with spaces: two classes'],
    ['12345678!!!!', 'digits and symbols'],
  ])('%s is refused (%s)', (password) => {
    expect(problemsOf(password)).toContain('too_few_classes');
  });

  test('Vietnamese upper-case letters count as upper case', () => {
    expect(problemsOf('ĐÔNGĐÔNGđông')).toEqual(['too_few_classes']); // upper + lower only
    expect(checkPasswordStrength('ĐÔNGĐÔNGđông1', {}).ok).toBe(true);
  });

  test('several problems are reported together', () => {
    expect(problemsOf('abc')).toEqual(['too_short', 'too_few_classes']);
  });
});

describe('personal information', () => {
  const ctx = { email: 'minhtuan.le@gmail.com', name: 'Lê Minh Tuấn' };

  test('the email local part, in any case', () => {
    expect(problemsOf('XX-MinhTuan.LE-2026', ctx)).toContain('contains_email');
  });

  test('a long part of the email local part', () => {
    expect(problemsOf('Minhtuan#2026', { email: 'minhtuan.le@gmail.com' })).toEqual(['contains_email']);
  });

  test('the name or a part of it of at least 4 letters, accents ignored', () => {
    expect(problemsOf('Tuan!Secret99', { name: 'Lê Minh Tuấn' })).toEqual(['contains_name']);
    expect(problemsOf('LeMinhTuan!!99', { name: 'Lê Minh Tuấn' })).toContain('contains_name');
    expect(problemsOf('TUẤN-ngoài-phố-7', { name: 'Lê Minh Tuấn' })).toEqual(['contains_name']);
  });

  test('fragments shorter than 4 characters do not count, but the whole name does', () => {
    const ctx = { email: 'an@x.vn', name: 'Lê An' };
    expect(checkPasswordStrength('An-Lê-Bờ-Hồ-2026', ctx).ok).toBe(true);
    expect(problemsOf('Lê-An-Bờ-Hồ-2026', ctx)).toEqual(['contains_name']); // "lean" is the whole name
  });

  test('without a context nothing personal is checked', () => {
    expect(checkPasswordStrength('Tuan!Secret99', {}).ok).toBe(true);
  });
});

describe('common passwords', () => {
  test.each(['Password123', 'PASSWORD123', 'Qwerty12345', 'Matkhau123', 'Password123!', 'Vietnam2026!!'])(
    '%s is refused as too common',
    (password) => {
      expect(problemsOf(password)).toContain('too_common');
    },
  );

  test('all-digit common passwords fail twice', () => {
    expect(problemsOf('12345678910')).toEqual(['too_few_classes', 'too_common']);
  });

  test('a common password with more added is not "common"', () => {
    expect(problemsOf('Password123-phở')).toEqual([]);
  });
});
