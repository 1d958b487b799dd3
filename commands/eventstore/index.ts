import type pg from 'pg';
import { KurrentDbEventStore } from './kurrentdb.js';
import { isKurrentDbUrl } from './kurrentdb-mapping.js';
import type { EventStore } from './port.js';
import { PostgresEventStore } from './postgres.js';

/** KurrentDB when `eventStoreUrl` is an esdb:// or kurrentdb:// (or +discover) URL, Postgres otherwise. */
export function createEventStore(config: { eventStoreUrl?: string; pool: pg.Pool }): EventStore {
  if (config.eventStoreUrl && isKurrentDbUrl(config.eventStoreUrl)) {
    return new KurrentDbEventStore(config.eventStoreUrl);
  }
  return new PostgresEventStore(config.pool);
}
