import type pg from 'pg';
import type { EventStore } from '../commands/eventstore/port.js';
import type { AnyProjection } from './projection.js';

export interface ProjectionStatus {
  name: string;
  version: number;
  position: string;
  headPosition: string;
  /** Events this projection handles that it has not applied yet (capped at LAG_CAP). */
  lag: number;
  /** Age of the oldest event it has not applied yet; 0 when caught up. */
  lagSeconds: number;
  lastError: string | null;
}

const LAG_CAP = 1000;

export async function projectionStatus(
  pool: pg.Pool,
  store: EventStore,
  projections: readonly AnyProjection[],
  now: Date,
): Promise<ProjectionStatus[]> {
  const head = await store.headPosition();
  const { rows } = await pool.query<{ name: string; version: number; position: string; last_error: string | null }>(
    'select name, version, position::text, last_error from ops.projection_checkpoints',
  );
  const byName = new Map(rows.map((r) => [r.name, r]));
  return Promise.all(
    projections.map(async (projection) => {
      const row = byName.get(projection.name);
      const position = BigInt(row?.position ?? '0');
      const pending = await store.readAll({
        after: position,
        maxCount: LAG_CAP,
        ...(projection.filter && { filter: projection.filter }),
      });
      const oldest = pending[0];
      return {
        name: projection.name,
        version: row?.version ?? projection.version,
        position: position.toString(),
        headPosition: head.toString(),
        lag: pending.length,
        lagSeconds: oldest ? Math.max(0, (now.getTime() - oldest.createdAt.getTime()) / 1000) : 0,
        lastError: row?.last_error ?? null,
      };
    }),
  );
}

/** Waits until a projection's checkpoint reaches `position`, polling (works across processes). */
export async function waitForProjection(
  pool: pg.Pool,
  name: string,
  position: bigint,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const { rows } = await pool.query<{ position: string }>(
      'select position::text from ops.projection_checkpoints where name = $1',
      [name],
    );
    if (BigInt(rows[0]?.position ?? '0') >= position) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 15));
  }
}
