import {
  asciiText,
  asRecord,
  compactId,
  GatewayRequestError,
  hmacHex,
  postToProvider,
  refundOrFailure,
  requireAmount,
  sameHex,
  text,
  vietnamTime,
  wholeNumber,
} from './gateway-support.js';
import type {
  CallbackAnswer,
  CallbackOutcome,
  Checkout,
  CheckoutRequest,
  GatewayStatus,
  PaymentGateway,
  RefundRequest,
  RefundResult,
  VerifiedCallback,
} from './port.js';

/**
 * ZaloPay OpenAPI v2 (`/v2/create|query|refund`, form-encoded). Requests are signed with key1
 * (HMAC-SHA256 over '|'-joined fields); the callback's `data` string is signed with key2.
 * return_code: 1 success, 2 failure, 3 processing.
 */
export interface ZalopayConfig {
  appId: string;
  key1: string;
  key2: string;
  /** Base URL, e.g. https://sb-openapi.zalopay.vn */
  endpoint: string;
  /** Shown as app_user (who pays, from ZaloPay's point of view). */
  appUser?: string;
  timeoutMs?: number;
  clock?: () => Date;
}

const ANSWERS: Record<CallbackOutcome, { return_code: number; return_message: string }> = {
  accepted: { return_code: 1, return_message: 'success' },
  duplicate: { return_code: 2, return_message: 'zp_trans_id already processed' },
  unknown_payment: { return_code: -1, return_message: 'app_trans_id not found' },
  amount_mismatch: { return_code: -1, return_message: 'amount mismatch' },
  rejected: { return_code: -1, return_message: 'mac not equal' },
};

/** ZaloPay bounds for expire_duration_seconds. */
const clampExpiry = (seconds: number) => Math.min(2_592_000, Math.max(300, Math.floor(seconds)));

export function zalopayGateway(config: ZalopayConfig): PaymentGateway {
  const clock = config.clock ?? (() => new Date());
  const timeoutMs = config.timeoutMs ?? 30_000;
  const base = config.endpoint.replace(/\/+$/, '');
  const mac = (fields: (string | number)[]) => hmacHex('sha256', config.key1, fields.join('|'));
  const post = (path: string, form: Record<string, string>) =>
    postToProvider('zalopay', `${base}${path}`, { form }, timeoutMs);

  function verifyNotice(input: unknown): VerifiedCallback {
    const body = asRecord(input);
    if (!body || typeof body.data !== 'string') return { ok: false, reason: 'malformed' };
    if (!sameHex(hmacHex('sha256', config.key2, body.data), body.mac)) return { ok: false, reason: 'bad_signature' };
    let data: Record<string, unknown> | null;
    try {
      data = asRecord(JSON.parse(body.data));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const appTransId = text(data?.app_trans_id);
    const zpTransId = text(data?.zp_trans_id);
    const amountVnd = wholeNumber(data?.amount);
    if (!data || text(data.app_id) !== config.appId || !appTransId || !zpTransId || amountVnd === null) {
      return { ok: false, reason: 'malformed' };
    }
    // ZaloPay calls back only once it has taken the money.
    return {
      ok: true,
      notice: {
        gatewayRef: appTransId,
        outcome: 'paid',
        amountVnd,
        currency: 'VND',
        gatewayTransactionId: zpTransId,
        resultCode: '1',
        message: 'success',
      },
    };
  }

  async function sendRefund(request: RefundRequest): Promise<RefundResult> {
    const timestamp = clock().getTime();
    // m_refund_id: yymmdd_appid_<our id>, as ZaloPay documents; deterministic so a retry is the same refund.
    const mRefundId = `${vietnamTime(request.at, 'yyMMdd')}_${config.appId}_${compactId(request.refundId).slice(0, 32)}`;
    const description = asciiText(request.reason, 100) || `Hoan tien ${request.gatewayRef}`;
    const answer = await post('/v2/refund', {
      app_id: config.appId,
      m_refund_id: mRefundId,
      zp_trans_id: request.gatewayTransactionId,
      amount: String(request.amountVnd),
      timestamp: String(timestamp),
      description,
      mac: mac([config.appId, request.gatewayTransactionId, request.amountVnd, description, timestamp]),
    });
    const code = text(answer.return_code);
    // Refunds are asynchronous at ZaloPay: 3 means accepted and processing (query it with m_refund_id).
    const accepted = code === '1' || code === '3';
    return {
      ok: accepted,
      refundRef: accepted ? mRefundId : null,
      message:
        `${code}/${text(answer.sub_return_code)}: ${text(answer.return_message)} ${text(answer.sub_return_message)}`.trim(),
    };
  }

  return {
    name: 'zalopay',

    async createCheckout(request: CheckoutRequest): Promise<Checkout> {
      requireAmount(request.amountVnd);
      const now = clock();
      // app_trans_id must start with today's yymmdd in Vietnam time; 40 characters at most.
      const appTransId = `${vietnamTime(now, 'yyMMdd')}_${compactId(request.paymentId).slice(0, 33)}`;
      const appUser = config.appUser ?? 'phongtroviet';
      const appTime = now.getTime();
      const embedData = JSON.stringify({ redirecturl: request.returnUrl });
      const item = '[]';
      const form = {
        app_id: config.appId,
        app_user: appUser,
        app_trans_id: appTransId,
        app_time: String(appTime),
        expire_duration_seconds: String(
          clampExpiry((request.expiresAt.getTime() - request.createdAt.getTime()) / 1000),
        ),
        amount: String(request.amountVnd),
        item,
        description: asciiText(request.description, 256) || `Thanh toan ${appTransId}`,
        embed_data: embedData,
        bank_code: '',
        callback_url: request.notifyUrl,
        mac: mac([config.appId, appTransId, appUser, request.amountVnd, appTime, embedData, item]),
      };
      const answer = await post('/v2/create', form);
      const orderUrl = text(answer.order_url);
      if (text(answer.return_code) !== '1' || !orderUrl) {
        throw new GatewayRequestError(
          'zalopay',
          `create answered ${text(answer.return_code)}/${text(answer.sub_return_code)}: ${text(answer.return_message)} ${text(answer.sub_return_message)}`.trim(),
        );
      }
      return { gatewayRef: appTransId, redirectUrl: orderUrl };
    },

    verifyCallback: (input) => verifyNotice(input.body),
    answer: (outcome): CallbackAnswer => ({ status: 200, body: ANSWERS[outcome] }),

    async queryStatus(request): Promise<GatewayStatus> {
      const answer = await post('/v2/query', {
        app_id: config.appId,
        app_trans_id: request.gatewayRef,
        mac: mac([config.appId, request.gatewayRef, config.key1]),
      });
      const code = text(answer.return_code);
      const zpTransId = text(answer.zp_trans_id);
      const amountVnd = wholeNumber(answer.amount);
      if (code === '1') return { state: 'paid', amountVnd, gatewayTransactionId: zpTransId || null };
      if (code === '3') return { state: 'pending', amountVnd, gatewayTransactionId: null };
      if (code === '2') return { state: 'failed', amountVnd, gatewayTransactionId: null };
      throw new GatewayRequestError('zalopay', `query answered ${code || 'nothing'}: ${text(answer.return_message)}`);
    },

    async refund(request) {
      requireAmount(request.amountVnd);
      return refundOrFailure(() => sendRefund(request));
    },
  };
}
