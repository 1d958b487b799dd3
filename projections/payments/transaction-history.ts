import type pg from 'pg';
import type { Gateway } from '../../domain/payments/payment-events.js';
import { isUuid } from '../identity/profiles-queries.js';
import { type Page, pageOf, parseCursor } from './keyset.js';

export const TRANSACTION_TYPES = [
  'reservation_deposit',
  'security_deposit',
  'deposit',
  'consultation',
  'wallet_topup',
  'refund',
] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** Statuses a history row can have: a payment's, or a refund's (`requested`, `refunded`). */
export const TRANSACTION_STATUSES = [
  'initiated',
  'authorized',
  'captured',
  'refunded',
  'reversed',
  'failed',
  'expired',
  'flagged',
  'requested',
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** One line of a customer's transaction history (UC-CUST-06): a payment they made, or money coming back. */
export interface TransactionRow {
  /** The payment's id, or the refund's. */
  id: string;
  type: TransactionType;
  paymentId: string;
  depositId: string | null;
  bookingId: string | null;
  /** What the payer paid (principal + fee), or what comes back. */
  amountVnd: number;
  status: TransactionStatus;
  at: string;
  /** The gateway's reference (what a bank statement shows), or the refund's. */
  reference: string;
  gateway: Gateway;
}

export interface TransactionFilter {
  status?: TransactionStatus[];
  /** Rows at or after `from`, before `to`. */
  from?: Date;
  to?: Date;
  limit: number;
  before?: string;
}

const HISTORY = `
  select * from (
    select p.id::text as id, p.id as payment_id,
           case when p.purpose_kind in ('consultation', 'wallet_topup') then p.purpose_kind
                when p.deposit_kind is null then 'deposit'
                else p.deposit_kind || '_deposit' end as type,
           p.deposit_id, p.booking_id, p.principal_vnd + p.fee_vnd as amount_vnd, p.status, p.created_at as at,
           p.gateway_ref as reference, p.gateway
      from rm.payments p
     where p.payer_id = $1
    union all
    select r.refund_id, r.payment_id, 'refund', p.deposit_id, p.booking_id, r.amount_vnd, r.status, r.requested_at,
           coalesce(r.refund_ref, r.refund_id), p.gateway
      from rm.payment_refunds r join rm.payments p on p.id = r.payment_id
     where p.payer_id = $1
  ) h
  where ($2::text[] is null or h.status = any($2))
    and ($3::timestamptz is null or h.at >= $3)
    and ($4::timestamptz is null or h.at < $4)
    and ($5::timestamptz is null or (h.at, h.id) < ($5, $6::text))
  order by h.at desc, h.id desc
  limit $7`;

// biome-ignore lint/suspicious/noExplicitAny: rows straight from pg
const rowOf = (row: any): TransactionRow => ({
  id: row.id,
  type: row.type,
  paymentId: row.payment_id,
  depositId: row.deposit_id,
  bookingId: row.booking_id,
  amountVnd: Number(row.amount_vnd),
  status: row.status,
  at: row.at.toISOString(),
  reference: row.reference,
  gateway: row.gateway,
});

/** The user's payments and refunds, newest first, by keyset pages. */
export async function transactionHistory(
  pool: pg.Pool,
  userId: string,
  filters: TransactionFilter,
): Promise<Page<TransactionRow>> {
  if (!isUuid(userId)) return { items: [], nextBefore: null };
  const cursor = parseCursor(filters.before, false);
  const { rows } = await pool.query(HISTORY, [
    userId,
    filters.status ?? null,
    filters.from ?? null,
    filters.to ?? null,
    cursor?.at ?? null,
    cursor?.id ?? null,
    filters.limit + 1,
  ]);
  return pageOf(rows, filters.limit, rowOf, 'at');
}
