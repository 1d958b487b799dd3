import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { CallbackInput } from '../../commands/payments/gateways/port.js';
import { zalopayGateway } from '../../commands/payments/gateways/zalopay.js';

// ZaloPay v2 callback as documented: body {data: <JSON string>, mac, type}, mac = HMAC-SHA256(key2, data).
const KEY1 = 'PcY4iZIKFCIdgZvA6ueMcMHHUbRLYjPL';
const KEY2 = 'kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz';
const gateway = zalopayGateway({ appId: '2553', key1: KEY1, key2: KEY2, endpoint: 'http://127.0.0.1:9' });

const callbackData = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    app_id: 2553,
    app_trans_id: '250301_0b6f7c3e111142228333944445555666',
    app_time: 1740799500000,
    app_user: 'phongtroviet',
    amount: 150000,
    embed_data: '{"redirecturl":"https://app.example/return"}',
    item: '[]',
    zp_trans_id: 250301000000389,
    server_time: 1740799800000,
    channel: 38,
    merchant_user_id: '7ZMSl3nEg5sOUJzOLSoUFT8xKNQVaLOLXHB--8Eytqc',
    user_fee_amount: 0,
    discount_amount: 0,
    ...overrides,
  });
const signed = (data: string, key = KEY2) => ({
  data,
  mac: createHmac('sha256', key).update(data).digest('hex'),
  type: 1,
});
const post = (body: unknown): CallbackInput => ({ query: {}, body, headers: {} });

describe('ZaloPay callback verification', () => {
  test('a correct callback verifies with amount, app_trans_id and zp_trans_id', () => {
    expect(gateway.verifyCallback(post(signed(callbackData())))).toEqual({
      ok: true,
      notice: {
        gatewayRef: '250301_0b6f7c3e111142228333944445555666',
        outcome: 'paid',
        amountVnd: 150_000,
        currency: 'VND',
        gatewayTransactionId: '250301000000389',
        resultCode: '1',
        message: 'success',
      },
    });
  });

  test('forged callbacks are refused as bad_signature', () => {
    const genuine = signed(callbackData());
    expect(gateway.verifyCallback(post({ ...genuine, data: callbackData({ amount: 1000 }) }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(gateway.verifyCallback(post(signed(callbackData(), KEY1)))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(gateway.verifyCallback(post({ data: genuine.data }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  test('a replayed callback verifies the same (the app dedupes by gatewayTransactionId = zp_trans_id)', () => {
    const body = signed(callbackData());
    expect(gateway.verifyCallback(post(body))).toEqual(gateway.verifyCallback(post({ ...body })));
  });

  test('malformed input never throws', () => {
    for (const body of [null, undefined, 'data=x', 3, [], { data: 5, mac: 'x' }, { data: {}, mac: [] }]) {
      expect(() => gateway.verifyCallback(post(body))).not.toThrow();
      expect(gateway.verifyCallback(post(body))).toEqual({ ok: false, reason: 'malformed' });
    }
    // Correctly signed, but not JSON / another app / no amount.
    expect(gateway.verifyCallback(post(signed('{not json')))).toEqual({ ok: false, reason: 'malformed' });
    expect(gateway.verifyCallback(post(signed('[1,2]')))).toEqual({ ok: false, reason: 'malformed' });
    expect(gateway.verifyCallback(post(signed(callbackData({ app_id: 9999 }))))).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(gateway.verifyCallback(post(signed(callbackData({ amount: -5 }))))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  test('answers use return_code 1 (success), 2 (already processed), -1 (refused)', () => {
    expect(gateway.answer('accepted')).toEqual({ status: 200, body: { return_code: 1, return_message: 'success' } });
    expect(gateway.answer('duplicate').body).toMatchObject({ return_code: 2 });
    expect(gateway.answer('rejected').body).toMatchObject({ return_code: -1 });
    expect(gateway.answer('amount_mismatch').body).toMatchObject({ return_code: -1 });
  });
});
