// Calls of the admin job board (/admin/jobs): background job queues, failures, retry, pause/resume, run now.
import { API_BASE, apiGet, apiSend } from './api';

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export type JobQueue = {
  queue: string;
  /** Cron in Vietnam time for a scheduled job; null for a queue fed by other parts (deliveries). */
  schedule: string | null;
  concurrency: number;
  paused: boolean;
  pausedBy: string | null;
  pausedAt: string | null;
  counts: Record<JobState, number>;
  lastCompletedAt: string | null;
  lastFailedAt: string | null;
};

export type JobFailure = { id: string; error: string; failedAt: string | null; retryCount: number; data: unknown };

const jobs = `${API_BASE}/admin/jobs`;
const queuePath = (queue: string) => `${jobs}/${encodeURIComponent(queue)}`;
/** Each admin action carries its own key: a double click or a network retry acts once. */
const once = () => ({ headers: { 'Idempotency-Key': crypto.randomUUID() } });

export const listQueues = () => apiGet<JobQueue[]>(jobs);
export const listFailures = (queue: string, limit = 20) =>
  apiGet<JobFailure[]>(`${queuePath(queue)}/failures?limit=${limit}`);
export const retryJob = (queue: string, jobId: string) =>
  apiSend<{ jobId: string }>('POST', `${queuePath(queue)}/${encodeURIComponent(jobId)}/retry`, undefined, once());
export const pauseQueue = (queue: string, reason: string | null) =>
  apiSend<{ paused: boolean }>('POST', `${queuePath(queue)}/pause`, { reason }, once());
export const resumeQueue = (queue: string) =>
  apiSend<{ paused: boolean }>('POST', `${queuePath(queue)}/resume`, undefined, once());
export const runQueueNow = (queue: string) =>
  apiSend<{ jobId: string }>('POST', `${queuePath(queue)}/run`, undefined, once());
