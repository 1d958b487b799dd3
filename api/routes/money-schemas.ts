import { z } from 'zod';
import { DEPOSIT_TYPES } from '../../domain/catalog/deposit-policy-events.js';
import { DEPOSIT_STATUSES } from '../../domain/payments/deposit-events.js';
import { GATEWAYS, PAYMENT_STATUSES } from '../../domain/payments/payment-events.js';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES } from '../../projections/payments/transaction-history.js';

/** Response and query schemas of the money read routes (money.md, "Views returned by the API"). */

export const paymentView = z.object({
  id: z.string(),
  payerId: z.string(),
  payerName: z.string().nullable(),
  purpose: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('deposit'), depositId: z.string() }),
    z.object({ kind: z.literal('consultation'), bookingId: z.string(), expertId: z.string() }),
    z.object({ kind: z.literal('wallet_topup') }),
  ]),
  status: z.enum(PAYMENT_STATUSES),
  principalVnd: z.number().int(),
  feeVnd: z.number().int(),
  totalVnd: z.number().int(),
  refundedVnd: z.number().int(),
  gateway: z.enum(GATEWAYS),
  gatewayRef: z.string(),
  gatewayTransactionId: z.string().nullable(),
  reason: z.string().nullable(),
  checkoutUrl: z.string().nullable(),
  transfer: z
    .object({
      bank: z.string(),
      accountNumber: z.string(),
      accountName: z.string(),
      reference: z.string(),
      qrUrl: z.string().nullable(),
    })
    .nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  refunds: z.array(
    z.object({
      refundId: z.string(),
      amountVnd: z.number().int(),
      status: z.enum(['requested', 'refunded']),
      reason: z.string(),
      at: z.string(),
    }),
  ),
});

export const depositView = z.object({
  id: z.string(),
  kind: z.enum(DEPOSIT_TYPES),
  status: z.enum(DEPOSIT_STATUSES),
  customerId: z.string(),
  ownerId: z.string(),
  listingId: z.string(),
  listingTitle: z.string().nullable(),
  roomId: z.string(),
  roomName: z.string().nullable(),
  projectId: z.string(),
  areaId: z.string().nullable(),
  salesStaffId: z.string().nullable(),
  amountVnd: z.number().int(),
  feeVnd: z.number().int(),
  convertedVnd: z.number().int(),
  convertedFromId: z.string().nullable(),
  convertedIntoId: z.string().nullable(),
  paymentId: z.string().nullable(),
  policyId: z.string(),
  policyVersion: z.number().int(),
  heldAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  refundVnd: z.number().int().nullable(),
  forfeitVnd: z.number().int().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const depositWithPayments = depositView.extend({ payments: z.array(paymentView) });

export const transactionRow = z.object({
  id: z.string(),
  type: z.enum(TRANSACTION_TYPES),
  paymentId: z.string(),
  depositId: z.string().nullable(),
  bookingId: z.string().nullable(),
  amountVnd: z.number().int(),
  status: z.enum(TRANSACTION_STATUSES),
  at: z.string(),
  reference: z.string(),
  gateway: z.enum(GATEWAYS),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextBefore: z.string().nullable() });

/** `?status=a,b` or `?status=a&status=b`. */
export const statusList = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
    z.array(z.enum(values)).min(1),
  );

export const limit = z.coerce.number().int().min(1).max(200).default(50);
export const before = z.string().min(1).max(200).optional();
export const isoDate = z.iso.date();
export const exportFormat = z.enum(['json', 'xlsx', 'pdf']).default('json');

export const seriesPoint = z.object({ period: z.string(), amountVnd: z.number().int() });

const figures = {
  depositsVnd: z.number().int(),
  consultationsVnd: z.number().int(),
  feesVnd: z.number().int(),
  refundsVnd: z.number().int(),
  forfeitsVnd: z.number().int(),
  commissionsVnd: z.number().int(),
  count: z.number().int(),
};

export const financeReportView = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(['type', 'project', 'staff', 'area']),
  groups: z.array(z.object({ key: z.string().nullable(), label: z.string(), ...figures })),
  totals: z.object(figures),
  series: z.array(seriesPoint),
});

export const salesIncomeView = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['day', 'week', 'month']),
  thisMonthVnd: z.number().int(),
  lastMonthVnd: z.number().int(),
  totalVnd: z.number().int(),
  allTimeVnd: z.number().int(),
  series: z.array(seriesPoint),
  rows: z.array(
    z.object({
      at: z.string(),
      depositId: z.string(),
      listingTitle: z.string().nullable(),
      customerName: z.string().nullable(),
      kind: z.enum(DEPOSIT_TYPES),
      depositVnd: z.number().int(),
      commissionVnd: z.number().int(),
      status: z.enum(DEPOSIT_STATUSES),
    }),
  ),
});
