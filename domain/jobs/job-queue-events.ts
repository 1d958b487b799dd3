import type { DomainEvent } from '../shared/decider.js';

/**
 * Admin actions on a background job queue, stream `jobqueue-<queue>`: the audit trail shows who
 * paused, resumed, retried or started what. `targetId` is the queue, so the trail lists a queue's
 * history under one target.
 */
type OnQueue = { targetId: string; queue: string };

export type JobQueueEvent =
  | DomainEvent<'JobQueuePaused', OnQueue & { reason: string | null }>
  | DomainEvent<'JobQueueResumed', OnQueue>
  | DomainEvent<'JobRetried', OnQueue & { jobId: string }>
  | DomainEvent<'JobRunRequested', OnQueue & { jobId: string }>;

export const JOB_QUEUE_EVENT_TYPES: JobQueueEvent['type'][] = [
  'JobQueuePaused',
  'JobQueueResumed',
  'JobRetried',
  'JobRunRequested',
];

export const jobQueueStream = (queue: string) => `jobqueue-${queue}`;

/** pg-boss queue names as this product makes them: letters, digits, `-`, `_`, `.` (at most 100). */
export const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
