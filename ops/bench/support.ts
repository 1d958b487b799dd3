import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import type { EventMetadata } from '../../commands/eventstore/port.js';
import { eventMetadata } from '../../commands/metadata.js';
import { migrate } from '../migrations.js';
import { createScratchDatabase, startTemporaryPostgres } from '../scratch-database.js';

/** A fresh, migrated database for one benchmark run; `close()` drops it and stops an embedded server. */
export interface BenchDatabase {
  url: string;
  pool: pg.Pool;
  /** "PostgreSQL 18.4 (embedded, temp dir)" or "... (BENCH_DATABASE_URL host:port)". */
  server: string;
  /** Settings that decide write throughput, e.g. "synchronous_commit=on fsync=on …". */
  settings: string;
  close(): Promise<void>;
}

export const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return Math.floor(value);
};

export const envList = (name: string, fallback: number[]): number[] =>
  process.env[name] ? (process.env[name] as string).split(',').map((s) => Number(s.trim())) : fallback;

export async function openBenchDatabase(poolSize: number): Promise<BenchDatabase> {
  const given = process.env.BENCH_DATABASE_URL;
  const server = given ? null : await startTemporaryPostgres('rental-bench-pg-');
  const adminUrl = given ?? server?.adminUrl ?? '';
  const where = given
    ? `BENCH_DATABASE_URL ${new URL(given).hostname}:${new URL(given).port || 5432}`
    : `embedded, data in ${server?.dataDir}`;
  const scratch = await createScratchDatabase(adminUrl, 'bench');
  const pool = new pg.Pool({ connectionString: scratch.url, max: poolSize });
  pool.on('error', () => undefined); // idle connections end when the scratch database is dropped
  await migrate(pool);
  const { rows } = await pool.query<{ v: string; s: string }>(
    `select current_setting('server_version') as v,
       (select string_agg(name || '=' || setting || coalesce(unit, ''), ' ' order by name) from pg_settings
         where name in ('synchronous_commit', 'fsync', 'shared_buffers', 'max_wal_size', 'wal_level', 'commit_delay')) as s`,
  );
  return {
    url: scratch.url,
    pool,
    server: `PostgreSQL ${rows[0]?.v} (${where}), database ${scratch.name}`,
    settings: rows[0]?.s ?? '',
    async close() {
      await pool.end();
      await scratch.drop();
      await server?.stop();
    },
  };
}

/** Nearest-rank percentile over all samples (sorted ascending). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export interface Latencies {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samplesMs: number[]): Latencies {
  const sorted = Float64Array.from(samplesMs).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

/** The 1/5/15-minute load averages: this machine is shared, so every table says how busy it was. */
export const loadAvg = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** Milliseconds elapsed since a `process.hrtime.bigint()` reading. */
export const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

export const fmt = (n: number, digits = 1): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '-';

export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/** Metadata shaped like a real command's (commands/metadata.ts). */
export function benchMetadata(): EventMetadata {
  return eventMetadata(
    {
      actorId: randomUUID(),
      actAsId: null,
      roles: ['tenant'],
      correlationId: randomUUID(),
      causationId: null,
      idempotencyKey: null,
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (bench)',
    },
    new Date(),
    1,
  );
}

/** A small realistic event body (~150 bytes of JSON, Vietnamese text included). */
export const benchData = (i: number) => ({
  bookingId: randomUUID(),
  amount: 1_250_000 + (i % 1000) * 1000,
  currency: 'VND',
  status: 'confirmed',
  note: `Phòng trọ Quận ${1 + (i % 12)}, Hồ Chí Minh`,
});

/** Opens a fresh database, runs `main`, always drops it; exits 0 (figures are printed, never asserted). */
export async function runBench(poolSize: number, main: (db: BenchDatabase) => Promise<void>): Promise<void> {
  const started = performance.now();
  let db: BenchDatabase | undefined;
  let failed = false;
  try {
    db = await openBenchDatabase(poolSize);
    console.log(`Server:   ${db.server}`);
    console.log(`Settings: ${db.settings}`);
    await main(db);
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    await db?.close().catch((error) => console.error('cleanup failed', error));
  }
  console.log(`\nTotal wall time ${fmt((performance.now() - started) / 1000)} s`);
  process.exit(failed ? 1 : 0);
}
