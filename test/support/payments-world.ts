import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { pino } from 'pino';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { commandHandler } from '../../commands/handler.js';
import { type CommandMetadata, systemMetadata } from '../../commands/metadata.js';
import { checkoutStore } from '../../commands/payments/checkouts.js';
import type { DepositType } from '../../domain/catalog/deposit-policy-events.js';
import { type DepositCommand, depositDecider } from '../../domain/payments/deposit.js';
import { DEPOSIT_EVENT_TYPES, depositStream, type PolicySnapshot } from '../../domain/payments/deposit-events.js';
import { type GatewayNoticeInput, type PaymentCommand, paymentDecider } from '../../domain/payments/payment.js';
import { type Gateway, PAYMENT_EVENT_TYPES, paymentStream } from '../../domain/payments/payment-events.js';
import { areasProjection } from '../../projections/catalog/areas-projection.js';
import { catalogProjection } from '../../projections/catalog/catalog-projection.js';
import { usersProjection } from '../../projections/identity/users-projection.js';
import { paymentsProjection } from '../../projections/payments/payments-projection.js';
import { type RunningProjection, runProjection } from '../../projections/runner.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/**
 * A month of money for the payments read-model tests: deposits and a consultation paid, refunded,
 * reversed or left waiting, appended through the real deciders at chosen times (Feb–Mar 2026), with
 * the names other read models would hold. The `payments` projection runs over it.
 */
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
let db: TestDatabase;
let store: PostgresEventStore;
// biome-ignore lint/suspicious/noExplicitAny: read-model tables
let kysely: Kysely<any>;
let running: RunningProjection;

/** When the tests ask ("this month" is March 2026). */
export const NOW = new Date('2026-03-15T05:00:00Z');
let now = NOW;
const at = (iso: string) => {
  now = new Date(iso);
};
const meta = systemMetadata('payments-projection-test');
let payments: (command: PaymentCommand, metadata: CommandMetadata) => Promise<unknown>;
let deposits: (command: DepositCommand, metadata: CommandMetadata) => Promise<unknown>;

export const policy: PolicySnapshot = {
  policyId: randomUUID(),
  version: 1,
  terms: {
    allowedDepositTypes: ['reservation', 'security'],
    reservationTtlHours: 48,
    reservationAmount: { kind: 'fixed', amount: 1_000_000 },
    securityAmount: { kind: 'fixed', amount: 3_000_000 },
    refundRules: [{ event: 'deposit_paid', offsetHours: 24, refundPercent: 50 }],
    convertReservationToSecurity: true,
    releaseRequiresHandover: true,
    commission: { kind: 'percent_of_deposit', percent: 10 },
  },
};

export const id = () => randomUUID();
export const K = id(); // the customer most deposits are of
export const OTHER = id();
export const OWNER = id();
export const S1 = id();
export const S2 = id();
export const EXPERT = id();
export const P1 = id();
export const P2 = id();
export const L1 = id();
export const L2 = id();
export const ROOM1 = id();
export const ROOM2 = id();
export const D = {} as Record<'d1' | 'd2' | 'd3' | 'd4' | 'd5' | 'd6', { depositId: string; paymentId: string }>;
export const C1 = id();

interface DepositSpec {
  kind: DepositType;
  amountVnd: number;
  feeVnd: number;
  customer: string;
  staff: string | null;
  project: 'P1' | 'P2';
  gateway?: Gateway;
  /** The payment's stream is written before the deposit's (order must not matter). */
  paymentFirst?: boolean;
  /** paid: captured and held; wrong: paid the wrong amount (flagged, reversed, cancelled); none: left waiting. */
  outcome: 'paid' | 'wrong' | 'none';
}

