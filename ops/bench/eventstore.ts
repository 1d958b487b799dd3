/**
 * Event store benchmark (issue 2, item 10):
 *  1. single-event appends with an expected revision at concurrency 1, 8, 32, and in the same run
 *     on the same server raw single-row INSERT + commit into a plain table, with the ratio;
 *  2. append → projected-visible latency at a paced 500 appends/s through `runProjection`.
 * Prints figures next to their targets; never asserts. Sizes: see the BENCH_* constants below.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import type { ExpectedRevision } from '../../commands/eventstore/port.js';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import type { Projection } from '../../projections/projection.js';
import { runProjection } from '../../projections/runner.js';
import { createLogger } from '../logger.js';
import {
  benchData,
  benchMetadata,
  envInt,
  envList,
  fmt,
  type Latencies,
  loadAvg,
  msSince,
  printTable,
  runBench,
  summarize,
} from './support.js';

const CONCURRENCY = envList('BENCH_CONCURRENCY', [1, 8, 32]);
const DURATION_MS = envInt('BENCH_DURATION_MS', 10_000);
/** Each measurement is split into slices alternating event store / raw, so load from elsewhere hits both alike. */
const SLICES = envInt('BENCH_SLICES', 5);
const WARMUP_MS = envInt('BENCH_WARMUP_MS', 2_000);
const PER_STREAM = envInt('BENCH_EVENTS_PER_STREAM', 50);
const RATE = envInt('BENCH_RATE', 500);
const LATENCY_MS = envInt('BENCH_LATENCY_DURATION_MS', 10_000);

interface LoopResult {
  ops: number;
  errors: number;
  seconds: number;
  latency: Latencies;
  samples: number[];
  firstError?: unknown;
}

