import { randomUUID } from 'node:crypto';
import {
  asciiText,
  asRecord,
  compactId,
  GatewayRequestError,
  postToProvider,
  refundOrFailure,
  requireAmount,
  sameHex,
  text,
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
import {
  parseVnpDate,
  VNP_VERSION,
  vnpDate,
  vnpHasValidHash,
  vnpMessageChecksum,
  vnpSignedQueryString,
} from './vnpay-signing.js';

export interface VnpayConfig {
  tmnCode: string;
  hashSecret: string;
  /** e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html */
  paymentUrl: string;
  /** e.g. https://sandbox.vnpayment.vn/merchant_webapi/api/transaction */
  apiUrl: string;
  locale?: 'vn' | 'en';
  orderType?: string;
  /** Our server's IP, sent with querydr/refund. */
  serverIp?: string;
  refundCreatedBy?: string;
  timeoutMs?: number;
  clock?: () => Date;
  requestId?: () => string;
}

const RESPONSE_TEXT: Record<string, string> = {
  '00': 'Giao dịch thành công',
  '07': 'Trừ tiền thành công, giao dịch bị nghi ngờ',
  '09': 'Thẻ/Tài khoản chưa đăng ký InternetBanking',
  '10': 'Xác thực thông tin thẻ/tài khoản sai quá 3 lần',
  '11': 'Đã hết hạn chờ thanh toán',
  '12': 'Thẻ/Tài khoản bị khóa',
  '13': 'Sai mật khẩu OTP',
  '24': 'Khách hàng hủy giao dịch',
  '51': 'Tài khoản không đủ số dư',
  '65': 'Vượt quá hạn mức giao dịch trong ngày',
  '75': 'Ngân hàng thanh toán đang bảo trì',
  '79': 'Nhập sai mật khẩu thanh toán quá số lần quy định',
  '91': 'Không tìm thấy giao dịch',
  '94': 'Yêu cầu trùng lặp',
  '95': 'Giao dịch không thành công bên VNPAY, từ chối hoàn tiền',
  '97': 'Checksum không hợp lệ',
  '99': 'Lỗi khác',
};
const describe = (code: string) => RESPONSE_TEXT[code] ?? `VNPay mã ${code}`;

const ANSWERS: Record<CallbackOutcome, { RspCode: string; Message: string }> = {
  accepted: { RspCode: '00', Message: 'Confirm Success' },
  duplicate: { RspCode: '02', Message: 'Order already confirmed' },
  unknown_payment: { RspCode: '01', Message: 'Order not found' },
  amount_mismatch: { RspCode: '04', Message: 'invalid amount' },
  rejected: { RspCode: '97', Message: 'Invalid signature' },
};

/**
 * vnp_TxnRef = our payment id (letters and digits) + the checkout's vnp_CreateDate. VNPay's refund API needs
 * the original vnp_CreateDate as vnp_TransactionDate and RefundRequest does not carry it, so the reference does.
 */
export const vnpayTxnRef = (paymentId: string, createdAt: Date) =>
  `${compactId(paymentId).slice(0, 32)}${vnpDate(createdAt)}`;
const transactionDateOf = (txnRef: string, fallback: Date) =>
  parseVnpDate(txnRef.slice(-14)) ? txnRef.slice(-14) : vnpDate(fallback);

export function vnpayGateway(config: VnpayConfig): PaymentGateway {
  const clock = config.clock ?? (() => new Date());
  const newRequestId = config.requestId ?? (() => randomUUID().replace(/-/g, ''));
  const timeoutMs = config.timeoutMs ?? 15_000;
  const serverIp = config.serverIp ?? '127.0.0.1';

  function verifyParams(input: unknown): VerifiedCallback {
    const raw = asRecord(input);
    if (!raw) return { ok: false, reason: 'malformed' };
    const params: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') params[key] = value;
    if (!vnpHasValidHash(config.hashSecret, params)) return { ok: false, reason: 'bad_signature' };

    const wireAmount = wholeNumber(params.vnp_Amount);
    const txnRef = params.vnp_TxnRef;
    const responseCode = params.vnp_ResponseCode;
    const transactionNo = params.vnp_TransactionNo;
    if (params.vnp_TmnCode !== config.tmnCode || wireAmount === null || wireAmount % 100 !== 0) {
      return { ok: false, reason: 'malformed' };
    }
    if (!txnRef || !responseCode || !transactionNo) return { ok: false, reason: 'malformed' };
    const status = params.vnp_TransactionStatus ?? responseCode;
    return {
      ok: true,
      notice: {
        gatewayRef: txnRef,
        outcome: responseCode === '00' && status === '00' ? 'paid' : 'failed',
        amountVnd: wireAmount / 100,
        currency: 'VND',
        // VNPay sends vnp_TransactionNo=0 for payments that never happened: keep those ids distinct per payment.
        gatewayTransactionId: transactionNo === '0' ? `${txnRef}-0` : transactionNo,
        resultCode: responseCode,
        message: describe(responseCode),
      },
    };
  }

  async function callApi(body: Record<string, string>, responseKind: 'querydrResponse' | 'refundResponse') {
    const answer = await postToProvider('vnpay', config.apiUrl, { json: body }, timeoutMs);
    if (answer.vnp_SecureHash !== undefined) {
      const expected = vnpMessageChecksum(config.hashSecret, responseKind, answer);
      if (!sameHex(expected, answer.vnp_SecureHash)) {
        throw new GatewayRequestError('vnpay', `${body.vnp_Command} answer has a bad checksum`);
      }
    } else if (answer.vnp_ResponseCode === '00') {
      throw new GatewayRequestError('vnpay', `${body.vnp_Command} answer is not signed`);
    }
    return answer;
  }

  async function sendRefund(request: RefundRequest): Promise<RefundResult> {
    const body: Record<string, string> = {
      vnp_RequestId: newRequestId(),
      vnp_Version: VNP_VERSION,
      vnp_Command: 'refund',
      vnp_TmnCode: config.tmnCode,
      vnp_TransactionType: request.amountVnd >= request.paidVnd ? '02' : '03',
      vnp_TxnRef: request.gatewayRef,
      vnp_Amount: String(request.amountVnd * 100),
      vnp_TransactionNo: request.gatewayTransactionId,
      vnp_TransactionDate: transactionDateOf(request.gatewayRef, request.at),
      vnp_CreateBy: config.refundCreatedBy ?? 'system',
      vnp_CreateDate: vnpDate(clock()),
      vnp_IpAddr: serverIp,
      vnp_OrderInfo: asciiText(request.reason) || `Hoan tien ${request.refundId}`,
    };
    body.vnp_SecureHash = vnpMessageChecksum(config.hashSecret, 'refundRequest', body);
    const answer = await callApi(body, 'refundResponse');
    const code = text(answer.vnp_ResponseCode);
    const refundNo = text(answer.vnp_TransactionNo);
    // 94 (a refund of this payment is still being processed) stays a failure: the caller retries later.
    const ok = code === '00';
    return {
      ok,
      refundRef: ok ? refundNo || null : null,
      message: `${code}: ${text(answer.vnp_Message) || describe(code)}`,
    };
  }

  return {
    name: 'vnpay',

    async createCheckout(request: CheckoutRequest): Promise<Checkout> {
      requireAmount(request.amountVnd);
      const txnRef = vnpayTxnRef(request.paymentId, request.createdAt);
      const query = vnpSignedQueryString(config.hashSecret, {
        vnp_Version: VNP_VERSION,
        vnp_Command: 'pay',
        vnp_TmnCode: config.tmnCode,
        vnp_Amount: String(request.amountVnd * 100),
        vnp_CurrCode: 'VND',
        vnp_TxnRef: txnRef,
        vnp_OrderInfo: asciiText(request.description) || `Thanh toan ${txnRef}`,
        vnp_OrderType: config.orderType ?? 'other',
        vnp_Locale: config.locale ?? 'vn',
        vnp_ReturnUrl: request.returnUrl,
        vnp_IpAddr: request.clientIp,
        vnp_CreateDate: vnpDate(request.createdAt),
        vnp_ExpireDate: vnpDate(request.expiresAt),
      });
      const separator = config.paymentUrl.includes('?') ? '&' : '?';
      return { gatewayRef: txnRef, redirectUrl: `${config.paymentUrl}${separator}${query}` };
    },

    verifyCallback: (input) => verifyParams(input.query),
    verifyReturn: (query) => verifyParams(query),
    answer: (outcome): CallbackAnswer => ({ status: 200, body: ANSWERS[outcome] }),

    async queryStatus(request): Promise<GatewayStatus> {
      const body: Record<string, string> = {
        vnp_RequestId: newRequestId(),
        vnp_Version: VNP_VERSION,
        vnp_Command: 'querydr',
        vnp_TmnCode: config.tmnCode,
        vnp_TxnRef: request.gatewayRef,
        vnp_OrderInfo: `Truy van ${request.gatewayRef}`,
        vnp_TransactionDate: transactionDateOf(request.gatewayRef, request.createdAt),
        vnp_CreateDate: vnpDate(clock()),
        vnp_IpAddr: serverIp,
      };
      body.vnp_SecureHash = vnpMessageChecksum(config.hashSecret, 'querydrRequest', body);
      const answer = await callApi(body, 'querydrResponse');
      const code = text(answer.vnp_ResponseCode);
      if (code === '91') return { state: 'unknown', amountVnd: null, gatewayTransactionId: null };
      if (code !== '00') throw new GatewayRequestError('vnpay', `querydr answered ${code}: ${describe(code)}`);
      const wireAmount = wholeNumber(answer.vnp_Amount);
      const transactionNo = text(answer.vnp_TransactionNo);
      const status = text(answer.vnp_TransactionStatus);
      // 05, 06 and 09 are refund states of a payment that did go through.
      const state = ['00', '05', '06', '09'].includes(status) ? 'paid' : status === '01' ? 'pending' : 'failed';
      return {
        state,
        amountVnd: wireAmount === null ? null : Math.floor(wireAmount / 100),
        gatewayTransactionId: transactionNo && transactionNo !== '0' ? transactionNo : null,
      };
    },

    async refund(request) {
      requireAmount(request.amountVnd);
      return refundOrFailure(() => sendRefund(request));
    },
  };
}