async function deposit(spec: DepositSpec) {
  const depositId = id();
  const paymentId = id();
  const [projectId, listingId, roomId, areaId] = spec.project === 'P1' ? [P1, L1, ROOM1, 'A1'] : [P2, L2, ROOM2, 'A2'];
  const totalVnd = spec.amountVnd + spec.feeVnd;
  const request = () =>
    deposits(
      {
        type: 'RequestDeposit',
        depositId,
        kind: spec.kind,
        parties: {
          customerId: spec.customer,
          ownerId: OWNER,
          listingId,
          roomId,
          projectId,
          areaId,
          salesStaffId: spec.staff,
        },
        amountVnd: spec.amountVnd,
        feeVnd: spec.feeVnd,
        policy,
        paymentId,
        convertedFrom: null,
        roomHoldId: depositId,
      },
      meta,
    );
  const initiate = () =>
    payments(
      {
        type: 'InitiatePayment',
        paymentId,
        payerId: spec.customer,
        purpose: { kind: 'deposit', depositId },
        principalVnd: spec.amountVnd,
        feeVnd: spec.feeVnd,
        gateway: spec.gateway ?? 'vnpay',
        gatewayRef: `REF-${paymentId.slice(0, 8)}`,
        expiresAt: new Date(now.getTime() + 15 * 60_000),
      },
      meta,
    );
  if (spec.paymentFirst) await initiate().then(request);
  else await request().then(initiate);
  if (spec.outcome === 'none') return { depositId, paymentId };
  const amountVnd = spec.outcome === 'wrong' ? totalVnd - 1000 : totalVnd;
  const notice: GatewayNoticeInput = {
    outcome: 'paid',
    amountVnd,
    currency: 'VND',
    gatewayTransactionId: `T-${paymentId}`,
    resultCode: '00',
    message: 'ok',
  };
  await payments({ type: 'RecordGatewayNotice', paymentId, notice }, meta);
  if (spec.outcome === 'wrong') {
    await payments({ type: 'RequestVoid', paymentId, reason: 'amount_mismatch' }, meta);
    await payments({ type: 'CompleteVoid', paymentId, refundRef: 'VOID-1' }, meta);
    await deposits({ type: 'CancelUnpaidDeposit', depositId, reason: 'amount_mismatch' }, meta);
  } else {
    await payments({ type: 'CapturePayment', paymentId }, meta);
    await deposits({ type: 'MarkDepositPaid', depositId, paymentId }, meta);
  }
  return { depositId, paymentId };
}

/** Waits until the projection has applied every payment and deposit event. */
async function settle() {
  const { rows } = await db.pool.query<{ last: string | null }>(
    'select max(position)::text as last from es.events where event_type = any($1)',
    [[...PAYMENT_EVENT_TYPES, ...DEPOSIT_EVENT_TYPES]],
  );
  await running.waitFor(BigInt(rows[0]?.last ?? '0'), 20_000);
}

async function names() {
  for (const projection of [usersProjection, catalogProjection, areasProjection]) await projection.setup(kysely, 'rm');
  const users: [string, string][] = [
    [K, 'Nguyễn Văn Khách'],
    [OTHER, 'Trần Thị Thuê'],
    [S1, 'Lê Bán Hàng'],
    [S2, 'Phạm Kinh Doanh'],
  ];
  for (const [userId, name] of users) {
    await db.pool.query(
      `insert into rm.users (id, email, name, roles, status, created_at, updated_at)
        values ($1, $2, $3, '{customer}', 'active', now(), now())`,
      [userId, `${userId.slice(0, 8)}@test.local`, name],
    );
  }
  for (const [projectId, name, areaId] of [
    [P1, 'Dự án Bình Thạnh', 'A1'],
    [P2, 'Dự án Thủ Đức', 'A2'],
  ]) {
    await db.pool.query(
      `insert into rm.projects (id, owner_id, name, description, area_id, street, status, quick, policy, created_at, updated_at)
        values ($1, $2, $3, '', $4, '1 Lê Lợi', 'active', false, '{}', now(), now())`,
      [projectId, OWNER, name, areaId],
    );
  }
  for (const [listingId, projectId, title, roomId, room] of [
    [L1, P1, 'Phòng trọ gần chợ Bà Chiểu', ROOM1, 'P.101'],
    [L2, P2, 'Phòng trọ gần Làng Đại học', ROOM2, 'P.202'],
  ]) {
    await db.pool.query(
      `insert into rm.listings (id, project_id, status, title, description, room_type, created_at, updated_at)
        values ($1, $2, 'published', $3, '', 'room', now(), now())`,
      [listingId, projectId, title],
    );
    await db.pool.query(
      `insert into rm.rooms (id, project_id, name, standard_price, area_m2, status, updated_at)
        values ($1, $2, $3, 3000000, 20, 'available', now())`,
      [roomId, projectId, room],
    );
  }
  for (const [areaId, name] of [
    ['A1', 'Quận Bình Thạnh'],
    ['A2', 'Thành phố Thủ Đức'],
  ]) {
    await db.pool.query(
      `insert into rm.areas (id, name, name_folded, level, updated_at) values ($1, $2, $2, 'district', now())`,
      [areaId, name],
    );
  }
}

export interface PaymentsWorld {
  db: TestDatabase;
  store: PostgresEventStore;
  // biome-ignore lint/suspicious/noExplicitAny: read-model tables
  kysely: Kysely<any>;
  close(): Promise<void>;
}

