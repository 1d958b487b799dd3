import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkoutStore } from '../../commands/payments/checkouts.js';
import { financeReport, reportRange, salesIncome } from '../../projections/payments/finance-reports.js';
import { paymentsProjection } from '../../projections/payments/payments-projection.js';
import * as q from '../../projections/payments/payments-queries.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import {
  C1,
  D,
  EXPERT,
  id,
  K,
  L2,
  NOW,
  OTHER,
  OWNER,
  openPaymentsWorld,
  P1,
  P2,
  type PaymentsWorld,
  policy,
  S1,
  S2,
} from '../support/payments-world.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const march = () => reportRange({ from: '2026-03-01', to: '2026-03-31' }, NOW);
let w: PaymentsWorld;
beforeAll(async () => {
  w = await openPaymentsWorld();
});
afterAll(async () => {
  await w.close();
});

describe('payments projection', () => {
  test('deposit views: held with commission, refunded with forfeit, cancelled after a reversed payment', async () => {
    const d1 = await q.getDeposit(w.db.pool, D.d1.depositId);
    expect(d1).toMatchObject({
      kind: 'reservation',
      status: 'held',
      customerId: K,
      ownerId: OWNER,
      listingTitle: 'Phòng trọ gần chợ Bà Chiểu',
      roomName: 'P.101',
      projectId: P1,
      areaId: 'A1',
      salesStaffId: S1,
      amountVnd: 1_000_000,
      feeVnd: 20_000,
      paymentId: D.d1.paymentId,
      policyId: policy.policyId,
      policyVersion: 1,
      heldAt: '2026-03-02T03:00:00.000Z',
      expiresAt: '2026-03-04T03:00:00.000Z',
      refundVnd: null,
    });
    expect(await q.getDeposit(w.db.pool, D.d3.depositId)).toMatchObject({
      status: 'refunded',
      refundVnd: 1_000_000,
      forfeitVnd: 1_000_000,
      reason: 'customer_cancelled',
    });
    expect(await q.getDeposit(w.db.pool, D.d4.depositId)).toMatchObject({
      status: 'cancelled',
      reason: 'amount_mismatch',
    });
    expect(await q.getDeposit(w.db.pool, id())).toBeNull();
    expect(await q.getDeposit(w.db.pool, 'not-a-uuid')).toBeNull();
  });

  test('payment views: totals, checkout, refunds, reasons', async () => {
    const p1 = await q.getPayment(w.db.pool, D.d1.paymentId);
    expect(p1).toMatchObject({
      payerId: K,
      payerName: 'Nguyễn Văn Khách',
      purpose: { kind: 'deposit', depositId: D.d1.depositId },
      status: 'captured',
      principalVnd: 1_000_000,
      feeVnd: 20_000,
      totalVnd: 1_020_000,
      refundedVnd: 0,
      gateway: 'vnpay',
      gatewayTransactionId: `T-${D.d1.paymentId}`,
      checkoutUrl: 'https://sandbox.vnpay.vn/pay?x=1',
      transfer: null,
      refunds: [],
    });
    const p3 = await q.getPayment(w.db.pool, D.d3.paymentId);
    expect(p3).toMatchObject({ status: 'refunded', refundedVnd: 1_000_000 });
    expect(p3?.refunds).toEqual([
      {
        refundId: 'rf-d3',
        amountVnd: 1_000_000,
        status: 'refunded',
        reason: 'customer_cancelled',
        at: '2026-03-12T05:00:00.000Z',
      },
    ]);
    expect(await q.getPayment(w.db.pool, D.d4.paymentId)).toMatchObject({
      status: 'reversed',
      reason: 'amount_mismatch',
    });
    const c1 = await q.getPayment(w.db.pool, C1);
    expect(c1).toMatchObject({ purpose: { kind: 'consultation', expertId: EXPERT }, status: 'captured' });
    expect(c1?.refunds.map((r) => r.status)).toEqual(['requested']);
    expect((await q.paymentsOfDeposit(w.db.pool, D.d1.depositId)).map((p) => p.id)).toEqual([D.d1.paymentId]);
    // D2's payment was written before its deposit: the deposit's parties still reach the payment row.
    const { rows } = await w.db.pool.query(
      'select deposit_kind, project_id, area_id, sales_staff_id, listing_id from rm.payments where id = $1',
      [D.d2.paymentId],
    );
    expect(rows[0]).toEqual({
      deposit_kind: 'security',
      project_id: P2,
      area_id: 'A2',
      sales_staff_id: S1,
      listing_id: L2,
    });
    const other = await q.transactionHistory(w.db.pool, OTHER, { limit: 10, status: ['captured'] });
    expect(other.items.map((r) => [r.type, r.paymentId])).toEqual([
      ['security_deposit', D.d2.paymentId],
      ['reservation_deposit', D.d5.paymentId],
    ]);

    const transfer = {
      bank: 'VCB',
      accountNumber: '0123',
      accountName: 'PHONG TRO VIET',
      reference: 'PTV D6',
      qrUrl: null,
    };
    await checkoutStore(w.db.pool).remember(D.d6.paymentId, 'manual', {
      gatewayRef: 'PTV D6',
      redirectUrl: null,
      transfer,
    });
    expect(await q.getPayment(w.db.pool, D.d6.paymentId)).toMatchObject({
      status: 'initiated',
      transfer,
      checkoutUrl: null,
    });
  });

  test('lists: customer deposits, sales desk, admin payments', async () => {
    const mine = await q.depositsOfCustomer(w.db.pool, K, { limit: 2 });
    expect(mine.items.map((d) => d.id)).toEqual([D.d4.depositId, D.d3.depositId]);
    const rest = await q.depositsOfCustomer(w.db.pool, K, { limit: 2, before: mine.nextBefore ?? '' });
    expect(rest).toEqual({ items: [expect.objectContaining({ id: D.d1.depositId })], nextBefore: null });
    expect((await q.depositsOfCustomer(w.db.pool, K, { limit: 10, status: ['held'] })).items).toHaveLength(1);

    const desk = await q.salesDeposits(w.db.pool, S1);
    expect(desk.credited.map((d) => d.id).sort()).toEqual([D.d1, D.d2, D.d5, D.d6].map((d) => d.depositId).sort());
    expect(desk.awaitingTransfers.map((p) => p.id)).toEqual([D.d6.paymentId]);
    expect((await q.salesDeposits(w.db.pool, S2)).awaitingTransfers).toEqual([]);

    const captured = await q.adminPayments(w.db.pool, { status: ['captured'], limit: 10 });
    expect(captured.items.map((p) => p.id).sort()).toEqual([D.d1.paymentId, D.d2.paymentId, D.d5.paymentId, C1].sort());
    const all = await q.adminPayments(w.db.pool, { limit: 100 });
    expect(all.items).toHaveLength(7);
  });

  test('transaction history: payments and refunds, newest first, keyset pages and filters', async () => {
    const first = await q.transactionHistory(w.db.pool, K, { limit: 4 });
    const second = await q.transactionHistory(w.db.pool, K, { limit: 4, before: first.nextBefore ?? '' });
    expect(second.nextBefore).toBeNull();
    const rows = [...first.items, ...second.items];
    expect(rows.map((r) => [r.type, r.status, r.amountVnd])).toEqual([
      ['reservation_deposit', 'reversed', 1_020_000],
      ['refund', 'refunded', 1_000_000],
      ['reservation_deposit', 'refunded', 2_040_000],
      ['refund', 'requested', 200_000],
      ['consultation', 'captured', 500_000],
      ['reservation_deposit', 'captured', 1_020_000],
    ]);
    expect(rows[1]).toMatchObject({ id: 'rf-d3', paymentId: D.d3.paymentId, reference: 'VNP-RF-1' });
    expect(rows[5]).toMatchObject({ id: D.d1.paymentId, reference: `REF-${D.d1.paymentId.slice(0, 8)}` });

    const refunded = await q.transactionHistory(w.db.pool, K, { limit: 10, status: ['refunded'] });
    expect(refunded.items.map((r) => r.type)).toEqual(['refund', 'reservation_deposit']);
    const window = { from: new Date('2026-03-10T00:00:00Z'), to: new Date('2026-03-13T00:00:00Z') };
    expect((await q.transactionHistory(w.db.pool, K, { limit: 10, ...window })).items).toHaveLength(2);
    expect((await q.transactionHistory(w.db.pool, OWNER, { limit: 10 })).items).toEqual([]);
  });
});

describe('rebuild', () => {
  test('a rebuild from position 0 gives the same views and figures', async () => {
    const snapshot = async () => ({
      report: await financeReport(w.db.pool, { ...march(), by: 'project' }),
      income: await salesIncome(w.db.pool, S1, { ...march(), groupBy: 'week', now: NOW }),
      history: await q.transactionHistory(w.db.pool, K, { limit: 50 }),
      deposit: await q.getDeposit(w.db.pool, D.d3.depositId),
      payment: await q.getPayment(w.db.pool, D.d1.paymentId),
    });
    const before = await snapshot();
    await rebuildProjection({ db: w.kysely, store: w.store, logger }, paymentsProjection);
    expect(await snapshot()).toEqual(before);
  });
});
