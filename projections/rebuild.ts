import { sql, type Transaction } from 'kysely';
import type { Position, RecordedEvent } from '../commands/eventstore/port.js';
import { lockCheckpoint } from './checkpoint-lock.js';
import { type AnyProjection, LIVE_SCHEMA } from './projection.js';
import type { RunnerDeps } from './runner.js';

const REBUILD_BATCH = 5000;

const buildSchemaOf = (name: string) => `rm_build_${name.replace(/[^a-z0-9_]/gi, '_')}`;
const oldSchemaOf = (name: string) => `rm_old_${name.replace(/[^a-z0-9_]/gi, '_')}`;

/**
 * Rebuilds a projection from position 0 into a schema beside the live tables, then switches:
 * under the checkpoint's lock (which the live runner also takes) it applies what arrived
 * meanwhile, moves the live tables out and the new ones in, and sets version and checkpoint.
 * The live tables keep serving reads until that one short transaction commits.
 */
export async function rebuildProjection(
  deps: Pick<RunnerDeps, 'db' | 'store' | 'logger'>,
  projection: AnyProjection,
): Promise<{ events: number; position: Position }> {
  const buildSchema = buildSchemaOf(projection.name);
  const oldSchema = oldSchemaOf(projection.name);
  await sql`drop schema if exists ${sql.id(buildSchema)} cascade`.execute(deps.db);
  await sql`create schema ${sql.id(buildSchema)}`.execute(deps.db);
  await projection.setup(deps.db, buildSchema);

  let position: Position = 0n;
  let count = 0;
  // biome-ignore lint/suspicious/noExplicitAny: see AnyProjection
  const applyPage = async (trx: Transaction<any>) => {
    const events: RecordedEvent[] = await deps.store.readAll({
      after: position,
      maxCount: REBUILD_BATCH,
      ...(projection.filter && { filter: projection.filter }),
    });
    const last = events.at(-1);
    if (!last) return false;
    await projection.apply(events, { db: trx.withSchema(buildSchema), trx, schema: buildSchema });
    position = last.position;
    count += events.length;
    return true;
  };

  // Catch up in many short transactions while the live projection keeps running.
  while (await deps.db.transaction().execute(applyPage)) {
    if (count % 100_000 < REBUILD_BATCH) deps.logger.info({ projection: projection.name, events: count }, 'rebuilding');
  }

  await deps.db.transaction().execute(async (trx) => {
    await sql`insert into ops.projection_checkpoints (name, version, position) values (${projection.name}, 0, 0)
      on conflict do nothing`.execute(trx);
    await lockCheckpoint(trx, projection.name);
    await sql`select 1 from ops.projection_checkpoints where name = ${projection.name} for update`.execute(trx);
    while (await applyPage(trx)) {}
    await sql`drop schema if exists ${sql.id(oldSchema)} cascade`.execute(trx);
    await sql`create schema ${sql.id(oldSchema)}`.execute(trx);
    for (const table of projection.tables) {
      await sql`alter table if exists ${sql.id(LIVE_SCHEMA, table)} set schema ${sql.id(oldSchema)}`.execute(trx);
      await sql`alter table ${sql.id(buildSchema, table)} set schema ${sql.id(LIVE_SCHEMA)}`.execute(trx);
    }
    await sql`update ops.projection_checkpoints
      set version = ${projection.version}, position = ${position.toString()}, updated_at = now(), last_error = null
      where name = ${projection.name}`.execute(trx);
    await sql`drop schema ${sql.id(oldSchema)} cascade`.execute(trx);
    await sql`drop schema ${sql.id(buildSchema)} cascade`.execute(trx);
  });
  return { events: count, position };
}
