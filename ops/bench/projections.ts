/**
 * Projection benchmark (issue 2, item 10): bulk-load BENCH_EVENTS events (default 1,000,000), then
 *  1. rebuildProjection of a simple read model (one counter row per stream) → events/s;
 *  2. rebuildProjection of the audit trail over the same events → events/s;
 *  3. verifyAuditChain over them → seconds.
 * Prints figures next to their targets; never asserts.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import type { AuditTables } from '../../projections/audit/audit-projection.js';
import { auditProjection } from '../../projections/audit/audit-projection.js';
import { verifyAuditChain } from '../../projections/audit/verify.js';
import type { Projection } from '../../projections/projection.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { createLogger } from '../logger.js';
import { envInt, fmt, loadAvg, printTable, runBench } from './support.js';

const EVENTS = envInt('BENCH_EVENTS', 1_000_000);
const PER_STREAM = envInt('BENCH_EVENTS_PER_STREAM', 10);
const LOAD_CHUNK = envInt('BENCH_LOAD_CHUNK', 100_000);

const TYPES = ['BookingRequested', 'BookingConfirmed', 'BookingPaid', 'BookingCheckedIn', 'BookingCompleted'];

/**
 * Setup only, not the append path: rows go straight into es.events with INSERT … SELECT
 * generate_series (positions, created_at and tx_id take their column defaults). Payloads look
 * like real ones: `…Id` fields, an amount, a status with `previousStatus` (so the audit summary
 * shows before → after), Vietnamese text, and metadata shaped like EventMetadata.
 */
const loadSql = /* sql */ `
insert into es.events (event_id, stream_name, stream_revision, event_type, data, metadata)
select gen_random_uuid(),
  'booking-' || md5('b' || (g / $3))::uuid,
  g % $3,
  ($4::text[])[1 + ((g % $3)::int % cardinality($4::text[]))],
  jsonb_build_object(
    'bookingId', md5('b' || (g / $3))::uuid,
    'listingId', md5('l' || (g / $3) % 20000)::uuid,
    'amount', 1250000 + (g % 1000) * 1000,
    'currency', 'VND',
    'status', lower(($4::text[])[1 + ((g % $3)::int % cardinality($4::text[]))]),
    'previousStatus', case when g % $3 = 0 then null else lower(($4::text[])[1 + ((g % $3 - 1)::int % cardinality($4::text[]))]) end,
    'note', 'Phòng trọ Quận ' || (1 + g % 12) || ', Thành phố Hồ Chí Minh — gần chợ Bến Thành'),
  jsonb_build_object(
    'actorId', md5('a' || g % 5000)::uuid::text,
    'actAsId', null,
    'roles', jsonb_build_array('tenant'),
    'correlationId', gen_random_uuid()::text,
    'causationId', null,
    'idempotencyKey', null,
    'ip', '203.0.113.' || (g % 250),
    'userAgent', 'Mozilla/5.0 (X11; Linux x86_64) bench',
    'occurredAt', to_char((timestamptz '2025-01-01' + g * interval '1 second') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'schemaVersion', 1)
from generate_series($1::bigint, $2::bigint) as g`;

interface CounterTables {
  bench_stream_counts: { stream_name: string; events: number; last_position: string; last_type: string };
}

