import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountBalances } from '../../projections/ledger/ledger-queries.js';
import { verifyLedger } from '../../projections/ledger/verify.js';
import type { DepositView, PaymentView } from '../../projections/payments/payments-queries.js';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/app.js';
import { actingFor, listingTakingDeposits, payAtSandbox } from '../support/money-world.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

type Wallet = {
  enabled: boolean;
  balanceVnd: number;
  withdrawals: { id: string; status: string; amountVnd: number }[];
};
const walletOf = async (customerId: string) =>
  (await t.call<Wallet>('GET', '/api/v1/me/wallet', undefined, { ...ADMIN, 'x-act-as': customerId })).body.data;
const balanceIs = (customerId: string, balanceVnd: number) =>
  eventually(async () => expect((await walletOf(customerId)).balanceVnd).toBe(balanceVnd));

describe('the wallet', () => {
  test('top up through the gateway, pay a deposit from it, get the refund back into it, withdraw to a bank', async () => {
    const customerId = crypto.randomUUID();
    expect(await walletOf(customerId)).toMatchObject({ enabled: true, balanceVnd: 0, withdrawals: [] });

    const topUp = await t.call<{ paymentId: string; checkout: { redirectUrl: string } }>(
      'POST',
      '/api/v1/me/wallet/top-ups',
      { amountVnd: 2_000_000, gateway: 'vnpay' },
      actingFor(customerId),
    );
    expect(topUp.status).toBe(201);
    await payAtSandbox(t, topUp.body.data.checkout.redirectUrl);
    await balanceIs(customerId, 2_000_000);

    const { listingId, roomIds } = await listingTakingDeposits(t);
    const [first, second] = roomIds as [string, string];
    const paid = await t.call<{ depositId: string; paymentId: string }>(
      'POST',
      '/api/v1/deposits',
      { listingId, roomId: first, kind: 'reservation', gateway: 'wallet' },
      actingFor(customerId),
    );
    expect(paid.status).toBe(201);
    await eventually(async () => {
      const deposit = await t.call<DepositView>(
        'GET',
        `/api/v1/deposits/${paid.body.data.depositId}`,
        undefined,
        ADMIN,
      );
      expect(deposit.body.data.status).toBe('held');
    });
    await balanceIs(customerId, 2_000_000 - 1_010_000);

    const short = await t.call(
      'POST',
      '/api/v1/deposits',
      { listingId, roomId: second, kind: 'reservation', gateway: 'wallet' },
      actingFor(customerId),
    );
    expect(short.status).toBe(409);
    expect(short.body.error?.code).toBe('WALLET_INSUFFICIENT');
    const mine = await t.call<{ items: DepositView[] }>('GET', '/api/v1/me/deposits', undefined, {
      ...ADMIN,
      'x-act-as': customerId,
    });
    expect(mine.body.data.items.map((d) => d.id)).toEqual([paid.body.data.depositId]);

    const cancelled = await t.call(
      'POST',
      `/api/v1/deposits/${paid.body.data.depositId}/cancel`,
      undefined,
      actingFor(customerId),
    );
    expect(cancelled.status).toBe(200);
    await balanceIs(customerId, 2_000_000 - 10_000); // the deposit comes back whole; the platform fee does not
    await eventually(async () => {
      const payment = await t.call<PaymentView>(
        'GET',
        `/api/v1/payments/${paid.body.data.paymentId}`,
        undefined,
        ADMIN,
      );
      expect(payment.body.data).toMatchObject({ gateway: 'wallet', status: 'refunded', refundedVnd: 1_000_000 });
    });

    const tooMuch = await t.call(
      'POST',
      '/api/v1/me/wallet/withdrawals',
      { amountVnd: 5_000_000, bank: 'Vietcombank', accountNumber: '0123456789', accountName: 'NGUYEN VAN A' },
      actingFor(customerId),
    );
    expect(tooMuch.status).toBe(409);
    const badAccount = await t.call(
      'POST',
      '/api/v1/me/wallet/withdrawals',
      { amountVnd: 1_000, bank: 'Vietcombank', accountNumber: 'abc', accountName: 'NGUYEN VAN A' },
      actingFor(customerId),
    );
    expect(badAccount.status).toBe(400);
    expect(badAccount.body.error?.field).toContain('accountNumber');

    const withdrawal = await t.call<{ id: string; status: string }>(
      'POST',
      '/api/v1/me/wallet/withdrawals',
      { amountVnd: 1_500_000, bank: 'Vietcombank', accountNumber: '0123456789', accountName: 'NGUYEN VAN A' },
      actingFor(customerId),
    );
    expect(withdrawal.status).toBe(201);
    expect(withdrawal.body.data.status).toBe('requested');
    await balanceIs(customerId, 490_000);
    const paidOut = await t.call<{ status: string }>(
      'POST',
      `/api/v1/admin/wallet-withdrawals/${withdrawal.body.data.id}/paid`,
      { reference: 'FT26340123' },
      ADMIN,
    );
    expect(paidOut.body.data.status).toBe('paid');

    const ledger = await eventually(async () => {
      const result = await verifyLedger(t.app.services);
      expect(result.ok).toBe(true);
      return result;
    });
    expect(ledger.ok).toBe(true);
    const wallet = await accountBalances(t.app.services.pool, { account: 'wallet', subject: `user:${customerId}` });
    expect(wallet.map((b) => b.balanceVnd)).toEqual([490_000]);
  }, 60_000);
});
