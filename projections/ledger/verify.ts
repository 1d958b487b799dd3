import type pg from 'pg';
import type { EventStore, Position, RecordedEvent } from '../../commands/eventstore/port.js';
import { entryProblem } from '../../domain/ledger/journal.js';
import { type AccountTally, journalOf, LEDGER_STREAM_PREFIXES, LedgerTally } from '../../domain/ledger/postings.js';
import { readCheckpoint } from '../runner.js';
import { waitForProjection } from '../status.js';
import { ledgerProjection } from './ledger-projection.js';

const PAGE = 10_000;
/** Enough to name a systematic fault without printing a million lines. */
const MAX_LISTED = 1000;

export interface AccountFigures {
  debitVnd: number;
  creditVnd: number;
  balanceVnd: number;
  postingCount: number;
}

export interface LedgerDifference {
  key: string;
  /** What replaying the events gives; null when the read model has an account the events never post to. */
  expected: AccountFigures | null;
  /** What rm.ledger_balances says; null when the row is missing. */
  found: AccountFigures | null;
}

export interface EntryFault {
  eventId: string;
  stream: string;
  position: string;
  code: string;
  message: string;
}

export interface LedgerVerification {
  ok: boolean;
  /** Journal entries replayed (events carrying a journal) and their lines. */
  entries: number;
  postings: number;
  accounts: number;
  /** The store position the replay and the read model were compared at. */
  position: string;
  trialBalance: { debits: number; credits: number };
  unbalancedEntries: EntryFault[];
  /** neverNegative accounts below zero at the end. */
  negativeAccounts: { key: string; balance: number }[];
  /** The first event after which each neverNegative account went below zero (even if it recovered). */
  overdrawn: { key: string; balance: number; eventId: string; stream: string; position: string }[];
  /** Why the read model could not be compared (never run, lagging); null when it was. */
  readModelProblem: string | null;
  readModel: { checkpoint: string | null; postings: number; accounts: number };
  differences: LedgerDifference[];
}

type VerifyDeps = { store: EventStore; pool: pg.Pool };

/** Replays journals in global order, page by page (the next page is read while this one is tallied). */
class Replay {
  readonly tally = new LedgerTally();
  readonly unbalancedEntries: EntryFault[] = [];
  readonly overdrawn: LedgerVerification['overdrawn'] = [];
  private readonly overdrawnKeys = new Set<string>();
  /** The last event of the ledger streams replayed (journal or not): where the projection's checkpoint stops. */
  lastPosition: Position = 0n;

  constructor(
    private readonly store: EventStore,
    private readonly onProgress?: (entries: number) => void,
  ) {}

  private read(after: Position): Promise<RecordedEvent[]> {
    return this.store.readAll({ after, maxCount: PAGE, filter: { streamPrefixes: [...LEDGER_STREAM_PREFIXES] } });
  }

  async until(head: Position): Promise<void> {
    let next = this.read(this.lastPosition);
    while (true) {
      const events = await next;
      const last = events.at(-1);
      if (!last || events[0] === undefined || events[0].position > head) return;
      if (last.position < head) next = this.read(last.position);
      for (const event of events) {
        if (event.position > head) return;
        this.replay(event);
        this.lastPosition = event.position;
      }
      this.onProgress?.(this.tally.entries);
      if (last.position >= head) return;
    }
  }

  private replay(event: RecordedEvent): void {
    const entry = journalOf(event);
    if (!entry) return;
    const where = { eventId: event.eventId, stream: event.streamName, position: event.position.toString() };
    const problem = entryProblem(entry);
    if (problem && this.unbalancedEntries.length < MAX_LISTED) {
      this.unbalancedEntries.push({ ...where, code: problem.code, message: problem.message });
    }
    const touched = this.tally.post(entry);
    for (const { key, balance } of this.tally.negativeAccounts(touched)) {
      if (this.overdrawnKeys.has(key) || this.overdrawn.length >= MAX_LISTED) continue;
      this.overdrawnKeys.add(key);
      this.overdrawn.push({ key, balance, ...where });
    }
  }
}

const figuresOf = (row: AccountTally): AccountFigures => ({
  debitVnd: row.debits,
  creditVnd: row.credits,
  balanceVnd: row.balance,
  postingCount: row.postings,
});

const sameFigures = (a: AccountFigures, b: AccountFigures) =>
  a.debitVnd === b.debitVnd &&
  a.creditVnd === b.creditVnd &&
  a.balanceVnd === b.balanceVnd &&
  a.postingCount === b.postingCount;