/** The simple read model: one row per stream with its event count, last position and last type. */
const counterProjection: Projection<CounterTables> = {
  name: 'bench_stream_counts',
  version: 1,
  tables: ['bench_stream_counts'],
  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'bench_stream_counts')} (
      stream_name text primary key, events int not null, last_position bigint not null, last_type text not null
    )`.execute(db);
  },
  async apply(events, { db }) {
    const byStream = new Map<
      string,
      { stream_name: string; events: number; last_position: string; last_type: string }
    >();
    for (const e of events) {
      const row = byStream.get(e.streamName);
      if (row) {
        row.events += 1;
        row.last_position = e.position.toString();
        row.last_type = e.type;
      } else {
        byStream.set(e.streamName, {
          stream_name: e.streamName,
          events: 1,
          last_position: e.position.toString(),
          last_type: e.type,
        });
      }
    }
    await db
      .insertInto('bench_stream_counts')
      .values([...byStream.values()])
      .onConflict((oc) =>
        oc.column('stream_name').doUpdateSet({
          events: sql`bench_stream_counts.events + excluded.events`,
          last_position: sql`excluded.last_position`,
          last_type: sql`excluded.last_type`,
        }),
      )
      .execute();
  },
};

async function load(pool: pg.Pool): Promise<{ seconds: number; vacuumSeconds: number; size: string }> {
  const start = performance.now();
  for (let from = 0; from < EVENTS; from += LOAD_CHUNK) {
    const to = Math.min(EVENTS, from + LOAD_CHUNK) - 1;
    await pool.query(loadSql, [from, to, PER_STREAM, TYPES]);
  }
  const seconds = (performance.now() - start) / 1000;
  const v = performance.now();
  await pool.query('vacuum (analyze) es.events'); // as a long-lived table would be: hint bits, visibility map, stats
  const vacuumSeconds = (performance.now() - v) / 1000;
  const { rows } = await pool.query<{ size: string }>(
    `select pg_size_pretty(pg_total_relation_size('es.events')) as size`,
  );
  return { seconds, vacuumSeconds, size: rows[0]?.size ?? '?' };
}

const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await f();
  return [result, (performance.now() - start) / 1000];
};

await runBench(10, async ({ pool }) => {
  console.log(`Sizes: BENCH_EVENTS=${EVENTS} BENCH_EVENTS_PER_STREAM=${PER_STREAM} BENCH_LOAD_CHUNK=${LOAD_CHUNK}`);
  const loaded = await load(pool);
  console.log(
    `Setup: ${EVENTS.toLocaleString('en-US')} events (${(EVENTS / PER_STREAM).toLocaleString('en-US')} streams) bulk-inserted ` +
      `straight into es.events with INSERT … SELECT generate_series (not through appendToStream) in ${fmt(loaded.seconds)} s; ` +
      `VACUUM ANALYZE ${fmt(loaded.vacuumSeconds)} s; es.events ${loaded.size}. Load avg ${loadAvg()}.`,
  );

  const store = new PostgresEventStore(pool);
  // biome-ignore lint/suspicious/noExplicitAny: the runner's deps take any table types
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  const deps = { db, store, logger: createLogger('warn') };
  const rows: string[][] = [];
  const rate = (n: number, s: number) => `${fmt(n / s, 0)} events/s`;

  const [counter, counterSeconds] = await timed(() => rebuildProjection(deps, counterProjection));
  const check = await pool.query<{ streams: string; events: string }>(
    'select count(*)::text as streams, sum(events)::text as events from rm.bench_stream_counts',
  );
  rows.push([
    'rebuild: counter per stream',
    counter.events.toLocaleString('en-US'),
    fmt(counterSeconds, 1),
    rate(counter.events, counterSeconds),
    '>= 20,000 events/s',
  ]);

  const [audit, auditSeconds] = await timed(() => rebuildProjection(deps, auditProjection));
  rows.push([
    'rebuild: audit trail (hash chain)',
    audit.events.toLocaleString('en-US'),
    fmt(auditSeconds, 1),
    rate(audit.events, auditSeconds),
    '(no target)',
  ]);

  const [verified, verifySeconds] = await timed(() =>
    verifyAuditChain({ store, db: db as unknown as Kysely<AuditTables> }),
  );
  rows.push([
    `verifyAuditChain (${verified.ok ? 'ok' : `BROKEN at ${verified.position}: ${verified.reason}`})`,
    verified.checked.toLocaleString('en-US'),
    fmt(verifySeconds, 1),
    rate(verified.checked, verifySeconds),
    `< 30 s for 1,000,000 events${EVENTS === 1_000_000 ? '' : ` (this run: ${EVENTS.toLocaleString('en-US')})`}`,
  ]);
  await store.close();

  printTable(
    `Projection rebuild and audit verification over ${EVENTS.toLocaleString('en-US')} events (load avg ${loadAvg()})`,
    ['step', 'events', 'seconds', 'rate', 'target'],
    rows,
  );
  console.log(
    `Counter read model check: ${check.rows[0]?.streams} streams, ${check.rows[0]?.events} events counted ` +
      `(expected ${EVENTS / PER_STREAM} and ${EVENTS}).`,
  );
});
