import type pg from 'pg';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { purgeListingViewHours } from '../catalog/listing-views.js';

/** A scheduled job: idempotent (it may run twice), visible in pg-boss's tables for admins. */
export interface ScheduledJob {
  name: string;
  /** Cron in the business time zone (Asia/Ho_Chi_Minh). */
  cron: string;
  run(deps: { pool: pg.Pool; now: Date }): Promise<string>;
}

/** Stored command answers are only needed while clients may still retry. */
export const purgeIdempotencyRecords: ScheduledJob = {
  name: 'purge-idempotency-records',
  cron: '17 3 * * *',
  async run({ pool, now }) {
    const { rowCount } = await pool.query('delete from ops.idempotency_records where created_at < $1', [
      new Date(now.getTime() - 48 * 3600 * 1000),
    ]);
    return `deleted ${rowCount ?? 0} records older than 48 h`;
  },
};

export const allJobs: readonly ScheduledJob[] = [purgeIdempotencyRecords, purgeListingViewHours];

/** The worker role: pg-boss in schema `pgboss` of the same database, one queue per job. */
export async function startWorker(deps: {
  databaseUrl: string;
  pool: pg.Pool;
  logger: Logger;
  clock: () => Date;
  jobs?: readonly ScheduledJob[];
}): Promise<{ boss: PgBoss; stop(): Promise<void> }> {
  const boss = new PgBoss({ connectionString: deps.databaseUrl, schema: 'pgboss', max: 4 });
  boss.on('error', (error: Error & { code?: string }) => {
    // 57P01: the database is shutting down (Ctrl-C reaches the embedded server too).
    if (error.code === '57P01') deps.logger.info('job queue: database shutting down');
    else deps.logger.error({ err: error }, 'job queue error');
  });
  await boss.start();
  for (const job of deps.jobs ?? allJobs) {
    await boss.createQueue(job.name);
    await boss.schedule(job.name, job.cron, {}, { tz: 'Asia/Ho_Chi_Minh' });
    await boss.work(job.name, async () => {
      const outcome = await job.run({ pool: deps.pool, now: deps.clock() });
      deps.logger.info({ job: job.name, outcome }, 'job done');
      return { outcome };
    });
  }
  return { boss, stop: () => boss.stop({ graceful: true, wait: true }) };
}