/** `concurrency` workers, each calling its own `op` back to back until the duration is over. */
async function closedLoop(
  concurrency: number,
  durationMs: number,
  makeOp: (worker: number) => () => Promise<void>,
): Promise<LoopResult> {
  const samples: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const op = makeOp(worker);
      while (performance.now() < deadline) {
        const t = process.hrtime.bigint();
        try {
          await op();
          samples.push(msSince(t));
        } catch (error) {
          errors += 1;
          firstError ??= error;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { ops: samples.length, errors, seconds, latency: summarize(samples), samples, firstError };
}

function merge(parts: LoopResult[]): LoopResult {
  const samples = parts.flatMap((p) => p.samples);
  const sum = (f: (p: LoopResult) => number) => parts.reduce((a, p) => a + f(p), 0);
  const firstError = parts.find((p) => p.firstError)?.firstError;
  return {
    ops: samples.length,
    errors: sum((p) => p.errors),
    seconds: sum((p) => p.seconds),
    latency: summarize(samples),
    samples,
    firstError,
  };
}

/** Each worker appends to its own streams, a new one every PER_STREAM events; revisions tracked in memory. */
const storeOp = (store: PostgresEventStore, tag: string) => (worker: number) => {
  let stream = 0;
  let next = 0;
  let i = 0;
  return async () => {
    if (next === PER_STREAM) {
      stream += 1;
      next = 0;
    }
    const expectedRevision: ExpectedRevision = next === 0 ? 'no_stream' : BigInt(next - 1);
    const event = { eventId: randomUUID(), type: 'BookingConfirmed', data: benchData(i++), metadata: benchMetadata() };
    await store.appendToStream(`booking-${tag}w${worker}s${stream}`, [event], { expectedRevision });
    next += 1;
  };
};

const rawOp = (pool: pg.Pool, tag: string) => (worker: number) => {
  let i = 0;
  return async () => {
    const stream = `booking-${tag}w${worker}s${Math.floor(i / PER_STREAM)}`;
    const data = JSON.stringify(benchData(i++));
    await pool.query('insert into bench.raw (stream, data, metadata) values ($1, $2, $3)', [
      stream,
      data,
      JSON.stringify(benchMetadata()),
    ]);
  };
};

const row = (c: number, system: string, r: LoopResult) => [
  String(c),
  system,
  fmt(r.ops / r.seconds, 0),
  fmt(r.latency.p50, 2),
  fmt(r.latency.p95, 2),
  fmt(r.latency.p99, 2),
  fmt(r.latency.max, 1),
  String(r.ops),
  String(r.errors),
];

async function appendThroughput(pool: pg.Pool, store: PostgresEventStore): Promise<void> {
  await pool.query(`create schema if not exists bench;
    create table bench.raw (id bigserial primary key, stream text not null, data jsonb not null, metadata jsonb not null)`);
  // Warm both paths (connections, plan caches, first pages) before measuring.
  await closedLoop(8, WARMUP_MS, storeOp(store, 'warm'));
  await closedLoop(8, WARMUP_MS, rawOp(pool, 'warm'));

  const rows: string[][] = [];
  const ratios: string[][] = [];
  for (const c of CONCURRENCY) {
    const parts: { es: LoopResult[]; raw: LoopResult[] } = { es: [], raw: [] };
    for (let slice = 0; slice < SLICES; slice++) {
      parts.es.push(await closedLoop(c, DURATION_MS / SLICES, storeOp(store, `c${c}x${slice}`)));
      parts.raw.push(await closedLoop(c, DURATION_MS / SLICES, rawOp(pool, `c${c}x${slice}`)));
    }
    const es = merge(parts.es);
    const raw = merge(parts.raw);
    for (const [name, r] of [['event store', es] as const, ['raw INSERT', raw] as const]) {
      rows.push(row(c, name, r));
      if (r.firstError) console.error(`${name} at concurrency ${c}: first error`, r.firstError);
    }
    const ratio = es.ops / es.seconds / (raw.ops / raw.seconds);
    ratios.push([String(c), `${fmt(ratio * 100, 0)} %`, c === 8 ? '>= 60 % of raw' : '(no target)']);
  }
  printTable(
    `Single-event appends with expected revision vs raw single-row INSERT + commit (${DURATION_MS / 1000} s each in ${SLICES} alternating slices; new stream every ${PER_STREAM} events; load avg ${loadAvg()})`,
    ['conc', 'system', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'ops', 'errors'],
    rows,
  );
  printTable('Event store / raw', ['conc', 'ratio', 'target'], ratios);
}

interface VisibleTables {
  bench_visible: { position: string; stream_name: string; event_type: string; recorded_at: Date };
}

async function visibleLatency(pool: pg.Pool, store: PostgresEventStore): Promise<void> {
  const db = new Kysely<VisibleTables>({ dialect: new PostgresDialect({ pool }) });
  let batches = 0;
  let applied = 0;
  const projection: Projection<VisibleTables> = {
    name: 'bench_visible',
    version: 1,
    filter: { streamPrefixes: ['latency-'] },
    tables: ['bench_visible'],
    async setup(kdb, schema) {
      await sql`create table if not exists ${sql.id(schema, 'bench_visible')} (
        position bigint primary key, stream_name text not null, event_type text not null, recorded_at timestamptz not null
      )`.execute(kdb);
    },
    async apply(events, { db: q }) {
      batches += 1;
      applied += events.length;
      await q
        .insertInto('bench_visible')
        .values(
          events.map((e) => ({
            position: e.position.toString(),
            stream_name: e.streamName,
            event_type: e.type,
            recorded_at: e.createdAt,
          })),
        )
        .execute();
    },
  };
  const before = await store.lastWrittenPosition();
  const running = runProjection({ store, db, pool, logger: createLogger('warn') }, projection);

  const idle: { name: string; next: number }[] = [];
  let streams = 0;
  const appendMs: number[] = [];
  const visibleMs: number[] = [];
  const readBackMs: number[] = [];
  let missing = 0;
  let errors = 0;
  const one = async (i: number) => {
    const cursor = idle.pop() ?? { name: `latency-${streams++}`, next: 0 };
    const t = process.hrtime.bigint();
    try {
      const expectedRevision: ExpectedRevision = cursor.next === 0 ? 'no_stream' : BigInt(cursor.next - 1);
      const event = { eventId: randomUUID(), type: 'BookingConfirmed', data: benchData(i), metadata: benchMetadata() };
      const { position } = await store.appendToStream(cursor.name, [event], { expectedRevision });
      appendMs.push(msSince(t));
      cursor.next += 1;
      if (cursor.next < PER_STREAM) idle.push(cursor);
      await running.waitFor(position, 30_000);
      visibleMs.push(msSince(t));
      const found = await pool.query('select 1 from rm.bench_visible where position = $1', [position.toString()]);
      readBackMs.push(msSince(t));
      if (found.rowCount !== 1) missing += 1;
    } catch (error) {
      if (errors++ === 0) console.error('latency run: first error', error);
    }
  };
  // Catch up past earlier events (none match the filter) and warm the path.
  for (let i = 0; i < 20; i++) await one(-1);
  appendMs.length = visibleMs.length = readBackMs.length = 0;
  const batchesBefore = batches;
  const appliedBefore = applied;

  const total = Math.round((RATE * LATENCY_MS) / 1000);
  const interval = 1000 / RATE;
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = t0 + i * interval - performance.now();
    if (wait >= 1) await sleep(wait);
    inflight.push(one(i));
  }
  const sent = (performance.now() - t0) / 1000;
  await Promise.all(inflight);
  await running.stop();
  await store.close();

  const fmtRow = (name: string, l: Latencies, target: string) => [
    name,
    String(l.count),
    fmt(l.p50, 2),
    fmt(l.p95, 2),
    fmt(l.p99, 2),
    fmt(l.max, 1),
    target,
  ];
  printTable(
    `Append -> projected visible at ${RATE} appends/s (open loop, ${total} single-event appends sent in ${fmt(sent, 2)} s = ${fmt(total / sent, 0)}/s; ${before} events already in es.events; projection filtered to latency-* streams; load avg ${loadAvg()})`,
    ['measured from append call start to', 'samples', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'target'],
    [
      fmtRow('append resolved (committed)', summarize(appendMs), ''),
      fmtRow('runner waitFor(position) resolved', summarize(visibleMs), 'p95 < 50 ms'),
      fmtRow('... + SELECT of the row returned it', summarize(readBackMs), ''),
    ],
  );
  const perBatch = (applied - appliedBefore) / Math.max(1, batches - batchesBefore);
  console.log(
    `waitFor resolves right after the runner's read-model transaction (rows + checkpoint) commits. ` +
      `Projection batches: ${batches - batchesBefore}, ${fmt(perBatch)} events/batch; rows missing at read-back: ${missing}; errors: ${errors}.`,
  );
}

await runBench(CONCURRENCY.reduce((a, b) => Math.max(a, b), 1) + 8, async ({ pool }) => {
  console.log(
    `Sizes: BENCH_CONCURRENCY=${CONCURRENCY.join(',')} BENCH_DURATION_MS=${DURATION_MS} BENCH_WARMUP_MS=${WARMUP_MS} ` +
      `BENCH_EVENTS_PER_STREAM=${PER_STREAM} BENCH_RATE=${RATE} BENCH_LATENCY_DURATION_MS=${LATENCY_MS}`,
  );
  const store = new PostgresEventStore(pool);
  await appendThroughput(pool, store);
  await visibleLatency(pool, store);
});
