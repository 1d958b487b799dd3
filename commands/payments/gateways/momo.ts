import { randomUUID } from 'node:crypto';
import {
  asciiText,
  asRecord,
  GatewayRequestError,
  hmacHex,
  postToProvider,
  refundOrFailure,
  requireAmount,
  sameHex,
  text,
  wholeNumber,
} from './gateway-support.js';
import type {
  CallbackAnswer,
  Checkout,
  CheckoutRequest,
  GatewayStatus,
  PaymentGateway,
  RefundRequest,
  RefundResult,
  VerifiedCallback,
} from './port.js';

/**
 * MoMo payment gateway v2 (`/v2/gateway/api/create|query|refund`). Every message is signed with
 * HMAC-SHA256(secretKey, rawSignature), rawSignature being `key=value` pairs in the documented (alphabetical)
 * order joined with '&', values not encoded.
 */
export interface MomoConfig {
  partnerCode: string;
  accessKey: string;
  secretKey: string;
  /** Base URL, e.g. https://test-payment.momo.vn */
  endpoint: string;
  requestType?: 'captureWallet' | 'payWithMethod' | 'payWithATM' | 'payWithCC';
  lang?: 'vi' | 'en';
  timeoutMs?: number;
  requestId?: () => string;
}

const IPN_SIGNED_FIELDS = [
  'amount',
  'extraData',
  'message',
  'orderId',
  'orderInfo',
  'orderType',
  'partnerCode',
  'payType',
  'requestId',
  'responseTime',
  'resultCode',
  'transId',
] as const;

/** MoMo order ids: letters, digits and - _ . (at most 50). */
const momoOrderId = (id: string) => id.replace(/[^0-9A-Za-z_.-]/g, '').slice(0, 50);

// resultCode 0 is a captured payment; these are still in progress (1000 waiting for the payer, 7000/7002
// processing, 9000 authorised but not captured).
const PENDING_CODES = new Set(['1000', '7000', '7002', '9000']);
const NOT_FOUND_CODES = new Set(['42']);

