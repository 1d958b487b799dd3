import { CompiledQuery, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import { LIVE_SCHEMA, type Projection } from '../../projections/projection.js';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import type { DeliveryChannel } from './channels/port.js';
import { createNotification } from './create.js';
import { intentsFor, NOTIFYING_EVENT_TYPES } from './event-map.js';
import type { NotificationIntent, SourceLookups } from './intent.js';
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

/** Reads a batch needs, each asked once per batch. */
function batchLookups(deps: ReactionDeps): SourceLookups {
  const titles = new Map<string, Promise<string>>();
  const names = new Map<string, Promise<string>>();
  const firstOf = async (sql: string, id: string | null) => {
    if (id === null || !UUID.test(id)) return '';
    const { rows } = await deps.pool.query<{ value: string }>(sql, [id]);
    return rows[0]?.value ?? '';
  };
  return {
    async history(stream, revision) {
      const events: RecordedEvent[] = [];
      for await (const event of deps.store.readStream(stream, { maxCount: Number(revision) + 1 })) events.push(event);
      return events;
    },
    listingTitle(listingId) {
      const key = listingId ?? '';
      if (!titles.has(key)) titles.set(key, firstOf('select title as value from rm.listings where id = $1', listingId));
      return titles.get(key) as Promise<string>;
    },
    userName(userId) {
      if (!names.has(userId)) names.set(userId, firstOf('select name as value from rm.users where id = $1', userId));
      return names.get(userId) as Promise<string>;
    },
  };
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
      const lookups = batchLookups(deps);
      const work: { event: RecordedEvent; intent: NotificationIntent }[] = [];
      for (const event of events) {
        for (const intent of await intentsOf(event, lookups, deps.logger)) work.push({ event, intent });
      }
      if (work.length === 0) return;
      const context = {
        sql: transactionExecutor(trx),
        queue: deps.queue,
        templates: await loadTemplates(deps.store),
        recipients: await loadRecipients(
          deps.pool,
          work.map((w) => w.intent.userId),
        ),
        channels: deps.channels,
        publicUrl: deps.publicUrl,
        now: deps.clock(),
        maxAttempts: deps.maxAttempts,
      };
      for (const { event, intent } of work) await createNotification(context, intent, event.eventId);
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
