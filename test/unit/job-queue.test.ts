import { describe, expect, test } from 'vitest';
import { concurrencyOf, jobSettingsFromEnv } from '../../commands/jobs/job-settings.js';
import { jobQueueDecider } from '../../domain/jobs/job-queue.js';
import type { JobQueueEvent } from '../../domain/jobs/job-queue-events.js';
import { scenario } from '../support/given-when-then.js';

const on = { targetId: 'booking-reminders', queue: 'booking-reminders' };
const paused: JobQueueEvent = { type: 'JobQueuePaused', data: { ...on, reason: null } };
const jobId = '0b8f2c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';

describe('job queue decider', () => {
  test('pausing a running queue records who paused it and why', () => {
    scenario(jobQueueDecider)
      .given([])
      .when({ type: 'PauseQueue', queue: 'booking-reminders', reason: '  Bảo trì SMTP  ' })
      .thenEmits([{ type: 'JobQueuePaused', data: { ...on, reason: 'Bảo trì SMTP' } }]);
  });

  test('pausing a paused queue, or resuming a running one, appends nothing', () => {
    scenario(jobQueueDecider).given([paused]).when({ type: 'PauseQueue', queue: on.queue, reason: null }).thenEmits([]);
    scenario(jobQueueDecider).given([]).when({ type: 'ResumeQueue', queue: on.queue }).thenEmits([]);
    scenario(jobQueueDecider)
      .given([paused, { type: 'JobQueueResumed', data: on }])
      .when({ type: 'ResumeQueue', queue: on.queue })
      .thenEmits([]);
  });

  test('a paused queue resumes', () => {
    scenario(jobQueueDecider)
      .given([paused])
      .when({ type: 'ResumeQueue', queue: on.queue })
      .thenEmits([{ type: 'JobQueueResumed', data: on }]);
  });

  test('retries and manual runs are recorded whether the queue runs or not', () => {
    scenario(jobQueueDecider)
      .given([paused])
      .when({ type: 'RecordRunRequest', queue: on.queue, jobId })
      .thenEmits([{ type: 'JobRunRequested', data: { ...on, jobId } }]);
    scenario(jobQueueDecider)
      .given([])
      .when({ type: 'RecordRetry', queue: on.queue, jobId })
      .thenEmits([{ type: 'JobRetried', data: { ...on, jobId } }]);
  });

  test('bad queue names and over-long reasons are refused naming the field', () => {
    scenario(jobQueueDecider)
      .given([])
      .when({ type: 'PauseQueue', queue: 'x; drop table', reason: null })
      .thenFails('QUEUE_NAME_INVALID', 'queue');
    scenario(jobQueueDecider)
      .given([])
      .when({ type: 'PauseQueue', queue: on.queue, reason: 'a'.repeat(501) })
      .thenFails('REASON_TOO_LONG', 'reason');
  });
});

describe('job settings from the environment', () => {
  test('a queue variable beats the JSON map, which beats the default', () => {
    const settings = jobSettingsFromEnv({
      JOB_CONCURRENCY: '{"deliver-email": 4, "deliver-sms": 2}',
      JOB_CONCURRENCY_DELIVER_SMS: '3',
      JOB_CONCURRENCY_DEFAULT: '2',
    });
    expect(concurrencyOf(settings, 'deliver-email')).toBe(4);
    expect(concurrencyOf(settings, 'deliver-sms')).toBe(3);
    expect(concurrencyOf(settings, 'booking-reminders')).toBe(2);
  });

  test('defaults without variables; retention days and hours are read', () => {
    const settings = jobSettingsFromEnv({ RETENTION_NOTIFICATIONS_DAYS: '30', RETENTION_SLOT_HOLDS_HOURS: '6' });
    expect(concurrencyOf(settings, 'anything')).toBe(1);
    expect(settings.retention).toEqual({
      notificationsDays: 30,
      slotHoldsHours: 6,
      mailOutboxDays: 30,
      jobArchiveDays: 14,
    });
    expect(settings.pausePollMs).toBe(2000);
  });

  test('bad values stop start-up naming the variable', () => {
    expect(() => jobSettingsFromEnv({ JOB_CONCURRENCY_DELIVER_EMAIL: '0' })).toThrow(/JOB_CONCURRENCY_DELIVER_EMAIL/);
    expect(() => jobSettingsFromEnv({ JOB_CONCURRENCY: '[4]' })).toThrow(/JOB_CONCURRENCY must be a JSON object/);
    expect(() => jobSettingsFromEnv({ JOB_CONCURRENCY: '{"deliver-email": 2.5}' })).toThrow(
      /JOB_CONCURRENCY\.deliver-email/,
    );
    expect(() => jobSettingsFromEnv({ RETENTION_MAIL_OUTBOX_DAYS: 'soon' })).toThrow(/RETENTION_MAIL_OUTBOX_DAYS/);
  });
});
