import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asRecord } from '../../commands/payments/gateways/gateway-support.js';
import {
  parseVnpDate,
  VNP_VERSION,
  vnpDate,
  vnpHasValidHash,
  vnpSignedQueryString,
} from '../../commands/payments/gateways/vnpay-signing.js';
import { BANK_CODE, merchantApi } from './merchant-api.js';
import { errorPage, paymentPage } from './page.js';

/**
 * A local VNPay 2.1.0 gateway for development, API and browser tests: the signed payment URL and page,
 * the IPN (a signed GET to the merchant's IPN URL, which VNPay takes from its merchant portal and this
 * sandbox from the `ipnUrl` option), the signed browser return, and the querydr/refund JSON API.
 */
export interface SandboxGatewayOptions {
  port?: number;
  host?: string;
  tmnCode?: string;
  hashSecret?: string;
  /** Send the IPN when a payment completes (default true); false simulates a lost IPN. */
  autoNotify?: boolean;
  /** The merchant's IPN URL, read at each payment (so it may be known only after the app starts). */
  ipnUrl?: () => string | undefined;
  clock?: () => Date;
}

export interface IpnDelivery {
  url: string;
  status: number | null;
  answer: unknown;
  error: string | null;
}

export interface SandboxPayment {
  txnRef: string;
  amountVnd: number;
  orderInfo: string;
  returnUrl: string;
  createDate: string;
  expireDate: string | null;
  status: 'pending' | 'paid' | 'failed';
  transactionNo: string | null;
  payDate: string | null;
  refundedVnd: number;
  refunds: { requestId: string; amountVnd: number; transactionNo: string; type: string; createdBy: string }[];
  ipn: IpnDelivery[];
  /** Signed result parameters (IPN and return URL carry the same). */
  resultQuery: string | null;
}

export interface SandboxGateway {
  url: string;
  paymentUrl: string;
  apiUrl: string;
  tmnCode: string;
  hashSecret: string;
  /** Does what the payer's click does: records the outcome, sends the IPN (awaiting its answer), returns where the browser goes. */
  pay(txnRef: string, outcome: 'paid' | 'failed'): Promise<{ returnUrl: string }>;
  /** Sends the payment's IPN again (VNPay retries unanswered IPNs). */
  resendIpn(txnRef: string): Promise<IpnDelivery>;
  payments(): SandboxPayment[];
  close(): Promise<void>;
}

