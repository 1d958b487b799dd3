import type { DomainError } from '../shared/errors.js';
import { invalid } from '../shared/errors.js';

/**
 * Chart of accounts. `normal` is the side that increases the account; an account marked
 * `neverNegative` must never have its balance (on its normal side) fall below zero.
 */
export const CHART_OF_ACCOUNTS = {
  /** Money the payment providers hold for us (asset). */
  gateway_clearing: { normal: 'debit', neverNegative: true, name: 'Tiền tại cổng thanh toán' },
  /** Money received from a customer and not yet applied to anything (liability, per payer). */
  customer_funds: { normal: 'credit', neverNegative: true, name: 'Tiền khách hàng chưa phân bổ' },
  /** Deposits and consultation fees held until their outcome (TienTamGiu, per deposit or booking). */
  escrow: { normal: 'credit', neverNegative: true, name: 'Tiền tạm giữ' },
  /** The platform's fees and commissions (income). */
  platform_revenue: { normal: 'credit', neverNegative: true, name: 'Doanh thu nền tảng' },
  /** Sales commissions the platform pays (expense). */
  commission_expense: { normal: 'debit', neverNegative: true, name: 'Chi phí hoa hồng' },
  /** Owed to owners: forfeited deposits, deposits offset against the first rent (per owner). */
  owner_payable: { normal: 'credit', neverNegative: true, name: 'Phải trả chủ dự án' },
  /** Owed to sales staff (per staff member). */
  sales_commission_payable: { normal: 'credit', neverNegative: true, name: 'Hoa hồng phải trả NVBH' },
  /** Owed to experts for sessions held (per expert). */
  expert_payable: { normal: 'credit', neverNegative: true, name: 'Phải trả chuyên gia' },
  /** Refunds decided and not yet paid back through the gateway (per customer). */
  refunds_payable: { normal: 'credit', neverNegative: true, name: 'Hoàn tiền phải trả' },
  /** Customers' wallet balances (per user), when the wallet policy is on. */
  wallet: { normal: 'credit', neverNegative: true, name: 'Ví khách hàng' },
} as const;

export type AccountCode = keyof typeof CHART_OF_ACCOUNTS;
export const ACCOUNT_CODES = Object.keys(CHART_OF_ACCOUNTS) as AccountCode[];

/** One line of a journal entry (ButToanSoCai). `subject` splits an account per party or per deposit. */
export interface JournalLine {
  account: AccountCode;
  subject: string | null;
  side: 'debit' | 'credit';
  /** Positive integer VND. */
  amountVnd: number;
}

/** A balanced journal entry, carried inside the event that records the financial fact. */
export interface JournalEntry {
  memo: string;
  lines: JournalLine[];
}

export const debit = (account: AccountCode, subject: string | null, amountVnd: number): JournalLine => ({
  account,
  subject,
  side: 'debit',
  amountVnd,
});
export const credit = (account: AccountCode, subject: string | null, amountVnd: number): JournalLine => ({
  account,
  subject,
  side: 'credit',
  amountVnd,
});

/** An entry from its lines, dropping zero lines (a 0 ₫ fee or forfeit is no posting). */
export function journal(memo: string, ...lines: JournalLine[]): JournalEntry {
  return { memo, lines: lines.filter((line) => line.amountVnd !== 0) };
}

export const totalOf = (entry: JournalEntry, side: 'debit' | 'credit') =>
  entry.lines.reduce((sum, line) => (line.side === side ? sum + line.amountVnd : sum), 0);

/** Why an entry may not be posted, or null: integer positive lines, known accounts, debits = credits. */
export function entryProblem(entry: JournalEntry): DomainError | null {
  if (entry.lines.length < 2) return invalid('JOURNAL_TOO_SHORT', 'Bút toán cần ít nhất hai dòng', 'journal.lines');
  for (const [index, line] of entry.lines.entries()) {
    if (!(line.account in CHART_OF_ACCOUNTS)) {
      return invalid('JOURNAL_UNKNOWN_ACCOUNT', `Tài khoản không tồn tại: ${line.account}`, `journal.lines.${index}`);
    }
    if (!Number.isSafeInteger(line.amountVnd) || line.amountVnd <= 0) {
      return invalid('JOURNAL_AMOUNT_INVALID', 'Số tiền là số nguyên VND dương', `journal.lines.${index}.amountVnd`);
    }
  }
  if (totalOf(entry, 'debit') !== totalOf(entry, 'credit')) {
    return invalid('JOURNAL_UNBALANCED', 'Tổng Nợ khác tổng Có', 'journal.lines');
  }
  return null;
}

/** The correction of an entry: the same lines on the other side (entries are never edited). */
export function reversalOf(entry: JournalEntry, memo: string): JournalEntry {
  return {
    memo,
    lines: entry.lines.map((line) => ({ ...line, side: line.side === 'debit' ? 'credit' : 'debit' })),
  };
}

/** Balance on the account's normal side: debits − credits for a debit account, the reverse otherwise. */
export function normalBalance(account: AccountCode, debits: number, credits: number): number {
  return CHART_OF_ACCOUNTS[account].normal === 'debit' ? debits - credits : credits - debits;
}

export const accountKey = (line: Pick<JournalLine, 'account' | 'subject'>) =>
  line.subject === null ? line.account : `${line.account}:${line.subject}`;

/** Balances per account and subject after posting `entries` in order (for checks and tests). */
export function balancesAfter(entries: Iterable<JournalEntry>): Map<string, { account: AccountCode; balance: number }> {
  const balances = new Map<string, { account: AccountCode; balance: number }>();
  for (const entry of entries) {
    for (const line of entry.lines) {
      const key = accountKey(line);
      const row = balances.get(key) ?? { account: line.account, balance: 0 };
      const signed = line.side === CHART_OF_ACCOUNTS[line.account].normal ? line.amountVnd : -line.amountVnd;
      row.balance += signed;
      balances.set(key, row);
    }
  }
  return balances;
}
