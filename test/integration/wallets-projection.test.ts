import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Position } from '../../commands/eventstore/port.js';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { commandHandler } from '../../commands/handler.js';
import { systemMetadata } from '../../commands/metadata.js';
import { type WalletCommand, walletDecider } from '../../domain/payments/wallet.js';
import { walletStream } from '../../domain/payments/wallet-events.js';
import { usersProjection } from '../../projections/identity/users-projection.js';
import { walletsProjection } from '../../projections/payments/wallets-projection.js';
import { getWallet, getWithdrawal, listWithdrawals } from '../../projections/payments/wallets-queries.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { type RunningProjection, runProjection } from '../../projections/runner.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const meta = systemMetadata('wallets-projection-test');
const K = randomUUID(); // a customer with a name in rm.users
const OTHER = randomUUID(); // a customer the users read model does not know yet
const WD1 = randomUUID();
const WD2 = randomUUID();
const WD3 = randomUUID();
const bank = { bank: 'Vietcombank', accountNumber: '0123456789', accountName: 'NGUYEN VAN KHACH' };

let db: TestDatabase;
let store: PostgresEventStore;
// biome-ignore lint/suspicious/noExplicitAny: read-model tables
let kysely: Kysely<any>;
let running: RunningProjection;
let now = new Date('2026-04-01T03:00:00Z');
/** Sends a wallet command; answers the position of what it appended. */
let wallet: (command: WalletCommand) => Promise<Position | null>;

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  kysely = new Kysely({ dialect: new PostgresDialect({ pool: db.pool }) });
  const handle = commandHandler(
    { store, clock: () => now },
    { decider: walletDecider, stream: (c) => walletStream(c.userId) },
  );
  wallet = async (command) => (await handle(command, meta)).position;
  await usersProjection.setup(kysely, 'rm');
  await db.pool.query(
    `insert into rm.users (id, email, name, roles, status, created_at, updated_at)
      values ($1, 'khach@test.local', 'Nguyễn Văn Khách', '{customer}', 'active', now(), now())`,
    [K],
  );
  running = runProjection({ store, db: kysely, pool: db.pool, logger }, walletsProjection);

  await wallet({ type: 'TopUpWallet', userId: K, paymentId: randomUUID(), amountVnd: 2_000_000 });
  now = new Date('2026-04-01T04:00:00Z');
  const spent = randomUUID();
  await wallet({ type: 'DebitWallet', userId: K, paymentId: spent, amountVnd: 500_000 });
  await wallet({ type: 'CreditWallet', userId: K, paymentId: spent, refundId: 'rf-1', amountVnd: 200_000 });
  now = new Date('2026-04-02T03:00:00Z');
  await wallet({ type: 'RequestWithdrawal', userId: K, withdrawalId: WD1, amountVnd: 300_000, bankAccount: bank });
  now = new Date('2026-04-03T03:00:00Z');
  await wallet({ type: 'RequestWithdrawal', userId: K, withdrawalId: WD2, amountVnd: 400_000, bankAccount: bank });
  await wallet({ type: 'TopUpWallet', userId: OTHER, paymentId: randomUUID(), amountVnd: 100_000 });
  now = new Date('2026-04-04T03:00:00Z');
  await wallet({ type: 'RequestWithdrawal', userId: OTHER, withdrawalId: WD3, amountVnd: 100_000, bankAccount: bank });
  now = new Date('2026-04-05T03:00:00Z');
  const last = await wallet({ type: 'MarkWithdrawalPaid', userId: K, withdrawalId: WD1, reference: 'VCB-FT-0001' });
  await running.waitFor(last ?? 0n, 20_000);
});

afterAll(async () => {
  await running?.stop();
  await store?.close();
  await db?.drop();
});

describe('wallets projection', () => {
  test('the balance follows top-ups, payments, money given back and withdrawals', async () => {
    const mine = await getWallet(db.pool, K);
    // 2 000 000 − 500 000 + 200 000 − 300 000 − 400 000
    expect(mine.balanceVnd).toBe(1_000_000);
    expect(mine.withdrawals.map((w) => [w.id, w.status])).toEqual([
      [WD2, 'requested'],
      [WD1, 'paid'],
    ]);
    expect((await getWallet(db.pool, OTHER)).balanceVnd).toBe(0);
    expect(await getWallet(db.pool, randomUUID())).toEqual({ balanceVnd: 0, withdrawals: [] });
    expect(await getWallet(db.pool, 'not-a-uuid')).toEqual({ balanceVnd: 0, withdrawals: [] });
  });

  test('a withdrawal: requested, then paid with the bank reference', async () => {
    expect(await getWithdrawal(db.pool, WD1)).toEqual({
      id: WD1,
      userId: K,
      userName: 'Nguyễn Văn Khách',
      amountVnd: 300_000,
      bank,
      status: 'paid',
      reference: 'VCB-FT-0001',
      requestedAt: '2026-04-02T03:00:00.000Z',
      paidAt: '2026-04-05T03:00:00.000Z',
    });
    expect(await getWithdrawal(db.pool, WD3)).toMatchObject({
      userId: OTHER,
      userName: null,
      status: 'requested',
      reference: null,
      paidAt: null,
    });
    expect(await getWithdrawal(db.pool, randomUUID())).toBeNull();
    expect(await getWithdrawal(db.pool, 'nope')).toBeNull();
  });

  test('the finance desk lists withdrawals oldest first, by status', async () => {
    const requested = await listWithdrawals(db.pool, { status: 'requested', limit: 50 });
    expect(requested.map((w) => w.id)).toEqual([WD2, WD3]);
    expect((await listWithdrawals(db.pool, { status: 'paid', limit: 50 })).map((w) => w.id)).toEqual([WD1]);
    expect((await listWithdrawals(db.pool, { limit: 2 })).map((w) => w.id)).toEqual([WD1, WD2]);
  });

  test('a rebuild from the history gives the same rows', async () => {
    const snapshot = async () => ({
      wallets: (await db.pool.query('select user_id, balance_vnd from rm.wallets order by user_id')).rows,
      withdrawals: await listWithdrawals(db.pool, { limit: 50 }),
    });
    const before = await snapshot();
    await running.stop();
    await rebuildProjection({ db: kysely, store, logger }, walletsProjection);
    expect(await snapshot()).toEqual(before);
  });
});
