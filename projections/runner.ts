import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { EventStore, Position, RecordedEvent } from '../commands/eventstore/port.js';
import { batches } from './batches.js';
import { lockCheckpoint } from './checkpoint-lock.js';
import { type AnyProjection, LIVE_SCHEMA } from './projection.js';
import { rebuildProjection } from './rebuild.js';

const LIVE_BATCH = 500;
const RETRY_DELAY_MS = 1000;

export interface RunnerDeps {
  store: EventStore;
  // biome-ignore lint/suspicious/noExplicitAny: projections bring their own table types
  db: Kysely<any>;
  pool: pg.Pool;
  logger: Logger;
}

export interface RunningProjection {
  stop(): Promise<void>;
  /** Resolves once the checkpoint has reached `position` (tests, read-your-writes). */
  waitFor(position: Position, timeoutMs?: number): Promise<void>;
}

/** Why a batch was not applied: another writer (a rebuild's switch, a second instance) moved the checkpoint. */
class CheckpointMoved extends Error {}

/** A newer version of this projection is live (a rolling deploy): this older code must not touch it. */
class OutdatedProjection extends Error {}

const OUTDATED_RECHECK_MS = 5000;

export async function readCheckpoint(
  pool: pg.Pool,
  name: string,
): Promise<{ version: number; position: Position } | null> {
  const { rows } = await pool.query<{ version: number; position: string }>(
    'select version, position::text from ops.projection_checkpoints where name = $1',
    [name],
  );
  const row = rows[0];
  return row ? { version: row.version, position: BigInt(row.position) } : null;
}

/** Creates the live tables on first run; rebuilds beside them when the code's version is new. */
async function prepare(deps: RunnerDeps, projection: AnyProjection): Promise<void> {
  const checkpoint = await readCheckpoint(deps.pool, projection.name);
  if (checkpoint === null) {
    await projection.setup(deps.db, LIVE_SCHEMA);
    await deps.pool.query(
      'insert into ops.projection_checkpoints (name, version, position) values ($1, $2, 0) on conflict do nothing',
      [projection.name, projection.version],
    );
  } else if (checkpoint.version > projection.version) {
    throw new OutdatedProjection(
      `${projection.name} v${checkpoint.version} is live; this process has v${projection.version}`,
    );
  } else if (checkpoint.version < projection.version) {
    deps.logger.info({ projection: projection.name, from: checkpoint.version, to: projection.version }, 'rebuilding');
    await rebuildProjection(deps, projection);
  }
}

/** Applies one batch and moves the checkpoint in the same transaction, under the checkpoint's lock: exactly once. */
export async function applyBatch(
  deps: Pick<RunnerDeps, 'db'>,
  projection: AnyProjection,
  events: RecordedEvent[],
  expectedPosition: Position,
): Promise<Position> {
  const last = events.at(-1);
  if (!last) return expectedPosition;
  await deps.db.transaction().execute(async (trx) => {
    await lockCheckpoint(trx, projection.name);
    const read = await sql<{ position: string; version: number }>`
      select position::text, version from ops.projection_checkpoints where name = ${projection.name}`.execute(trx);
    const checkpoint = read.rows[0];
    if (checkpoint && checkpoint.version > projection.version) {
      throw new OutdatedProjection(
        `${projection.name} v${checkpoint.version} is live; this process has v${projection.version}`,
      );
    }
    if (!checkpoint || checkpoint.version !== projection.version || BigInt(checkpoint.position) !== expectedPosition) {
      throw new CheckpointMoved();
    }
    await projection.apply(events, { db: trx.withSchema(LIVE_SCHEMA), trx, schema: LIVE_SCHEMA });
    // Only from the position read above: a writer that does not take the lock cannot be overwritten.
    const moved = await sql`update ops.projection_checkpoints
      set position = ${last.position.toString()}, updated_at = now(), last_error = null
      where name = ${projection.name} and version = ${projection.version}
        and position = ${expectedPosition.toString()}`.execute(trx);
    if (moved.numAffectedRows !== 1n) throw new CheckpointMoved();
  });
  return last.position;
}

export function runProjection(deps: RunnerDeps, projection: AnyProjection): RunningProjection {
  let stopped = false;
  let subscription: ReturnType<EventStore['subscribeToAll']> | null = null;
  let position: Position = -1n;
  const waiters = new Set<{ target: Position; resolve: () => void }>();
  const advance = (to: Position) => {
    position = to;
    for (const waiter of waiters) {
      if (to >= waiter.target) {
        waiter.resolve();
        waiters.delete(waiter);
      }
    }
  };

  const loop = async () => {
    while (!stopped) {
      try {
        await prepare(deps, projection);
        const checkpoint = await readCheckpoint(deps.pool, projection.name);
        let current = checkpoint?.position ?? 0n;
        advance(current);
        subscription = deps.store.subscribeToAll({
          from: current,
          ...(projection.filter && { filter: projection.filter }),
        });
        // stop() may have come while this (re)start was under way: it closed the previous subscription, not this one.
        if (stopped) {
          await subscription.close();
          break;
        }
        for await (const batch of batches(subscription, LIVE_BATCH)) {
          if (stopped) break;
          current = await applyBatch(deps, projection, batch, current);
          advance(current);
        }
      } catch (error) {
        await subscription?.close();
        if (stopped) break;
        if (error instanceof CheckpointMoved) continue;
        if (error instanceof OutdatedProjection) {
          deps.logger.warn({ projection: projection.name }, error.message);
          await new Promise((r) => setTimeout(r, OUTDATED_RECHECK_MS));
          continue;
        }
        deps.logger.error({ err: error, projection: projection.name }, 'projection failed; retrying');
        await deps.pool
          .query('update ops.projection_checkpoints set last_error = $2 where name = $1', [
            projection.name,
            String((error as Error).message ?? error),
          ])
          .catch(() => undefined);
        await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
      }
    }
  };
  const running = loop();

  return {
    async stop() {
      stopped = true;
      await subscription?.close();
      await running;
    },
    waitFor(target, timeoutMs = 10_000) {
      if (position >= target) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const waiter = {
          target,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${projection.name} did not reach position ${target} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}
