import { createHash, randomBytes, randomInt } from 'node:crypto';
import argon2 from 'argon2';

/**
 * Password hashing with argon2id at the OWASP minimum parameters (Password Storage Cheat Sheet:
 * m = 19 MiB, t = 2, p = 1). Hashes are PHC strings (`$argon2id$v=19$m=19456,p=1,t=2$salt$hash`)
 * with a fresh 16-byte salt each time. They live in the identity store tables, never in events.
 */
export const ARGON2_MEMORY_COST_KIB = 19_456;
export const ARGON2_TIME_COST = 2;
export const ARGON2_PARALLELISM = 1;
export const ARGON2_HASH_LENGTH = 32;

const hashOptions = {
  type: argon2.argon2id,
  memoryCost: ARGON2_MEMORY_COST_KIB,
  timeCost: ARGON2_TIME_COST,
  parallelism: ARGON2_PARALLELISM,
  hashLength: ARGON2_HASH_LENGTH,
} as const;

/**
 * Passwords are NFC-normalised before hashing and verifying, so a Vietnamese password typed with
 * precomposed letters ("ò") and one typed with combining marks ("o" + U+0300) are the same password.
 */
const normalize = (password: string): string => password.normalize('NFC');

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(normalize(password), hashOptions);
}

/** True when `password` matches `hash`; false for a wrong password and for a hash that is not a valid argon2 PHC string. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (!hash.startsWith('$argon2')) return false;
  try {
    return await argon2.verify(hash, normalize(password));
  } catch {
    return false;
  }
}

/** True when `hash` was made with other parameters (or another argon2 variant) than today's: rehash after a successful login. */
export function needsRehash(hash: string): boolean {
  if (!hash.startsWith('$argon2id$')) return true;
  try {
    return argon2.needsRehash(hash, {
      memoryCost: ARGON2_MEMORY_COST_KIB,
      timeCost: ARGON2_TIME_COST,
      parallelism: ARGON2_PARALLELISM,
    });
  } catch {
    return true;
  }
}

/**
 * SHA-256 hex of a high-entropy secret (refresh tokens, email OTP codes, recovery codes) for storage
 * at rest. Not for passwords: those need the slow hash above.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `bytes` random bytes as base64url (32 bytes → 43 characters, 256 bits). */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 16) throw new RangeError('randomToken needs at least 16 bytes');
  return randomBytes(bytes).toString('base64url');
}

/** `n` uniformly random decimal digits, leading zeros kept ("004217"). */
export function randomDigits(n = 6): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('randomDigits needs a positive length');
  let out = '';
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}
