import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { auditProjection } from '../../projections/audit/audit-projection.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { newEvent } from './support.js';

const cli = (name: string) => fileURLToPath(new URL(`../../ops/cli/${name}.ts`, import.meta.url));
let db: TestDatabase;
let store: PostgresEventStore;

const run = (name: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', cli(name), ...args], {
    env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  for (let i = 0; i < 5; i++) {
    await store.appendToStream('room-1', [newEvent('RoomPriced', { roomId: 'room-1', amount: 3_000_000 + i })], {
      expectedRevision: 'any',
    });
  }
  const kysely = new Kysely({ dialect: new PostgresDialect({ pool: db.pool }) });
  await rebuildProjection({ db: kysely, store, logger: pino({ level: 'silent' }) }, auditProjection);
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

test('history prints a stream with its actors', () => {
  const result = run('history', 'room-1');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('RoomPriced by system [system]');
  expect(result.stdout).toContain('"amount":3000004');
});

test('audit:verify exits 0 on an intact chain and 1 naming the first broken position', async () => {
  const intact = run('audit-verify');
  expect(intact.stdout).toContain('Audit chain OK: 5 events');
  expect(intact.status).toBe(0);

  const { rows } = await db.pool.query('select position::text from rm.audit_trail order by position offset 2 limit 1');
  await db.pool.query("update rm.audit_trail set summary = 'nothing happened' where position = $1", [rows[0].position]);
  const broken = run('audit-verify');
  expect(broken.status).toBe(1);
  expect(broken.stderr).toContain(`BROKEN at position ${rows[0].position}`);
});
