import { sql } from 'kysely';
import type pg from 'pg';
import { JOB_QUEUE_EVENT_TYPES, type JobQueueEvent } from '../../domain/jobs/job-queue-events.js';
import type { Projection } from '../projection.js';

export interface JobQueueRow {
  queue: string;
  paused: boolean;
  /** Who paused or resumed it last, and when. */
  changed_by: string | null;
  changed_at: Date;
  reason: string | null;
}

export interface JobQueuesTables {
  job_queues: JobQueueRow;
}

/**
 * Paused queues (rm.job_queues), from the admins' JobQueuePaused/JobQueueResumed events: the
 * worker stops fetching from a queue listed paused here, and the job board shows it.
 */
export const jobQueuesProjection: Projection<JobQueuesTables> = {
  name: 'job_queues',
  version: 1,
  filter: { eventTypes: JOB_QUEUE_EVENT_TYPES },
  tables: ['job_queues'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'job_queues')} (
      queue text primary key,
      paused boolean not null,
      changed_by text,
      changed_at timestamptz not null,
      reason text
    )`.execute(db);
  },

  async apply(events, { db }) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as JobQueueEvent;
      if (event.type !== 'JobQueuePaused' && event.type !== 'JobQueueResumed') continue;
      const row: JobQueueRow = {
        queue: event.data.queue,
        paused: event.type === 'JobQueuePaused',
        changed_by: recorded.metadata.actAsId ?? recorded.metadata.actorId ?? null,
        changed_at: new Date(recorded.metadata.occurredAt),
        reason: event.type === 'JobQueuePaused' ? event.data.reason : null,
      };
      await db
        .insertInto('job_queues')
        .values(row)
        .onConflict((oc) => oc.column('queue').doUpdateSet(row))
        .execute();
    }
  },
};

export type PausedQueues = Map<string, { changedBy: string | null; changedAt: Date; reason: string | null }>;

/** Queues an admin paused; none while the read model does not exist yet (a worker started before any projector). */
export async function pausedQueues(pool: pg.Pool): Promise<PausedQueues> {
  const exists = await pool.query<{ t: string | null }>("select to_regclass('rm.job_queues')::text as t");
  if (!exists.rows[0]?.t) return new Map();
  const { rows } = await pool.query<{
    queue: string;
    changed_by: string | null;
    changed_at: Date;
    reason: string | null;
  }>('select queue, changed_by, changed_at, reason from rm.job_queues where paused');
  return new Map(rows.map((r) => [r.queue, { changedBy: r.changed_by, changedAt: r.changed_at, reason: r.reason }]));
}
