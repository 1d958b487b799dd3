import type pg from 'pg';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { v5 as uuidv5 } from 'uuid';
import { DELIVERY_CHANNELS, type DeliveryChannel } from './channels/port.js';

/** Transactional mail and messages: one queue per channel, each with its own concurrency cap. */
export const DELIVERY_QUEUES: Record<DeliveryChannel, string> = {
  email: 'deliver-email',
  telegram: 'deliver-telegram',
  sms: 'deliver-sms',
};

/** Campaigns: separate queues and workers, so a large send never holds transactional mail back. */
export const BULK_QUEUES: Record<DeliveryChannel, string> = {
  email: 'deliver-bulk-email',
  telegram: 'deliver-bulk-telegram',
  sms: 'deliver-bulk-sms',
};

export const queueOf = (channel: DeliveryChannel, bulk: boolean) => (bulk ? BULK_QUEUES : DELIVERY_QUEUES)[channel];

/** Runs pg-boss's insert inside the caller's transaction (a Kysely transaction or a pg client). */
export interface SqlExecutor {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

export const clientExecutor = (client: pg.PoolClient | pg.Pool): SqlExecutor => ({
  executeSql: (text, values) => client.query(text, values as unknown[]),
});

export interface DeliveryJob {
  deliveryId: string;
  channel: DeliveryChannel;
  bulk: boolean;
  /**
   * Makes the job id: the same key never queues a second job (pg-boss ignores an id it has), so a
   * replayed or repeated enqueue is harmless. Null: a fresh id (an admin's retry).
   */
  key: string | null;
  /** Run no earlier than this many milliseconds from now (a retry's backoff). */
  delayMs?: number;
}

export interface DeliveryQueue {
  /** Queues a delivery job in the caller's transaction: it exists exactly when that transaction commits. */
  enqueue(executor: SqlExecutor, job: DeliveryJob): Promise<void>;
  /** The same for many jobs in one statement. */
  enqueueMany(executor: SqlExecutor, jobs: readonly DeliveryJob[]): Promise<void>;
  /** The started pg-boss instance with every delivery queue created (workers register on it). */
  boss(): Promise<PgBoss>;
  close(): Promise<void>;
}

const JOB_ID_NAMESPACE = '9c2f6a3e-0d7b-4e51-b8a4-3f6e2c1d7a90';
export const jobIdOf = (deliveryId: string, key: string) => uuidv5(`${deliveryId}\u0000${key}`, JOB_ID_NAMESPACE);

/**
 * Retries of the job itself (a database error, or the delivery still leased by a worker that
 * stopped mid-send: 5 + 10 + … + 80 s outlast its 120 s lease); the delivery's own retries are
 * separate jobs. A job whose worker vanished expires after 5 minutes and is retried too.
 */
export const DELIVERY_QUEUE_OPTIONS = { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 };

/** What a delivery job carries: only the delivery's id (the row holds the rest). */
export interface DeliveryJobData {
  deliveryId: string;
}

/**
 * pg-boss on the app's own pool (schema `pgboss`, shared with the scheduled jobs), started on first
 * use so every role can enqueue: the projector's reaction, the API's campaigns and admin retries.
 * Maintenance (expiring jobs of a crashed worker) is done by the worker role's scheduler instance.
 */
export function deliveryQueue(deps: { pool: pg.Pool; logger: Logger }): DeliveryQueue {
  let started: Promise<PgBoss> | null = null;
  const boss = () => {
    started ??= (async () => {
      const instance = new PgBoss({
        db: clientExecutor(deps.pool),
        schema: 'pgboss',
        supervise: false,
        schedule: false,
      });
      instance.on('error', (error: Error & { code?: string }) => {
        if (error.code === '57P01') deps.logger.info('notification queue: database shutting down');
        else deps.logger.error({ err: error }, 'notification queue error');
      });
      await instance.start();
      for (const channel of DELIVERY_CHANNELS) {
        await instance.createQueue(DELIVERY_QUEUES[channel], {
          ...DELIVERY_QUEUE_OPTIONS,
          name: DELIVERY_QUEUES[channel],
        });
        await instance.createQueue(BULK_QUEUES[channel], { ...DELIVERY_QUEUE_OPTIONS, name: BULK_QUEUES[channel] });
      }
      return instance;
    })();
    started.catch(() => {
      started = null;
    });
    return started;
  };

  const enqueueMany = async (executor: SqlExecutor, jobs: readonly DeliveryJob[]) => {
    if (jobs.length === 0) return;
    const instance = await boss();
    // Like `send`: a job id pg-boss already has is skipped (ON CONFLICT DO NOTHING), and a delay is
    // seconds after the database's now().
    const inserts = jobs.map(
      (job): PgBoss.JobInsert<DeliveryJobData> => ({
        id: job.key === null ? crypto.randomUUID() : jobIdOf(job.deliveryId, job.key),
        name: queueOf(job.channel, job.bulk),
        data: { deliveryId: job.deliveryId },
        singletonKey: job.deliveryId,
        ...(job.delayMs !== undefined && job.delayMs > 0 && { startAfter: String(job.delayMs / 1000) }),
      }),
    );
    await instance.insert(inserts, { db: executor as PgBoss.Db });
  };

  return {
    boss,
    enqueue: (executor, job) => enqueueMany(executor, [job]),
    enqueueMany,
    async close() {
      const instance = await started?.catch(() => null);
      await instance?.stop({ graceful: true, wait: true, close: false });
    },
  };
}
