import { describe, expect, test } from 'vitest';
import { createGateways, gatewayConfigFromEnv } from '../../commands/payments/gateways/index.js';
import { manualTransferGateway } from '../../commands/payments/gateways/manual.js';
import type { CallbackInput, CheckoutRequest } from '../../commands/payments/gateways/port.js';
import { sepayGateway } from '../../commands/payments/gateways/sepay.js';

const API_KEY = 'sepay-webhook-key-7f3a';
const account = { bank: 'MBBank', accountNumber: '0123499999', accountName: 'CONG TY PHONG TRO VIET' };
const sepay = sepayGateway({ apiKey: API_KEY, ...account });

const checkoutRequest: CheckoutRequest = {
  paymentId: '0b6f7c3e-1111-4222-8333-944445555666',
  payerId: 'payer-1',
  amountVnd: 2_277_000,
  description: 'Dat coc',
  returnUrl: 'https://app.example/return',
  notifyUrl: 'https://app.example/webhooks/sepay',
  clientIp: '203.0.113.9',
  createdAt: new Date('2025-03-01T03:25:00Z'),
  expiresAt: new Date('2025-03-01T03:40:00Z'),
};

// SePay webhook as documented: POST JSON, header "Authorization: Apikey <key>".
const webhook = (content: string, overrides: Record<string, unknown> = {}) => ({
  id: 92704,
  gateway: 'MBBank',
  transactionDate: '2025-03-01 10:31:07',
  accountNumber: '0123499999',
  code: null,
  content,
  transferType: 'in',
  transferAmount: 2277000,
  accumulated: 19077000,
  subAccount: null,
  referenceCode: 'FT25060123456789',
  description: `BankAPINotify ${content}`,
  ...overrides,
});
const input = (body: unknown, authorization: string | null = `Apikey ${API_KEY}`): CallbackInput => ({
  query: {},
  body,
  headers: authorization === null ? {} : { authorization },
});

