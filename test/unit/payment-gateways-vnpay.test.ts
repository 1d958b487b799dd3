import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import type { CallbackInput } from '../../commands/payments/gateways/port.js';
import { vnpayGateway } from '../../commands/payments/gateways/vnpay.js';

// VNPay 2.1.0 as documented, written out here rather than taken from the adapter: the vnp_* fields except
// vnp_SecureHash(Type), sorted by name, URL-encoded with spaces as '+', joined k=v&..., HMAC-SHA512, hex.
const SECRET = 'TESTHASHSECRET0123456789ABCDEFGH';
const TMN = 'TESTTMN1';
const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
function documentedHash(params: Record<string, string>, secret = SECRET) {
  const data = Object.keys(params)
    .filter((k) => k.startsWith('vnp_') && k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType' && params[k] !== '')
    .sort()
    .map((k) => `${encode(k)}=${encode(params[k] ?? '')}`)
    .join('&');
  return createHmac('sha512', secret).update(data, 'utf8').digest('hex');
}
const pipeHash = (fields: string[], secret = SECRET) =>
  createHmac('sha512', secret).update(fields.join('|'), 'utf8').digest('hex');

const gateway = vnpayGateway({
  tmnCode: TMN,
  hashSecret: SECRET,
  paymentUrl: 'https://sandbox.example/paymentv2/vpcpay.html',
  apiUrl: 'http://127.0.0.1:9/unused',
});

const result = (overrides: Record<string, string> = {}) => {
  const params: Record<string, string> = {
    vnp_Amount: '15000000',
    vnp_BankCode: 'NCB',
    vnp_BankTranNo: 'VNP14000001',
    vnp_CardType: 'ATM',
    vnp_OrderInfo: 'Dat coc phong 101 (Q. 3)',
    vnp_PayDate: '20250301103000',
    vnp_ResponseCode: '00',
    vnp_TmnCode: TMN,
    vnp_TransactionNo: '14000001',
    vnp_TransactionStatus: '00',
    vnp_TxnRef: 'a1b2c3d420250301102500',
    ...overrides,
  };
  return { ...params, vnp_SecureHashType: 'HmacSHA512', vnp_SecureHash: documentedHash(params) };
};
const ipn = (query: Record<string, unknown>): CallbackInput => ({
  query: query as Record<string, string>,
  body: undefined,
  headers: {},
});

describe('VNPay IPN and return verification', () => {
  test('a correct IPN verifies with the amount (wire amount / 100), reference and transaction number', () => {
    expect(gateway.verifyCallback(ipn(result()))).toEqual({
      ok: true,
      notice: {
        gatewayRef: 'a1b2c3d420250301102500',
        outcome: 'paid',
        amountVnd: 150_000,
        currency: 'VND',
        gatewayTransactionId: '14000001',
        resultCode: '00',
        message: expect.any(String),
      },
    });
    expect(gateway.verifyReturn?.(result())).toMatchObject({ ok: true, notice: { outcome: 'paid' } });
  });

  test('a cancelled payment verifies as failed; its transaction number 0 is made unique per payment', () => {
    const verified = gateway.verifyCallback(
      ipn(result({ vnp_ResponseCode: '24', vnp_TransactionStatus: '02', vnp_TransactionNo: '0', vnp_BankTranNo: '' })),
    );
    expect(verified).toMatchObject({
      ok: true,
      notice: { outcome: 'failed', resultCode: '24', gatewayTransactionId: 'a1b2c3d420250301102500-0' },
    });
  });

  test('an upper-case hash is the same signature', () => {
    const params = result();
    expect(gateway.verifyCallback(ipn({ ...params, vnp_SecureHash: params.vnp_SecureHash.toUpperCase() })).ok).toBe(
      true,
    );
  });

  test('forged notices are refused as bad_signature', () => {
    const genuine = result();
    expect(gateway.verifyCallback(ipn({ ...genuine, vnp_Amount: '100' }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(gateway.verifyCallback(ipn({ ...genuine, vnp_ResponseCode: '00', vnp_TxnRef: 'other' })).ok).toBe(false);
    const { vnp_SecureHash: _, ...unsigned } = genuine;
    const wrongKey = { ...unsigned, vnp_SecureHash: documentedHash(unsigned, 'ANOTHERSECRET') };
    expect(gateway.verifyCallback(ipn(wrongKey))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(gateway.verifyCallback(ipn(unsigned))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(gateway.verifyReturn?.({ ...genuine, vnp_OrderInfo: 'changed' })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  test('a replayed IPN verifies the same (the app dedupes by gatewayTransactionId, not the adapter)', () => {
    const notice = result();
    expect(gateway.verifyCallback(ipn(notice))).toEqual(gateway.verifyCallback(ipn({ ...notice })));
  });

  test('malformed input never throws', () => {
    const inputs: unknown[] = [null, undefined, 42, 'vnp_Amount=1', [], { vnp_SecureHash: 5 }, { vnp_Amount: {} }];
    for (const query of inputs) {
      expect(() => gateway.verifyCallback({ query: query as never, body: query, headers: {} })).not.toThrow();
      expect(gateway.verifyCallback({ query: query as never, body: null, headers: {} }).ok).toBe(false);
    }
    // Correctly signed but not a payment VNPay could send: an amount that is not whole VND, another merchant.
    expect(gateway.verifyCallback(ipn(result({ vnp_Amount: '1050' })))).toEqual({ ok: false, reason: 'malformed' });
    expect(gateway.verifyCallback(ipn(result({ vnp_TmnCode: 'OTHER' })))).toEqual({ ok: false, reason: 'malformed' });
    expect(gateway.verifyCallback(ipn(result({ vnp_Amount: 'abc' })))).toEqual({ ok: false, reason: 'malformed' });
  });

  test('answers are VNPay documented RspCodes', () => {
    expect(gateway.answer('accepted')).toEqual({ status: 200, body: { RspCode: '00', Message: 'Confirm Success' } });
    expect(gateway.answer('duplicate').body).toMatchObject({ RspCode: '02' });
    expect(gateway.answer('unknown_payment').body).toMatchObject({ RspCode: '01' });
    expect(gateway.answer('amount_mismatch').body).toMatchObject({ RspCode: '04' });
    expect(gateway.answer('rejected').body).toMatchObject({ RspCode: '97' });
  });
});

describe('VNPay payment URL', () => {
  test('carries the documented fields, amount x 100, Vietnam-time dates, and a hash computed over them', async () => {
    const checkout = await gateway.createCheckout({
      paymentId: '0b6f7c3e-1111-4222-8333-944445555666',
      payerId: 'payer-1',
      amountVnd: 1_250_000,
      description: 'Đặt cọc phòng 101 – Quận 3',
      returnUrl: 'https://app.example/payments/vnpay/return?x=1',
      notifyUrl: 'https://app.example/payments/vnpay/ipn',
      clientIp: '203.0.113.9',
      createdAt: new Date('2025-03-01T03:25:00Z'),
      expiresAt: new Date('2025-03-01T03:40:00Z'),
    });
    const url = new URL(checkout.redirectUrl ?? '');
    const params = Object.fromEntries(url.searchParams);
    expect(url.origin + url.pathname).toBe('https://sandbox.example/paymentv2/vpcpay.html');
    expect(params).toMatchObject({
      vnp_Version: '2.1.0',
      vnp_Command: 'pay',
      vnp_TmnCode: TMN,
      vnp_Amount: '125000000',
      vnp_CurrCode: 'VND',
      vnp_OrderInfo: 'Dat coc phong 101 Quan 3',
      vnp_ReturnUrl: 'https://app.example/payments/vnpay/return?x=1',
      vnp_IpAddr: '203.0.113.9',
      vnp_CreateDate: '20250301102500',
      vnp_ExpireDate: '20250301104000',
    });
    expect(checkout.gatewayRef).toBe('0b6f7c3e11114222833394444555566620250301102500');
    expect(params.vnp_TxnRef).toBe(checkout.gatewayRef);
    expect(params.vnp_SecureHash).toBe(documentedHash(params));
  });
});

describe('VNPay querydr and refund checksums', () => {
  test('requests carry the documented pipe-joined checksum and signed answers are checked', async () => {
    const received: Record<string, string>[] = [];
    const server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => {
        raw += chunk;
      });
      request.on('end', () => {
        const body = JSON.parse(raw) as Record<string, string>;
        received.push(body);
        const answer: Record<string, string> = {
          vnp_ResponseId: 'r1',
          vnp_Command: 'querydr',
          vnp_ResponseCode: '00',
          vnp_Message: 'QueryDR Success',
          vnp_TmnCode: TMN,
          vnp_TxnRef: body.vnp_TxnRef ?? '',
          vnp_Amount: '15000000',
          vnp_BankCode: 'NCB',
          vnp_PayDate: '20250301103000',
          vnp_TransactionNo: '14000001',
          vnp_TransactionType: '01',
          vnp_TransactionStatus: '00',
          vnp_OrderInfo: 'x',
          vnp_PromotionCode: '',
          vnp_PromotionAmount: '',
        };
        const fields = Object.values(answer);
        const tampered = body.vnp_TxnRef === 'tampered';
        answer.vnp_SecureHash = pipeHash(tampered ? fields.map((f) => `${f}x`) : fields);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const api = vnpayGateway({
      tmnCode: TMN,
      hashSecret: SECRET,
      paymentUrl: 'https://unused.example',
      apiUrl: `http://127.0.0.1:${port}/merchant_webapi/api/transaction`,
      clock: () => new Date('2025-03-02T01:00:00Z'),
      requestId: () => 'req123',
    });
    try {
      const status = await api.queryStatus({
        paymentId: 'p',
        gatewayRef: 'a1b2c3d420250301102500',
        createdAt: new Date('2025-03-01T03:25:00Z'),
      });
      expect(status).toEqual({ state: 'paid', amountVnd: 150_000, gatewayTransactionId: '14000001' });
      const sent = received[0] ?? {};
      expect(sent.vnp_TransactionDate).toBe('20250301102500');
      expect(sent.vnp_CreateDate).toBe('20250302080000');
      expect(sent.vnp_SecureHash).toBe(
        pipeHash(
          [
            'req123',
            '2.1.0',
            'querydr',
            TMN,
            'a1b2c3d420250301102500',
            '20250301102500',
            '20250302080000',
            sent.vnp_IpAddr ?? '',
            sent.vnp_OrderInfo ?? '',
          ].map(String),
        ),
      );
      await expect(api.queryStatus({ paymentId: 'p', gatewayRef: 'tampered', createdAt: new Date() })).rejects.toThrow(
        /checksum/,
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
