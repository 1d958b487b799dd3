import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GatewayRequestError } from '../../commands/payments/gateways/gateway-support.js';
import { momoGateway } from '../../commands/payments/gateways/momo.js';
import type { CheckoutRequest, PaymentGateway } from '../../commands/payments/gateways/port.js';
import { vnpayGateway } from '../../commands/payments/gateways/vnpay.js';
import { zalopayGateway } from '../../commands/payments/gateways/zalopay.js';
import { type SandboxGateway, startSandboxGateway } from '../../ops/sandbox-gateway/server.js';

type Received = { method: string; path: string; query: URLSearchParams; raw: string };
type Reply = { status?: number; body: unknown };

/** A real HTTP server on a free port; `route` answers each request, everything received is kept. */
async function localServer(route: (request: Received) => Reply) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://local');
      const entry = { method: request.method ?? '', path: url.pathname, query: url.searchParams, raw };
      received.push(entry);
      const reply = route(entry);
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      response.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const hmac256 = (key: string, data: string) => createHmac('sha256', key).update(data).digest('hex');
const checkout = (overrides: Partial<CheckoutRequest> = {}): CheckoutRequest => ({
  paymentId: randomUUID(),
  payerId: 'payer-1',
  amountVnd: 150_000,
  description: 'Đặt cọc phòng 101',
  returnUrl: 'https://app.example/payments/return',
  notifyUrl: 'https://app.example/payments/notify',
  clientIp: '203.0.113.9',
  createdAt: new Date(),
  expiresAt: new Date(Date.now() + 15 * 60_000),
  ...overrides,
});
const refundOf = (gatewayRef: string, gatewayTransactionId: string, amountVnd: number, paidVnd = 150_000) => ({
  paymentId: 'p',
  gatewayRef,
  gatewayTransactionId,
  paidVnd,
  amountVnd,
  refundId: randomUUID(),
  reason: 'Hủy đặt cọc',
  at: new Date(),
});

