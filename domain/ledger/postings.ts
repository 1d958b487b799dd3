import {
  type AccountCode,
  accountKey,
  CHART_OF_ACCOUNTS,
  entryProblem,
  type JournalEntry,
  type JournalLine,
} from './journal.js';

/** Streams whose events may carry a journal entry: payments, deposits, wallets (withdrawals). */
export const LEDGER_STREAM_PREFIXES = ['payment-', 'deposit-', 'wallet-'] as const;

/** The journal entry an event carries: any event whose data has a non-null `journal`. */
export function journalOf(event: { type: string; data: unknown }): JournalEntry | null {
  const data = event.data;
  if (data === null || typeof data !== 'object' || !('journal' in data)) return null;
  const entry = (data as { journal: unknown }).journal;
  if (entry === null || typeof entry !== 'object' || !Array.isArray((entry as JournalEntry).lines)) return null;
  return entry as JournalEntry;
}

const isAccount = (account: string): account is AccountCode => Object.hasOwn(CHART_OF_ACCOUNTS, account);

/**
 * What a line does to its account's balance on the normal side. A line naming an account outside
 * the chart still counts (as a debit-normal account) so that a read model and a replay agree;
 * `entryProblem` is what reports it.
 */
export function signedAmount(line: Pick<JournalLine, 'account' | 'side' | 'amountVnd'>): number {
  const normal = isAccount(line.account) ? CHART_OF_ACCOUNTS[line.account].normal : 'debit';
  return line.side === normal ? line.amountVnd : -line.amountVnd;
}

export const isNeverNegative = (account: string) => isAccount(account) && CHART_OF_ACCOUNTS[account].neverNegative;

export interface AccountTally {
  account: string;
  subject: string | null;
  debits: number;
  credits: number;
  /** On the account's normal side. */
  balance: number;
  postings: number;
}

/**
 * Running totals of a ledger posted entry by entry: per account and subject, and over all lines.
 * Memory grows with the number of accounts, not of entries (a replay of millions stays small).
 */
export class LedgerTally {
  readonly accounts = new Map<string, AccountTally>();
  debits = 0;
  credits = 0;
  entries = 0;
  postings = 0;

  /** Posts every line as given (even of a faulty entry) and returns the keys it touched. */
  post(entry: JournalEntry): string[] {
    this.entries += 1;
    const touched: string[] = [];
    for (const line of entry.lines) {
      const key = accountKey(line);
      let row = this.accounts.get(key);
      if (!row) {
        row = { account: line.account, subject: line.subject, debits: 0, credits: 0, balance: 0, postings: 0 };
        this.accounts.set(key, row);
      }
      if (line.side === 'debit') {
        row.debits += line.amountVnd;
        this.debits += line.amountVnd;
      } else {
        row.credits += line.amountVnd;
        this.credits += line.amountVnd;
      }
      row.balance += signedAmount(line);
      row.postings += 1;
      this.postings += 1;
      touched.push(key);
    }
    return touched;
  }

  /** Accounts that must never go below zero and are below zero now (of `keys`, or all). */
  negativeAccounts(keys: Iterable<string> = this.accounts.keys()): { key: string; balance: number }[] {
    const found: { key: string; balance: number }[] = [];
    for (const key of new Set(keys)) {
      const row = this.accounts.get(key);
      if (row && row.balance < 0 && isNeverNegative(row.account)) found.push({ key, balance: row.balance });
    }
    return found;
  }
}

export interface LedgerCheck {
  /** Every entry is well formed and balanced, debits = credits overall, and nothing is overdrawn. */
  balanced: boolean;
  unbalancedEntries: { index: number; memo: string; code: string; message: string }[];
  /** neverNegative accounts below zero after the last entry. */
  negativeAccounts: { key: string; balance: number }[];
  trialBalance: { debits: number; credits: number };
}

/** Checks a sequence of entries: each one on its own (entryProblem), then the balances they leave. */
export function checkLedger(entries: Iterable<JournalEntry>): LedgerCheck {
  const tally = new LedgerTally();
  const unbalancedEntries: LedgerCheck['unbalancedEntries'] = [];
  let index = 0;
  for (const entry of entries) {
    const problem = entryProblem(entry);
    if (problem) unbalancedEntries.push({ index, memo: entry.memo, code: problem.code, message: problem.message });
    tally.post(entry);
    index += 1;
  }
  const negativeAccounts = tally.negativeAccounts();
  return {
    balanced: unbalancedEntries.length === 0 && negativeAccounts.length === 0 && tally.debits === tally.credits,
    unbalancedEntries,
    negativeAccounts,
    trialBalance: { debits: tally.debits, credits: tally.credits },
  };
}
