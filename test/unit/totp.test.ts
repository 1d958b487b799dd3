import { describe, expect, test } from 'vitest';
import { hashToken } from '../../commands/identity/passwords.js';
import {
  currentTotp,
  matchRecoveryCode,
  matchTotpStep,
  newRecoveryCodes,
  newTotpSecret,
  totpQrDataUrl,
  totpUri,
  verifyTotp,
} from '../../commands/identity/totp.js';

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890" in Base32; the RFC's 8-digit codes, last 6 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const step = 30_000;
const at = new Date(Date.UTC(2026, 2, 15, 9, 30, 15)); // 15 s into a step
const shift = (d: Date, ms: number) => new Date(d.getTime() + ms);

describe('TOTP', () => {
  test('matches the RFC 6238 test vectors', () => {
    expect(currentTotp(RFC_SECRET, new Date(59_000))).toBe('287082');
    expect(currentTotp(RFC_SECRET, new Date(1_111_111_109_000))).toBe('081804');
    expect(currentTotp(RFC_SECRET, new Date(2_000_000_000_000))).toBe('279037');
  });

  test('a new secret is 160-bit Base32 and differs each time', () => {
    const s = newTotpSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(s);
  });

  test('the current code verifies; previous and next step verify; 2 or 3 steps away do not', () => {
    const secret = newTotpSecret();
    const codes = [-3, -2, -1, 0, 1, 2, 3].map((k) => currentTotp(secret, shift(at, k * step)));
    expect(new Set(codes).size).toBe(7); // distinct, so the assertions below mean something
    const [m3, m2, m1, now, p1, p2, p3] = codes as [string, string, string, string, string, string, string];
    expect(verifyTotp(secret, now, at)).toBe(true);
    expect(verifyTotp(secret, m1, at)).toBe(true);
    expect(verifyTotp(secret, p1, at)).toBe(true);
    for (const far of [m2, p2, m3, p3]) expect(verifyTotp(secret, far, at)).toBe(false);
  });

  test('drift is whole steps, also at the edges of a step', () => {
    const start = new Date(Math.floor(at.getTime() / step) * step); // first second of the step
    const end = shift(start, step - 1000); // last second
    expect(verifyTotp(RFC_SECRET, currentTotp(RFC_SECRET, shift(start, -step)), start)).toBe(true);
    expect(verifyTotp(RFC_SECRET, currentTotp(RFC_SECRET, shift(start, 2 * step)), start)).toBe(false);
    expect(verifyTotp(RFC_SECRET, currentTotp(RFC_SECRET, shift(end, step)), end)).toBe(true);
    expect(verifyTotp(RFC_SECRET, currentTotp(RFC_SECRET, shift(end, -2 * step)), end)).toBe(false);
  });

  test('garbage codes and a wrong secret are refused without throwing', () => {
    const code = currentTotp(RFC_SECRET, at);
    expect(verifyTotp(RFC_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, at)).toBe(true);
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345a']) expect(verifyTotp(RFC_SECRET, bad, at)).toBe(false);
    expect(verifyTotp('not base32!', code, at)).toBe(false);
    expect(verifyTotp(newTotpSecret(), code, at)).toBe(false);
  });

  test('a used step is refused with afterTimeStep (replay protection)', () => {
    const code = currentTotp(RFC_SECRET, at);
    const used = matchTotpStep(RFC_SECRET, code, at);
    expect(used).toBe(Math.floor(at.getTime() / step));
    expect(matchTotpStep(RFC_SECRET, code, at, used ?? undefined)).toBeNull();
    const next = currentTotp(RFC_SECRET, shift(at, step));
    expect(matchTotpStep(RFC_SECRET, next, at, used ?? undefined)).toBe((used ?? 0) + 1);
  });

  test('the URI names issuer, account and secret', () => {
    const uri = new URL(totpUri({ secret: RFC_SECRET, accountName: 'lan@example.vn' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Phòng Trọ Việt:lan@example.vn');
    expect(uri.searchParams.get('issuer')).toBe('Phòng Trọ Việt');
    expect(uri.searchParams.get('secret')).toBe(RFC_SECRET);
  });

  test('the QR code is a PNG data URL', async () => {
    const url = await totpQrDataUrl(totpUri({ secret: RFC_SECRET, accountName: 'lan@example.vn' }));
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const png = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });
});

describe('recovery codes', () => {
  test('10 unique xxxx-xxxx codes with their sha256 hashes', () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(hashes).toEqual(codes.map((c) => hashToken(c.replace('-', ''))));
    expect(hashes.join()).not.toContain(codes[0]?.replace('-', ''));
  });

  test('a code is matched by its index, ignoring case, spaces and dashes', () => {
    const { codes, hashes } = newRecoveryCodes();
    const code = codes[4] ?? '';
    expect(matchRecoveryCode(hashes, code)).toBe(4);
    expect(matchRecoveryCode(hashes, code.toUpperCase())).toBe(4);
    expect(matchRecoveryCode(hashes, code.replace('-', ''))).toBe(4);
    expect(matchRecoveryCode(hashes, ` ${code.slice(0, 2)}-${code.slice(2).toUpperCase()} `)).toBe(4);
  });

  test('a used (removed) code or an unknown one gives -1', () => {
    const { codes, hashes } = newRecoveryCodes();
    const remaining = hashes.filter((_, i) => i !== 2);
    expect(matchRecoveryCode(remaining, codes[2] ?? '')).toBe(-1);
    expect(matchRecoveryCode(remaining, codes[3] ?? '')).toBe(2);
    expect(matchRecoveryCode(hashes, 'zzzz-zzzz')).toBe(codes.includes('zzzz-zzzz') ? codes.indexOf('zzzz-zzzz') : -1);
    expect(matchRecoveryCode(hashes, '')).toBe(-1);
    expect(newRecoveryCodes(3).codes).toHaveLength(3);
  });
});
