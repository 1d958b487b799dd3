import { DateTime } from 'luxon';
import { hmacHex, sameHex, VIETNAM_ZONE } from './gateway-support.js';

/**
 * VNPay 2.1.0 signing, shared by the adapter and the local sandbox gateway.
 * - Payment URL, IPN and return URL: the vnp_* parameters except vnp_SecureHash(Type), empty ones left out,
 *   sorted by name, each name and value form-encoded (space as '+'), joined `k=v&k=v`, HMAC-SHA512 with the
 *   hash secret, hex. The URL carries exactly that string, so what is signed is what is sent.
 * - querydr / refund JSON API: HMAC-SHA512 over the documented fields joined with '|'.
 */

export const VNP_VERSION = '2.1.0';
const HASH_FIELDS = new Set(['vnp_SecureHash', 'vnp_SecureHashType']);

export const vnpEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');

export function vnpSignedQuery(params: Record<string, string | undefined>): string {
  return Object.keys(params)
    .filter((key) => key.startsWith('vnp_') && !HASH_FIELDS.has(key) && params[key])
    .sort()
    .map((key) => `${vnpEncode(key)}=${vnpEncode(params[key] ?? '')}`)
    .join('&');
}

export function vnpSecureHash(hashSecret: string, params: Record<string, string | undefined>): string {
  return hmacHex('sha512', hashSecret, vnpSignedQuery(params));
}

/** The full query string to append to a VNPay URL (signed fields, then vnp_SecureHash). */
export function vnpSignedQueryString(hashSecret: string, params: Record<string, string | undefined>): string {
  const signed = vnpSignedQuery(params);
  return `${signed}&vnp_SecureHash=${hmacHex('sha512', hashSecret, signed)}`;
}

export function vnpHasValidHash(hashSecret: string, params: Record<string, string | undefined>): boolean {
  return sameHex(vnpSecureHash(hashSecret, params), params.vnp_SecureHash);
}

/** Checksum of the merchant API (querydr, refund): the given fields in the documented order, joined by '|'. */
export function vnpChecksum(hashSecret: string, fields: readonly unknown[]): string {
  const joined = fields.map((f) => (typeof f === 'string' || typeof f === 'number' ? String(f) : '')).join('|');
  return hmacHex('sha512', hashSecret, joined);
}

/** Field order of each merchant API message, as VNPay documents it. */
export const VNP_CHECKSUM_FIELDS = {
  querydrRequest: [
    'vnp_RequestId',
    'vnp_Version',
    'vnp_Command',
    'vnp_TmnCode',
    'vnp_TxnRef',
    'vnp_TransactionDate',
    'vnp_CreateDate',
    'vnp_IpAddr',
    'vnp_OrderInfo',
  ],
  querydrResponse: [
    'vnp_ResponseId',
    'vnp_Command',
    'vnp_ResponseCode',
    'vnp_Message',
    'vnp_TmnCode',
    'vnp_TxnRef',
    'vnp_Amount',
    'vnp_BankCode',
    'vnp_PayDate',
    'vnp_TransactionNo',
    'vnp_TransactionType',
    'vnp_TransactionStatus',
    'vnp_OrderInfo',
    'vnp_PromotionCode',
    'vnp_PromotionAmount',
  ],
  refundRequest: [
    'vnp_RequestId',
    'vnp_Version',
    'vnp_Command',
    'vnp_TmnCode',
    'vnp_TransactionType',
    'vnp_TxnRef',
    'vnp_Amount',
    'vnp_TransactionNo',
    'vnp_TransactionDate',
    'vnp_CreateBy',
    'vnp_CreateDate',
    'vnp_IpAddr',
    'vnp_OrderInfo',
  ],
  refundResponse: [
    'vnp_ResponseId',
    'vnp_Command',
    'vnp_ResponseCode',
    'vnp_Message',
    'vnp_TmnCode',
    'vnp_TxnRef',
    'vnp_Amount',
    'vnp_BankCode',
    'vnp_PayDate',
    'vnp_TransactionNo',
    'vnp_TransactionType',
    'vnp_TransactionStatus',
    'vnp_OrderInfo',
  ],
} as const;

export function vnpMessageChecksum(
  hashSecret: string,
  kind: keyof typeof VNP_CHECKSUM_FIELDS,
  message: Record<string, unknown>,
): string {
  return vnpChecksum(
    hashSecret,
    VNP_CHECKSUM_FIELDS[kind].map((field) => message[field]),
  );
}

/** yyyyMMddHHmmss in Vietnam time, as every VNPay date field. */
export const vnpDate = (date: Date) => DateTime.fromJSDate(date, { zone: VIETNAM_ZONE }).toFormat('yyyyMMddHHmmss');

export function parseVnpDate(value: string): Date | null {
  if (!/^\d{14}$/.test(value)) return null;
  const parsed = DateTime.fromFormat(value, 'yyyyMMddHHmmss', { zone: VIETNAM_ZONE });
  return parsed.isValid ? parsed.toJSDate() : null;
}
