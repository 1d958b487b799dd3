import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  type AppendResult,
  DuplicateEventId,
  type EventFilter,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  PartialDuplicateAppend,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedVersion,
} from './port.js';
import { GLOBAL_APPEND_LOCK } from './postgres-schema.js';
import { createWakeups } from './postgres-wakeups.js';

const NOTIFY_CHANNEL = 'es_events';
const PAGE_SIZE = 500;

interface EventRow {
  position: string;
  event_id: string;
  stream_name: string;
  stream_revision: string;
  event_type: string;
  data: unknown;
  metadata: EventMetadata;
  created_at: Date;
}

const columns = 'position, event_id, stream_name, stream_revision, event_type, data, metadata, created_at';

const toRecorded = (row: EventRow): RecordedEvent => ({
  eventId: row.event_id,
  type: row.event_type,
  streamName: row.stream_name,
  revision: BigInt(row.stream_revision),
  position: BigInt(row.position),
  data: row.data,
  metadata: row.metadata,
  createdAt: row.created_at,
});

/**
 * Rows a reader may pass: those of transactions below the oldest one still running that could be
 * an event writer of this database. Transaction ids are cluster-wide, so a running transaction
 * that pg_stat_activity attributes to another database is ignored (it cannot write our events);
 * one it cannot attribute (it just ended, or stats are hidden) still counts, which is safe.
 */
const SAFE = `tx_id < coalesce(
  (select min(x) from pg_snapshot_xip(pg_current_snapshot()) x
    where not exists (select 1 from pg_stat_activity a
                       where a.backend_xid = x::xid and a.datname is distinct from current_database())),
  pg_snapshot_xmax(pg_current_snapshot()))`;

/** A named statement: planned once per connection (the horizon subquery is costly to plan). */
const SAFE_HEAD = { name: 'es-safe-head', text: `select max(position)::text as head from es.events where ${SAFE}` };

/**
 * A name per statement text (one per filter shape): Postgres plans a named statement once per
 * connection. Planning the horizon subquery costs most of a page read (~0.9 of ~1 ms), and every
 * subscriber reads pages many times a second.
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `es-safe-page-${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}

function filterSql(filter: EventFilter | undefined, params: unknown[]): string {
  let sql = '';
  if (filter?.streamPrefixes?.length) {
    params.push(filter.streamPrefixes.map((p) => `${p.replace(/[\\%_]/g, '\\$&')}%`));
    sql += ` and stream_name like any($${params.length})`;
  }
  if (filter?.eventTypes?.length) {
    params.push(filter.eventTypes);
    sql += ` and event_type = any($${params.length})`;
  }
  return sql;
}

/**
 * Appends a batch through `es.append_to_stream` on the given client. Runs in the client's current
 * transaction if one is open (tests use that to commit late), otherwise in its own.
 */
