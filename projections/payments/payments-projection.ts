import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { RecordedEvent } from '../../commands/eventstore/port.js';
import { DEPOSIT_EVENT_TYPES } from '../../domain/payments/deposit-events.js';
import { PAYMENT_EVENT_TYPES, type PaymentEvent } from '../../domain/payments/payment-events.js';
import type { Projection } from '../projection.js';
import { applyDepositEvent } from './deposits-apply.js';
import { recordMovement, type Write } from './finance-movements.js';

/** Rows are written field by field from events; their shapes are in payments-queries.ts. */
export interface PaymentTables {
  payments: Record<string, unknown>;
  payment_refunds: Record<string, unknown>;
  deposits: Record<string, unknown>;
  commissions: Record<string, unknown>;
  finance_movements: Record<string, unknown>;
}

/**
 * Payments, refunds, deposits and commissions (money.md, "Read models"), and `finance_movements`,
 * the amounts finance reports sum. Payments carry their deposit's parties (kind, listing, project,
 * area, sales staff), filled by whichever of PaymentInitiated and DepositRequested comes second.
 * Checkouts (the gateway's URL, transfer instructions) are no facts: views join ops.payment_checkouts,
 * which the command side writes before a payment's first event (commands/payments/checkouts.ts).
 */
export const paymentsProjection: Projection<PaymentTables> = {
  name: 'payments',
  version: 1,
  filter: { eventTypes: [...PAYMENT_EVENT_TYPES, ...DEPOSIT_EVENT_TYPES] },
  tables: ['payments', 'payment_refunds', 'deposits', 'commissions', 'finance_movements'],

  async setup(db, schema) {
    const t = (name: string) => sql.id(schema, name);
    await sql`create table if not exists ${t('payments')} (
      id uuid primary key,
      payer_id uuid not null,
      purpose_kind text not null,
      deposit_id uuid,
      booking_id uuid,
      expert_id uuid,
      status text not null,
      principal_vnd bigint not null,
      fee_vnd bigint not null,
      received_vnd bigint,
      refunded_vnd bigint not null default 0,
      gateway text not null,
      gateway_ref text not null,
      gateway_transaction_id text,
      reason text,
      late boolean not null default false,
      confirmed_by text,
      proof_file_id text,
      settled boolean not null default false,
      deposit_kind text,
      customer_id uuid,
      owner_id uuid,
      listing_id uuid,
      room_id uuid,
      project_id uuid,
      area_id text,
      sales_staff_id uuid,
      expires_at timestamptz not null,
      authorized_at timestamptz,
      captured_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    for (const [name, columns] of [
      ['payments_payer', sql`(payer_id, created_at desc, id desc)`],
      ['payments_deposit', sql`(deposit_id)`],
      ['payments_status', sql`(status, created_at desc, id desc)`],
      ['payments_created', sql`(created_at desc, id desc)`],
      ['payments_staff', sql`(sales_staff_id, status)`],
      ['payments_gateway_ref', sql`(gateway, gateway_ref)`],
    ] as const) {
      await sql`create index if not exists ${sql.id(name)} on ${t('payments')} ${columns}`.execute(db);
    }
    await sql`create table if not exists ${t('payment_refunds')} (
      payment_id uuid not null,
      refund_id text not null,
      amount_vnd bigint not null,
      status text not null,
      reason text not null,
      refund_ref text,
      requested_at timestamptz not null,
      refunded_at timestamptz,
      primary key (payment_id, refund_id)
    )`.execute(db);
    await sql`create table if not exists ${t('deposits')} (
      id uuid primary key,
      kind text not null,
      status text not null,
      customer_id uuid not null,
      owner_id uuid not null,
      listing_id uuid not null,
      room_id uuid not null,
      project_id uuid not null,
      area_id text,
      sales_staff_id uuid,
      amount_vnd bigint not null,
      fee_vnd bigint not null,
      converted_vnd bigint not null default 0,
      converted_from_id uuid,
      converted_into_id uuid,
      payment_id uuid,
      policy_id uuid not null,
      policy_version integer not null,
      held_at timestamptz,
      expires_at timestamptz,
      refund_vnd bigint,
      forfeit_vnd bigint,
      release_mode text,
      reason text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    for (const [name, columns] of [
      ['deposits_customer', sql`(customer_id, created_at desc, id desc)`],
      ['deposits_staff', sql`(sales_staff_id, created_at desc)`],
      ['deposits_owner', sql`(owner_id, created_at desc)`],
    ] as const) {
      await sql`create index if not exists ${sql.id(name)} on ${t('deposits')} ${columns}`.execute(db);
    }
    await sql`create table if not exists ${t('commissions')} (
      deposit_id uuid primary key,
      staff_id uuid not null,
      basis text not null,
      amount_vnd bigint not null,
      accrued_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists commissions_staff on ${t('commissions')} (staff_id, accrued_at)`.execute(db);
    await sql`create table if not exists ${t('finance_movements')} (
      event_id uuid not null,
      kind text not null,
      amount_vnd bigint not null,
      at timestamptz not null,
      payment_id uuid,
      deposit_id uuid,
      primary key (event_id, kind)
    )`.execute(db);
    await sql`create index if not exists finance_movements_at on ${t('finance_movements')} (at)`.execute(db);
  },

  async apply(events, { trx, schema }) {
    const t = (name: string) => sql.id(schema, name);
    for (const recorded of events) {
      const write: Write = { trx: trx as Transaction<unknown>, t, at: new Date(recorded.metadata.occurredAt) };
      if ((PAYMENT_EVENT_TYPES as string[]).includes(recorded.type)) {
        await applyPaymentEvent(recorded, write);
      } else if ((DEPOSIT_EVENT_TYPES as string[]).includes(recorded.type)) {
        await applyDepositEvent(recorded, write);
      }
    }
  },
};

async function applyPaymentEvent(recorded: RecordedEvent, write: Write) {
  const { trx, t, at } = write;
  const event = { type: recorded.type, data: recorded.data } as PaymentEvent;
  const id = event.data.paymentId;
  const update = (changes: RawBuilder<unknown>) =>
    sql`update ${t('payments')} set ${changes}, updated_at = ${at} where id = ${id}`.execute(trx);
  switch (event.type) {
    case 'PaymentInitiated': {
      const d = event.data;
      const depositId = d.purpose.kind === 'deposit' ? d.purpose.depositId : null;
      const bookingId = d.purpose.kind === 'consultation' ? d.purpose.bookingId : null;
      const expertId = d.purpose.kind === 'consultation' ? d.purpose.expertId : null;
      await sql`insert into ${t('payments')} (id, payer_id, purpose_kind, deposit_id, booking_id, expert_id, status,
          principal_vnd, fee_vnd, gateway, gateway_ref, expires_at, created_at, updated_at)
        values (${id}, ${d.payerId}, ${d.purpose.kind}, ${depositId}, ${bookingId}, ${expertId}, 'initiated',
          ${d.principalVnd}, ${d.feeVnd}, ${d.gateway}, ${d.gatewayRef}, ${new Date(d.expiresAt)}, ${at}, ${at})
        on conflict (id) do nothing`.execute(trx);
      // The deposit may have been projected first (the two streams' order is not relied on).
      await sql`update ${t('payments')} p set deposit_kind = d.kind, customer_id = d.customer_id, owner_id = d.owner_id,
          listing_id = d.listing_id, room_id = d.room_id, project_id = d.project_id, area_id = d.area_id,
          sales_staff_id = d.sales_staff_id
        from ${t('deposits')} d where p.id = ${id} and d.id = p.deposit_id`.execute(trx);
      return;
    }
    case 'PaymentAuthorized': {
      const d = event.data;
      await update(sql`status = 'authorized', gateway_transaction_id = ${d.gatewayTransactionId},
        received_vnd = ${d.amountVnd}, late = ${d.late}, confirmed_by = ${d.confirmedBy},
        proof_file_id = ${d.proofFileId}, authorized_at = ${at}, reason = null`);
      return;
    }
    case 'PaymentFlagged': {
      const d = event.data;
      await update(sql`status = 'flagged', reason = ${d.reason}, received_vnd = ${d.receivedVnd},
        gateway_transaction_id = ${d.gatewayTransactionId}, authorized_at = ${at}`);
      return;
    }
    case 'PaymentCaptured': {
      await update(sql`status = 'captured', captured_at = ${at}`);
      // A top-up is the customer's own money in their wallet: it counts when spent, not now.
      const { rows } = await sql<{
        purpose_kind: string;
      }>`select purpose_kind from ${t('payments')} where id = ${id}`.execute(trx);
      if (rows[0]?.purpose_kind !== 'wallet_topup') {
        await recordMovement(write, recorded, 'principal', event.data.principalVnd, { paymentId: id, depositId: null });
      }
      await recordMovement(write, recorded, 'fee', event.data.feeVnd, { paymentId: id, depositId: null });
      return;
    }
    case 'PaymentFailed':
      await update(sql`status = 'failed', reason = ${event.data.message || event.data.resultCode}`);
      return;
    case 'PaymentExpired':
      await update(sql`status = 'expired', reason = 'expired'`);
      return;
    case 'PaymentVoidRequested':
      await update(sql`reason = ${event.data.reason}`);
      return;
    case 'PaymentReversed':
      await update(sql`status = 'reversed', reason = ${event.data.reason}`);
      return;
    case 'PaymentRefundRequested': {
      const d = event.data;
      await sql`insert into ${t('payment_refunds')} (payment_id, refund_id, amount_vnd, status, reason, requested_at)
        values (${id}, ${d.refundId}, ${d.amountVnd}, 'requested', ${d.reason}, ${at})
        on conflict do nothing`.execute(trx);
      await update(sql`status = status`);
      // From escrow (a consultation refund) it is a refund decided now; a deposit's was decided by DepositRefunded.
      if (d.journal !== null) {
        await recordMovement(write, recorded, 'refund', d.amountVnd, { paymentId: id, depositId: null });
      }
      return;
    }
    case 'PaymentRefunded': {
      const d = event.data;
      await sql`update ${t('payment_refunds')} set status = 'refunded', refund_ref = ${d.refundRef}, refunded_at = ${at}
        where payment_id = ${id} and refund_id = ${d.refundId}`.execute(trx);
      await update(sql`status = 'refunded', refunded_vnd = refunded_vnd + ${d.amountVnd}`);
      return;
    }
    case 'PaymentSettled':
      await update(sql`settled = true`);
      return;
  }
}
