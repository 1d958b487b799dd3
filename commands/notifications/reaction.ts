import { CompiledQuery, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import { LIVE_SCHEMA, type Projection } from '../../projections/projection.js';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import type { DeliveryChannel } from './channels/port.js';
import { createNotifications } from './create.js';
import { intentsFor, NOTIFYING_EVENT_TYPES } from './event-map.js';
import type { SourceLookups } from './intent.js';
import type { DeliveryQueue, SqlExecutor } from './queue.js';
import { loadRecipients } from './recipients.js';
import { loadTemplates } from './templates.js';

export const NOTIFICATION_REACTION = 'notifications';

export interface ReactionDeps {
  pool: pg.Pool;
  store: EventStore;
  clock: () => Date;
  logger: Logger;
  queue: DeliveryQueue;
  publicUrl: () => string;
  maxAttempts: number;
  channels: ReadonlySet<DeliveryChannel>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// biome-ignore lint/suspicious/noExplicitAny: any schema's transaction
export const transactionExecutor = (trx: Transaction<any>): SqlExecutor => ({
  executeSql: async (text, values) => {
    const result = await trx.executeQuery(CompiledQuery.raw(text, values));
    return { rows: result.rows as unknown[] };
  },
});

/** How many events of a batch are turned into intents at once (each may read its stream). */
const INTENT_CONCURRENCY = 16;

/**
 * Answers the ids asked in the same turn of the event loop with one query (`$1` is the id array;
 * rows are `id`, `value`), each id at most once per batch.
 */
function batchedLookup(pool: pg.Pool, sql: string) {
  const answers = new Map<string, Promise<string>>();
  let queued: string[] = [];
  let flush: Promise<Map<string, string>> | null = null;
  const load = () => {
    flush ??= new Promise((resolve) => setImmediate(resolve)).then(async () => {
      const ids = queued;
      queued = [];
      flush = null;
      const { rows } = await pool.query<{ id: string; value: string | null }>(sql, [ids]);
      return new Map(rows.map((row) => [row.id, row.value ?? '']));
    });
    return flush;
  };
  return (id: string | null): Promise<string> => {
    if (id === null || !UUID.test(id)) return Promise.resolve('');
    let answer = answers.get(id);
    if (!answer) {
      queued.push(id);
      answer = load().then((found) => found.get(id) ?? '');
      answers.set(id, answer);
    }
    return answer;
  };
}

/**
 * Reads a batch needs. A stream's history comes from the batch itself when the batch holds it
 * from its first event (a new booking), else from one read per stream and batch; names and
 * titles asked together are read together.
 */
function batchLookups(deps: ReactionDeps, events: readonly RecordedEvent[]): SourceLookups {
  const inBatch = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const stream = inBatch.get(event.streamName);
    if (stream) stream.push(event);
    else inBatch.set(event.streamName, [event]);
  }
  const reads = new Map<string, Promise<RecordedEvent[]>>();
  const readThrough = async (stream: string, revision: bigint) => {
    const history: RecordedEvent[] = [];
    for await (const event of deps.store.readStream(stream, { maxCount: Number(revision) + 1 })) history.push(event);
    return history;
  };
  const listingTitle = batchedLookup(
    deps.pool,
    'select id::text, title as value from rm.listings where id = any($1::uuid[])',
  );
  const userName = batchedLookup(deps.pool, 'select id::text, name as value from rm.users where id = any($1::uuid[])');
  return {
    async history(stream, revision) {
      const known = (inBatch.get(stream) ?? []).filter((event) => event.revision <= revision);
      if (known.length === Number(revision) + 1 && known.every((event, i) => event.revision === BigInt(i)))
        return known;
      if (!reads.has(stream)) {
        // Through the newest revision any event of this batch needs.
        const newest = (inBatch.get(stream) ?? []).reduce((max, e) => (e.revision > max ? e.revision : max), revision);
        reads.set(stream, readThrough(stream, newest));
      }
      return ((await reads.get(stream)) ?? []).filter((event) => event.revision <= revision);
    },
    listingTitle,
    userName,
  };
}

/** `fn` over every item, at most `limit` at a time; results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Turns domain events into notifications (event-map.ts): per recipient an inbox row, per channel
 * they switched on a delivery, and the delivery jobs, all written with the reaction's checkpoint
 * in one transaction. Ids derive from (event, user, kind), so a replay writes and sends nothing
 * new. It starts at the store's head on its first run: what happened before it existed is not
 * announced, and a rebuild (a version bump) never notifies.
 */
export function notificationReaction(deps: ReactionDeps): Projection {
  return {
    name: NOTIFICATION_REACTION,
    version: 1,
    filter: { eventTypes: NOTIFYING_EVENT_TYPES },
    tables: [],
    async setup() {
      const head = await deps.store.headPosition();
      await deps.pool.query(
        `insert into ops.projection_checkpoints (name, version, position) values ($1, 1, $2) on conflict do nothing`,
        [NOTIFICATION_REACTION, head.toString()],
      );
    },
    async apply(events, { trx, schema }) {
      if (schema !== LIVE_SCHEMA) return;
      const lookups = batchLookups(deps, events);
      const intents = await mapLimited(events, INTENT_CONCURRENCY, (event) => intentsOf(event, lookups, deps.logger));
      const work = events.flatMap((event, i) =>
        (intents[i] ?? []).map((intent) => ({ intent, sourceId: event.eventId })),
      );
      if (work.length === 0) return;
      const [templates, recipients] = await Promise.all([
        loadTemplates(deps.store),
        loadRecipients(
          deps.pool,
          work.map((w) => w.intent.userId),
        ),
      ]);
      const context = {
        sql: transactionExecutor(trx),
        queue: deps.queue,
        templates,
        recipients,
        channels: deps.channels,
        publicUrl: deps.publicUrl,
        now: deps.clock(),
        maxAttempts: deps.maxAttempts,
      };
      await createNotifications(context, work);
    },
  };
}

/**
 * An event whose data does not have the expected shape is logged and passed over: one broken
 * event must not hold every later notification back. Failures to read (the store, the database)
 * are thrown, and the runner retries the batch.
 */
async function intentsOf(event: RecordedEvent, lookups: SourceLookups, logger: Logger) {
  try {
    return await intentsFor(event, lookups);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    logger.error({ err: error, eventId: event.eventId, type: event.type }, 'notification: event skipped');
    return [];
  }
}
