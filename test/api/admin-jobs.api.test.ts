import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_JOB_SETTINGS } from '../../commands/jobs/job-settings.js';
import { bearer, signedInUser } from '../support/accounts.js';
import { ADMIN, eventually, startTestApp, type TestApp, testClock } from '../support/app.js';

interface Queue {
  queue: string;
  schedule: string | null;
  concurrency: number;
  paused: boolean;
  pausedBy: string | null;
  counts: Record<'created' | 'retry' | 'active' | 'completed' | 'failed' | 'cancelled', number>;
  lastCompletedAt: string | null;
  lastFailedAt: string | null;
}
interface Failure {
  id: string;
  error: string;
  failedAt: string;
  retryCount: number;
  data: unknown;
}

const SCHEDULED = 'purge-idempotency-records';
const FLAKY = 'test-flaky-delivery';
const POLL_MS = 200;
const key = () => ({ 'idempotency-key': randomUUID() });

describe('admin job board over HTTP', () => {
  let t: TestApp;
  let boss: PgBoss;
  let attempts = 0;
  const clock = testClock();

  const board = async () => {
    const answer = await t.call<Queue[]>('GET', '/api/v1/admin/jobs', undefined, ADMIN);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.data;
  };
  const queue = async (name: string) => {
    const found = (await board()).find((q) => q.queue === name);
    if (!found) throw new Error(`queue ${name} not on the board`);
    return found;
  };
  const trail = async (stream: string) =>
    (
      await t.db.pool.query<{ event_type: string; actor_id: string; target_id: string }>(
        'select event_type, actor_id, target_id from rm.audit_trail where stream_name = $1 order by position',
        [stream],
      )
    ).rows;

  beforeAll(async () => {
    t = await startTestApp({
      clock: clock.now,
      jobs: { ...DEFAULT_JOB_SETTINGS, pausePollMs: POLL_MS, concurrency: { TEST_FLAKY_DELIVERY: 2 } },
    });
    // A delivery-like queue worked by another process: it fails the first attempt, then succeeds.
    boss = new PgBoss({ connectionString: t.db.url, schema: 'pgboss', supervise: false, schedule: false });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue(FLAKY, { name: FLAKY, retryLimit: 0 });
    await boss.work(FLAKY, { pollingIntervalSeconds: 0.5 }, async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('SMTP 451: tạm thời từ chối nhận thư');
    });
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false });
    await t?.close();
  });

  test('lists every queue with its schedule, concurrency, paused flag and counts by state', async () => {
    const queues = await board();
    const names = queues.map((q) => q.queue);
    expect(names).toEqual(expect.arrayContaining([SCHEDULED, 'retention-cleanup', 'daily-statistics', FLAKY]));
    expect(names).toEqual([...names].sort());
    expect(await queue(SCHEDULED)).toMatchObject({
      schedule: '17 3 * * *',
      concurrency: 1,
      paused: false,
      pausedBy: null,
      counts: { created: 0, retry: 0, active: 0, completed: 0, failed: 0, cancelled: 0 },
      lastCompletedAt: null,
    });
    expect(await queue(FLAKY)).toMatchObject({ schedule: null, concurrency: 2 });
  });

  test('only job managers see the board', async () => {
    expect((await t.call('GET', '/api/v1/admin/jobs')).status).toBe(401);
    const customer = await signedInUser(t, 'khach.jobs@example.vn');
    const answer = await t.call('GET', '/api/v1/admin/jobs', undefined, bearer(customer.accessToken));
    expect(answer.status).toBe(403);
    const pause = await t.call('POST', `/api/v1/admin/jobs/${SCHEDULED}/pause`, {}, bearer(customer.accessToken));
    expect(pause.status).toBe(403);
  });

  test('a failed job shows with its error; retry runs it again and the trail says who asked', async () => {
    const jobId = await boss.send(FLAKY, { deliveryId: 'd-1' });
    const [failure] = await eventually(async () => {
      const answer = await t.call<Failure[]>('GET', `/api/v1/admin/jobs/${FLAKY}/failures?limit=5`, undefined, ADMIN);
      expect(answer.body.data).toHaveLength(1);
      return answer.body.data;
    });
    expect(failure).toMatchObject({
      id: jobId,
      error: 'SMTP 451: tạm thời từ chối nhận thư',
      data: { deliveryId: 'd-1' },
    });
    expect((await queue(FLAKY)).counts.failed).toBe(1);
    expect((await queue(FLAKY)).lastFailedAt).not.toBeNull();

    const retried = await t.call('POST', `/api/v1/admin/jobs/${FLAKY}/${jobId}/retry`, undefined, {
      ...ADMIN,
      ...key(),
    });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.data).toEqual({ queue: FLAKY, jobId, state: 'retry' });
    await eventually(async () => expect((await queue(FLAKY)).counts).toMatchObject({ failed: 0, completed: 1 }));
    expect(attempts).toBe(2);
    const failures = await t.call<Failure[]>('GET', `/api/v1/admin/jobs/${FLAKY}/failures`, undefined, ADMIN);
    expect(failures.body.data).toEqual([]);

    const again = await t.call('POST', `/api/v1/admin/jobs/${FLAKY}/${jobId}/retry`, undefined, ADMIN);
    expect([again.status, again.body.error?.code]).toEqual([409, 'JOB_NOT_FAILED']);
    const unknown = await t.call('POST', `/api/v1/admin/jobs/${FLAKY}/${randomUUID()}/retry`, undefined, ADMIN);
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'JOB_NOT_FOUND']);
    const badId = await t.call('POST', `/api/v1/admin/jobs/${FLAKY}/not-a-job/retry`, undefined, ADMIN);
    expect([badId.status, badId.body.error?.field]).toEqual([400, 'jobId']);
    await eventually(async () =>
      expect(await trail(`jobqueue-${FLAKY}`)).toEqual([
        { event_type: 'JobRetried', actor_id: 'dev-admin', target_id: FLAKY },
      ]),
    );
  });

  test('pause stops processing (a run waits), resume restarts it; both are in the audit trail', async () => {
    const paused = await t.call(
      'POST',
      `/api/v1/admin/jobs/${SCHEDULED}/pause`,
      { reason: 'Bảo trì cơ sở dữ liệu' },
      { ...ADMIN, ...key() },
    );
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body.data).toEqual({ queue: SCHEDULED, paused: true });
    expect(await queue(SCHEDULED)).toMatchObject({ paused: true, pausedBy: 'dev-admin' });
    await sleep(POLL_MS * 5); // the worker looks for pauses every POLL_MS

    const run = await t.call<{ jobId: string }>('POST', `/api/v1/admin/jobs/${SCHEDULED}/run`, undefined, {
      ...ADMIN,
      ...key(),
    });
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    await sleep(3000); // longer than pg-boss's polling interval: a running queue would have taken it
    expect((await queue(SCHEDULED)).counts).toMatchObject({ created: 1, active: 0, completed: 0 });
    const twice = await t.call('POST', `/api/v1/admin/jobs/${SCHEDULED}/run`, undefined, ADMIN);
    expect([twice.status, twice.body.error?.code]).toEqual([409, 'JOB_ALREADY_QUEUED']);

    const resumed = await t.call('POST', `/api/v1/admin/jobs/${SCHEDULED}/resume`, undefined, ADMIN);
    expect(resumed.body.data).toEqual({ queue: SCHEDULED, paused: false });
    await eventually(async () => {
      const q = await queue(SCHEDULED);
      expect(q.counts).toMatchObject({ created: 0, completed: 1 });
      expect(q.lastCompletedAt).not.toBeNull();
    });
    await eventually(async () =>
      expect((await trail(`jobqueue-${SCHEDULED}`)).map((row) => [row.event_type, row.actor_id])).toEqual([
        ['JobQueuePaused', 'dev-admin'],
        ['JobRunRequested', 'dev-admin'],
        ['JobQueueResumed', 'dev-admin'],
      ]),
    );
  });

  test('a queue fed by send cannot be run now; unknown queues are 404; a second pause appends nothing', async () => {
    const run = await t.call('POST', `/api/v1/admin/jobs/${FLAKY}/run`, undefined, ADMIN);
    expect([run.status, run.body.error?.code]).toEqual([409, 'QUEUE_NOT_SCHEDULED']);
    for (const path of ['failures', 'run', 'pause']) {
      const method = path === 'failures' ? 'GET' : 'POST';
      const answer = await t.call(method, `/api/v1/admin/jobs/no-such-queue/${path}`, undefined, ADMIN);
      expect([answer.status, answer.body.error?.code], `${path}: ${JSON.stringify(answer.body)}`).toEqual([
        404,
        'QUEUE_NOT_FOUND',
      ]);
    }
    const long = await t.call('POST', `/api/v1/admin/jobs/${FLAKY}/pause`, { reason: 'x'.repeat(501) }, ADMIN);
    expect([long.status, long.body.error?.field]).toEqual([400, 'reason']);
    await t.call('POST', `/api/v1/admin/jobs/${FLAKY}/pause`, {}, ADMIN);
    await t.call('POST', `/api/v1/admin/jobs/${FLAKY}/pause`, {}, ADMIN);
    await t.call('POST', `/api/v1/admin/jobs/${FLAKY}/resume`, undefined, ADMIN);
    await eventually(async () =>
      expect((await trail(`jobqueue-${FLAKY}`)).map((row) => row.event_type)).toEqual([
        'JobRetried',
        'JobQueuePaused',
        'JobQueueResumed',
      ]),
    );
  });

  test('daily statistics: a zero-filled range by default; bad ranges and ids are 400 naming the field', async () => {
    const answer = await t.call<{ days: { day: string }[]; totals: Record<string, number> }>(
      'GET',
      '/api/v1/admin/statistics/daily',
      undefined,
      ADMIN,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data.days).toHaveLength(30);
    expect(answer.body.data.totals.bookingsRequested).toBe(0);
    const backwards = await t.call(
      'GET',
      '/api/v1/admin/statistics/daily?from=2026-03-10&to=2026-03-01',
      undefined,
      ADMIN,
    );
    expect([backwards.status, backwards.body.error?.field]).toEqual([400, 'to']);
    const long = await t.call('GET', '/api/v1/admin/statistics/daily?from=2024-01-01&to=2026-03-01', undefined, ADMIN);
    expect([long.status, long.body.error?.code]).toEqual([400, 'RANGE_TOO_LONG']);
    const badProject = await t.call('GET', '/api/v1/admin/statistics/daily?projectId=P1', undefined, ADMIN);
    expect([badProject.status, badProject.body.error?.field]).toEqual([400, 'projectId']);
  });
});
