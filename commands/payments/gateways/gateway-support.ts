import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DateTime } from 'luxon';

/** Shared plumbing for the adapters: HMAC, constant-time comparison, lenient readers of untrusted input, HTTP. */

export const VIETNAM_ZONE = 'Asia/Ho_Chi_Minh';

/** A provider could not be reached or answered something that is not its protocol (the outcome is unknown). */
export class GatewayRequestError extends Error {
  constructor(
    readonly gateway: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${gateway}: ${message}`, options);
    this.name = 'GatewayRequestError';
  }
}

/**
 * Runs a refund call; a provider that cannot be reached gives ok:false (the caller retries with the same
 * refundId) instead of an exception, since the refund sweeper treats every failure the same way.
 */
export async function refundOrFailure(
  call: () => Promise<{ ok: boolean; refundRef: string | null; message: string }>,
): Promise<{ ok: boolean; refundRef: string | null; message: string }> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GatewayRequestError) return { ok: false, refundRef: null, message: error.message };
    throw error;
  }
}

export function hmacHex(algorithm: 'sha256' | 'sha512', key: string, data: string): string {
  return createHmac(algorithm, key).update(data, 'utf8').digest('hex');
}

/** Constant-time comparison of a hex signature we computed with the one received (any letter case). */
export function sameHex(expected: string, received: unknown): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time comparison of two secrets of possibly different length (hashed first so lengths match). */
export function sameSecret(expected: string, received: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(received).digest();
  return timingSafeEqual(a, b) && expected.length === received.length;
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** A scalar field as the provider's signature sees it: strings as is, finite numbers in decimal, otherwise ''. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return '';
}

/** A non-negative integer amount from a number or a decimal string; null for anything else. */
export function wholeNumber(value: unknown): number | null {
  const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

export function requireAmount(amountVnd: number): void {
  if (!Number.isSafeInteger(amountVnd) || amountVnd <= 0) {
    throw new RangeError(`amount must be a positive integer VND, got ${amountVnd}`);
  }
}

/** Letters and digits only: the form every provider accepts in its order references. */
export const compactId = (id: string) => id.replace(/[^0-9A-Za-z]/g, '');

/** Accents and control characters removed: several providers reject or garble non-ASCII descriptions. */
export function asciiText(value: string, maxLength = 255): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7E]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxLength);
}

export function vietnamTime(date: Date, format: string): string {
  return DateTime.fromJSDate(date, { zone: VIETNAM_ZONE }).toFormat(format);
}

export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/** POSTs and returns the parsed JSON answer; transport failures, non-2xx and non-JSON become GatewayRequestError. */
export async function postToProvider(
  gateway: string,
  url: string,
  body: { json: unknown } | { form: Record<string, string> },
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const isJson = 'json' in body;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': isJson ? 'application/json' : 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: isJson ? JSON.stringify(body.json) : new URLSearchParams(body.form).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new GatewayRequestError(gateway, `request to ${new URL(url).host} failed`, { cause: error });
  }
  const raw = await response.text().catch(() => '');
  if (!response.ok) throw new GatewayRequestError(gateway, `HTTP ${response.status}: ${raw.slice(0, 200)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new GatewayRequestError(gateway, `answer is not JSON: ${raw.slice(0, 200)}`, { cause: error });
  }
  const record = asRecord(parsed);
  if (!record) throw new GatewayRequestError(gateway, 'answer is not a JSON object');
  return record;
}
