import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyLedger } from '../../projections/ledger/verify.js';
import type { DepositView, PaymentView } from '../../projections/payments/payments-queries.js';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/app.js';
import { actingFor, listingTakingDeposits, payAtSandbox, txnRefOf } from '../support/money-world.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

type Created = { deposit: DepositView; payment: PaymentView; checkout: { redirectUrl: string; gatewayRef: string } };

const sandbox = () => {
  const gateway = t.app.sandbox;
  if (!gateway) throw new Error('the test app runs the VNPay sandbox');
  return gateway;
};
const deposit = (id: string) => t.call<DepositView>('GET', `/api/v1/deposits/${id}`, undefined, ADMIN);
const payment = (id: string) => t.call<PaymentView>('GET', `/api/v1/payments/${id}`, undefined, ADMIN);
const roomStatus = async (listingId: string, roomId: string) => {
  const options = await t.call<{ rooms: { roomId: string; status: string }[] }>(
    'GET',
    `/api/v1/listings/${listingId}/deposit-options`,
  );
  return options.body.data.rooms.find((r) => r.roomId === roomId)?.status;
};
const settledTo = async (paymentId: string, status: string) =>
  eventually(async () => {
    const answer = await payment(paymentId);
    expect(answer.body.data.status).toBe(status);
    return answer.body.data;
  });

