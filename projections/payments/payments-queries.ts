import type pg from 'pg';
import type { DepositType } from '../../domain/catalog/deposit-policy-events.js';
import type { DepositStatus } from '../../domain/payments/deposit-events.js';
import type { Gateway, PaymentPurpose, PaymentStatus } from '../../domain/payments/payment-events.js';
import { isUuid } from '../identity/profiles-queries.js';
import { type Page, pageOf, parseCursor } from './keyset.js';

export type TransferInstructions = {
  bank: string;
  accountNumber: string;
  accountName: string;
  reference: string;
  qrUrl: string | null;
};

export type PaymentRefundView = {
  refundId: string;
  amountVnd: number;
  status: 'requested' | 'refunded';
  reason: string;
  at: string;
};

export type PaymentView = {
  id: string;
  payerId: string;
  payerName: string | null;
  purpose: PaymentPurpose;
  status: PaymentStatus;
  principalVnd: number;
  feeVnd: number;
  totalVnd: number;
  refundedVnd: number;
  gateway: Gateway;
  gatewayRef: string;
  gatewayTransactionId: string | null;
  /** Why it was voided/flagged/failed (room_taken, amount_mismatch, …), for the customer. */
  reason: string | null;
  checkoutUrl: string | null;
  transfer: TransferInstructions | null;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  refunds: PaymentRefundView[];
};

export type DepositView = {
  id: string;
  kind: DepositType;
  status: DepositStatus;
  customerId: string;
  ownerId: string;
  listingId: string;
  listingTitle: string | null;
  roomId: string;
  roomName: string | null;
  projectId: string;
  areaId: string | null;
  salesStaffId: string | null;
  amountVnd: number;
  feeVnd: number;
  convertedVnd: number;
  convertedFromId: string | null;
  convertedIntoId: string | null;
  paymentId: string | null;
  policyId: string;
  policyVersion: number;
  heldAt: string | null;
  expiresAt: string | null;
  refundVnd: number | null;
  forfeitVnd: number | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
};

const PAYMENT_SELECT = `
  select p.*, u.name as payer_name, c.checkout_url, c.transfer
    from rm.payments p
    left join rm.users u on u.id = p.payer_id
    left join ops.payment_checkouts c on c.payment_id = p.id`;

const DEPOSIT_SELECT = `
  select d.*, l.title as listing_title, r.name as room_name
    from rm.deposits d
    left join rm.listings l on l.id = d.listing_id
    left join rm.rooms r on r.id = d.room_id`;

export const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());
export const vnd = (value: string | number | null): number | null => (value === null ? null : Number(value));

// biome-ignore lint/suspicious/noExplicitAny: rows straight from pg
type Row = any;

const purposeOf = (row: Row): PaymentPurpose =>
  row.purpose_kind === 'deposit'
    ? { kind: 'deposit', depositId: row.deposit_id }
    : row.purpose_kind === 'consultation'
      ? { kind: 'consultation', bookingId: row.booking_id, expertId: row.expert_id }
      : { kind: 'wallet_topup' };

const paymentOf = (row: Row, refunds: PaymentRefundView[]): PaymentView => ({
  id: row.id,
  payerId: row.payer_id,
  payerName: row.payer_name ?? null,
  purpose: purposeOf(row),
  status: row.status,
  principalVnd: Number(row.principal_vnd),
  feeVnd: Number(row.fee_vnd),
  totalVnd: Number(row.principal_vnd) + Number(row.fee_vnd),
  refundedVnd: Number(row.refunded_vnd),
  gateway: row.gateway,
  gatewayRef: row.gateway_ref,
  gatewayTransactionId: row.gateway_transaction_id,
  reason: row.reason,
  checkoutUrl: row.checkout_url ?? null,
  transfer: row.transfer ?? null,
  expiresAt: row.expires_at.toISOString(),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  refunds,
});

export const depositOf = (row: Row): DepositView => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  customerId: row.customer_id,
  ownerId: row.owner_id,
  listingId: row.listing_id,
  listingTitle: row.listing_title ?? null,
  roomId: row.room_id,
  roomName: row.room_name ?? null,
  projectId: row.project_id,
  areaId: row.area_id,
  salesStaffId: row.sales_staff_id,
  amountVnd: Number(row.amount_vnd),
  feeVnd: Number(row.fee_vnd),
  convertedVnd: Number(row.converted_vnd),
  convertedFromId: row.converted_from_id,
  convertedIntoId: row.converted_into_id,
  paymentId: row.payment_id,
  policyId: row.policy_id,
  policyVersion: row.policy_version,
  heldAt: iso(row.held_at),
  expiresAt: iso(row.expires_at),
  refundVnd: vnd(row.refund_vnd),
  forfeitVnd: vnd(row.forfeit_vnd),
  reason: row.reason,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Payment rows with their refunds, in the rows' order. */
