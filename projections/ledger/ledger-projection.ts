import { type Kysely, sql } from 'kysely';
import type { RecordedEvent } from '../../commands/eventstore/port.js';
import { accountKey } from '../../domain/ledger/journal.js';
import { journalOf, LEDGER_STREAM_PREFIXES, signedAmount } from '../../domain/ledger/postings.js';
import { LIVE_SCHEMA, type Projection } from '../projection.js';

export interface LedgerPostingRow {
  position: string;
  event_id: string;
  line_no: number;
  stream: string;
  event_type: string;
  account: string;
  subject: string | null;
  side: 'debit' | 'credit';
  amount_vnd: string;
  memo: string;
  occurred_at: Date;
  actor_id: string | null;
}

export interface LedgerBalanceRow {
  account: string;
  /** '' when the account is not split per party (the posting's subject is null). */
  subject: string;
  debit_vnd: string;
  credit_vnd: string;
  /** On the account's normal side. */
  balance_vnd: string;
  posting_count: string;
  updated_at: Date;
}

export interface LedgerTables {
  ledger_postings: LedgerPostingRow;
  ledger_balances: LedgerBalanceRow;
}

/**
 * Postings are append-only (SRS 6.1.4 trg_buttoan_no_update / trg_buttoan_no_delete): a
 * correction is a reversing entry. The function lives in the live schema, not in the schema a
 * rebuild builds in, because the rebuild drops its build schema with CASCADE after moving the
 * tables out: a function there would take the triggers of the new live table with it.
 */
async function createAppendOnlyTriggers(db: Kysely<LedgerTables>, schema: string) {
  await sql`create or replace function ${sql.id(LIVE_SCHEMA, 'ledger_postings_append_only')}() returns trigger
    language plpgsql as $$
    begin
      raise exception 'ledger postings are append-only: % refused (post a reversing entry instead)', tg_op
        using errcode = 'P0001';
    end;
    $$`.execute(db);
  const table = sql.id(schema, 'ledger_postings');
  const fn = sql.id(LIVE_SCHEMA, 'ledger_postings_append_only');
  await sql`create or replace trigger trg_ledger_postings_no_update before update on ${table}
    for each statement execute function ${fn}()`.execute(db);
  await sql`create or replace trigger trg_ledger_postings_no_delete before delete on ${table}
    for each statement execute function ${fn}()`.execute(db);
  await sql`create or replace trigger trg_ledger_postings_no_truncate before truncate on ${table}
    for each statement execute function ${fn}()`.execute(db);
}

interface BalanceDelta {
  account: string;
  subject: string;
  debit: number;
  credit: number;
  balance: number;
  count: number;
  updatedAt: string;
}

/** One batch as column arrays (written with one `unnest` insert) and its balance changes. */
function rowsOf(events: RecordedEvent[]) {
  const cols = {
    position: [] as string[],
    eventId: [] as string[],
    lineNo: [] as number[],
    stream: [] as string[],
    eventType: [] as string[],
    account: [] as string[],
    subject: [] as (string | null)[],
    side: [] as string[],
    amount: [] as number[],
    memo: [] as string[],
    occurredAt: [] as string[],
    actorId: [] as (string | null)[],
  };
  const deltas = new Map<string, BalanceDelta>();
  for (const event of events) {
    const entry = journalOf(event);
    if (!entry) continue;
    const position = event.position.toString();
    const occurredAt = event.metadata.occurredAt ?? event.createdAt.toISOString();
    for (const [lineNo, line] of entry.lines.entries()) {
      cols.position.push(position);
      cols.eventId.push(event.eventId);
      cols.lineNo.push(lineNo);
      cols.stream.push(event.streamName);
      cols.eventType.push(event.type);
      cols.account.push(line.account);
      cols.subject.push(line.subject);
      cols.side.push(line.side);
      cols.amount.push(line.amountVnd);
      cols.memo.push(entry.memo);
      cols.occurredAt.push(occurredAt);
      cols.actorId.push(event.metadata.actorId ?? null);

      const key = accountKey(line);
      let delta = deltas.get(key);
      if (!delta) {
        delta = {
          account: line.account,
          subject: line.subject ?? '',
          debit: 0,
          credit: 0,
          balance: 0,
          count: 0,
          updatedAt: '',
        };
        deltas.set(key, delta);
      }
      if (line.side === 'debit') delta.debit += line.amountVnd;
      else delta.credit += line.amountVnd;
      delta.balance += signedAmount(line);
      delta.count += 1;
      delta.updatedAt = occurredAt;
    }
  }
  return { cols, deltas: [...deltas.values()] };
}