export function momoGateway(config: MomoConfig): PaymentGateway {
  const timeoutMs = config.timeoutMs ?? 30_000;
  const newRequestId = config.requestId ?? (() => randomUUID());
  const lang = config.lang ?? 'vi';
  const base = config.endpoint.replace(/\/+$/, '');
  const sign = (pairs: [string, string][]) =>
    hmacHex('sha256', config.secretKey, pairs.map(([k, v]) => `${k}=${v}`).join('&'));

  function verifyNotice(input: unknown): VerifiedCallback {
    const body = asRecord(input);
    if (!body) return { ok: false, reason: 'malformed' };
    const expected = sign([
      ['accessKey', config.accessKey],
      ...IPN_SIGNED_FIELDS.map((field): [string, string] => [field, text(body[field])]),
    ]);
    if (!sameHex(expected, body.signature)) return { ok: false, reason: 'bad_signature' };

    const amountVnd = wholeNumber(body.amount);
    const orderId = text(body.orderId);
    const resultCode = text(body.resultCode);
    const transId = text(body.transId);
    if (text(body.partnerCode) !== config.partnerCode || amountVnd === null || !orderId || !resultCode) {
      return { ok: false, reason: 'malformed' };
    }
    return {
      ok: true,
      notice: {
        gatewayRef: orderId,
        outcome: resultCode === '0' ? 'paid' : 'failed',
        amountVnd,
        currency: 'VND',
        // A failed attempt may carry no MoMo transaction: keep such ids distinct per order and result.
        gatewayTransactionId: transId && transId !== '0' ? transId : `${orderId}-${resultCode}`,
        resultCode,
        message: text(body.message),
      },
    };
  }

  async function sendRefund(request: RefundRequest): Promise<RefundResult> {
    const requestId = newRequestId();
    const orderId = momoOrderId(request.refundId);
    const description = asciiText(request.reason) || `Hoan tien ${request.gatewayRef}`;
    const signature = sign([
      ['accessKey', config.accessKey],
      ['amount', String(request.amountVnd)],
      ['description', description],
      ['orderId', orderId],
      ['partnerCode', config.partnerCode],
      ['requestId', requestId],
      ['transId', request.gatewayTransactionId],
    ]);
    const answer = await postToProvider(
      'momo',
      `${base}/v2/gateway/api/refund`,
      {
        json: {
          partnerCode: config.partnerCode,
          orderId,
          requestId,
          amount: request.amountVnd,
          transId: Number(request.gatewayTransactionId),
          lang,
          description,
          signature,
        },
      },
      timeoutMs,
    );
    const code = text(answer.resultCode);
    const refundTransId = text(answer.transId);
    return {
      ok: code === '0',
      refundRef: code === '0' ? refundTransId || orderId : null,
      message: `${code}: ${text(answer.message)}`,
    };
  }

  return {
    name: 'momo',

    async createCheckout(request: CheckoutRequest): Promise<Checkout> {
      requireAmount(request.amountVnd);
      const orderId = momoOrderId(request.paymentId);
      const requestId = newRequestId();
      const requestType = config.requestType ?? 'captureWallet';
      const orderInfo = asciiText(request.description) || `Thanh toan ${orderId}`;
      const signature = sign([
        ['accessKey', config.accessKey],
        ['amount', String(request.amountVnd)],
        ['extraData', ''],
        ['ipnUrl', request.notifyUrl],
        ['orderId', orderId],
        ['orderInfo', orderInfo],
        ['partnerCode', config.partnerCode],
        ['redirectUrl', request.returnUrl],
        ['requestId', requestId],
        ['requestType', requestType],
      ]);
      const minutes = Math.floor((request.expiresAt.getTime() - request.createdAt.getTime()) / 60_000);
      const answer = await postToProvider(
        'momo',
        `${base}/v2/gateway/api/create`,
        {
          json: {
            partnerCode: config.partnerCode,
            requestId,
            amount: request.amountVnd,
            orderId,
            orderInfo,
            redirectUrl: request.returnUrl,
            ipnUrl: request.notifyUrl,
            requestType,
            extraData: '',
            autoCapture: true,
            lang,
            ...(minutes > 0 && { orderExpireTime: minutes }),
            signature,
          },
        },
        timeoutMs,
      );
      const payUrl = text(answer.payUrl);
      if (text(answer.resultCode) !== '0' || !payUrl) {
        throw new GatewayRequestError('momo', `create answered ${text(answer.resultCode)}: ${text(answer.message)}`);
      }
      return { gatewayRef: orderId, redirectUrl: payUrl };
    },

    verifyCallback: (input) => verifyNotice(input.body),
    // MoMo redirects the payer with the IPN's fields and signature in the query string.
    verifyReturn: (query) => verifyNotice(query),

    answer(outcome): CallbackAnswer {
      // MoMo expects 204 No Content once the IPN is handled; a forged notice gets a plain 400.
      return outcome === 'rejected'
        ? { status: 400, body: { message: 'invalid signature' } }
        : { status: 204, body: null };
    },

    async queryStatus(request): Promise<GatewayStatus> {
      const requestId = newRequestId();
      const signature = sign([
        ['accessKey', config.accessKey],
        ['orderId', request.gatewayRef],
        ['partnerCode', config.partnerCode],
        ['requestId', requestId],
      ]);
      const answer = await postToProvider(
        'momo',
        `${base}/v2/gateway/api/query`,
        { json: { partnerCode: config.partnerCode, requestId, orderId: request.gatewayRef, lang, signature } },
        timeoutMs,
      );
      const code = text(answer.resultCode);
      if (!code) throw new GatewayRequestError('momo', 'query answer has no resultCode');
      if (NOT_FOUND_CODES.has(code)) return { state: 'unknown', amountVnd: null, gatewayTransactionId: null };
      const transId = text(answer.transId);
      return {
        state: code === '0' ? 'paid' : PENDING_CODES.has(code) ? 'pending' : 'failed',
        amountVnd: wholeNumber(answer.amount),
        gatewayTransactionId: transId && transId !== '0' ? transId : null,
      };
    },

    async refund(request) {
      requireAmount(request.amountVnd);
      return refundOrFailure(() => sendRefund(request));
    },
  };
}
