import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountBalances } from '../../projections/ledger/ledger-queries.js';
import { verifyLedger } from '../../projections/ledger/verify.js';
import type { DepositView, PaymentView } from '../../projections/payments/payments-queries.js';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/app.js';
import { actingFor, listingTakingDeposits, txnRefOf } from '../support/money-world.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

type Created = { depositId: string; paymentId: string; checkout: { redirectUrl: string } };
const CUSTOMERS = 100;

describe('the last room', () => {
  test('100 customers pay for it at once: exactly one capture, every other payment given back whole', async () => {
    const { listingId, roomIds } = await listingTakingDeposits(t, 1);
    const roomId = roomIds[0] as string;
    const customers = Array.from({ length: CUSTOMERS }, () => crypto.randomUUID());

    const created = await Promise.all(
      customers.map(async (customerId) => {
        const answer = await t.call<Created>(
          'POST',
          '/api/v1/deposits',
          { listingId, roomId, kind: 'reservation', gateway: 'vnpay' },
          actingFor(customerId),
        );
        expect(answer.status).toBe(201);
        return answer.body.data;
      }),
    );

    // Every payer is on the gateway's page; they all press "pay" at the same moment.
    await Promise.all(created.map((c) => fetch(c.checkout.redirectUrl).then((r) => expect(r.status).toBe(200))));
    await Promise.all(created.map((c) => t.app.sandbox?.pay(txnRefOf(c.checkout.redirectUrl), 'paid')));

    const payments = await eventually(async () => {
      const all = await Promise.all(
        created.map(
          async (c) =>
            (await t.call<PaymentView>('GET', `/api/v1/payments/${c.paymentId}`, undefined, ADMIN)).body.data,
        ),
      );
      expect(all.filter((p) => p.status === 'captured' || p.status === 'reversed')).toHaveLength(CUSTOMERS);
      return all;
    }, 30_000);
    const captured = payments.filter((p) => p.status === 'captured');
    expect(captured).toHaveLength(1);
    const losers = payments.filter((p) => p.status === 'reversed');
    expect(losers).toHaveLength(CUSTOMERS - 1);
    for (const loser of losers) expect(loser.reason).toBe('room_taken');

    // Nobody is charged twice and no loser keeps paying: the gateway gave each loser everything back.
    const atGateway = new Map(t.app.sandbox?.payments().map((p) => [p.txnRef, p]));
    for (const c of created) {
      const paid = atGateway.get(txnRefOf(c.checkout.redirectUrl));
      expect(paid?.status).toBe('paid');
      const won = c.paymentId === captured[0]?.id;
      expect(paid?.refundedVnd).toBe(won ? 0 : paid?.amountVnd);
    }

    const winner = created.find((c) => c.paymentId === captured[0]?.id) as Created;
    await eventually(async () => {
      const deposits = await Promise.all(
        created.map(
          async (c) =>
            (await t.call<DepositView>('GET', `/api/v1/deposits/${c.depositId}`, undefined, ADMIN)).body.data,
        ),
      );
      expect(deposits.filter((d) => d.status === 'held').map((d) => d.id)).toEqual([winner.depositId]);
      expect(deposits.filter((d) => d.status === 'cancelled')).toHaveLength(CUSTOMERS - 1);
    });

    const ledger = await verifyLedger(t.app.services);
    expect(ledger.ok).toBe(true);
    const balances = await accountBalances(t.app.services.pool, {});
    const total = (account: string) =>
      balances.filter((b) => b.account === account).reduce((sum, b) => sum + b.balanceVnd, 0);
    expect(total('gateway_clearing')).toBe(captured[0]?.totalVnd);
    expect(total('customer_funds')).toBe(0);
    expect(total('escrow')).toBe(captured[0]?.principalVnd);
  }, 120_000);
});
