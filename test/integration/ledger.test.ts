import { Kysely, PostgresDialect } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { commandHandler } from '../../commands/handler.js';
import { systemMetadata } from '../../commands/metadata.js';
import type { DepositPolicyTerms } from '../../domain/catalog/deposit-policy-events.js';
import { type DepositCommand, depositDecider } from '../../domain/payments/deposit.js';
import { depositStream } from '../../domain/payments/deposit-events.js';
import { type PaymentCommand, paymentDecider } from '../../domain/payments/payment.js';
import { paymentStream } from '../../domain/payments/payment-events.js';
import { ledgerProjection } from '../../projections/ledger/ledger-projection.js';
import {
  accountBalances,
  postingsForStream,
  postingsOf,
  trialBalance,
} from '../../projections/ledger/ledger-queries.js';
import { verifyLedger } from '../../projections/ledger/verify.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { runProjection } from '../../projections/runner.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const logger = pino({ level: 'silent' });
const terms: DepositPolicyTerms = {
  allowedDepositTypes: ['reservation', 'security'],
  reservationTtlHours: 24,
  reservationAmount: { kind: 'fixed', amount: 1_000_000 },
  securityAmount: { kind: 'months_of_rent', months: 1 },
  refundRules: [{ event: 'deposit_paid', offsetHours: 24, refundPercent: 50 }],
  convertReservationToSecurity: true,
  releaseRequiresHandover: true,
  commission: { kind: 'percent_of_deposit', percent: 10 },
};
const parties = {
  customerId: 'c1',
  ownerId: 'o1',
  listingId: 'l1',
  roomId: 'r1',
  projectId: 'pr1',
  areaId: null,
  salesStaffId: 's1',
};
const expiresAt = new Date('2030-01-01T00:00:00Z');

let db: TestDatabase;
let store: PostgresEventStore;
// biome-ignore lint/suspicious/noExplicitAny: the runner takes any table types
let kysely: Kysely<any>;