export async function openPaymentsWorld(): Promise<PaymentsWorld> {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  kysely = new Kysely({ dialect: new PostgresDialect({ pool: db.pool }) });
  const deps = { store, clock: () => now };
  payments = commandHandler(deps, { decider: paymentDecider, stream: (c) => paymentStream(c.paymentId) });
  deposits = commandHandler(deps, { decider: depositDecider, stream: (c) => depositStream(c.depositId) });
  await names();

  at('2026-02-20T03:00:00Z');
  D.d5 = await deposit({
    kind: 'reservation',
    amountVnd: 500_000,
    feeVnd: 0,
    customer: OTHER,
    staff: S1,
    project: 'P2',
    outcome: 'paid',
  });
  at('2026-03-02T03:00:00Z');
  D.d1 = await deposit({
    kind: 'reservation',
    amountVnd: 1_000_000,
    feeVnd: 20_000,
    customer: K,
    staff: S1,
    project: 'P1',
    outcome: 'paid',
  });
  const redirectUrl = 'https://sandbox.vnpay.vn/pay?x=1';
  await checkoutStore(db.pool).remember(D.d1.paymentId, 'vnpay', { gatewayRef: 'REF-D1', redirectUrl });
  running = runProjection({ store, db: kysely, pool: db.pool, logger }, paymentsProjection);

  at('2026-03-05T02:00:00Z');
  await payments(
    {
      type: 'InitiatePayment',
      paymentId: C1,
      payerId: K,
      purpose: { kind: 'consultation', bookingId: id(), expertId: EXPERT },
      principalVnd: 500_000,
      feeVnd: 0,
      gateway: 'momo',
      gatewayRef: 'MOMO-C1',
      expiresAt: new Date(now.getTime() + 900_000),
    },
    meta,
  );
  const notice: GatewayNoticeInput = {
    outcome: 'paid',
    amountVnd: 500_000,
    currency: 'VND',
    gatewayTransactionId: 'T-C1',
    resultCode: '0',
    message: 'ok',
  };
  await payments({ type: 'RecordGatewayNotice', paymentId: C1, notice }, meta);
  await payments({ type: 'CapturePayment', paymentId: C1 }, meta);
  at('2026-03-06T02:00:00Z');
  await payments(
    {
      type: 'RequestRefund',
      paymentId: C1,
      refundId: 'rf-c1',
      amountVnd: 200_000,
      reason: 'expert_late',
      fromEscrow: true,
    },
    meta,
  );

  at('2026-03-08T18:30:00Z'); // Monday 9 March, 01:30 in Vietnam (still Sunday in UTC)
  D.d2 = await deposit({
    kind: 'security',
    amountVnd: 3_000_000,
    feeVnd: 0,
    customer: OTHER,
    staff: S1,
    project: 'P2',
    paymentFirst: true,
    outcome: 'paid',
  });

  at('2026-03-12T03:00:00Z');
  D.d3 = await deposit({
    kind: 'reservation',
    amountVnd: 2_000_000,
    feeVnd: 40_000,
    customer: K,
    staff: S2,
    project: 'P1',
    outcome: 'paid',
  });
  at('2026-03-12T05:00:00Z');
  await deposits({ type: 'CancelDeposit', depositId: D.d3.depositId, by: 'customer', moveInAt: null }, meta);
  const refund = { paymentId: D.d3.paymentId, refundId: 'rf-d3' };
  await payments(
    { type: 'RequestRefund', ...refund, amountVnd: 1_000_000, reason: 'customer_cancelled', fromEscrow: false },
    meta,
  );
  await payments({ type: 'CompleteRefund', ...refund, refundRef: 'VNP-RF-1' }, meta);

  at('2026-03-14T03:00:00Z');
  D.d4 = await deposit({
    kind: 'reservation',
    amountVnd: 1_000_000,
    feeVnd: 20_000,
    customer: K,
    staff: null,
    project: 'P2',
    outcome: 'wrong',
  });
  at('2026-03-14T04:00:00Z');
  D.d6 = await deposit({
    kind: 'reservation',
    amountVnd: 1_000_000,
    feeVnd: 0,
    customer: OTHER,
    staff: S1,
    project: 'P1',
    gateway: 'manual',
    outcome: 'none',
  });
  await settle();
  at('2026-03-15T05:00:00Z');
  return {
    db,
    store,
    kysely,
    async close() {
      await running?.stop();
      await store.close();
      await db.drop();
    },
  };
}