describe('MoMo over HTTP (a local server speaking /v2/gateway/api/*)', () => {
  const M = { partnerCode: 'MOMOTEST', accessKey: 'ACCESSKEY1', secretKey: 'SECRETKEY1SECRETKEY1' };
  let momo: Awaited<ReturnType<typeof localServer>>;
  let gateway: PaymentGateway;
  const raw = (pairs: [string, unknown][]) => pairs.map(([k, v]) => `${k}=${v}`).join('&');

  beforeAll(async () => {
    momo = await localServer(({ path, raw: body }) => {
      const r = JSON.parse(body) as Record<string, string | number>;
      if (path === '/v2/gateway/api/create') {
        const expected = hmac256(
          M.secretKey,
          raw([
            ['accessKey', M.accessKey],
            ['amount', r.amount],
            ['extraData', r.extraData],
            ['ipnUrl', r.ipnUrl],
            ['orderId', r.orderId],
            ['orderInfo', r.orderInfo],
            ['partnerCode', r.partnerCode],
            ['redirectUrl', r.redirectUrl],
            ['requestId', r.requestId],
            ['requestType', r.requestType],
          ]),
        );
        if (r.signature !== expected) return { body: { resultCode: 11, message: 'Access denied: bad signature' } };
        if (r.amount === 999) return { body: { resultCode: 22, message: 'Invalid amount' } };
        return {
          body: {
            partnerCode: M.partnerCode,
            orderId: r.orderId,
            requestId: r.requestId,
            amount: r.amount,
            responseTime: Date.now(),
            message: 'Successful.',
            resultCode: 0,
            payUrl: `https://test-payment.momo.vn/v2/gateway/pay?t=${r.orderId}`,
          },
        };
      }
      if (path === '/v2/gateway/api/query') {
        const expected = hmac256(
          M.secretKey,
          raw([
            ['accessKey', M.accessKey],
            ['orderId', r.orderId],
            ['partnerCode', r.partnerCode],
            ['requestId', r.requestId],
          ]),
        );
        if (r.signature !== expected) return { body: { resultCode: 11, message: 'bad signature' } };
        if (r.orderId === 'missing') return { body: { resultCode: 42, message: 'Invalid orderId' } };
        if (r.orderId === 'waiting')
          return { body: { resultCode: 1000, message: 'Waiting', amount: 150000, transId: 0 } };
        return {
          body: { orderId: r.orderId, resultCode: 0, message: 'Successful.', amount: 150000, transId: 4088878653 },
        };
      }
      if (path === '/v2/gateway/api/refund') {
        const expected = hmac256(
          M.secretKey,
          raw([
            ['accessKey', M.accessKey],
            ['amount', r.amount],
            ['description', r.description],
            ['orderId', r.orderId],
            ['partnerCode', r.partnerCode],
            ['requestId', r.requestId],
            ['transId', r.transId],
          ]),
        );
        if (r.signature !== expected) return { body: { resultCode: 11, message: 'bad signature' } };
        if (Number(r.amount) > 150000) return { body: { resultCode: 1080, message: 'Refund amount exceeds' } };
        return {
          body: { orderId: r.orderId, amount: r.amount, transId: 4088879999, resultCode: 0, message: 'Successful.' },
        };
      }
      return { status: 404, body: {} };
    });
    gateway = momoGateway({ ...M, endpoint: momo.url });
  });
  afterAll(() => momo.close());

  test('createCheckout posts a signed create request and returns payUrl', async () => {
    const request = checkout();
    const result = await gateway.createCheckout(request);
    expect(result).toEqual({
      gatewayRef: request.paymentId,
      redirectUrl: `https://test-payment.momo.vn/v2/gateway/pay?t=${request.paymentId}`,
    });
    const sent = JSON.parse(momo.received.at(-1)?.raw ?? '{}');
    expect(sent).toMatchObject({
      amount: 150000,
      orderInfo: 'Dat coc phong 101',
      ipnUrl: request.notifyUrl,
      lang: 'vi',
    });
  });

  test('an error answer becomes a GatewayRequestError; so does a dead endpoint', async () => {
    await expect(gateway.createCheckout(checkout({ amountVnd: 999 }))).rejects.toThrow(/22: Invalid amount/);
    const wrongKey = momoGateway({ ...M, secretKey: 'other', endpoint: momo.url });
    await expect(wrongKey.createCheckout(checkout())).rejects.toBeInstanceOf(GatewayRequestError);
    const dead = momoGateway({ ...M, endpoint: 'http://127.0.0.1:9', timeoutMs: 2000 });
    await expect(dead.queryStatus({ paymentId: 'p', gatewayRef: 'x', createdAt: new Date() })).rejects.toBeInstanceOf(
      GatewayRequestError,
    );
  });

  test('queryStatus maps resultCode 0 / 1000 / 42', async () => {
    const q = (gatewayRef: string) => gateway.queryStatus({ paymentId: 'p', gatewayRef, createdAt: new Date() });
    expect(await q('order-1')).toEqual({ state: 'paid', amountVnd: 150_000, gatewayTransactionId: '4088878653' });
    expect(await q('waiting')).toMatchObject({ state: 'pending', gatewayTransactionId: null });
    expect(await q('missing')).toEqual({ state: 'unknown', amountVnd: null, gatewayTransactionId: null });
  });

  test('refund succeeds within the paid amount and reports the provider refusal otherwise', async () => {
    expect(await gateway.refund(refundOf('order-1', '4088878653', 50_000))).toEqual({
      ok: true,
      refundRef: '4088879999',
      message: '0: Successful.',
    });
    expect(await gateway.refund(refundOf('order-1', '4088878653', 200_000))).toMatchObject({
      ok: false,
      refundRef: null,
    });
    const dead = momoGateway({ ...M, endpoint: 'http://127.0.0.1:9', timeoutMs: 2000 });
    expect(await dead.refund(refundOf('order-1', '4088878653', 50_000))).toMatchObject({ ok: false });
  });
});

