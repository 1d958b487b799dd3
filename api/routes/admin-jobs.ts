import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jobBoard } from '../../commands/jobs/job-board.js';
import type { JobSettings } from '../../commands/jobs/job-settings.js';
import { QUEUE_NAME } from '../../domain/jobs/job-queue-events.js';
import type { Services } from '../../ops/services.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';

const count = z.number().int();
const queueView = z.object({
  queue: z.string(),
  schedule: z.string().nullable(),
  concurrency: z.number().int(),
  paused: z.boolean(),
  pausedBy: z.string().nullable(),
  pausedAt: z.date().nullable(),
  counts: z.object({ created: count, retry: count, active: count, completed: count, failed: count, cancelled: count }),
  lastCompletedAt: z.date().nullable(),
  lastFailedAt: z.date().nullable(),
});
const failureView = z.object({
  id: z.string(),
  error: z.string(),
  failedAt: z.date().nullable(),
  retryCount: z.number().int(),
  data: z.unknown(),
});
const queueParams = z.object({ queue: z.string().regex(QUEUE_NAME, 'not a queue name') });
const jobParams = queueParams.extend({ jobId: z.uuid() });
const pausedView = z.object({ queue: z.string(), paused: z.boolean() });

/**
 * The job board (job:manage): pg-boss queues with their counts by state, recent failures, retry
 * of a failed job, pause and resume of a queue, and running a scheduled job now. Each action is
 * an event of `jobqueue-<queue>`, so the audit trail says who did it and from where.
 */
export function adminJobRoutes(app: FastifyInstance, services: Services, settings: JobSettings) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const board = jobBoard({ ...services, settings });
  const manage = { onRequest: app.requires('job:manage') };
  const tags = ['admin', 'jobs'];

  api.get(
    '/api/v1/admin/jobs',
    {
      ...manage,
      schema: {
        tags,
        summary:
          'Background job queues: schedule, concurrency cap, paused, counts by state, last completion and failure',
        response: { 200: envelopeOf(z.array(queueView)) },
      },
    },
    async () => ok(await board.list()),
  );

  api.get(
    '/api/v1/admin/jobs/:queue/failures',
    {
      ...manage,
      schema: {
        tags,
        summary: "A queue's failed jobs, newest first, with the error each ended on",
        params: queueParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
        response: { 200: envelopeOf(z.array(failureView)) },
      },
    },
    async (request) => ok(await board.failures(request.params.queue, request.query.limit)),
  );

  api.post(
    '/api/v1/admin/jobs/:queue/:jobId/retry',
    {
      ...manage,
      schema: {
        tags,
        summary: 'Runs a failed job again (409 JOB_NOT_FAILED otherwise)',
        params: jobParams,
        response: { 200: envelopeOf(z.object({ queue: z.string(), jobId: z.string(), state: z.literal('retry') })) },
      },
    },
    async (request) => {
      const { queue, jobId } = request.params;
      return ok(await board.retry(queue, jobId, commandMetadataOf(request)), 'Đã đưa công việc vào hàng chạy lại');
    },
  );

  api.post(
    '/api/v1/admin/jobs/:queue/run',
    {
      ...manage,
      schema: {
        tags,
        summary: 'Runs a scheduled job now (409 QUEUE_NOT_SCHEDULED, JOB_ALREADY_QUEUED)',
        params: queueParams,
        response: { 202: envelopeOf(z.object({ queue: z.string(), jobId: z.string() })) },
      },
    },
    async (request, reply) => {
      const started = await board.runNow(request.params.queue, newIdFor(request), commandMetadataOf(request));
      return reply.status(202).send(ok(started, 'Đã xếp lịch chạy ngay'));
    },
  );

  api.post(
    '/api/v1/admin/jobs/:queue/pause',
    {
      ...manage,
      schema: {
        tags,
        summary: 'Pauses a queue: workers stop fetching from it (running jobs finish)',
        params: queueParams,
        body: z.object({ reason: z.string().max(500).nullable().optional() }).nullish(),
        response: { 200: envelopeOf(pausedView) },
      },
    },
    async (request) =>
      ok(
        await board.pause(request.params.queue, request.body?.reason ?? null, commandMetadataOf(request)),
        'Đã tạm dừng hàng đợi',
      ),
  );

  api.post(
    '/api/v1/admin/jobs/:queue/resume',
    {
      ...manage,
      schema: {
        tags,
        summary: 'Resumes a paused queue',
        params: queueParams,
        response: { 200: envelopeOf(pausedView) },
      },
    },
    async (request) => ok(await board.resume(request.params.queue, commandMetadataOf(request)), 'Đã tiếp tục hàng đợi'),
  );
}