async function appendHistory() {
  const deps = { store, clock: () => new Date('2026-11-22T03:00:00Z') };
  const pay = commandHandler(deps, {
    decider: paymentDecider,
    stream: (c: PaymentCommand) => paymentStream(c.paymentId),
  });
  const deposit = commandHandler(deps, {
    decider: depositDecider,
    stream: (c: DepositCommand) => depositStream(c.depositId),
  });
  const meta = systemMetadata('ledger-test');
  const notice = (id: string, amountVnd: number) =>
    ({
      outcome: 'paid',
      amountVnd,
      currency: 'VND',
      gatewayTransactionId: id,
      resultCode: '00',
      message: 'ok',
    }) as const;

  // A security deposit paid through the gateway, then released back to the customer.
  await deposit(
    {
      type: 'RequestDeposit',
      depositId: 'd1',
      kind: 'security',
      parties,
      amountVnd: 5_000_000,
      feeVnd: 50_000,
      policy: { policyId: 'pol1', version: 1, terms },
      paymentId: 'p1',
      convertedFrom: null,
      roomHoldId: 'h1',
    },
    meta,
  );
  const purpose = { kind: 'deposit', depositId: 'd1' } as const;
  await pay(
    {
      type: 'InitiatePayment',
      paymentId: 'p1',
      payerId: 'c1',
      purpose,
      principalVnd: 5_000_000,
      feeVnd: 50_000,
      gateway: 'vnpay',
      gatewayRef: 'ref1',
      expiresAt,
    },
    meta,
  );
  await pay({ type: 'RecordGatewayNotice', paymentId: 'p1', notice: notice('gw1', 5_050_000) }, meta);
  await pay({ type: 'CapturePayment', paymentId: 'p1' }, meta);
  await deposit({ type: 'MarkDepositPaid', depositId: 'd1', paymentId: 'p1' }, meta);
  await deposit({ type: 'ReleaseDeposit', depositId: 'd1', mode: 'refund', handoverId: 'ho1' }, meta);
  await pay(
    {
      type: 'RequestRefund',
      paymentId: 'p1',
      refundId: 'rf1',
      amountVnd: 5_000_000,
      reason: 'released',
      fromEscrow: false,
    },
    meta,
  );
  await pay({ type: 'CompleteRefund', paymentId: 'p1', refundId: 'rf1', refundRef: 'gwr1' }, meta);

  // A consultation paid and settled, 20% to the platform.
  const consultation = { kind: 'consultation', bookingId: 'b1', expertId: 'e1' } as const;
  await pay(
    {
      type: 'InitiatePayment',
      paymentId: 'p2',
      payerId: 'c1',
      purpose: consultation,
      principalVnd: 300_000,
      feeVnd: 0,
      gateway: 'momo',
      gatewayRef: 'ref2',
      expiresAt,
    },
    meta,
  );
  await pay({ type: 'RecordGatewayNotice', paymentId: 'p2', notice: notice('gw2', 300_000) }, meta);
  await pay({ type: 'CapturePayment', paymentId: 'p2' }, meta);
  await pay({ type: 'SettleConsultation', paymentId: 'p2', platformPercent: 20 }, meta);

  // A wrong amount: flagged, then given back whole.
  await pay(
    {
      type: 'InitiatePayment',
      paymentId: 'p3',
      payerId: 'c2',
      purpose: consultation,
      principalVnd: 300_000,
      feeVnd: 0,
      gateway: 'momo',
      gatewayRef: 'ref3',
      expiresAt,
    },
    meta,
  );
  await pay({ type: 'RecordGatewayNotice', paymentId: 'p3', notice: notice('gw3', 250_000) }, meta);
  await pay({ type: 'RequestVoid', paymentId: 'p3', reason: 'amount_mismatch' }, meta);
  return pay({ type: 'CompleteVoid', paymentId: 'p3', refundRef: 'gwr3' }, meta);
}

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  kysely = new Kysely({ dialect: new PostgresDialect({ pool: db.pool }) });
  const last = await appendHistory();
  const running = runProjection({ store, db: kysely, pool: db.pool, logger }, ledgerProjection);
  await running.waitFor(last.position ?? 0n, 10_000);
  await running.stop();
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

const balanceOf = async (account: string, subject: string | null) =>
  (await accountBalances(db.pool, { account, subject }))[0]?.balanceVnd;

