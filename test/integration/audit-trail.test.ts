import { Kysely, PostgresDialect } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { auditProjection } from '../../projections/audit/audit-projection.js';
import { verifyAuditChain } from '../../projections/audit/verify.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { newEvent } from './support.js';

let db: TestDatabase;
let store: PostgresEventStore;
// biome-ignore lint/suspicious/noExplicitAny: the audit table is read raw here
let kysely: Kysely<any>;
const positions: bigint[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  kysely = new Kysely({ dialect: new PostgresDialect({ pool: db.pool }) });
  for (let i = 0; i < 30; i++) {
    const result = await store.appendToStream(
      `thing-${i % 4}`,
      [newEvent('ThingNamed', { thingId: `t${i % 4}`, name: `Phòng ${i}` })],
      {
        expectedRevision: 'any',
      },
    );
    positions.push(result.position);
  }
});
afterAll(async () => {
  await store.close();
  await db.drop();
});
beforeEach(async () => {
  await rebuildProjection({ db: kysely, store, logger: pino({ level: 'silent' }) }, auditProjection);
});

const verify = () => verifyAuditChain({ store, db: kysely });
const at = (i: number) => (positions[i] as bigint).toString();

describe('audit chain', () => {
  test('an untouched trail verifies end to end', async () => {
    expect(await verify()).toEqual({ ok: true, checked: 30, lastPosition: at(29), notYetAudited: false });
  });

  test('a changed audit row fails at its position', async () => {
    await db.pool.query("update rm.audit_trail set actor_id = 'mallory' where position = $1", [at(12)]);
    expect(await verify()).toMatchObject({
      ok: false,
      position: at(12),
      checked: 12,
      reason: 'column actor_id does not match the event',
    });
  });

  test('a changed hash fails at its position', async () => {
    await db.pool.query("update rm.audit_trail set hash = repeat('a', 64) where position = $1", [at(20)]);
    expect(await verify()).toMatchObject({ ok: false, position: at(20), reason: 'hash chain broken' });
  });

  test('an event edited in the store after it was audited fails there', async () => {
    await db.pool.query(`update es.events set data = jsonb_set(data, '{name}', '"Phòng giả"') where position = $1`, [
      at(7),
    ]);
    expect(await verify()).toMatchObject({ ok: false, position: at(7), reason: 'hash chain broken' });
    await db.pool.query(`update es.events set data = jsonb_set(data, '{name}', '"Phòng 7"') where position = $1`, [
      at(7),
    ]);
  });

  test('a deleted audit row fails at the event it should describe', async () => {
    await db.pool.query('delete from rm.audit_trail where position = $1', [at(5)]);
    expect(await verify()).toMatchObject({ ok: false, position: at(5), reason: 'event has no audit row' });
  });

  test('rows carry the actor, the target and a readable summary', async () => {
    const { rows } = await db.pool.query(
      'select actor_id, target_id, summary from rm.audit_trail where position = $1',
      [at(3)],
    );
    expect(rows[0]).toEqual({ actor_id: 'system', target_id: 't3', summary: 'ThingNamed: name Phòng 3' });
  });
});
