import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { readCheckpoint, runProjection } from '../../projections/runner.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countingProjection } from './fixtures/counting-projection.js';
import { appendMany, newEvent } from './support.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const CHILD = fileURLToPath(new URL('./fixtures/projector-child.ts', import.meta.url));

let db: TestDatabase;
let store: PostgresEventStore;
// biome-ignore lint/suspicious/noExplicitAny: raw table reads in assertions
let kysely: Kysely<any>;

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  kysely = new Kysely({ dialect: new PostgresDialect({ pool: db.pool }) });
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

const snapshot = async () => ({
  seen: (await db.pool.query('select position::text, stream_name, label from rm.seen_events order by position')).rows,
  counts: (await db.pool.query('select stream_name, events from rm.stream_counts order by stream_name')).rows,
});

const startChild = (): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout?.once('data', () => resolve(child));
    child.once('error', reject);
  });

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

/** Every event written so far is applied (callers finished appending before they wait). */
async function waitUntilCaughtUp(name: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const last = await store.lastWrittenPosition();
  while (((await readCheckpoint(db.pool, name))?.position ?? 0n) < last) {
    if (Date.now() > deadline) throw new Error(`${name} did not catch up to ${last}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('projection runner', () => {
  test('a projector killed with SIGKILL mid-batch resumes with nothing missing or doubled', async () => {
    await appendMany(store, 'count-', 20, 1000);
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      const child = await startChild();
      const writing = appendMany(store, 'count-', 20, 200); // keep events arriving while it runs
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 600));
      const before = await readCheckpoint(db.pool, 'counting');
      await killed(child);
      await writing;
      if (before && before.position < (await store.headPosition())) kills += 1;
    }
    expect(kills).toBeGreaterThan(0); // at least one kill landed before the projector had finished

    const child = await startChild();
    await waitUntilCaughtUp('counting', 60_000);
    await killed(child);
    const afterCrashes = await snapshot();

    await rebuildProjection({ db: kysely, store, logger }, countingProjection());
    const clean = await snapshot();
    expect(afterCrashes.seen).toHaveLength(1000 + 3 * 200);
    expect(afterCrashes).toEqual(clean);
  }, 120_000);

  test('a new version is rebuilt beside the live tables, switched, and an outdated runner stands back', async () => {
    const v1 = runProjection({ store, db: kysely, pool: db.pool, logger }, countingProjection({ version: 1 }));
    await appendMany(store, 'count-', 5, 200);
    await waitUntilCaughtUp('counting', 20_000);

    const writing = appendMany(store, 'count-', 5, 500); // keeps arriving during the rebuild
    const lower = (type: string) => type.toLowerCase();
    await rebuildProjection({ db: kysely, store, logger }, countingProjection({ version: 2, label: lower }));
    await writing;
    const v2 = runProjection(
      { store, db: kysely, pool: db.pool, logger },
      countingProjection({ version: 2, label: lower }),
    );
    await appendMany(store, 'count-', 5, 200); // both runners see these; only v2 may apply them
    await waitUntilCaughtUp('counting', 20_000);

    const { seen, counts } = await snapshot();
    const all = await db.pool.query("select count(*)::int as n from es.events where stream_name like 'count-%'");
    expect(seen).toHaveLength(all.rows[0].n);
    expect(seen.every((row) => row.label === row.label.toLowerCase())).toBe(true);
    expect(counts.reduce((sum, row) => sum + row.events, 0)).toBe(all.rows[0].n);
    expect((await readCheckpoint(db.pool, 'counting'))?.version).toBe(2);
    const leftovers = await db.pool.query("select nspname from pg_namespace where nspname like 'rm\\_%'");
    expect(leftovers.rows).toEqual([]);
    await v1.stop();
    await v2.stop();
  }, 60_000);

  test('waitFor resolves when the checkpoint passes a position', async () => {
    const running = runProjection(
      { store, db: kysely, pool: db.pool, logger },
      countingProjection({ version: 2, label: (t) => t.toLowerCase() }),
    );
    const { position } = await store.appendToStream(
      'count-wait',
      [
        {
          eventId: crypto.randomUUID(),
          type: 'Counted0',
          data: {},
          metadata: (await import('./support.js')).newEvent('x').metadata,
        },
      ],
      { expectedRevision: 'any' },
    );
    await running.waitFor(position, 5000);
    const row = await db.pool.query('select label from rm.seen_events where position = $1', [position.toString()]);
    expect(row.rows).toEqual([{ label: 'counted0' }]);
    await running.stop();
  });

  test('a batch that is still reading holds no subscriber back: the store can pass later appends', async () => {
    let entered = () => {};
    const inBatch = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const applied: string[] = [];
    const running = runProjection(
      { store, db: kysely, pool: db.pool, logger },
      {
        name: 'slow-reader',
        version: 1,
        filter: { eventTypes: ['SlowRead'] },
        tables: [],
        async setup() {},
        async apply(events) {
          entered();
          await gate; // a reaction's reads before its writes
          applied.push(...events.map((e) => e.eventId));
        },
      },
    );
    const slow = newEvent('SlowRead');
    const slowAt = (await store.appendToStream('slow-1', [slow], { expectedRevision: 'any' })).position;
    await inBatch;
    const { position } = await store.appendToStream('other-1', [newEvent('Other')], { expectedRevision: 'any' });
    expect(await store.headPosition()).toBe(position);
    release();
    await running.waitFor(slowAt, 5000);
    expect(applied).toEqual([slow.eventId]);
    await running.stop();
  });
});