async function paymentsWithRefunds(pool: pg.Pool, rows: Row[]): Promise<PaymentView[]> {
  if (rows.length === 0) return [];
  const { rows: refunds } = await pool.query(
    'select * from rm.payment_refunds where payment_id = any($1) order by requested_at, refund_id',
    [rows.map((row) => row.id)],
  );
  const byPayment = new Map<string, PaymentRefundView[]>();
  for (const r of refunds) {
    const list = byPayment.get(r.payment_id) ?? [];
    list.push({
      refundId: r.refund_id,
      amountVnd: Number(r.amount_vnd),
      status: r.status,
      reason: r.reason,
      at: (r.refunded_at ?? r.requested_at).toISOString(),
    });
    byPayment.set(r.payment_id, list);
  }
  return rows.map((row) => paymentOf(row, byPayment.get(row.id) ?? []));
}

export async function getPayment(pool: pg.Pool, id: string): Promise<PaymentView | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query(`${PAYMENT_SELECT} where p.id = $1`, [id]);
  return (await paymentsWithRefunds(pool, rows))[0] ?? null;
}

export async function getDeposit(pool: pg.Pool, id: string): Promise<DepositView | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query(`${DEPOSIT_SELECT} where d.id = $1`, [id]);
  return rows[0] ? depositOf(rows[0]) : null;
}

/** Every payment whose money is in the deposit: its own, and those of the reservation converted into it. */
export async function paymentsOfDeposit(pool: pg.Pool, depositId: string): Promise<PaymentView[]> {
  if (!isUuid(depositId)) return [];
  const { rows } = await pool.query(
    `${PAYMENT_SELECT}
      where p.deposit_id = $1
         or p.deposit_id = (select converted_from_id from rm.deposits where id = $1)
      order by p.created_at, p.id`,
    [depositId],
  );
  return paymentsWithRefunds(pool, rows);
}

export interface DepositFilter {
  status?: DepositStatus[];
  kind?: DepositType;
  limit: number;
  before?: string;
}

/** The customer's deposits, newest first. */
export async function depositsOfCustomer(
  pool: pg.Pool,
  customerId: string,
  filters: DepositFilter,
): Promise<Page<DepositView>> {
  if (!isUuid(customerId)) return { items: [], nextBefore: null };
  const cursor = parseCursor(filters.before);
  const { rows } = await pool.query(
    `${DEPOSIT_SELECT}
      where d.customer_id = $1
        and ($2::text[] is null or d.status = any($2))
        and ($3::text is null or d.kind = $3)
        and ($4::timestamptz is null or (d.created_at, d.id) < ($4, $5::uuid))
      order by d.created_at desc, d.id desc limit $6`,
    [
      customerId,
      filters.status ?? null,
      filters.kind ?? null,
      cursor?.at ?? null,
      cursor?.id ?? null,
      filters.limit + 1,
    ],
  );
  return pageOf(rows, filters.limit, depositOf);
}

/** Deposits credited to a sales staff member, and manual transfers waiting for a sales confirmation. */
export type SalesDesk = { credited: DepositView[]; awaitingTransfers: PaymentView[] };

/**
 * A sales staff member's desk (UC-SALE-04): the deposits credited to them, and bank transfers still
 * waiting for a confirmation (of their deals, and of deals no one is credited with).
 */
export async function salesDeposits(pool: pg.Pool, staffId: string, limit = 200): Promise<SalesDesk> {
  if (!isUuid(staffId)) return { credited: [], awaitingTransfers: [] };
  const deposits = await pool.query(
    `${DEPOSIT_SELECT} where d.sales_staff_id = $1 order by d.created_at desc, d.id desc limit $2`,
    [staffId, limit],
  );
  const awaiting = await pool.query(
    `${PAYMENT_SELECT}
      where p.gateway = 'manual' and p.status = 'initiated' and p.purpose_kind = 'deposit'
        and (p.sales_staff_id = $1 or p.sales_staff_id is null)
      order by p.created_at, p.id limit $2`,
    [staffId, limit],
  );
  return {
    credited: deposits.rows.map(depositOf),
    awaitingTransfers: await paymentsWithRefunds(pool, awaiting.rows),
  };
}

export interface AdminPaymentFilter {
  status?: PaymentStatus[];
  gateway?: Gateway;
  limit: number;
  before?: string;
}

/** Every payment, newest first (admin, `report:finance_read`). */
export async function adminPayments(pool: pg.Pool, filters: AdminPaymentFilter): Promise<Page<PaymentView>> {
  const cursor = parseCursor(filters.before);
  const { rows } = await pool.query(
    `${PAYMENT_SELECT}
      where ($1::text[] is null or p.status = any($1))
        and ($2::text is null or p.gateway = $2)
        and ($3::timestamptz is null or (p.created_at, p.id) < ($3, $4::uuid))
      order by p.created_at desc, p.id desc limit $5`,
    [filters.status ?? null, filters.gateway ?? null, cursor?.at ?? null, cursor?.id ?? null, filters.limit + 1],
  );
  const page = pageOf(rows, filters.limit, (row) => row);
  return { items: await paymentsWithRefunds(pool, page.items), nextBefore: page.nextBefore };
}

/** Name and email for a receipt. */
export async function payerContact(pool: pg.Pool, userId: string): Promise<{ name: string; email: string } | null> {
  if (!isUuid(userId)) return null;
  const { rows } = await pool.query<{ name: string; email: string }>('select name, email from rm.users where id = $1', [
    userId,
  ]);
  return rows[0] ?? null;
}

export type { Page } from './keyset.js';
export { type TransactionFilter, type TransactionRow, transactionHistory } from './transaction-history.js';