describe('ZaloPay over HTTP (a local server speaking /v2/create|query|refund)', () => {
  const Z = { appId: '2553', key1: 'PcY4iZIKFCIdgZvA6ueMcMHHUbRLYjPL', key2: 'kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz' };
  let zalo: Awaited<ReturnType<typeof localServer>>;
  let gateway: PaymentGateway;

  beforeAll(async () => {
    zalo = await localServer(({ path, raw }) => {
      const f = Object.fromEntries(new URLSearchParams(raw));
      const refused = {
        return_code: 2,
        return_message: 'Giao dịch thất bại',
        sub_return_code: -402,
        sub_return_message: 'Chữ ký không hợp lệ',
      };
      if (path === '/v2/create') {
        const mac = hmac256(
          Z.key1,
          [f.app_id, f.app_trans_id, f.app_user, f.amount, f.app_time, f.embed_data, f.item].join('|'),
        );
        if (f.mac !== mac) return { body: refused };
        if (f.amount === '999')
          return {
            body: {
              return_code: 2,
              return_message: 'Giao dịch thất bại',
              sub_return_code: -401,
              sub_return_message: 'Dữ liệu yêu cầu không hợp lệ',
            },
          };
        return {
          body: {
            return_code: 1,
            return_message: 'Giao dịch thành công',
            sub_return_code: 1,
            order_url: `https://qcgateway.zalopay.vn/openinapp?order=${f.app_trans_id}`,
            zp_trans_token: 'tok',
          },
        };
      }
      if (path === '/v2/query') {
        if (f.mac !== hmac256(Z.key1, `${f.app_id}|${f.app_trans_id}|${Z.key1}`)) return { body: refused };
        if (f.app_trans_id?.endsWith('_pending'))
          return { body: { return_code: 3, is_processing: true, amount: 0, zp_trans_id: 0 } };
        return {
          body: {
            return_code: 1,
            return_message: 'Giao dịch thành công',
            is_processing: false,
            amount: 150000,
            zp_trans_id: 250301000000389,
          },
        };
      }
      if (path === '/v2/refund') {
        const mac = hmac256(Z.key1, [f.app_id, f.zp_trans_id, f.amount, f.description, f.timestamp].join('|'));
        if (f.mac !== mac) return { body: refused };
        if (!/^\d{6}_2553_/.test(f.m_refund_id ?? ''))
          return { body: { return_code: 2, return_message: 'bad m_refund_id' } };
        if (Number(f.amount) > 150000)
          return { body: { return_code: 2, return_message: 'Số tiền hoàn không hợp lệ', sub_return_code: -13 } };
        return { body: { return_code: 3, return_message: 'Đang xử lý', sub_return_code: 2, refund_id: 12345 } };
      }
      return { status: 404, body: {} };
    });
    gateway = zalopayGateway({ ...Z, endpoint: zalo.url });
  });
  afterAll(() => zalo.close());

  test('createCheckout posts a form signed with key1 and returns order_url', async () => {
    const request = checkout();
    const result = await gateway.createCheckout(request);
    expect(result.gatewayRef).toMatch(/^\d{6}_[0-9a-f]{32}$/);
    expect(result.redirectUrl).toBe(`https://qcgateway.zalopay.vn/openinapp?order=${result.gatewayRef}`);
    const sent = Object.fromEntries(new URLSearchParams(zalo.received.at(-1)?.raw));
    expect(sent).toMatchObject({
      app_id: '2553',
      amount: '150000',
      item: '[]',
      callback_url: request.notifyUrl,
      expire_duration_seconds: '900',
    });
    expect(JSON.parse(sent.embed_data ?? '{}')).toEqual({ redirecturl: request.returnUrl });
  });

  test('an error answer (return_code 2) and a wrong key become GatewayRequestError', async () => {
    await expect(gateway.createCheckout(checkout({ amountVnd: 999 }))).rejects.toThrow(/-401/);
    const wrongKey = zalopayGateway({ ...Z, key1: 'nope', endpoint: zalo.url });
    await expect(wrongKey.createCheckout(checkout())).rejects.toThrow(/-402/);
  });

  test('queryStatus maps return_code 1 / 3', async () => {
    const q = (gatewayRef: string) => gateway.queryStatus({ paymentId: 'p', gatewayRef, createdAt: new Date() });
    expect(await q('250301_abc')).toEqual({
      state: 'paid',
      amountVnd: 150_000,
      gatewayTransactionId: '250301000000389',
    });
    expect(await q('250301_pending')).toMatchObject({ state: 'pending' });
  });

  test('refund is accepted (processing) with an m_refund_id; too much is refused', async () => {
    const ok = await gateway.refund(refundOf('250301_abc', '250301000000389', 50_000));
    expect(ok).toMatchObject({ ok: true, refundRef: expect.stringMatching(/^\d{6}_2553_[0-9a-f]{32}$/) });
    expect(await gateway.refund(refundOf('250301_abc', '250301000000389', 200_000))).toMatchObject({ ok: false });
  });
});

