import type pg from 'pg';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { pausedQueues } from '../../projections/jobs/job-queues-projection.js';
import { purgeListingViewHours } from '../catalog/listing-views.js';
import { concurrencyOf, DEFAULT_JOB_SETTINGS, type JobSettings } from './job-settings.js';

/** A scheduled job: idempotent (it may run twice), visible in pg-boss's tables for admins. */
export interface ScheduledJob {
  name: string;
  /** Cron in the business time zone (Asia/Ho_Chi_Minh). */
  cron: string;
  run(deps: { pool: pg.Pool; now: Date }): Promise<string>;
}

/**
 * A queue fed by `boss.send` (notification deliveries, campaigns…), worked with the same
 * concurrency cap and pause switch as the scheduled jobs. A thrown error fails the job, and pg-boss
 * retries it by the queue's options.
 */
export interface QueueWorker {
  name: string;
  /** pg-boss queue options: retries, backoff, expiry, dead letter queue. */
  queue?: Omit<PgBoss.Queue, 'name'>;
  handle(job: PgBoss.Job<object>): Promise<unknown>;
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

/** The business time zone of every cron. */
export const SCHEDULE_TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Failed jobs stay in the live table (where the board lists them and `retry` works) this long. */
const FAILED_KEPT_SECONDS = 7 * 24 * 3600;

export interface RunningWorker {
  boss: PgBoss;
  /** Stops or restarts fetching for queues paused or resumed since the last look (also runs on a timer). */
  applyPauses(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The worker role: pg-boss in schema `pgboss` of the same database, one queue per job.
 *
 * Concurrency: pg-boss 10 has no per-worker concurrency option; each `work()` registration is
 * one polling loop that takes one job at a time (`batchSize: 1`), so a queue gets as many
 * registrations as its configured cap (per worker process).
 *
 * Pause: a paused queue (rm.job_queues, from the admins' events) is not fetched from at all:
 * its loops are taken off with `offWork` and registered again on resume. Jobs already running
 * finish; new ones wait in `created` and keep their retry budget (a check inside the handler
 * would instead have to fail them). Scheduled queues use pg-boss's `short` policy, so at most one
 * run waits while the queue is paused instead of one per cron tick.
 */
export async function startWorker(deps: {
  databaseUrl: string;
  pool: pg.Pool;
  logger: Logger;
  clock: () => Date;
  jobs?: readonly ScheduledJob[];
  queues?: readonly QueueWorker[];
  settings?: JobSettings;
}): Promise<RunningWorker> {
  const settings = deps.settings ?? DEFAULT_JOB_SETTINGS;
  const boss = new PgBoss({
    connectionString: deps.databaseUrl,
    schema: 'pgboss',
    max: 4,
    archiveFailedAfterSeconds: FAILED_KEPT_SECONDS,
    deleteAfterDays: settings.retention.jobArchiveDays,
  });
  boss.on('error', (error: Error & { code?: string }) => {
    // 57P01: the database is shutting down (Ctrl-C reaches the embedded server too).
    if (error.code === '57P01') deps.logger.info('job queue: database shutting down');
    else deps.logger.error({ err: error }, 'job queue error');
  });
  await boss.start();

  const handlers = new Map<string, (jobs: PgBoss.Job<object>[]) => Promise<unknown>>();
  for (const job of deps.jobs ?? allJobs) {
    await boss.createQueue(job.name, { name: job.name, policy: 'short' });
    await boss.updateQueue(job.name, { name: job.name, policy: 'short' });
    await boss.schedule(job.name, job.cron, {}, { tz: SCHEDULE_TIME_ZONE });
    handlers.set(job.name, async () => {
      const outcome = await job.run({ pool: deps.pool, now: deps.clock() });
      deps.logger.info({ job: job.name, outcome }, 'job done');
      return { outcome };
    });
  }
  for (const worker of deps.queues ?? []) {
    await boss.createQueue(worker.name, { ...worker.queue, name: worker.name });
    handlers.set(worker.name, async (jobs) => {
      for (const job of jobs) await worker.handle(job);
    });
  }

  const working = new Set<string>();
  async function startFetching(queue: string, handler: (jobs: PgBoss.Job<object>[]) => Promise<unknown>) {
    for (let i = 0; i < concurrencyOf(settings, queue); i++) await boss.work(queue, { batchSize: 1 }, handler);
    working.add(queue);
  }

  let applying: Promise<void> | null = null;
  const applyPauses = () => {
    applying ??= (async () => {
      const paused = await pausedQueues(deps.pool);
      for (const [queue, handler] of handlers) {
        if (paused.has(queue) && working.has(queue)) {
          await boss.offWork(queue);
          working.delete(queue);
          deps.logger.info({ queue }, 'job queue paused: no longer fetching');
        } else if (!paused.has(queue) && !working.has(queue)) {
          await startFetching(queue, handler);
        }
      }
    })().finally(() => {
      applying = null;
    });
    return applying;
  };
  await applyPauses();
  const timer = setInterval(() => {
    applyPauses().catch((error: unknown) => deps.logger.warn({ err: error }, 'job queue pauses not applied'));
  }, settings.pausePollMs);
  timer.unref();

  return {
    boss,
    applyPauses,
    async stop() {
      clearInterval(timer);
      await applying?.catch(() => undefined);
      await boss.stop({ graceful: true, wait: true });
    },
  };
}