export async function startSandboxGateway(options: SandboxGatewayOptions = {}): Promise<SandboxGateway> {
  const tmnCode = options.tmnCode ?? 'SANDBOX1';
  const hashSecret = options.hashSecret ?? randomBytes(16).toString('hex').toUpperCase();
  const clock = options.clock ?? (() => new Date());
  const autoNotify = options.autoNotify ?? true;
  const payments = new Map<string, SandboxPayment>();
  const requestIds = new Set<string>();
  let lastTransactionNo = 14_000_000;
  const nextTransactionNo = () => String(++lastTransactionNo);
  const api = { tmnCode, hashSecret, clock, payments, requestIds, nextTransactionNo };

  async function deliverIpn(payment: SandboxPayment): Promise<IpnDelivery> {
    const url = options.ipnUrl?.();
    if (!url || !payment.resultQuery) {
      const skipped = { url: url ?? '', status: null, answer: null, error: 'no IPN URL configured' };
      payment.ipn.push(skipped);
      return skipped;
    }
    const target = `${url}${url.includes('?') ? '&' : '?'}${payment.resultQuery}`;
    const delivery: IpnDelivery = { url, status: null, answer: null, error: null };
    try {
      const response = await fetch(target, { signal: AbortSignal.timeout(10_000) });
      delivery.status = response.status;
      const raw = await response.text();
      try {
        delivery.answer = JSON.parse(raw);
      } catch {
        delivery.answer = raw;
      }
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    payment.ipn.push(delivery);
    return delivery;
  }

  async function complete(txnRef: string, outcome: 'paid' | 'failed'): Promise<{ returnUrl: string }> {
    const payment = payments.get(txnRef);
    if (!payment) throw new Error(`sandbox: no payment ${txnRef}`);
    if (payment.status !== 'pending') throw new Error(`sandbox: payment ${txnRef} is already ${payment.status}`);
    const paid = outcome === 'paid';
    payment.status = outcome;
    payment.transactionNo = paid ? nextTransactionNo() : '0';
    payment.payDate = vnpDate(clock());
    payment.resultQuery = vnpSignedQueryString(hashSecret, {
      vnp_Amount: String(payment.amountVnd * 100),
      vnp_BankCode: BANK_CODE,
      vnp_BankTranNo: paid ? `VNP${payment.transactionNo}` : undefined,
      vnp_CardType: 'ATM',
      vnp_OrderInfo: payment.orderInfo,
      vnp_PayDate: payment.payDate,
      vnp_ResponseCode: paid ? '00' : '24',
      vnp_TmnCode: tmnCode,
      vnp_TransactionNo: payment.transactionNo,
      vnp_TransactionStatus: paid ? '00' : '02',
      vnp_TxnRef: payment.txnRef,
    });
    if (autoNotify) await deliverIpn(payment);
    const separator = payment.returnUrl.includes('?') ? '&' : '?';
    return { returnUrl: `${payment.returnUrl}${separator}${payment.resultQuery}` };
  }

  function openPaymentPage(query: Record<string, string>): { status: number; html: string } {
    if (!vnpHasValidHash(hashSecret, query)) {
      return { status: 400, html: errorPage('Sai chữ ký', 'vnp_SecureHash không hợp lệ (mã lỗi 97).') };
    }
    const wireAmount = Number(query.vnp_Amount);
    const expiresAt = query.vnp_ExpireDate ? parseVnpDate(query.vnp_ExpireDate) : null;
    if (query.vnp_TmnCode !== tmnCode) return { status: 400, html: errorPage('Website chưa được phê duyệt', 'Mã 02.') };
    if (
      query.vnp_Version !== VNP_VERSION ||
      query.vnp_Command !== 'pay' ||
      query.vnp_CurrCode !== 'VND' ||
      !query.vnp_TxnRef ||
      !query.vnp_ReturnUrl ||
      !parseVnpDate(query.vnp_CreateDate ?? '') ||
      !Number.isSafeInteger(wireAmount) ||
      wireAmount <= 0 ||
      wireAmount % 100 !== 0
    ) {
      return { status: 400, html: errorPage('Dữ liệu không đúng định dạng', 'Mã 03.') };
    }
    if (expiresAt && expiresAt.getTime() < clock().getTime()) {
      return { status: 400, html: errorPage('Giao dịch đã quá thời gian chờ thanh toán', 'Mã 11.') };
    }
    const existing = payments.get(query.vnp_TxnRef);
    if (existing && (existing.status !== 'pending' || existing.amountVnd * 100 !== wireAmount)) {
      return { status: 400, html: errorPage('Giao dịch đã tồn tại', 'Mã 01.') };
    }
    const payment: SandboxPayment = existing ?? {
      txnRef: query.vnp_TxnRef,
      amountVnd: wireAmount / 100,
      orderInfo: query.vnp_OrderInfo ?? '',
      returnUrl: query.vnp_ReturnUrl,
      createDate: query.vnp_CreateDate ?? '',
      expireDate: query.vnp_ExpireDate ?? null,
      status: 'pending',
      transactionNo: null,
      payDate: null,
      refundedVnd: 0,
      refunds: [],
      ipn: [],
      resultQuery: null,
    };
    payments.set(payment.txnRef, payment);
    const html = paymentPage({
      txnRef: payment.txnRef,
      amountVnd: payment.amountVnd,
      orderInfo: payment.orderInfo,
      merchant: tmnCode,
      expiresAt: expiresAt ? expiresAt.toISOString() : null,
    });
    return { status: 200, html };
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      response.end(body);
    };
    if (request.method === 'GET' && url.pathname === '/paymentv2/vpcpay.html') {
      const page = openPaymentPage(Object.fromEntries(url.searchParams));
      return send(page.status, 'text/html; charset=utf-8', page.html);
    }
    if (request.method === 'POST' && url.pathname === '/paymentv2/sandbox/complete') {
      const form = new URLSearchParams(await readBody(request));
      const outcome = form.get('outcome');
      const payment = payments.get(form.get('vnp_TxnRef') ?? '');
      if (payment?.status !== 'pending' || (outcome !== 'paid' && outcome !== 'failed')) {
        return send(400, 'text/html; charset=utf-8', errorPage('Giao dịch không hợp lệ', 'Không thể hoàn tất.'));
      }
      const { returnUrl } = await complete(payment.txnRef, outcome);
      return send(302, 'text/plain', '', { location: returnUrl });
    }
    if (request.method === 'POST' && url.pathname === '/merchant_webapi/api/transaction') {
      let body: Record<string, unknown> | null = null;
      try {
        body = asRecord(JSON.parse(await readBody(request)));
      } catch {}
      if (!body) {
        return send(400, 'application/json', JSON.stringify({ vnp_ResponseCode: '03', vnp_Message: 'Bad JSON' }));
      }
      return send(200, 'application/json', JSON.stringify(merchantApi(api, body)));
    }
    send(404, 'text/plain; charset=utf-8', 'not found');
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error instanceof Error ? error.message : 'error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    paymentUrl: `${url}/paymentv2/vpcpay.html`,
    apiUrl: `${url}/merchant_webapi/api/transaction`,
    tmnCode,
    hashSecret,
    pay: complete,
    async resendIpn(txnRef) {
      const payment = payments.get(txnRef);
      if (!payment?.resultQuery) throw new Error(`sandbox: payment ${txnRef} has no result yet`);
      return deliverIpn(payment);
    },
    payments: () => [...payments.values()].map((p) => structuredClone(p)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