/** The read model as of one checkpoint: balances and checkpoint are read in one snapshot. */
async function readModelSnapshot(pool: pg.Pool) {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const checkpoint = await client.query<{ position: string }>(
      `select position::text from ops.projection_checkpoints where name = $1`,
      [ledgerProjection.name],
    );
    const balances = await client.query<{
      account: string;
      subject: string;
      debit_vnd: string;
      credit_vnd: string;
      balance_vnd: string;
      posting_count: string;
    }>('select account, subject, debit_vnd, credit_vnd, balance_vnd, posting_count from rm.ledger_balances');
    const postings = await client.query<{ n: string }>('select count(*)::text as n from rm.ledger_postings');
    await client.query('commit');
    const figures = new Map<string, AccountFigures>();
    for (const row of balances.rows) {
      figures.set(row.subject === '' ? row.account : `${row.account}:${row.subject}`, {
        debitVnd: Number(row.debit_vnd),
        creditVnd: Number(row.credit_vnd),
        balanceVnd: Number(row.balance_vnd),
        postingCount: Number(row.posting_count),
      });
    }
    return { checkpoint: BigInt(checkpoint.rows[0]?.position ?? '0'), figures, postings: Number(postings.rows[0]?.n) };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function compare(expected: Map<string, AccountTally>, found: Map<string, AccountFigures>): LedgerDifference[] {
  const differences: LedgerDifference[] = [];
  for (const [key, row] of expected) {
    const want = figuresOf(row);
    const have = found.get(key) ?? null;
    if (!have || !sameFigures(want, have)) differences.push({ key, expected: want, found: have });
  }
  for (const [key, have] of found) {
    if (!expected.has(key)) differences.push({ key, expected: null, found: have });
  }
  return differences.sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Replays every journal in the event store in global order (streaming, constant memory but for
 * one figure per account), checks each entry (integer, positive, known accounts, debits =
 * credits), the trial balance and the neverNegative accounts, then compares the balances and the
 * number of postings with rm.ledger_balances and rm.ledger_postings at the same position. The
 * read model may lag: it waits up to `waitMs` for the `ledger` checkpoint to reach the store's
 * last ledger event, and says so if it does not.
 */
export async function verifyLedger(
  services: VerifyDeps,
  onProgress?: (entries: number) => void,
  options: { waitMs?: number } = {},
): Promise<LedgerVerification> {
  const replay = new Replay(services.store, onProgress);
  const head = await services.store.headPosition();
  await replay.until(head);
  const target = replay.lastPosition;

  let readModelProblem: string | null = null;
  let readModel: LedgerVerification['readModel'] = { checkpoint: null, postings: 0, accounts: 0 };
  let differences: LedgerDifference[] = [];
  const checkpoint = await readCheckpoint(services.pool, ledgerProjection.name).catch(() => null);
  if (checkpoint === null && target === 0n) {
    // An empty ledger and a projection that never ran agree: nothing to compare.
  } else if (checkpoint === null) {
    readModelProblem = `the ${ledgerProjection.name} projection has never run (no checkpoint): nothing to compare`;
  } else if (!(await waitForProjection(services.pool, ledgerProjection.name, target, options.waitMs ?? 30_000))) {
    const now = await readCheckpoint(services.pool, ledgerProjection.name);
    readModelProblem = `the ${ledgerProjection.name} read model lags: checkpoint ${now?.position ?? 0n}, the store's last ledger event is at ${target}`;
    readModel = { checkpoint: String(now?.position ?? 0n), postings: 0, accounts: 0 };
  } else {
    const snapshot = await readModelSnapshot(services.pool);
    // The projection may have moved past the head we replayed to: replay up to its checkpoint.
    if (snapshot.checkpoint > replay.lastPosition) await replay.until(snapshot.checkpoint);
    readModel = {
      checkpoint: snapshot.checkpoint.toString(),
      postings: snapshot.postings,
      accounts: snapshot.figures.size,
    };
    differences = compare(replay.tally.accounts, snapshot.figures);
  }

  const { tally } = replay;
  const negativeAccounts = tally.negativeAccounts();
  const postingsDiffer = readModelProblem === null && readModel.postings !== tally.postings;
  return {
    ok:
      readModelProblem === null &&
      differences.length === 0 &&
      !postingsDiffer &&
      replay.unbalancedEntries.length === 0 &&
      negativeAccounts.length === 0 &&
      replay.overdrawn.length === 0 &&
      tally.debits === tally.credits,
    entries: tally.entries,
    postings: tally.postings,
    accounts: tally.accounts.size,
    position: replay.lastPosition.toString(),
    trialBalance: { debits: tally.debits, credits: tally.credits },
    unbalancedEntries: replay.unbalancedEntries,
    negativeAccounts,
    overdrawn: replay.overdrawn,
    readModelProblem,
    readModel,
    differences,
  };
}
