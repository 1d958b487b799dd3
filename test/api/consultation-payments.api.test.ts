import { DateTime } from 'luxon';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemMetadata } from '../../commands/metadata.js';
import { paymentJobs } from '../../commands/payments/payment-jobs.js';
import { expertSeeder } from '../../ops/seed/verified-expert.js';
import { accountBalances } from '../../projections/ledger/ledger-queries.js';
import { verifyLedger } from '../../projections/ledger/verify.js';
import type { PaymentView } from '../../projections/payments/payments-queries.js';
import { ADMIN, eventually, startTestApp, type TestApp, testClock } from '../support/app.js';
import { actingFor, payAtSandbox } from '../support/money-world.js';

let t: TestApp;
const clock = testClock();
beforeAll(async () => {
  t = await startTestApp({ clock: clock.now });
});
afterAll(async () => {
  await t.close();
});

const FEE = 500_000;
const tomorrowAt = (hour: number) =>
  DateTime.now()
    .setZone('Asia/Ho_Chi_Minh')
    .plus({ days: 1 })
    .set({ hour, minute: 0, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;
type Paid = { paymentId: string; checkout: { redirectUrl: string } };

const payment = async (id: string) =>
  (await t.call<PaymentView>('GET', `/api/v1/payments/${id}`, undefined, ADMIN)).body.data;
const booking = async (id: string) =>
  (await t.call<{ status: string; paid: boolean }>('GET', `/api/v1/bookings/${id}`, undefined, ADMIN)).body.data;
const endedConsultations = () => {
  const job = paymentJobs(t.app.services.money, pino({ level: 'silent' })).find(
    (j) => j.name === 'consultation-settlement',
  );
  return job?.run({ pool: t.app.services.pool, now: clock.now() });
};

async function paidConsultation(expertId: string, serviceId: string, customerId: string, hour: number) {
  const requested = await t.call<{ bookingId: string; status: string; paymentDueAt: string | null }>(
    'POST',
    '/api/v1/bookings',
    { kind: 'consultation', expertId, serviceId, start: tomorrowAt(hour) },
    actingFor(customerId),
  );
  expect(requested.status).toBe(201);
  expect(requested.body.data).toMatchObject({ status: 'requested', paymentDueAt: expect.any(String) });
  const bookingId = requested.body.data.bookingId;
  const paid = await t.call<Paid>(
    'POST',
    `/api/v1/bookings/${bookingId}/pay`,
    { gateway: 'vnpay' },
    actingFor(customerId),
  );
  expect(paid.status).toBe(201);
  await payAtSandbox(t, paid.body.data.checkout.redirectUrl);
  await eventually(async () => expect((await payment(paid.body.data.paymentId))?.status).toBe('captured'));
  await eventually(async () => expect(await booking(bookingId)).toMatchObject({ status: 'confirmed', paid: true }));
  return { bookingId, paymentId: paid.body.data.paymentId };
}

describe('paid consultations', () => {
  test('paying confirms the booking; cancelling refunds the fee; a held session pays the expert less the platform share', async () => {
    const { expertId, serviceId } = await expertSeeder(t.app.services).verifiedExpert({
      feeVnd: FEE,
      autoConfirm: true,
    });
    const customerId = crypto.randomUUID();

    const cancelled = await paidConsultation(expertId, serviceId, customerId, 9);
    const again = await t.call(
      'POST',
      `/api/v1/bookings/${cancelled.bookingId}/pay`,
      { gateway: 'vnpay' },
      actingFor(customerId),
    );
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('BOOKING_ALREADY_PAID');
    const stranger = await t.call(
      'POST',
      `/api/v1/bookings/${cancelled.bookingId}/pay`,
      { gateway: 'vnpay' },
      actingFor(crypto.randomUUID()),
    );
    expect(stranger.status).toBe(404);

    const cancel = await t.call(
      'POST',
      `/api/v1/bookings/${cancelled.bookingId}/cancel`,
      { reason: 'Bận việc đột xuất' },
      actingFor(customerId),
    );
    expect(cancel.status).toBe(200);
    await eventually(async () => {
      await endedConsultations();
      expect(await payment(cancelled.paymentId)).toMatchObject({ status: 'refunded', refundedVnd: FEE });
    });

    const held = await paidConsultation(expertId, serviceId, customerId, 15);
    clock.advance(3 * 24 * 3600_000);
    await t.app.services.bookings.act({ type: 'AutoMarkAfterEnd', bookingId: held.bookingId }, systemMetadata('test'));
    await eventually(async () => expect((await booking(held.bookingId)).status).toBe('completed'));
    await eventually(async () => {
      await endedConsultations();
      const balances = await accountBalances(t.app.services.pool, { account: 'expert_payable' });
      expect(balances.map((b) => [b.subject, b.balanceVnd])).toEqual([[`user:${expertId}`, FEE * 0.9]]);
    });
    const revenue = await accountBalances(t.app.services.pool, { account: 'platform_revenue' });
    expect(revenue.reduce((sum, b) => sum + b.balanceVnd, 0)).toBe(FEE * 0.1);
    expect((await verifyLedger(t.app.services)).ok).toBe(true);
  }, 60_000);
});
