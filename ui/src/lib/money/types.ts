// Shapes of the money API (docs/money.md; projections/payments/payments-queries.ts). Money is an
// integer number of VND everywhere. Shapes the contract does not spell out (deposit options,
// reports, ledger views) are the UI's assumption and live here only, so they are easy to adjust.
import type { PolicyTerms } from '../deposit-policies';

/** `wallet`: paid from the customer's own wallet at once (wallet policy on), no gateway page. */
export const GATEWAYS = ['vnpay', 'momo', 'zalopay', 'sepay', 'manual', 'wallet'] as const;
export type Gateway = (typeof GATEWAYS)[number];
/** The gateways a wallet top-up may go through (not the wallet itself). */
export type TopUpGateway = Exclude<Gateway, 'wallet'>;
export const TOP_UP_GATEWAYS: readonly TopUpGateway[] = ['vnpay', 'momo', 'zalopay', 'sepay', 'manual'];

export const PAYMENT_STATUSES = [
  'initiated',
  'authorized',
  'captured',
  'refunded',
  'reversed',
  'failed',
  'expired',
  'flagged',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const DEPOSIT_STATUSES = [
  'awaiting_payment',
  'held',
  'converted',
  'released',
  'refunded',
  'forfeited',
  'cancelled',
] as const;
export type DepositStatus = (typeof DEPOSIT_STATUSES)[number];

export const DEPOSIT_KINDS = ['reservation', 'security'] as const;
export type DepositKind = (typeof DEPOSIT_KINDS)[number];

export type BankTransfer = {
  bank: string;
  accountNumber: string;
  accountName: string;
  reference: string;
  qrUrl: string | null;
};

export type PaymentPurpose =
  | { kind: 'deposit'; depositId: string }
  | { kind: 'consultation'; bookingId: string; expertId: string }
  | { kind: 'wallet_topup' };

export type PaymentRefund = {
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
  transfer: BankTransfer | null;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  refunds: PaymentRefund[];
};

export type DepositView = {
  id: string;
  kind: DepositKind;
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

export type DepositDetail = DepositView & { payments: PaymentView[] };

/** Where the payer goes next: the gateway's page, or bank-transfer instructions. */
export type Checkout = { gatewayRef: string; redirectUrl: string | null; transfer?: BankTransfer | null };

export type DepositRequest = { listingId: string; roomId: string; kind: DepositKind; gateway: Gateway };
/** `paymentId` is there even when the read model was too slow to give `payment` back in time. */
export type DepositCreated = {
  depositId?: string;
  paymentId?: string | null;
  deposit: DepositView;
  payment: PaymentView;
  checkout: Checkout;
};
export type DepositConverted = { deposit: DepositView; payment: PaymentView | null; checkout: Checkout | null };

// --- Assumed shapes (the contract names the fields in prose only) ---

/** One allowed deposit kind of a room: the deposit, the platform fee on top, the reservation TTL. */
export type DepositKindOption = { kind: DepositKind; amountVnd: number; feeVnd: number; ttlHours: number | null };

export type DepositRoomOption = {
  roomId: string;
  name: string;
  status: string;
  rentVnd: number;
  kinds: DepositKindOption[];
};

export type DepositOptions = {
  listingId: string;
  policy: { id: string; version: number; name: string; terms: PolicyTerms } | null;
  gateways: Gateway[];
  rooms: DepositRoomOption[];
};

/** `GET /sales/deposits`: deposits credited to me, and manual transfers waiting for a sales confirmation. */
export type SalesDeposits = { credited: DepositView[]; awaitingTransfers: PaymentView[] };

export type IncomeGroupBy = 'day' | 'week' | 'month';

/** One period of the sales income report (UC-SALE-06). */
export type IncomeRow = {
  /** The period's first day, `YYYY-MM-DD`. */
  period: string;
  deposits: number;
  depositVnd: number;
  commissionVnd: number;
};

export type IncomeReport = {
  from: string;
  to: string;
  groupBy: IncomeGroupBy;
  rows: IncomeRow[];
  totals: { deposits: number; depositVnd: number; commissionVnd: number };
  thisMonthVnd: number;
  lastMonthVnd: number;
};

export type FinanceGroupBy = 'type' | 'project' | 'staff' | 'area';

/** One group of the admin financial report (UC-ADMIN-04). */
export type FinanceRow = {
  key: string;
  label: string | null;
  count: number;
  principalVnd: number;
  feeVnd: number;
  refundedVnd: number;
  commissionVnd: number;
  netVnd: number;
};

export type FinanceTotals = Omit<FinanceRow, 'key' | 'label'>;

/** The figures of one group of `GET /admin/finance/report` as the API sends them. */
export type FinanceFiguresWire = {
  depositsVnd: number;
  consultationsVnd: number;
  feesVnd: number;
  refundsVnd: number;
  forfeitsVnd: number;
  commissionsVnd: number;
  count: number;
};
export type FinanceReportWire = {
  from: string;
  to: string;
  by: FinanceGroupBy;
  groups: (FinanceFiguresWire & { key: string | null; label: string })[];
  totals: FinanceFiguresWire;
  series: { period: string; amountVnd: number }[];
};
export type FinanceReport = { from: string; to: string; by: FinanceGroupBy; rows: FinanceRow[]; totals: FinanceTotals };

export type LedgerBalance = {
  account: string;
  /** The account's Vietnamese name (domain/ledger/journal.ts). */
  name: string | null;
  subject: string | null;
  debitVnd: number;
  creditVnd: number;
  /** On the account's normal side. */
  balanceVnd: number;
};

/** `GET /admin/ledger/trial-balance` as the API sends it (api/routes/finance-reports.ts). */
export type TrialBalanceWire = {
  accounts: {
    account: string;
    name: string | null;
    normal: 'debit' | 'credit';
    debitsVnd: number;
    creditsVnd: number;
    balanceVnd: number;
  }[];
  totals: { debitsVnd: number; creditsVnd: number };
  balanced: boolean;
};

/** The trial balance as the UI shows it (mapped from TrialBalanceWire in api.ts). */
export type TrialBalance = {
  rows: { account: string; name: string | null; debitVnd: number; creditVnd: number }[];
  totalDebitVnd: number;
  totalCreditVnd: number;
  balanced: boolean;
};

export type LedgerPosting = {
  id: string;
  at: string;
  memo: string;
  account: string;
  subject: string | null;
  side: 'debit' | 'credit';
  amountVnd: number;
};

/** Kinds of line in the transaction history (projections/payments/transaction-history.ts). */
export type TransactionType =
  | 'reservation_deposit'
  | 'security_deposit'
  | 'deposit'
  | 'consultation'
  | 'wallet_topup'
  | 'refund';
/** A payment's status, or a refund's (`requested`, `refunded`). */
export type TransactionStatus = PaymentStatus | 'requested';

/** One line of `GET /me/transactions` (UC-CUST-06): a payment the person made, or money coming back. */
export type TransactionRow = {
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
  /** The gateway's reference, or the refund's. */
  reference: string;
  gateway: Gateway;
};

/** A keyset page: pass `nextBefore` as `before` for the next (older) one. */
export type TransactionPage = { items: TransactionRow[]; nextBefore: string | null };

export type DateRange = { from?: string; to?: string };
export type ExportFormat = 'xlsx' | 'pdf';

/** What the `/ws` socket pushes to the payer. */
export type PaymentChanged = { paymentId: string; depositId: string | null; status: PaymentStatus };

// --- Wallet (Ví) ---

export type BankAccountDetails = { bank: string; accountNumber: string; accountName: string };
export type WithdrawalStatus = 'requested' | 'paid';

/** A withdrawal from a wallet to a bank account (projections/payments/wallets-queries.ts). */
export type WithdrawalView = {
  id: string;
  userId: string;
  userName: string | null;
  amountVnd: number;
  bank: BankAccountDetails;
  status: WithdrawalStatus;
  /** The bank transfer's reference, once paid. */
  reference: string | null;
  requestedAt: string;
  paidAt: string | null;
};

/** `GET /me/wallet`: `enabled` is the wallet policy; the balance is what may be spent or withdrawn. */
export type WalletView = { enabled: boolean; balanceVnd: number; withdrawals: WithdrawalView[] };

export type TopUpRequest = { amountVnd: number; gateway: TopUpGateway };
/** A top-up's payment and where the payer goes next (a gateway page, transfer instructions, or none). */
export type TopUpCreated = {
  paymentId: string;
  checkout: { redirectUrl: string | null; transfer?: BankTransfer | null } | null;
};
export type WithdrawalRequest = { amountVnd: number } & BankAccountDetails;