/**
 * The general ledger (rm.ledger_postings, one row per journal line, append-only) and the
 * balance of every account and subject (rm.ledger_balances), from every event that carries a
 * journal entry. A batch is written with one multi-row insert and one upsert.
 */
export const ledgerProjection: Projection<LedgerTables> = {
  name: 'ledger',
  version: 2, // v2: wallet streams (withdrawals) post too
  filter: { streamPrefixes: [...LEDGER_STREAM_PREFIXES] },
  tables: ['ledger_postings', 'ledger_balances'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'ledger_postings')} (
      position bigint not null,
      event_id uuid not null,
      line_no int not null,
      stream text not null,
      event_type text not null,
      account text not null,
      subject text,
      side text not null check (side in ('debit', 'credit')),
      amount_vnd bigint not null,
      memo text not null,
      occurred_at timestamptz not null,
      actor_id text,
      primary key (event_id, line_no)
    )`.execute(db);
    // (account, subject) leads the index an account's statement pages through by position.
    await sql`create index if not exists ledger_postings_account
      on ${sql.id(schema, 'ledger_postings')} (account, subject, position, line_no)`.execute(db);
    await sql`create index if not exists ledger_postings_occurred
      on ${sql.id(schema, 'ledger_postings')} (occurred_at)`.execute(db);
    await sql`create index if not exists ledger_postings_position
      on ${sql.id(schema, 'ledger_postings')} (position, line_no)`.execute(db);
    await sql`create index if not exists ledger_postings_stream
      on ${sql.id(schema, 'ledger_postings')} (stream)`.execute(db);
    await createAppendOnlyTriggers(db, schema);

    await sql`create table if not exists ${sql.id(schema, 'ledger_balances')} (
      account text not null,
      subject text not null default '',
      debit_vnd bigint not null default 0,
      credit_vnd bigint not null default 0,
      balance_vnd bigint not null default 0,
      posting_count bigint not null default 0,
      updated_at timestamptz not null,
      primary key (account, subject)
    )`.execute(db);
  },

  async apply(events, { trx, schema }) {
    const { cols, deltas } = rowsOf(events);
    if (cols.position.length === 0) return;
    await sql`insert into ${sql.id(schema, 'ledger_postings')}
      (position, event_id, line_no, stream, event_type, account, subject, side, amount_vnd, memo, occurred_at, actor_id)
      select * from unnest(
        ${cols.position}::bigint[], ${cols.eventId}::uuid[], ${cols.lineNo}::int[], ${cols.stream}::text[],
        ${cols.eventType}::text[], ${cols.account}::text[], ${cols.subject}::text[], ${cols.side}::text[],
        ${cols.amount}::bigint[], ${cols.memo}::text[], ${cols.occurredAt}::timestamptz[], ${cols.actorId}::text[])`.execute(
      trx,
    );
    const balances = sql.id(schema, 'ledger_balances');
    await sql`insert into ${balances} as b
      (account, subject, debit_vnd, credit_vnd, balance_vnd, posting_count, updated_at)
      select * from unnest(
        ${deltas.map((d) => d.account)}::text[], ${deltas.map((d) => d.subject)}::text[],
        ${deltas.map((d) => d.debit)}::bigint[], ${deltas.map((d) => d.credit)}::bigint[],
        ${deltas.map((d) => d.balance)}::bigint[], ${deltas.map((d) => d.count)}::bigint[],
        ${deltas.map((d) => d.updatedAt)}::timestamptz[])
      on conflict (account, subject) do update set
        debit_vnd = b.debit_vnd + excluded.debit_vnd,
        credit_vnd = b.credit_vnd + excluded.credit_vnd,
        balance_vnd = b.balance_vnd + excluded.balance_vnd,
        posting_count = b.posting_count + excluded.posting_count,
        updated_at = greatest(b.updated_at, excluded.updated_at)`.execute(trx);
  },
};
