// Typed calls of the money API (docs/money.md): deposits, payments, transaction history, sales
// income, the admin financial report and the ledger. Files (receipts, exports) need the bearer
// token, which a plain link cannot carry: they are fetched with apiDownload and handed to the browser.
import { API_BASE, apiDownload, apiGet, apiSend, saveBlob } from '../api';
import type {
  DateRange,
  DepositConverted,
  DepositCreated,
  DepositDetail,
  DepositKindOption,
  DepositOptions,
  DepositRequest,
  DepositRoomOption,
  DepositView,
  ExportFormat,
  FinanceFiguresWire,
  FinanceGroupBy,
  FinanceReport,
  FinanceReportWire,
  FinanceTotals,
  Gateway,
  IncomeGroupBy,
  IncomeReport,
  LedgerBalance,
  LedgerPosting,
  PaymentStatus,
  PaymentView,
  SalesDeposits,
  TopUpCreated,
  TopUpRequest,
  TransactionPage,
  TrialBalance,
  TrialBalanceWire,
  WalletView,
  WithdrawalRequest,
  WithdrawalStatus,
  WithdrawalView,
} from './types';

const enc = encodeURIComponent;
const deposits = `${API_BASE}/deposits`;
const payments = `${API_BASE}/payments`;

/** `?a=1&b=2` from the defined, non-empty parameters ('' when none). */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return qs ? `?${qs}` : '';
}

const idempotent = (key: string) => ({ headers: { 'Idempotency-Key': key } });

// --- Deposits (customer) ---

type RawRoom = Partial<DepositRoomOption> & {
  id?: string;
  roomName?: string;
  rent?: number;
  price?: number;
  options?: DepositKindOption[];
  deposits?: DepositKindOption[];
};
type RawOptions = Partial<Omit<DepositOptions, 'rooms'>> & { rooms?: RawRoom[] };

/** Per room of a listing: status, rent, the allowed deposit kinds with amount, fee and TTL; policy; gateways. */
export async function getDepositOptions(listingId: string): Promise<DepositOptions> {
  const raw = await apiGet<RawOptions>(`${API_BASE}/listings/${enc(listingId)}/deposit-options`);
  // Tolerates a few likely spellings of the room fields while the API is being written.
  return {
    listingId: raw.listingId ?? listingId,
    policy: raw.policy ?? null,
    gateways: raw.gateways ?? [],
    rooms: (raw.rooms ?? []).map((room) => ({
      roomId: room.roomId ?? room.id ?? '',
      name: room.name ?? room.roomName ?? room.roomId ?? '',
      status: room.status ?? 'available',
      rentVnd: room.rentVnd ?? room.rent ?? room.price ?? 0,
      kinds: room.kinds ?? room.options ?? room.deposits ?? [],
    })),
  };
}

/** `key` is the Idempotency-Key: the same one for retries of the same request. */
export const requestDeposit = (body: DepositRequest, key: string) =>
  apiSend<DepositCreated>('POST', deposits, body, idempotent(key));

export const getDeposit = (id: string) => apiGet<DepositDetail>(`${deposits}/${enc(id)}`);
/** My deposits, newest first (the API answers a keyset page; the first 200 are plenty here). */
export const listMyDeposits = async () =>
  (await apiGet<{ items: DepositView[]; nextBefore: string | null }>(`${API_BASE}/me/deposits?limit=200`)).items;

/** Pays a consultation's fee: the checkout to send the browser to. */
export const payConsultation = (bookingId: string, gateway: Gateway, key: string) =>
  apiSend<{ paymentId: string; checkout: { redirectUrl: string | null } | null }>(
    'POST',
    `${API_BASE}/bookings/${enc(bookingId)}/pay`,
    { gateway },
    idempotent(key),
  );
export const cancelDeposit = (id: string) => apiSend<DepositView>('POST', `${deposits}/${enc(id)}/cancel`, {});
export const convertDeposit = (id: string, gateway: Gateway, key: string) =>
  apiSend<DepositConverted>('POST', `${deposits}/${enc(id)}/convert`, { gateway }, idempotent(key));

// --- Payments ---

export const getPayment = (id: string) => apiGet<PaymentView>(`${payments}/${enc(id)}`);

export const receiptPath = (paymentId: string) => `${payments}/${enc(paymentId)}/receipt.pdf`;

/** Downloads a payment's receipt PDF. */
export async function downloadReceipt(paymentId: string): Promise<void> {
  const { blob, filename } = await apiDownload(receiptPath(paymentId));
  saveBlob(blob, filename === 'download' ? `bien-lai-${paymentId}.pdf` : filename);
}

export type TransactionFilter = DateRange & { status?: PaymentStatus | ''; limit?: number; before?: string };
/** The person's payments and refunds, newest first, a page at a time. */
export const listMyTransactions = (filter: TransactionFilter = {}) =>
  apiGet<TransactionPage>(`${API_BASE}/me/transactions${queryString(filter)}`);

// --- Wallet (Ví) ---

