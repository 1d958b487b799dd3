import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { momoGateway } from '../../commands/payments/gateways/momo.js';
import type { CallbackInput } from '../../commands/payments/gateways/port.js';

// MoMo v2 IPN signature as documented: HMAC-SHA256(secretKey, "accessKey=..&amount=..&extraData=..&message=..
// &orderId=..&orderInfo=..&orderType=..&partnerCode=..&payType=..&requestId=..&responseTime=..&resultCode=..
// &transId=..") with raw (unencoded) values.
const PARTNER = 'MOMOTEST2025';
const ACCESS = 'F8BBA842ECF85';
const SECRET = 'K951B6PE1waDMi640xX08PD3vg6EkVlz';

function documentedSignature(ipn: Record<string, unknown>, secret = SECRET) {
  const raw =
    `accessKey=${ACCESS}&amount=${ipn.amount}&extraData=${ipn.extraData}&message=${ipn.message}` +
    `&orderId=${ipn.orderId}&orderInfo=${ipn.orderInfo}&orderType=${ipn.orderType}&partnerCode=${ipn.partnerCode}` +
    `&payType=${ipn.payType}&requestId=${ipn.requestId}&responseTime=${ipn.responseTime}` +
    `&resultCode=${ipn.resultCode}&transId=${ipn.transId}`;
  return createHmac('sha256', secret).update(raw).digest('hex');
}

const gateway = momoGateway({
  partnerCode: PARTNER,
  accessKey: ACCESS,
  secretKey: SECRET,
  endpoint: 'http://127.0.0.1:9',
});

const notice = (overrides: Record<string, unknown> = {}) => {
  const ipn: Record<string, unknown> = {
    partnerCode: PARTNER,
    orderId: '0b6f7c3e-1111-4222-8333-944445555666',
    requestId: 'b1c2d3e4-0000-4000-8000-000000000001',
    amount: 150000,
    orderInfo: 'Dat coc phong 101',
    orderType: 'momo_wallet',
    transId: 4088878653,
    resultCode: 0,
    message: 'Successful.',
    payType: 'qr',
    responseTime: 1721720663942,
    extraData: '',
    ...overrides,
  };
  return { ...ipn, signature: documentedSignature(ipn) };
};
const post = (body: unknown): CallbackInput => ({ query: {}, body, headers: {} });

describe('MoMo IPN verification', () => {
  test('a correct IPN verifies with amount, orderId and transId', () => {
    expect(gateway.verifyCallback(post(notice()))).toEqual({
      ok: true,
      notice: {
        gatewayRef: '0b6f7c3e-1111-4222-8333-944445555666',
        outcome: 'paid',
        amountVnd: 150_000,
        currency: 'VND',
        gatewayTransactionId: '4088878653',
        resultCode: '0',
        message: 'Successful.',
      },
    });
  });

  test('a declined payment verifies as failed', () => {
    expect(
      gateway.verifyCallback(post(notice({ resultCode: 1006, message: 'Transaction denied by user.' }))),
    ).toMatchObject({ ok: true, notice: { outcome: 'failed', resultCode: '1006' } });
  });

  test('the browser return (same fields as strings in the query) verifies too', () => {
    const query = Object.fromEntries(Object.entries(notice()).map(([k, v]) => [k, String(v)]));
    expect(gateway.verifyReturn?.(query)).toMatchObject({ ok: true, notice: { amountVnd: 150_000 } });
  });

  test('forged notices are refused as bad_signature', () => {
    const genuine = notice();
    expect(gateway.verifyCallback(post({ ...genuine, amount: 1000 }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(gateway.verifyCallback(post({ ...genuine, resultCode: 0, orderId: 'another' })).ok).toBe(false);
    const { signature: _, ...unsigned } = genuine;
    expect(
      gateway.verifyCallback(post({ ...unsigned, signature: documentedSignature(unsigned, 'wrong-secret') })),
    ).toEqual({ ok: false, reason: 'bad_signature' });
    expect(gateway.verifyCallback(post(unsigned))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  test('a replayed IPN verifies the same (the app dedupes by gatewayTransactionId)', () => {
    const ipn = notice();
    expect(gateway.verifyCallback(post(ipn))).toEqual(gateway.verifyCallback(post(structuredClone(ipn))));
  });

  test('malformed input never throws', () => {
    for (const body of [null, undefined, 'x', 7, [], { signature: [] }, { amount: { n: 1 }, signature: 'ab' }]) {
      expect(() => gateway.verifyCallback(post(body))).not.toThrow();
      expect(gateway.verifyCallback(post(body)).ok).toBe(false);
    }
    expect(gateway.verifyCallback(post(notice({ amount: 'lots' })))).toEqual({ ok: false, reason: 'malformed' });
    expect(gateway.verifyCallback(post(notice({ partnerCode: 'SOMEONEELSE' })))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  test('answers are 204 No Content; a forged notice gets 400', () => {
    expect(gateway.answer('accepted')).toEqual({ status: 204, body: null });
    expect(gateway.answer('duplicate').status).toBe(204);
    expect(gateway.answer('rejected').status).toBe(400);
  });
});