describe('VNPay against the local sandbox gateway', () => {
  let sandbox: SandboxGateway;
  let merchant: Awaited<ReturnType<typeof localServer>>;
  let gateway: PaymentGateway;

  beforeAll(async () => {
    // The merchant's IPN endpoint: verifies with the adapter and answers what the adapter says.
    merchant = await localServer(({ query }) => {
      const verified = gateway.verifyCallback({ query: Object.fromEntries(query), body: undefined, headers: {} });
      return { body: gateway.answer(verified.ok ? 'accepted' : 'rejected').body };
    });
    sandbox = await startSandboxGateway({ ipnUrl: () => `${merchant.url}/payments/vnpay/ipn` });
    gateway = vnpayGateway({
      tmnCode: sandbox.tmnCode,
      hashSecret: sandbox.hashSecret,
      paymentUrl: sandbox.paymentUrl,
      apiUrl: sandbox.apiUrl,
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await merchant.close();
  });

  test('full pay flow: checkout URL → page → pay → verified IPN → verified return → querydr → refunds', async () => {
    const { gatewayRef, redirectUrl } = await gateway.createCheckout(checkout());
    const page = await fetch(redirectUrl ?? '');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="sandbox-pay"');
    expect(html).toContain('id="sandbox-fail"');
    expect(html).toContain('150.000');
    expect(html).toContain('Dat coc phong 101');

    const { returnUrl } = await sandbox.pay(gatewayRef, 'paid');
    const ipn = merchant.received.at(-1);
    expect(ipn?.path).toBe('/payments/vnpay/ipn');
    const notice = gateway.verifyCallback({
      query: Object.fromEntries(ipn?.query ?? []),
      body: undefined,
      headers: {},
    });
    expect(notice).toMatchObject({ ok: true, notice: { gatewayRef, outcome: 'paid', amountVnd: 150_000 } });
    const record = sandbox.payments().find((p) => p.txnRef === gatewayRef);
    expect(record?.ipn[0]).toMatchObject({ status: 200, answer: { RspCode: '00', Message: 'Confirm Success' } });

    const back = new URL(returnUrl);
    expect(back.origin + back.pathname).toBe('https://app.example/payments/return');
    const returned = gateway.verifyReturn?.(Object.fromEntries(back.searchParams));
    expect(returned).toEqual(notice);

    const transactionId = notice.ok ? notice.notice.gatewayTransactionId : '';
    expect(await gateway.queryStatus({ paymentId: 'p', gatewayRef, createdAt: new Date() })).toEqual({
      state: 'paid',
      amountVnd: 150_000,
      gatewayTransactionId: transactionId,
    });

    expect(await gateway.refund(refundOf(gatewayRef, transactionId, 50_000))).toMatchObject({ ok: true });
    expect(await gateway.refund(refundOf(gatewayRef, transactionId, 120_000))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^93/),
    });
    expect(await gateway.refund(refundOf(gatewayRef, transactionId, 100_000))).toMatchObject({ ok: true });
    expect(await gateway.refund(refundOf(gatewayRef, transactionId, 1_000))).toMatchObject({ ok: false });
    expect(sandbox.payments().find((p) => p.txnRef === gatewayRef)?.refundedVnd).toBe(150_000);
  });

  test('the fail button (a plain form POST) redirects to a signed failed return', async () => {
    const { gatewayRef, redirectUrl } = await gateway.createCheckout(checkout());
    await fetch(redirectUrl ?? '');
    const response = await fetch(`${sandbox.url}/paymentv2/sandbox/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vnp_TxnRef: gatewayRef, outcome: 'failed' }).toString(),
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get('location') ?? '');
    expect(gateway.verifyReturn?.(Object.fromEntries(back.searchParams))).toMatchObject({
      ok: true,
      notice: { gatewayRef, outcome: 'failed', resultCode: '24' },
    });
    expect(await gateway.queryStatus({ paymentId: 'p', gatewayRef, createdAt: new Date() })).toMatchObject({
      state: 'failed',
    });
    expect(await gateway.refund(refundOf(gatewayRef, '0', 1_000))).toMatchObject({ ok: false });
  });

  test('a tampered payment URL gets the 400 page; unknown and pending payments are reported as such', async () => {
    const { gatewayRef, redirectUrl } = await gateway.createCheckout(checkout());
    const tampered = (redirectUrl ?? '').replace('vnp_Amount=15000000', 'vnp_Amount=100000');
    const page = await fetch(tampered);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Sai chữ ký');
    await fetch(redirectUrl ?? '');
    expect(await gateway.queryStatus({ paymentId: 'p', gatewayRef, createdAt: new Date() })).toMatchObject({
      state: 'pending',
    });
    const unknown = `${'f'.repeat(32)}20250101000000`;
    expect(await gateway.queryStatus({ paymentId: 'p', gatewayRef: unknown, createdAt: new Date() })).toMatchObject({
      state: 'unknown',
    });
  });

  test('an adapter with the wrong secret is refused by the merchant API (97 → GatewayRequestError)', async () => {
    const wrong = vnpayGateway({
      tmnCode: sandbox.tmnCode,
      hashSecret: 'WRONGSECRET',
      paymentUrl: sandbox.paymentUrl,
      apiUrl: sandbox.apiUrl,
    });
    await expect(wrong.queryStatus({ paymentId: 'p', gatewayRef: 'x', createdAt: new Date() })).rejects.toBeInstanceOf(
      GatewayRequestError,
    );
  });

  test('with autoNotify off no IPN is sent and querydr reconciles the payment', async () => {
    const quiet = await startSandboxGateway({ autoNotify: false, ipnUrl: () => `${merchant.url}/ipn` });
    try {
      const adapter = vnpayGateway({
        tmnCode: quiet.tmnCode,
        hashSecret: quiet.hashSecret,
        paymentUrl: quiet.paymentUrl,
        apiUrl: quiet.apiUrl,
      });
      const { gatewayRef, redirectUrl } = await adapter.createCheckout(checkout());
      await fetch(redirectUrl ?? '');
      const before = merchant.received.length;
      await quiet.pay(gatewayRef, 'paid');
      expect(merchant.received.length).toBe(before);
      expect(await adapter.queryStatus({ paymentId: 'p', gatewayRef, createdAt: new Date() })).toMatchObject({
        state: 'paid',
        amountVnd: 150_000,
      });
      const delivery = await quiet.resendIpn(gatewayRef);
      expect(delivery.answer).toEqual({ RspCode: '97', Message: 'Invalid signature' }); // signed for another adapter's secret
    } finally {
      await quiet.close();
    }
  });
});