describe('SePay', () => {
  test('checkout gives transfer instructions and the qr.sepay.vn image URL with the reference as content', async () => {
    const checkout = await sepay.createCheckout(checkoutRequest);
    expect(checkout.redirectUrl).toBeNull();
    expect(checkout.gatewayRef).toMatch(/^PTV[0-9A-F]{12}$/);
    expect(checkout.transfer).toEqual({ ...account, reference: checkout.gatewayRef, qrUrl: expect.any(String) });
    expect(checkout.transfer?.qrUrl).toBe(
      `https://qr.sepay.vn/img?acc=0123499999&bank=MBBank&amount=2277000&des=${checkout.gatewayRef}`,
    );
    expect((await sepay.createCheckout(checkoutRequest)).gatewayRef).toBe(checkout.gatewayRef);
  });

  test('a webhook with the right key verifies, matching the reference anywhere in the content (any case)', async () => {
    const { gatewayRef } = await sepay.createCheckout(checkoutRequest);
    const content = `MBVCB.3278907687.${gatewayRef.toLowerCase()}.CT tu 0011223344 NGUYEN VAN A`;
    expect(sepay.verifyCallback(input(webhook(content)))).toEqual({
      ok: true,
      notice: {
        gatewayRef,
        outcome: 'paid',
        amountVnd: 2_277_000,
        currency: 'VND',
        gatewayTransactionId: '92704',
        resultCode: 'in',
        message: 'MBBank FT25060123456789',
      },
    });
    expect(sepay.verifyCallback(input(webhook('no code', { code: gatewayRef }))).ok).toBe(true);
  });

  test('a wrong, missing or differently-schemed key is bad_signature', async () => {
    const { gatewayRef } = await sepay.createCheckout(checkoutRequest);
    const body = webhook(gatewayRef);
    for (const header of ['Apikey wrong', `Bearer ${API_KEY}`, `Apikey ${API_KEY}x`, '', null]) {
      expect(sepay.verifyCallback(input(body, header))).toEqual({ ok: false, reason: 'bad_signature' });
    }
    expect(sepay.verifyCallback({ query: {}, body, headers: { Authorization: [`apikey ${API_KEY}`] } }).ok).toBe(true);
  });

  test('a replayed webhook verifies the same (the app dedupes by gatewayTransactionId = SePay id)', async () => {
    const { gatewayRef } = await sepay.createCheckout(checkoutRequest);
    const body = webhook(gatewayRef);
    expect(sepay.verifyCallback(input(body))).toEqual(sepay.verifyCallback(input({ ...body })));
  });

  test('outgoing transfers, transfers without our reference and garbage are malformed, never thrown', () => {
    expect(sepay.verifyCallback(input(webhook('PTV0123456789AB', { transferType: 'out' })))).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(sepay.verifyCallback(input(webhook('tien phong thang 3')))).toEqual({ ok: false, reason: 'malformed' });
    for (const body of [null, 'x', 1, [], { id: {}, transferAmount: 'a' }, webhook('PTV0123456789AB', { id: null })]) {
      expect(() => sepay.verifyCallback(input(body))).not.toThrow();
      expect(sepay.verifyCallback(input(body))).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  test('answers {success:true} with 200; a refused call gets 401', () => {
    expect(sepay.answer('accepted')).toEqual({ status: 200, body: { success: true } });
    expect(sepay.answer('duplicate')).toEqual({ status: 200, body: { success: true } });
    expect(sepay.answer('rejected').status).toBe(401);
  });
});

describe('manual bank transfer', () => {
  const manual = manualTransferGateway(account);

  test('checkout returns transfer instructions with a reference and no redirect', async () => {
    const checkout = await manual.createCheckout(checkoutRequest);
    expect(checkout).toEqual({
      gatewayRef: expect.stringMatching(/^PTV[0-9A-F]{12}$/),
      redirectUrl: null,
      transfer: { ...account, reference: checkout.gatewayRef, qrUrl: null },
    });
  });

  test('there is no provider callback: always malformed', () => {
    expect(manual.verifyCallback(input({ anything: true }))).toEqual({ ok: false, reason: 'malformed' });
    expect(manual.verifyCallback(input(null, null))).toEqual({ ok: false, reason: 'malformed' });
  });

  test('refunds are paid out by staff', async () => {
    const result = await manual.refund({
      paymentId: 'p',
      gatewayRef: 'PTV0123456789AB',
      gatewayTransactionId: '',
      paidVnd: 500_000,
      amountVnd: 200_000,
      refundId: 'r1',
      reason: 'cancelled',
      at: new Date(),
    });
    expect(result).toMatchObject({ ok: true, refundRef: null, message: expect.stringMatching(/staff/i) });
  });
});

describe('gateway configuration from the environment', () => {
  test('a provider is present only when its keys are set; manual always is', () => {
    expect(createGateways(gatewayConfigFromEnv({}))).toEqual({
      vnpay: undefined,
      momo: undefined,
      zalopay: undefined,
      sepay: undefined,
      manual: expect.objectContaining({ name: 'manual' }),
    });
    const config = gatewayConfigFromEnv({
      VNPAY_TMN_CODE: 'TMN1',
      VNPAY_HASH_SECRET: 'secret',
      VNPAY_PAYMENT_URL: 'http://127.0.0.1:8089/paymentv2/vpcpay.html',
      MOMO_PARTNER_CODE: 'MOMO',
      MOMO_ACCESS_KEY: 'a',
      ZALOPAY_APP_ID: '2553',
      ZALOPAY_KEY1: 'k1',
      ZALOPAY_KEY2: 'k2',
      SEPAY_API_KEY: 'key',
      SEPAY_BANK: 'MBBank',
      SEPAY_ACCOUNT_NUMBER: '0123499999',
      SEPAY_ACCOUNT_NAME: 'PTV',
    });
    expect(config.vnpay).toMatchObject({ tmnCode: 'TMN1', paymentUrl: 'http://127.0.0.1:8089/paymentv2/vpcpay.html' });
    expect(config.vnpay?.apiUrl).toContain('/merchant_webapi/api/transaction');
    expect(config.momo).toBeUndefined();
    expect(config.zalopay).toMatchObject({ appId: '2553', endpoint: 'https://sb-openapi.zalopay.vn' });
    expect(config.sepay).toMatchObject({ apiKey: 'key', bank: 'MBBank' });
    expect(config.manual).toEqual({ bank: 'MBBank', accountNumber: '0123499999', accountName: 'PTV' });
    const gateways = createGateways(config);
    expect(
      Object.entries(gateways)
        .filter(([, g]) => g)
        .map(([name]) => name),
    ).toEqual(['vnpay', 'zalopay', 'sepay', 'manual']);
  });
});
