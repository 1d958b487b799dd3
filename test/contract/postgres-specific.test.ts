import { afterAll, beforeAll, expect, test } from 'vitest';
import { DuplicateEventId } from '../../commands/eventstore/port.js';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { createWakeups } from '../../commands/eventstore/postgres-wakeups.js';
import { newEvent } from '../integration/support.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

test('an event id already used by another stream is a typed error and writes nothing', async () => {
  const event = newEvent('Once');
  await store.appendToStream('first-1', [event], { expectedRevision: 'no_stream' });
  await expect(store.appendToStream('second-1', [event], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
    DuplicateEventId,
  );
  const second = [];
  for await (const e of store.readStream('second-1')) second.push(e);
  expect(second).toEqual([]);
});

test('append must be the first write of its transaction, or the ordering guarantee would not hold', async () => {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await client.query('create temporary table scratch (x int); insert into scratch values (1)');
    await expect(
      client.query(
        `select * from es.append_to_stream('x-1', 'any', array[gen_random_uuid()], array['T'], array['{}'::jsonb], array['{}'::jsonb])`,
      ),
    ).rejects.toMatchObject({ code: 'ES003' });
  } finally {
    await client.query('rollback');
    client.release();
  }
});

test('a write transaction open in another database does not hold our subscribers back', async () => {
  const other = await createTestDatabase({ migrate: false });
  const client = await other.pool.connect();
  try {
    await client.query('begin');
    await client.query('create table busy (x int); insert into busy values (1)'); // holds an xid, stays open
    const { position } = await store.appendToStream('late-1', [newEvent('Appended')], { expectedRevision: 'any' });
    expect(await store.headPosition()).toBe(position);
  } finally {
    await client.query('rollback');
    client.release();
    await other.drop();
  }
});

test('an append wakes the subscribers of other processes whose filter matches it, and only those', async () => {
  const here = createWakeups(db.pool, 'es_events_wake_test');
  const there = createWakeups(db.pool, 'es_events_wake_test');
  const never = new AbortController().signal;
  const wanted = there.watch({ eventTypes: ['Wanted'] });
  const other = there.watch({ streamPrefixes: ['other-'] });
  const everything = there.watch(undefined);
  try {
    await everything.waitForChange(-1, 0, never); // starts listening
    const [wantedAt, otherAt, everythingAt] = [wanted.version(), other.version(), everything.version()];
    here.notify([{ type: 'Wanted', streamName: 'thing-1' }]);
    await wanted.waitForChange(wantedAt, 10_000, never);
    await everything.waitForChange(everythingAt, 10_000, never);
    expect(wanted.version()).toBe(wantedAt + 1);
    expect(everything.version()).toBe(everythingAt + 1);
    await other.waitForChange(otherAt, 300, never);
    expect(other.version()).toBe(otherAt);

    // A writer that says nothing about what it wrote (NOTIFY '') wakes everyone.
    await db.pool.query(`select pg_notify('es_events_wake_test', '')`);
    await other.waitForChange(otherAt, 10_000, never);
    expect(other.version()).toBe(otherAt + 1);
  } finally {
    await here.close();
    await there.close();
  }
});
