/**
 * Worker settings from the environment (README "Background jobs"):
 * - concurrency per queue: `JOB_CONCURRENCY='{"deliver-email":4}'` and/or `JOB_CONCURRENCY_DELIVER_EMAIL=4`
 *   (the queue name upper-cased, every other character `_`; the specific variable wins), default
 *   `JOB_CONCURRENCY_DEFAULT` (1). The cap is per worker process.
 * - retention of old rows the clean-up job deletes (`RETENTION_*`, below).
 * - how often a worker looks for paused or resumed queues (`JOB_PAUSE_POLL_MS`, 2000).
 */
export interface RetentionPolicy {
  /** Notifications read or deleted, this many days after they were created. */
  notificationsDays: number;
  /** Slot holds (5-minute holds on a calendar), this many hours after they expired. */
  slotHoldsHours: number;
  /** Mails of the local outbox (`npm start` without SMTP). */
  mailOutboxDays: number;
  /** Finished jobs pg-boss moved to its archive. */
  jobArchiveDays: number;
}

export interface JobSettings {
  defaultConcurrency: number;
  /** Per queue, keyed by `concurrencyKey(queue)`. */
  concurrency: Readonly<Record<string, number>>;
  retention: RetentionPolicy;
  pausePollMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  notificationsDays: 90,
  slotHoldsHours: 24,
  mailOutboxDays: 30,
  jobArchiveDays: 14,
};

export const DEFAULT_JOB_SETTINGS: JobSettings = {
  defaultConcurrency: 1,
  concurrency: {},
  retention: DEFAULT_RETENTION,
  pausePollMs: 2000,
};

const MAX_CONCURRENCY = 64;
const PREFIX = 'JOB_CONCURRENCY_';

/** `deliver-email` → `DELIVER_EMAIL`: the suffix of its environment variable. */
export const concurrencyKey = (queue: string) => queue.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** How many handlers of `queue` one worker process runs at once. */
export const concurrencyOf = (settings: JobSettings, queue: string): number =>
  settings.concurrency[concurrencyKey(queue)] ?? settings.defaultConcurrency;

function whole(name: string, raw: unknown, min: number, max: number): number {
  const value = typeof raw === 'string' ? Number(raw.replaceAll('_', '')) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${String(raw)}`);
  }
  return value;
}

/** Reads the settings; a bad value throws naming the variable (start-up stops, as for ops/config.ts). */
export function jobSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): JobSettings {
  const given = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const concurrency: Record<string, number> = {};
  const json = given('JOB_CONCURRENCY');
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new Error('JOB_CONCURRENCY must be a JSON object such as {"deliver-email": 4}');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('JOB_CONCURRENCY must be a JSON object such as {"deliver-email": 4}');
    for (const [queue, n] of Object.entries(parsed)) {
      concurrency[concurrencyKey(queue)] = whole(`JOB_CONCURRENCY.${queue}`, n, 1, MAX_CONCURRENCY);
    }
  }
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(PREFIX) || name === `${PREFIX}DEFAULT` || raw === undefined || raw === '') continue;
    concurrency[name.slice(PREFIX.length)] = whole(name, raw, 1, MAX_CONCURRENCY);
  }
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = given(name);
    return raw === undefined ? fallback : whole(name, raw, min, max);
  };
  return {
    defaultConcurrency: int(`${PREFIX}DEFAULT`, DEFAULT_JOB_SETTINGS.defaultConcurrency, 1, MAX_CONCURRENCY),
    concurrency,
    retention: {
      notificationsDays: int('RETENTION_NOTIFICATIONS_DAYS', DEFAULT_RETENTION.notificationsDays, 1, 3650),
      slotHoldsHours: int('RETENTION_SLOT_HOLDS_HOURS', DEFAULT_RETENTION.slotHoldsHours, 1, 24 * 365),
      mailOutboxDays: int('RETENTION_MAIL_OUTBOX_DAYS', DEFAULT_RETENTION.mailOutboxDays, 1, 3650),
      jobArchiveDays: int('RETENTION_JOB_ARCHIVE_DAYS', DEFAULT_RETENTION.jobArchiveDays, 1, 3650),
    },
    pausePollMs: int('JOB_PAUSE_POLL_MS', DEFAULT_JOB_SETTINGS.pausePollMs, 50, 60_000),
  };
}