const myWallet = `${API_BASE}/me/wallet`;
export const getMyWallet = () => apiGet<WalletView>(myWallet);
/** Starts a top-up payment; `key` is the Idempotency-Key (the same for retries). */
export const topUpWallet = (body: TopUpRequest, key: string) =>
  apiSend<TopUpCreated>('POST', `${myWallet}/top-ups`, body, idempotent(key));
/** Asks for a withdrawal to a bank account; the balance drops at once. */
export const requestWithdrawal = (body: WithdrawalRequest, key: string) =>
  apiSend<WithdrawalView>('POST', `${myWallet}/withdrawals`, body, idempotent(key));

// --- Sales ---

export const listSalesDeposits = () => apiGet<SalesDeposits>(`${API_BASE}/sales/deposits`);

/** UC-SALE-04: the amount received and a proof file (photo or PDF of the bank statement). */
export function confirmTransfer(paymentId: string, amountVnd: number, proof: File) {
  const form = new FormData();
  form.set('amountVnd', String(amountVnd));
  form.set('proof', proof);
  return apiSend<PaymentView>('POST', `${payments}/${enc(paymentId)}/confirm-transfer`, form);
}

export type IncomeQuery = DateRange & { groupBy: IncomeGroupBy };
export const incomePath = (q: IncomeQuery, format: 'json' | ExportFormat = 'json') =>
  `${API_BASE}/sales/income${queryString({ ...q, format })}`;
export const getSalesIncome = (q: IncomeQuery) => apiGet<IncomeReport>(incomePath(q));

// --- Admin ---

export type FinanceQuery = DateRange & { by: FinanceGroupBy };
export const financePath = (q: FinanceQuery, format: 'json' | ExportFormat = 'json') =>
  `${API_BASE}/admin/finance/report${queryString({ ...q, format })}`;
/** The API's figures as the report card shows them; net = platform fees − sales commissions. */
const financeFigures = (f: FinanceFiguresWire): FinanceTotals => ({
  count: f.count,
  principalVnd: f.depositsVnd + f.consultationsVnd,
  feeVnd: f.feesVnd,
  refundedVnd: f.refundsVnd,
  commissionVnd: f.commissionsVnd,
  netVnd: f.feesVnd - f.commissionsVnd,
});

export async function getFinanceReport(q: FinanceQuery): Promise<FinanceReport> {
  const wire = await apiGet<FinanceReportWire>(financePath(q));
  return {
    from: wire.from,
    to: wire.to,
    by: wire.by,
    rows: wire.groups.map((g) => ({ key: g.key ?? '', label: g.label, ...financeFigures(g) })),
    totals: financeFigures(wire.totals),
  };
}

/** The first page (newest first) of the payments with that status. */
export const listAdminPayments = async (status?: PaymentStatus) =>
  (
    await apiGet<{ items: PaymentView[]; nextBefore: string | null }>(
      `${API_BASE}/admin/payments${queryString({ status })}`,
    )
  ).items;
export const voidPayment = (id: string) =>
  apiSend<PaymentView>('POST', `${API_BASE}/admin/payments/${enc(id)}/void`, {});

const adminWithdrawals = `${API_BASE}/admin/wallet-withdrawals`;
/** Wallet withdrawals for the finance desk (oldest first), of one status when given. */
export const listWalletWithdrawals = (status?: WithdrawalStatus) =>
  apiGet<WithdrawalView[]>(`${adminWithdrawals}${queryString({ status })}`);
/** Records that the bank transfer of a withdrawal was made, with its reference. */
export const markWithdrawalPaid = (id: string, reference: string) =>
  apiSend<WithdrawalView>('POST', `${adminWithdrawals}/${enc(id)}/paid`, { reference });

const ledger = `${API_BASE}/admin/ledger`;
export const getLedgerBalances = () => apiGet<LedgerBalance[]>(`${ledger}/balances`);
/** The trial balance, from the API's `{ accounts, totals, balanced }` to the rows and totals shown. */
export async function getTrialBalance(): Promise<TrialBalance> {
  const wire = await apiGet<TrialBalanceWire>(`${ledger}/trial-balance`);
  return {
    rows: wire.accounts.map((a) => ({
      account: a.account,
      name: a.name,
      debitVnd: a.debitsVnd,
      creditVnd: a.creditsVnd,
    })),
    totalDebitVnd: wire.totals.debitsVnd,
    totalCreditVnd: wire.totals.creditsVnd,
    balanced: wire.balanced,
  };
}
export const listLedgerPostings = (q: DateRange & { account?: string; limit?: number } = {}) =>
  apiGet<LedgerPosting[]>(`${ledger}/postings${queryString(q)}`);

/** Downloads an export (xlsx/pdf) of a report path, with the caller's credentials. */
export async function downloadExport(path: string, fallbackName: string): Promise<void> {
  const { blob, filename } = await apiDownload(path);
  saveBlob(blob, filename === 'download' ? fallbackName : filename);
}