describe('deposits over HTTP with the VNPay sandbox', () => {
  test('reservation deposit: checkout → pay → IPN → captured, room reserved; replay and forgery change nothing', async () => {
    const { listingId, roomIds } = await listingTakingDeposits(t);
    const customerId = crypto.randomUUID();
    const roomId = roomIds[0] as string;

    const options = await t.call<{ rooms: { kinds: { kind: string; amountVnd: number; feeVnd: number }[] }[] }>(
      'GET',
      `/api/v1/listings/${listingId}/deposit-options`,
    );
    expect(options.body.data.rooms[0]?.kinds).toEqual([
      expect.objectContaining({ kind: 'reservation', amountVnd: 1_000_000, feeVnd: 10_000 }),
      expect.objectContaining({ kind: 'security', amountVnd: 3_000_000, feeVnd: 30_000 }),
    ]);

    const noKey = await t.call(
      'POST',
      '/api/v1/deposits',
      { listingId, roomId, kind: 'reservation', gateway: 'vnpay' },
      {
        ...ADMIN,
        'x-act-as': customerId,
      },
    );
    expect(noKey.status).toBe(400);
    expect(noKey.body.error?.field).toBe('Idempotency-Key');
    const badKind = await t.call(
      'POST',
      '/api/v1/deposits',
      { listingId, roomId, kind: 'gift', gateway: 'vnpay' },
      actingFor(customerId),
    );
    expect(badKind.status).toBe(400);
    expect(badKind.body.error?.field).toContain('kind');

    const created = await t.call<Created>(
      'POST',
      '/api/v1/deposits',
      { listingId, roomId, kind: 'reservation', gateway: 'vnpay' },
      actingFor(customerId),
    );
    expect(created.status).toBe(201);
    const { deposit: pending, payment: initiated, checkout } = created.body.data;
    expect(pending).toMatchObject({
      status: 'awaiting_payment',
      kind: 'reservation',
      amountVnd: 1_000_000,
      customerId,
    });
    expect(initiated).toMatchObject({
      status: 'initiated',
      principalVnd: 1_000_000,
      feeVnd: 10_000,
      totalVnd: 1_010_000,
    });
    expect(checkout.redirectUrl.startsWith(sandbox().paymentUrl)).toBe(true);
    const { returnUrl } = await payAtSandbox(t, checkout.redirectUrl);
    const ipn = sandbox()
      .payments()
      .find((p) => p.txnRef === txnRefOf(checkout.redirectUrl))?.ipn[0];
    expect(ipn?.answer).toMatchObject({ RspCode: '00' });
    const captured = await settledTo(initiated.id, 'captured');
    expect(captured.gatewayTransactionId).not.toBeNull();
    await eventually(async () => expect((await deposit(pending.id)).body.data.status).toBe('held'));
    expect(await roomStatus(listingId, roomId)).toBe('reserved');

    const browser = await fetch(returnUrl, { redirect: 'manual' });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe(`/payments/${initiated.id}`);

    const replay = await sandbox().resendIpn(txnRefOf(checkout.redirectUrl));
    expect(replay.answer).toMatchObject({ RspCode: '02' });

    const signed = new URL(ipn?.url ?? '');
    signed.searchParams.set('vnp_Amount', '100'); // the payer tries to pay 1 ₫ with a copied notice
    const forged = await fetch(signed);
    expect(forged.status).toBe(401);
    await eventually(async () => {
      const { rows } = await t.app.services.pool.query(
        `select actor_id from rm.audit_trail where event_type = 'GatewayCallbackRejected'`,
      );
      expect(rows).toEqual([expect.objectContaining({ actor_id: 'gateway:vnpay' })]);
    });
    expect((await payment(initiated.id)).body.data.status).toBe('captured');
  });

  test('convert a reservation into a security deposit: only the rest is paid; cancel refunds by the policy', async () => {
    const { listingId, roomIds } = await listingTakingDeposits(t);
    const customerId = crypto.randomUUID();
    const [first, second] = roomIds as [string, string];

    const reservation = await t.call<Created>(
      'POST',
      '/api/v1/deposits',
      { listingId, roomId: first, kind: 'reservation', gateway: 'vnpay' },
      actingFor(customerId),
    );
    await payAtSandbox(t, reservation.body.data.checkout.redirectUrl);
    await settledTo(reservation.body.data.payment.id, 'captured');

    const converted = await t.call<Created>(
      'POST',
      `/api/v1/deposits/${reservation.body.data.deposit.id}/convert`,
      { gateway: 'vnpay' },
      actingFor(customerId),
    );
    expect(converted.status).toBe(201);
    expect(converted.body.data.deposit).toMatchObject({
      kind: 'security',
      amountVnd: 3_000_000,
      convertedVnd: 1_000_000,
    });
    expect(converted.body.data.payment).toMatchObject({ principalVnd: 2_000_000, feeVnd: 20_000 });
    await payAtSandbox(t, converted.body.data.checkout.redirectUrl);
    await settledTo(converted.body.data.payment.id, 'captured');
    await eventually(async () => {
      expect((await deposit(converted.body.data.deposit.id)).body.data.status).toBe('held');
      expect((await deposit(reservation.body.data.deposit.id)).body.data.status).toBe('converted');
    });
    expect(await roomStatus(listingId, first)).toBe('reserved');

    const other = await t.call<Created>(
      'POST',
      '/api/v1/deposits',
      { listingId, roomId: second, kind: 'reservation', gateway: 'vnpay' },
      actingFor(customerId),
    );
    await payAtSandbox(t, other.body.data.checkout.redirectUrl);
    await settledTo(other.body.data.payment.id, 'captured');
    const cancelled = await t.call<DepositView>(
      'POST',
      `/api/v1/deposits/${other.body.data.deposit.id}/cancel`,
      undefined,
      actingFor(customerId),
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: 'refunded', refundVnd: 1_000_000, forfeitVnd: 0 });
    const refunded = await settledTo(other.body.data.payment.id, 'refunded');
    expect(refunded.refundedVnd).toBe(1_000_000);
    await eventually(async () => expect(await roomStatus(listingId, second)).toBe('available'));
    const paidBack = sandbox()
      .payments()
      .find((p) => p.txnRef === txnRefOf(other.body.data.checkout.redirectUrl));
    expect(paidBack?.refundedVnd).toBe(1_000_000);

    const strangerCancels = await t.call(
      'POST',
      `/api/v1/deposits/${converted.body.data.deposit.id}/cancel`,
      undefined,
      actingFor(crypto.randomUUID()),
    );
    expect(strangerCancels.status).toBe(404);

    const ledger = await eventually(async () => {
      const result = await verifyLedger(t.app.services);
      expect(result.ok).toBe(true);
      return result;
    });
    expect(ledger.ok).toBe(true);
  });
});
