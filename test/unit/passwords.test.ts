import { describe, expect, test } from 'vitest';
import {
  hashPassword,
  hashToken,
  needsRehash,
  randomDigits,
  randomToken,
  verifyPassword,
} from '../../commands/identity/passwords.js';

describe('argon2id password hashes', () => {
  test('hash and verify round trip, wrong password is false', async () => {
    const hash = await hashPassword('Phòng-trọ-2026');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await verifyPassword(hash, 'Phòng-trọ-2026')).toBe(true);
    expect(await verifyPassword(hash, 'phòng-trọ-2026')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  test('two hashes of one password differ (fresh salt) and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('Same-Password-1'), hashPassword('Same-Password-1')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'Same-Password-1')).toBe(true);
    expect(await verifyPassword(b, 'Same-Password-1')).toBe(true);
  });

  test('precomposed and combining-mark spellings are the same password', async () => {
    const hash = await hashPassword('Phòng-trọ-2026'.normalize('NFC'));
    expect(await verifyPassword(hash, 'Phòng-trọ-2026'.normalize('NFD'))).toBe(true);
  });

  test('a malformed hash verifies as false instead of throwing', async () => {
    for (const bad of ['', 'plain', '$argon2id$garbage', '$argon2id$v=19$m=19456,t=2,p=1$abc', '$2b$10$abcdefghijk']) {
      await expect(verifyPassword(bad, 'whatever')).resolves.toBe(false);
    }
  });

  test('hashes with older parameters or another variant need a rehash', () => {
    expect(
      needsRehash('$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g'),
    ).toBe(true);
    expect(
      needsRehash('$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g'),
    ).toBe(true);
    expect(needsRehash('not a hash')).toBe(true);
  });
});

describe('tokens', () => {
  test('hashToken is sha256 hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken('123456')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('randomToken is base64url of the asked size and does not repeat', () => {
    const t = randomToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(randomToken(48)).toHaveLength(64);
    expect(new Set(Array.from({ length: 100 }, () => randomToken())).size).toBe(100);
  });

  test('randomDigits keeps leading zeros and uses every digit', () => {
    const codes = Array.from({ length: 2000 }, () => randomDigits());
    for (const c of codes) expect(c).toMatch(/^\d{6}$/);
    expect(codes.some((c) => c.startsWith('0'))).toBe(true);
    expect(new Set(codes.join('')).size).toBe(10);
    expect(randomDigits(8)).toMatch(/^\d{8}$/);
  });
});
