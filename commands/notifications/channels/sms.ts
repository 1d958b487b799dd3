import { createHash } from 'node:crypto';
import { VIETNAMESE_PHONE } from '../../../domain/identity/profile.js';
import { postJson, RetryLaterError, retryAfterSecondsOf } from './http.js';
import { ChannelError, type ChannelSender, type OutgoingMessage } from './port.js';

/*
 * eSMS.vn (ViHAT), "Send OTP/Customer care message":
 * https://developers.esms.vn/en/esms-api/send-sms-api/send-otp-customer-care-message
 * `POST {url}/MainService.svc/json/SendMultipleMessage_V4_post_json/` with JSON
 * {ApiKey, SecretKey, Phone, Content, SmsType, Brandname?, IsUnicode, RequestId}; SmsType 2 is a
 * customer-care message from a registered brandname, 8 a message from a fixed number (no brandname).
 * The answer is HTTP 200 with {CodeResult: "100", SMSID} or {CodeResult, ErrorMessage}; codes:
 * https://developers.esms.vn/en/esms-api/table-of-error-codes. RequestId (at most 50 characters)
 * blocks duplicates for 24 hours: a retry of a send that got through is answered 124.
 */

export const DEFAULT_ESMS_URL = 'https://rest.esms.vn';
const SEND_PATH = '/MainService.svc/json/SendMultipleMessage_V4_post_json/';
const REQUEST_ID_MAX = 50;

export interface SmsConfig {
  provider: 'esms';
  /** SMS_PROVIDER_URL: the API's base URL; tests point it at a local server. */
  url: string;
  /** SMS_API_KEY, SMS_SECRET_KEY: the account's credentials. */
  apiKey: string;
  secretKey: string;
  /** SMS_BRANDNAME: registered sender name (SmsType 2); unset, messages go from a fixed number (SmsType 8). */
  brandname: string | undefined;
}

/** `0912 345 678`, `+84 912 345 678`, `84912345678` → `0912345678`; anything but a Vietnamese mobile → null. */
export function normalizeVietnamesePhone(input: string): string | null {
  const compact = input.trim().replace(/[\s.()-]/g, '');
  const national = compact.replace(/^(\+84|0084|84)(?=\d{9}$)/, '0');
  return VIETNAMESE_PHONE.test(national) ? national : null;
}

/** The delivery's idempotency key as eSMS's RequestId: as is when it fits, else a digest of it. */
export function esmsRequestId(idempotencyKey: string): string {
  if (/^[A-Za-z0-9_.:-]+$/.test(idempotencyKey) && idempotencyKey.length <= REQUEST_ID_MAX) return idempotencyKey;
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
}

/** What each documented CodeResult means for a message; codes not listed are not retried. */
const ESMS_CODES: Record<string, { reason: string; retryable: boolean }> = {
  '99': { reason: 'the phone number is blocked', retryable: false },
  '101': { reason: 'wrong ApiKey or SecretKey', retryable: false },
  '102': { reason: 'no price list for this account', retryable: false },
  // The balance may be topped up before the next attempt.
  '103': { reason: 'not enough balance', retryable: true },
  '104': { reason: 'the brandname is not registered', retryable: false },
  '108': { reason: 'the phone number is not valid', retryable: false },
  '140': { reason: 'this IP is not whitelisted', retryable: false },
  '146': { reason: 'the text matches no registered customer-care template', retryable: false },
  '177': { reason: "the recipient's network is not registered for this brandname", retryable: false },
  '300': { reason: 'the message type is missing', retryable: false },
};

interface EsmsAnswer {
  CodeResult?: unknown;
  SMSID?: unknown;
  ErrorMessage?: unknown;
}

export interface SmsSenderOptions {
  timeoutMs?: number;
}

/** SMS through eSMS.vn; `to` is a Vietnamese mobile number in any usual spelling. */
export function esmsSender(config: Omit<SmsConfig, 'provider'>, options: SmsSenderOptions = {}): ChannelSender {
  const endpoint = `${config.url.replace(/\/+$/, '')}${SEND_PATH}`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    channel: 'sms',
    async send(message: OutgoingMessage) {
      const phone = normalizeVietnamesePhone(message.to);
      if (phone === null) throw new ChannelError('sms: not a Vietnamese mobile number', false, 'PHONE_INVALID');
      const content = message.text.normalize('NFC').trim();
      if (content === '') throw new ChannelError('sms: the text is empty', false, 'TEXT_EMPTY');
      const requestId = esmsRequestId(message.idempotencyKey);
      const answer = await postJson(
        'esms',
        endpoint,
        {
          ApiKey: config.apiKey,
          SecretKey: config.secretKey,
          Phone: phone,
          Content: content,
          SmsType: config.brandname ? '2' : '8',
          ...(config.brandname && { Brandname: config.brandname }),
          IsUnicode: /[^\x20-\x7e\r\n]/.test(content) ? '1' : '0',
          RequestId: requestId,
        },
        timeoutMs,
      );
      if (answer.status === 429 || answer.status >= 500) {
        const retryAfter = retryAfterSecondsOf(answer.headers.get('retry-after'));
        const text = `esms: HTTP ${answer.status}`;
        const code = `HTTP_${answer.status}`;
        throw retryAfter === null ? new ChannelError(text, true, code) : new RetryLaterError(text, retryAfter, code);
      }
      if (answer.status !== 200) throw new ChannelError(`esms: HTTP ${answer.status}`, false, `HTTP_${answer.status}`);
      const body = (answer.body ?? {}) as EsmsAnswer;
      const code =
        typeof body.CodeResult === 'string' || typeof body.CodeResult === 'number' ? String(body.CodeResult) : '';
      if (code === '100') {
        return { providerMessageId: typeof body.SMSID === 'string' ? body.SMSID : `request:${requestId}` };
      }
      // An earlier attempt of this very delivery got through (same RequestId within 24 h).
      if (code === '124') return { providerMessageId: `request:${requestId}` };
      if (code === '') throw new ChannelError('esms: the answer has no CodeResult', true, 'BAD_RESPONSE');
      const known = ESMS_CODES[code];
      const said = typeof body.ErrorMessage === 'string' ? ` (${body.ErrorMessage})` : '';
      throw new ChannelError(`esms: ${known?.reason ?? 'refused'}${said}`, known?.retryable ?? false, `ESMS_${code}`);
    },
  };
}
