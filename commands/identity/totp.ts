import { randomInt, timingSafeEqual } from 'node:crypto';
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';
import { hashToken } from './passwords.js';

/**
 * TOTP two-factor authentication (RFC 6238, the authenticator-app defaults: SHA-1, 6 digits, 30 s)
 * on otplib 13's functional API. The secret is Base32 (20 random bytes, 160 bits) and lives in the
 * identity store, never in events.
 */
export const TOTP_ISSUER = 'Phòng Trọ Việt';
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Accepted clock drift: one step either way, i.e. the previous, current and next code. */
export const TOTP_DRIFT_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

const CODE_PATTERN = /^\d{6}$/;
const epochOf = (at: Date): number => Math.floor(at.getTime() / 1000);

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URI the authenticator app scans: `otpauth://totp/<issuer>:<email>?secret=…&issuer=…`. */
export function totpUri(opts: { secret: string; accountName: string; issuer?: string }): string {
  return generateURI({
    issuer: opts.issuer ?? TOTP_ISSUER,
    label: opts.accountName,
    secret: opts.secret,
    period: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
  });
}

/** The URI as a QR code in a PNG data URL (`data:image/png;base64,…`) for an `<img src>`. */
export function totpQrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { type: 'image/png', errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/** The code an authenticator shows at `at` (default now). For tests and the browser test. */
export function currentTotp(secret: string, at: Date = new Date()): string {
  return generateSync({ secret, epoch: epochOf(at), period: TOTP_PERIOD_SECONDS, digits: TOTP_DIGITS });
}

/**
 * The time step (counter) the code belongs to when it is valid at `at` within ±1 step, else null.
 * Pass the last accepted step as `afterTimeStep` to refuse a code that was already used (replay).
 */
export function matchTotpStep(
  secret: string,
  code: string,
  at: Date = new Date(),
  afterTimeStep?: number,
): number | null {
  const token = code.replace(/\s+/g, '');
  if (!CODE_PATTERN.test(token)) return null;
  try {
    const result = verifySync({
      secret,
      token,
      epoch: epochOf(at),
      period: TOTP_PERIOD_SECONDS,
      digits: TOTP_DIGITS,
      // In seconds: ±30 s around `at` reaches exactly the previous and the next step.
      epochTolerance: TOTP_DRIFT_STEPS * TOTP_PERIOD_SECONDS,
      ...(afterTimeStep === undefined ? {} : { afterTimeStep }),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null; // malformed secret
  }
}

/** True when `code` is the TOTP code of `secret` at `at` (default now), allowing ±1 step (30 s) of drift. */
export function verifyTotp(secret: string, code: string, at: Date = new Date()): boolean {
  return matchTotpStep(secret, code, at) !== null;
}

// Recovery codes: 8 characters from an alphabet without look-alikes (0/o, 1/l/i), ~39 bits each.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, '');
}

function randomRecoveryCode(): string {
  let raw = '';
  for (let i = 0; i < 8; i++) raw += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}

/** Fresh recovery codes (`xxxx-xxxx`, shown to the user once) and their hashes (stored), in the same order. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): { codes: string[]; hashes: string[] } {
  const unique = new Set<string>();
  while (unique.size < count) unique.add(randomRecoveryCode());
  const codes = [...unique];
  return { codes, hashes: codes.map((c) => hashToken(normalizeRecoveryCode(c))) };
}

/** Index of the stored hash that `code` matches (case, spaces and dashes ignored), or -1. */
export function matchRecoveryCode(hashes: readonly string[], code: string): number {
  const normalized = normalizeRecoveryCode(code);
  if (normalized.length !== 8) return -1;
  const candidate = Buffer.from(hashToken(normalized), 'hex');
  return hashes.findIndex((h) => {
    const stored = Buffer.from(h, 'hex');
    return stored.length === candidate.length && timingSafeEqual(stored, candidate);
  });
}
