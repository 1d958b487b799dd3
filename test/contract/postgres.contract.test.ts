import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { appendWithClient, PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { createTestDatabase } from '../support/database.js';
import { describeEventStoreContract } from './eventstore.contract.js';

/** The adapter's NOTIFY channel: writers outside the adapter wake its subscribers the same way. */
const WAKE_UP_CHANNEL = 'es_events';

/** Like the adapter's own wake-ups: at most one NOTIFY in flight, one more if asked meanwhile. */
function coalescedNotifier(pool: pg.Pool): () => void {
  let inFlight = false;
  let again = false;
  const send = async () => {
    inFlight = true;
    do {
      again = false;
      await pool.query('select pg_notify($1, $2)', [WAKE_UP_CHANNEL, '']).catch(() => undefined);
    } while (again);
    inFlight = false;
  };
  return () => {
    if (inFlight) again = true;
    else void send();
  };
}

describeEventStoreContract('Postgres', async () => {
  const db = await createTestDatabase();
  const store = new PostgresEventStore(db.pool);
  const notify = coalescedNotifier(db.pool);
  return {
    store,
    // A writer whose transaction stays open after its positions were taken: the late commit.
    async appendLate(stream, events, expectedRevision, delayMs) {
      const client = await db.pool.connect();
      try {
        await client.query('begin');
        await appendWithClient(client, stream, events, expectedRevision);
        await sleep(delayMs);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        await client.query('select pg_advisory_unlock_all()').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      notify();
    },
    async dispose() {
      await store.close();
      await db.drop();
    },
  };
});