describe('ledger read model', () => {
  test('balances follow the journals of payments and deposits', async () => {
    expect(await balanceOf('gateway_clearing', null)).toBe(50_000 + 300_000);
    expect(await balanceOf('customer_funds', 'user:c1')).toBe(0);
    expect(await balanceOf('customer_funds', 'user:c2')).toBe(0);
    expect(await balanceOf('escrow', 'deposit:d1')).toBe(0);
    expect(await balanceOf('escrow', 'booking:b1')).toBe(0);
    expect(await balanceOf('platform_revenue', null)).toBe(50_000 + 60_000);
    expect(await balanceOf('expert_payable', 'user:e1')).toBe(240_000);
    expect(await balanceOf('refunds_payable', 'user:c1')).toBe(0);
    expect(await balanceOf('commission_expense', null)).toBe(500_000);
    expect(await balanceOf('sales_commission_payable', 'user:s1')).toBe(500_000);
  });

  test('the trial balance is balanced and sums every subject of an account', async () => {
    const trial = await trialBalance(db.pool);
    expect(trial.balanced).toBe(true);
    expect(trial.totals.debitsVnd).toBe(trial.totals.creditsVnd);
    const escrow = trial.accounts.find((line) => line.account === 'escrow');
    expect(escrow).toMatchObject({ normal: 'credit', debitsVnd: 5_300_000, creditsVnd: 5_300_000, balanceVnd: 0 });
  });

  test('postings of a stream, and keyset pages of an account', async () => {
    const p1 = await postingsForStream(db.pool, paymentStream('p1'));
    expect(p1.map((p) => `${p.eventType}:${p.side}:${p.account}`)).toEqual([
      'PaymentAuthorized:debit:gateway_clearing',
      'PaymentAuthorized:credit:customer_funds',
      'PaymentCaptured:debit:customer_funds',
      'PaymentCaptured:credit:escrow',
      'PaymentCaptured:credit:platform_revenue',
      'PaymentRefunded:debit:refunds_payable',
      'PaymentRefunded:credit:gateway_clearing',
    ]);
    expect(p1[0]).toMatchObject({
      amountVnd: 5_050_000,
      subject: null,
      actorId: 'system',
      memo: 'Nhận tiền từ cổng thanh toán',
    });

    const first = await postingsOf(db.pool, { account: 'gateway_clearing', limit: 2 });
    expect(first.postings).toHaveLength(2);
    const rest = await postingsOf(db.pool, { account: 'gateway_clearing', limit: 10, before: first.next ?? undefined });
    expect(rest.next).toBeNull();
    const all = [...first.postings, ...rest.postings];
    expect(all).toHaveLength(5);
    expect(all.map((p) => BigInt(p.position))).toEqual(
      all.map((p) => BigInt(p.position)).sort((a, b) => (b > a ? 1 : -1)),
    );
  });

  test('verifyLedger agrees with an untouched read model', async () => {
    const result = await verifyLedger({ store, pool: db.pool });
    expect(result).toMatchObject({ ok: true, readModelProblem: null, differences: [], unbalancedEntries: [] });
    expect(result.postings).toBe(result.readModel.postings);
    expect(result.trialBalance.debits).toBe(result.trialBalance.credits);
  });

  test('postings refuse UPDATE, DELETE and TRUNCATE', async () => {
    await expect(db.pool.query('update rm.ledger_postings set amount_vnd = 1')).rejects.toThrow(/append-only/);
    await expect(db.pool.query("delete from rm.ledger_postings where account = 'escrow'")).rejects.toThrow(
      /append-only/,
    );
    await expect(db.pool.query('truncate rm.ledger_postings')).rejects.toThrow(/append-only/);
  });

  test('a rebuild swaps the tables and the new postings table is append-only too', async () => {
    const before = await accountBalances(db.pool);
    await rebuildProjection({ db: kysely, store, logger }, ledgerProjection);
    expect(await accountBalances(db.pool)).toEqual(before);
    await expect(db.pool.query('update rm.ledger_postings set memo = memo')).rejects.toThrow(/append-only/);
    const leftovers = await db.pool.query("select nspname from pg_namespace where nspname like 'rm\\_%'");
    expect(leftovers.rows).toEqual([]);
    expect((await verifyLedger({ store, pool: db.pool })).ok).toBe(true);
  });

  test('a tampered balance is named with what the events say and what the table says', async () => {
    await db.pool.query(
      "update rm.ledger_balances set balance_vnd = balance_vnd + 1000 where account = 'expert_payable' and subject = 'user:e1'",
    );
    const result = await verifyLedger({ store, pool: db.pool });
    expect(result.ok).toBe(false);
    expect(result.differences).toEqual([
      {
        key: 'expert_payable:user:e1',
        expected: { debitVnd: 0, creditVnd: 240_000, balanceVnd: 240_000, postingCount: 1 },
        found: { debitVnd: 0, creditVnd: 240_000, balanceVnd: 241_000, postingCount: 1 },
      },
    ]);
    await db.pool.query("delete from rm.ledger_balances where account = 'platform_revenue'");
    const missing = await verifyLedger({ store, pool: db.pool });
    expect(missing.differences.map((d) => [d.key, d.found])).toEqual([
      ['expert_payable:user:e1', expect.anything()],
      ['platform_revenue', null],
    ]);
  });
});
