import type pg from 'pg';
import { type AccountCode, CHART_OF_ACCOUNTS, normalBalance } from '../../domain/ledger/journal.js';
import type { LedgerPostingRow } from './ledger-projection.js';

export interface AccountBalance {
  account: string;
  subject: string | null;
  debitVnd: number;
  creditVnd: number;
  /** On the account's normal side. */
  balanceVnd: number;
  postingCount: number;
  updatedAt: Date;
}

export interface TrialBalanceLine {
  account: string;
  name: string | null;
  normal: 'debit' | 'credit';
  debitsVnd: number;
  creditsVnd: number;
  balanceVnd: number;
}

export interface TrialBalance {
  accounts: TrialBalanceLine[];
  totals: { debitsVnd: number; creditsVnd: number };
  /** Total debits equal total credits. */
  balanced: boolean;
}

export interface Posting {
  position: string;
  eventId: string;
  lineNo: number;
  stream: string;
  eventType: string;
  account: string;
  subject: string | null;
  side: 'debit' | 'credit';
  amountVnd: number;
  memo: string;
  occurredAt: Date;
  actorId: string | null;
}

/** Where the next (older) page of postings starts. */
export interface PostingCursor {
  position: string;
  lineNo: number;
}

/** `position` goes out as text: ORDER BY must name the column qualified (p.position) to sort numerically. */
const POSTING_COLUMNS = `p.position::text, event_id, line_no, stream, event_type, account, subject, side,
  amount_vnd::text, memo, occurred_at, actor_id`;

const postingOf = (row: LedgerPostingRow): Posting => ({
  position: row.position,
  eventId: row.event_id,
  lineNo: row.line_no,
  stream: row.stream,
  eventType: row.event_type,
  account: row.account,
  subject: row.subject,
  side: row.side,
  amountVnd: Number(row.amount_vnd),
  memo: row.memo,
  occurredAt: row.occurred_at,
  actorId: row.actor_id,
});

/** Balances per account and subject; `subject: null` asks for the account's unsplit row. */
export async function accountBalances(
  pool: pg.Pool,
  filter: { account?: string; subject?: string | null } = {},
): Promise<AccountBalance[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.account !== undefined) {
    params.push(filter.account);
    where.push(`account = $${params.length}`);
  }
  if (filter.subject !== undefined) {
    params.push(filter.subject ?? '');
    where.push(`subject = $${params.length}`);
  }
  const { rows } = await pool.query<{
    account: string;
    subject: string;
    debit_vnd: string;
    credit_vnd: string;
    balance_vnd: string;
    posting_count: string;
    updated_at: Date;
  }>(
    `select account, subject, debit_vnd::text, credit_vnd::text, balance_vnd::text, posting_count::text, updated_at
       from rm.ledger_balances ${where.length ? `where ${where.join(' and ')}` : ''}
       order by account, subject`,
    params,
  );
  return rows.map((row) => ({
    account: row.account,
    subject: row.subject === '' ? null : row.subject,
    debitVnd: Number(row.debit_vnd),
    creditVnd: Number(row.credit_vnd),
    balanceVnd: Number(row.balance_vnd),
    postingCount: Number(row.posting_count),
    updatedAt: row.updated_at,
  }));
}

/** Debits, credits and normal balance per account code (all subjects together), with totals. */
export async function trialBalance(pool: pg.Pool): Promise<TrialBalance> {
  const { rows } = await pool.query<{ account: string; debits: string; credits: string }>(
    `select account, sum(debit_vnd)::text as debits, sum(credit_vnd)::text as credits
       from rm.ledger_balances group by account order by account`,
  );
  const accounts = rows.map((row): TrialBalanceLine => {
    const known = Object.hasOwn(CHART_OF_ACCOUNTS, row.account) ? CHART_OF_ACCOUNTS[row.account as AccountCode] : null;
    const debitsVnd = Number(row.debits);
    const creditsVnd = Number(row.credits);
    return {
      account: row.account,
      name: known?.name ?? null,
      normal: known?.normal ?? 'debit',
      debitsVnd,
      creditsVnd,
      balanceVnd: known ? normalBalance(row.account as AccountCode, debitsVnd, creditsVnd) : debitsVnd - creditsVnd,
    };
  });
  const totals = {
    debitsVnd: accounts.reduce((sum, line) => sum + line.debitsVnd, 0),
    creditsVnd: accounts.reduce((sum, line) => sum + line.creditsVnd, 0),
  };
  return { accounts, totals, balanced: totals.debitsVnd === totals.creditsVnd };
}

/**
 * Postings newest first, keyset paginated: pass the returned `next` as `before` for the page
 * after. `from` (inclusive) and `to` (exclusive) bound the time the fact occurred.
 */
export async function postingsOf(
  pool: pg.Pool,
  query: {
    account?: string;
    subject?: string | null;
    from?: Date;
    to?: Date;
    limit: number;
    before?: PostingCursor;
  },
): Promise<{ postings: Posting[]; next: PostingCursor | null }> {
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (clause: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(clause(params.length));
  };
  if (query.account !== undefined) add((n) => `account = $${n}`, query.account);
  if (query.subject === null) where.push('subject is null');
  else if (query.subject !== undefined) add((n) => `subject = $${n}`, query.subject);
  if (query.from) add((n) => `occurred_at >= $${n}`, query.from);
  if (query.to) add((n) => `occurred_at < $${n}`, query.to);
  if (query.before) {
    params.push(query.before.position, query.before.lineNo);
    where.push(`(position, line_no) < ($${params.length - 1}::bigint, $${params.length}::int)`);
  }
  const limit = Math.max(1, Math.min(500, Math.floor(query.limit)));
  params.push(limit);
  const { rows } = await pool.query<LedgerPostingRow>(
    `select ${POSTING_COLUMNS} from rm.ledger_postings p
       ${where.length ? `where ${where.join(' and ')}` : ''}
       order by p.position desc, p.line_no desc limit $${params.length}`,
    params,
  );
  const postings = rows.map(postingOf);
  const last = postings.at(-1);
  return {
    postings,
    next: postings.length === limit && last ? { position: last.position, lineNo: last.lineNo } : null,
  };
}

/** Every posting of one stream (a payment's or a deposit's whole ledger history), oldest first. */
export async function postingsForStream(pool: pg.Pool, stream: string): Promise<Posting[]> {
  const { rows } = await pool.query<LedgerPostingRow>(
    `select ${POSTING_COLUMNS} from rm.ledger_postings p where stream = $1 order by p.position, p.line_no`,
    [stream],
  );
  return rows.map(postingOf);
}
