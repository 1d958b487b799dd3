import { afterAll, beforeAll, expect, test } from 'vitest';
import { DuplicateEventId } from '../../commands/eventstore/port.js';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
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
