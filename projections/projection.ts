import type { Kysely, QueryCreator, Transaction } from 'kysely';
import type { EventFilter, RecordedEvent } from '../commands/eventstore/port.js';

/** What `apply` writes with: queries scoped to the schema being built (live `rm` or a rebuild). */
export interface ProjectionContext<DB> {
  /** Query builder whose unqualified table names resolve in `schema`. */
  db: QueryCreator<DB>;
  /** The whole transaction, for raw `sql` (qualify names with `schema`). */
  trx: Transaction<DB>;
  schema: string;
}

/**
 * A read model built from the event history. Bump `version` when `setup` or `apply` change:
 * the runner then rebuilds the tables beside the live ones from position 0 and switches.
 */
export interface Projection<DB = unknown> {
  readonly name: string;
  readonly version: number;
  readonly filter?: EventFilter;
  /** The tables `setup` creates; they are moved as a whole on a rebuild's switch. */
  readonly tables: readonly string[];
  setup(db: Kysely<DB>, schema: string): Promise<void>;
  apply(events: RecordedEvent[], context: ProjectionContext<DB>): Promise<void>;
}

export const LIVE_SCHEMA = 'rm';

// biome-ignore lint/suspicious/noExplicitAny: the runner handles projections of any table types
export type AnyProjection = Projection<any>;