export async function appendWithClient(
  client: pg.ClientBase,
  stream: string,
  events: NewEvent[],
  expectedRevision: ExpectedRevision,
): Promise<AppendResult & { duplicate: boolean }> {
  if (events.length === 0) throw new Error('appendToStream needs at least one event');
  try {
    const { rows } = await client.query<{ next_revision: string; last_position: string; duplicate: boolean }>(
      'select * from es.append_to_stream($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])',
      [
        stream,
        String(expectedRevision),
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('es.append_to_stream returned nothing');
    return {
      nextExpectedRevision: BigInt(row.next_revision),
      position: BigInt(row.last_position),
      duplicate: row.duplicate,
    };
  } catch (error) {
    const pgError = error as { code?: string; detail?: string };
    if (pgError.code === 'ES001') {
      const actual = pgError.detail === 'no_stream' ? 'no_stream' : BigInt(pgError.detail ?? '-1');
      throw new WrongExpectedVersion(stream, expectedRevision, actual);
    }
    if (pgError.code === 'ES002') throw new PartialDuplicateAppend(stream);
    if (pgError.code === '23505' && (error as { constraint?: string }).constraint === 'events_event_id_key') {
      throw new DuplicateEventId(stream);
    }
    throw error;
  }
}

export class PostgresEventStore implements EventStore {
  private readonly wakeups;

  constructor(private readonly pool: pg.Pool) {
    this.wakeups = createWakeups(pool, NOTIFY_CHANNEL);
  }

  async appendToStream(
    stream: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const client = await this.pool.connect();
    let result: AppendResult & { duplicate: boolean };
    try {
      result = await appendWithClient(client, stream, events, options.expectedRevision);
    } catch (error) {
      // A failure inside the critical section leaves the session lock held: drop it before reuse.
      await client.query('select pg_advisory_unlock_all()').catch(() => undefined);
      client.release();
      throw error;
    }
    client.release();
    if (!result.duplicate) this.wakeups.notify(events.map((event) => ({ type: event.type, streamName: stream })));
    return { nextExpectedRevision: result.nextExpectedRevision, position: result.position };
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let cursor = options.fromRevision;
    while (remaining > 0) {
      const params: unknown[] = [stream, Math.min(PAGE_SIZE, remaining)];
      let where = 'stream_name = $1';
      if (cursor !== undefined) {
        params.push(cursor.toString());
        where += backwards ? ' and stream_revision <= $3' : ' and stream_revision >= $3';
      }
      const { rows } = await this.pool.query<EventRow>(
        `select ${columns} from es.events where ${where}
          order by stream_revision ${backwards ? 'desc' : 'asc'} limit $2`,
        params,
      );
      for (const row of rows) yield toRecorded(row);
      remaining -= rows.length;
      const last = rows.at(-1);
      if (!last || rows.length < PAGE_SIZE) return;
      cursor = BigInt(last.stream_revision) + (backwards ? -1n : 1n);
    }
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const page = await this.readSafePage(options.after ?? 0n, options.maxCount, options.filter);
    return page.events;
  }

  async headPosition(): Promise<Position> {
    const { rows } = await this.pool.query<{ head: string | null }>(SAFE_HEAD);
    return BigInt(rows[0]?.head ?? '0');
  }

  /** Tests and benchmarks: the newest position whether or not it is safe to pass. */
  async lastWrittenPosition(): Promise<Position> {
    const { rows } = await this.pool.query<{ last: string | null }>(
      'select max(position)::text as last from es.events',
    );
    return BigInt(rows[0]?.last ?? '0');
  }

  /**
   * Events after `after` in global order, only from finished transactions. `scannedTo` is how far
   * the page proves there is nothing else to deliver (the safe head when the page is not full),
   * so a filtered reader can move on past events it does not want. `lastWritten` is the newest
   * committed event the filter matches beyond the safe head (an older transaction still open
   * holds it back), else the safe head: a subscriber polls soon only for events it wants.
   */
  async readSafePage(
    after: Position,
    maxCount: number,
    filter?: EventFilter,
  ): Promise<{ events: RecordedEvent[]; scannedTo: Position; lastWritten: Position }> {
    // One statement is one snapshot: the safe head, the newest position and the page agree,
    // in one round trip (no transaction of its own).
    const params: unknown[] = [after.toString(), maxCount];
    const text = `with head as (select coalesce(max(position), 0) as safe_head from es.events where ${SAFE}),
            newest as (select max(position) as last_written from head h
              join es.events on position > h.safe_head${filterSql(filter, params)})
       select h.safe_head::text, coalesce(n.last_written, h.safe_head)::text as last_written, e.*
         from head h cross join newest n
         left join lateral (select ${columns} from es.events
            where position > $1 and position <= h.safe_head${filterSql(filter, params)}
            order by position limit $2) e on true`;
    const { rows } = await this.pool.query<EventRow & { safe_head: string; last_written: string }>({
      name: statementName(text),
      text,
      values: params,
    });
    const safeHead = BigInt(rows[0]?.safe_head ?? '0');
    const lastWritten = BigInt(rows[0]?.last_written ?? '0');
    if (safeHead <= after) return { events: [], scannedTo: after, lastWritten };
    const events = rows.filter((row) => row.position !== null).map(toRecorded);
    const full = events.length === maxCount;
    return { events, scannedTo: full ? (events.at(-1)?.position ?? after) : safeHead, lastWritten };
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return new PostgresSubscription(this, this.wakeups, options);
  }

  async close(): Promise<void> {
    await this.wakeups.close();
  }
}

export { GLOBAL_APPEND_LOCK };

class PostgresSubscription implements Subscription {
  private closed = false;
  private readonly stopWaiting = new AbortController();
  /** 'end' means the safe head when subscribeToAll was called (it may lag the last write). */
  private readonly startAfter: Promise<Position>;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly wakeups: ReturnType<typeof createWakeups>,
    private readonly options: SubscribeOptions,
  ) {
    const { from } = options;
    this.startAfter =
      from === 'start' ? Promise.resolve(0n) : from === 'end' ? store.headPosition() : Promise.resolve(from);
    this.startAfter.catch(() => undefined); // surfaced by the first next()
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopWaiting.abort();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    const { filter } = this.options;
    const wakeups = this.wakeups.watch(filter);
    try {
      yield* this.pages(wakeups);
    } finally {
      wakeups.close();
    }
  }

  private async *pages(wakeups: ReturnType<ReturnType<typeof createWakeups>['watch']>): AsyncGenerator<RecordedEvent> {
    const { filter } = this.options;
    let cursor: Position = await this.startAfter;
    while (!this.closed) {
      const version = wakeups.version();
      const page = await this.store.readSafePage(cursor, PAGE_SIZE, filter);
      for (const event of page.events) {
        if (this.closed) return;
        yield event;
      }
      cursor = page.scannedTo;
      if (page.events.length === PAGE_SIZE) continue;
      // Something this subscriber wants is written but not yet safe to pass (an older transaction
      // is still open): look again soon. Otherwise sleep until a matching append, or poll now and
      // then as a fallback.
      const pending = page.lastWritten > cursor;
      await wakeups.waitForChange(version, pending ? 5 : 1000, this.stopWaiting.signal);
    }
  }
}
