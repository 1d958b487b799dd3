import type pg from 'pg';
import PgBoss from 'pg-boss';
import { jobQueueDecider } from '../../domain/jobs/job-queue.js';
import { jobQueueStream, QUEUE_NAME } from '../../domain/jobs/job-queue-events.js';
import { conflict, notFound } from '../../domain/shared/errors.js';
import { pausedQueues } from '../../projections/jobs/job-queues-projection.js';
import { waitForProjection } from '../../projections/status.js';
import { commandHandler, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';
import { concurrencyOf, type JobSettings } from './job-settings.js';

const STATES = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled'] as const;
type State = (typeof STATES)[number];

export interface QueueView {
  queue: string;
  /** Cron (time zone Asia/Ho_Chi_Minh) of a scheduled job; null for a queue fed by `send`. */
  schedule: string | null;
  concurrency: number;
  paused: boolean;
  pausedBy: string | null;
  pausedAt: Date | null;
  /** Jobs in pg-boss's live table (finished jobs move to the archive after 12 h, failed ones after 7 days). */
  counts: Record<State, number>;
  lastCompletedAt: Date | null;
  lastFailedAt: Date | null;
}

export interface FailureView {
  id: string;
  error: string;
  failedAt: Date | null;
  retryCount: number;
  data: unknown;
}

/** pg-boss keeps `{ message, stack }` of a thrown error, or `{ value }` of anything else. */
function errorText(output: unknown): string {
  if (output && typeof output === 'object') {
    const o = output as { message?: unknown; value?: unknown };
    if (typeof o.message === 'string') return o.message;
    if (o.value !== undefined) return typeof o.value === 'string' ? o.value : JSON.stringify(o.value);
  }
  return output === null || output === undefined ? '' : JSON.stringify(output);
}

/**
 * The admin job board: queues with their counts by state, recent failures, and the admin's
 * actions (pause, resume, retry a failed job, run a scheduled job now). Every action is an event
 * of stream `jobqueue-<queue>` (the audit trail shows who did it); the worker applies pauses from
 * their read model. Talks to pg-boss through the app's pool, without starting a pg-boss instance
 * (the worker role owns maintenance and schedules).
 */
export function jobBoard(deps: HandlerDeps & { pool: pg.Pool; settings: JobSettings }) {
  const { pool } = deps;
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[] = []) => pool.query(text, values) },
    schema: 'pgboss',
  });
  const record = commandHandler(deps, {
    decider: jobQueueDecider,
    stream: (command: { queue: string }) => jobQueueStream(command.queue),
  });

  const installed = async () =>
    (await pool.query<{ t: string | null }>("select to_regclass('pgboss.job')::text as t")).rows[0]?.t != null;

  async function queueNamed(queue: string): Promise<{ schedule: string | null }> {
    if (!QUEUE_NAME.test(queue) || !(await installed())) throw queueNotFound();
    const { rows } = await pool.query<{ cron: string | null }>(
      'select s.cron from pgboss.queue q left join pgboss.schedule s on s.name = q.name where q.name = $1',
      [queue],
    );
    if (!rows[0]) throw queueNotFound();
    return { schedule: rows[0].cron };
  }

  /** Every queue but pg-boss's own (`__pgboss__send-it`: its cron runs through it). */
  async function list(): Promise<QueueView[]> {
    if (!(await installed())) return [];
    const { rows } = await pool.query<{
      name: string;
      cron: string | null;
      counts: Partial<Record<State, string>> | null;
      last_completed: Date | null;
      last_failed: Date | null;
    }>(
      `with live as (
         select name, state::text as state, count(*) as n,
                max(completed_on) filter (where state in ('completed', 'failed')) as last
           from pgboss.job group by name, state),
       archived as (
         select name, state::text as state, max(completed_on) as last
           from pgboss.archive where state in ('completed', 'failed') group by name, state),
       lasts as (
         select name, max(last) filter (where state = 'completed') as last_completed,
                max(last) filter (where state = 'failed') as last_failed
           from (select name, state, last from live union all select name, state, last from archived) x
          group by name)
       select q.name, s.cron, l.last_completed, l.last_failed,
              (select jsonb_object_agg(state, n) from live where live.name = q.name) as counts
         from pgboss.queue q
         left join pgboss.schedule s on s.name = q.name
         left join lasts l on l.name = q.name
        where left(q.name, 10) <> '__pgboss__'
        order by q.name`,
    );
    const paused = await pausedQueues(pool);
    return rows.map((row) => ({
      queue: row.name,
      schedule: row.cron,
      concurrency: concurrencyOf(deps.settings, row.name),
      paused: paused.has(row.name),
      pausedBy: paused.get(row.name)?.changedBy ?? null,
      pausedAt: paused.get(row.name)?.changedAt ?? null,
      counts: Object.fromEntries(STATES.map((state) => [state, Number(row.counts?.[state] ?? 0)])) as Record<
        State,
        number
      >,
      lastCompletedAt: row.last_completed,
      lastFailedAt: row.last_failed,
    }));
  }

  async function failures(queue: string, limit: number): Promise<FailureView[]> {
    await queueNamed(queue);
    const { rows } = await pool.query<{
      id: string;
      output: unknown;
      completed_on: Date | null;
      retry_count: number;
      data: unknown;
    }>(
      `select id, output, completed_on, retry_count, data from pgboss.job
        where name = $1 and state = 'failed' order by completed_on desc nulls last, id limit $2`,
      [queue, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      error: errorText(row.output),
      failedAt: row.completed_on,
      retryCount: row.retry_count,
      data: row.data,
    }));
  }

  /** A failed job goes back to `retry` (pg-boss gives it one more attempt); anything else is a 409. */
  async function retry(queue: string, jobId: string, metadata: CommandMetadata) {
    await queueNamed(queue);
    const job = await boss.getJobById(queue, jobId);
    if (!job) throw notFound('JOB_NOT_FOUND', 'Không tìm thấy công việc này trong hàng đợi');
    if (job.state !== 'failed')
      throw conflict('JOB_NOT_FAILED', 'Chỉ chạy lại được công việc đã thất bại', { state: job.state });
    await record({ type: 'RecordRetry', queue, jobId }, metadata);
    await boss.retry(queue, jobId);
    return { queue, jobId, state: 'retry' as const };
  }

  /** Queues a run of a scheduled job now; one already waiting (policy `short`) makes it a 409. */
  async function runNow(queue: string, jobId: string, metadata: CommandMetadata) {
    const { schedule } = await queueNamed(queue);
    if (schedule === null) throw conflict('QUEUE_NOT_SCHEDULED', 'Chỉ chạy ngay được công việc định kỳ', { queue });
    const waiting = await pool.query(`select 1 from pgboss.job where name = $1 and state = 'created' limit 1`, [queue]);
    if ((waiting.rowCount ?? 0) > 0) throw alreadyQueued(queue);
    await record({ type: 'RecordRunRequest', queue, jobId }, metadata);
    const id = await boss.send(queue, { requestedBy: metadata.actAsId ?? metadata.actorId }, { id: jobId });
    if (id === null) throw alreadyQueued(queue);
    return { queue, jobId: id };
  }

  /** Read-your-writes: the answer comes once the board (and so the workers' next look) shows the change. */
  async function settled(position: bigint | null) {
    if (position !== null) await waitForProjection(pool, 'job_queues', position, 2000);
  }

  async function pause(queue: string, reason: string | null, metadata: CommandMetadata) {
    await queueNamed(queue);
    await settled((await record({ type: 'PauseQueue', queue, reason }, metadata)).position);
    return { queue, paused: true };
  }

  async function resume(queue: string, metadata: CommandMetadata) {
    await queueNamed(queue);
    await settled((await record({ type: 'ResumeQueue', queue }, metadata)).position);
    return { queue, paused: false };
  }

  return { list, failures, retry, runNow, pause, resume };
}

export type JobBoard = ReturnType<typeof jobBoard>;

const queueNotFound = () => notFound('QUEUE_NOT_FOUND', 'Không tìm thấy hàng đợi này');
const alreadyQueued = (queue: string) =>
  conflict('JOB_ALREADY_QUEUED', 'Công việc này đã có một lượt đang chờ chạy', { queue });
