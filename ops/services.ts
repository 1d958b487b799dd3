import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { areaCommands, noAreaReferencesYet } from '../commands/catalog/areas.js';
import { createEventStore } from '../commands/eventstore/index.js';
import type { EventStore } from '../commands/eventstore/port.js';
import { auditProjection } from '../projections/audit/audit-projection.js';
import { areasProjection } from '../projections/catalog/areas-projection.js';
import type { AnyProjection } from '../projections/projection.js';

/** Every read model the product keeps; the projector process runs them all. */
export const allProjections: readonly AnyProjection[] = [auditProjection, areasProjection];

export interface Services {
  pool: pg.Pool;
  // biome-ignore lint/suspicious/noExplicitAny: read models bring their own table types
  db: Kysely<any>;
  store: EventStore;
  logger: Logger;
  clock: () => Date;
  projections: readonly AnyProjection[];
  commands: { areas: ReturnType<typeof areaCommands> };
  close(): Promise<void>;
}

export function createServices(options: { databaseUrl: string; eventStoreUrl?: string; logger: Logger }): Services {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 20 });
  pool.on('error', (error) => options.logger.warn({ err: error }, 'idle database connection failed'));
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const store = createEventStore({ pool, ...(options.eventStoreUrl && { eventStoreUrl: options.eventStoreUrl }) });
  const clock = () => new Date();
  return {
    pool,
    db,
    store,
    logger: options.logger,
    clock,
    projections: allProjections,
    commands: { areas: areaCommands({ store, clock, usage: noAreaReferencesYet }) },
    async close() {
      await store.close();
      await db.destroy(); // ends the pool only if Kysely ever used it
      if (!pool.ended) await pool.end();
    },
  };
}
