import { concurrencyKey, type JobSettings } from '../jobs/job-settings.js';
import { type ChannelSender, DELIVERY_CHANNELS, type DeliveryChannel } from './channels/port.js';
import { BULK_QUEUES, DELIVERY_QUEUES } from './queue.js';

/** How many sends run at once in one worker process, per queue. */
export interface DeliveryConcurrency {
  email: number;
  telegram: number;
  sms: number;
  /** Each deliver-bulk-<channel> queue (campaigns). */
  bulk: number;
}

/** What the notification pipeline is configured with (AppOptions.notifications; env: notificationOptionsFromEnv). */
export interface NotificationOptions {
  /** SMTP server for notification mail; unset, the app's mailer (SMTP_URL, else the local outbox). */
  smtpUrl?: string;
  /** Telegram and SMS adapters (and, in tests, any sender); a channel without one gets no deliveries. */
  senders?: Partial<Record<DeliveryChannel, ChannelSender>>;
  /** Attempts per delivery before it is dead (NOTIFY_MAX_ATTEMPTS, default 5). */
  maxAttempts?: number;
  /** Wait before the first retry, doubled each time (NOTIFY_BACKOFF_MS, default 30 s). */
  backoffMs?: number;
  /** Longest wait between attempts (NOTIFY_MAX_BACKOFF_MS, default 1 h). */
  maxBackoffMs?: number;
  /**
   * Per-queue caps per worker process (NOTIFY_CONCURRENCY_EMAIL/_TELEGRAM/_SMS/_BULK, default
   * 4/2/2/1); the job board's JOB_CONCURRENCY_DELIVER_EMAIL etc. win when set.
   */
  concurrency?: Partial<DeliveryConcurrency>;
  /** How long before its end a held reservation deposit is announced (NOTIFY_DEPOSIT_TTL_HOURS, default 6). */
  depositTtlWarningHours?: number;
}

export interface DeliveryPolicy {
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  concurrency: DeliveryConcurrency;
  depositTtlWarningHours: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 5,
  backoffMs: 30_000,
  maxBackoffMs: 3_600_000,
  concurrency: { email: 4, telegram: 2, sms: 2, bulk: 1 },
  depositTtlWarningHours: 6,
};

export function deliveryPolicyOf(options: NotificationOptions = {}): DeliveryPolicy {
  const d = DEFAULT_DELIVERY_POLICY;
  return {
    maxAttempts: options.maxAttempts ?? d.maxAttempts,
    backoffMs: options.backoffMs ?? d.backoffMs,
    maxBackoffMs: options.maxBackoffMs ?? d.maxBackoffMs,
    concurrency: { ...d.concurrency, ...options.concurrency },
    depositTtlWarningHours: options.depositTtlWarningHours ?? d.depositTtlWarningHours,
  };
}

/** Wait before attempt `attempts + 1`, after `attempts` failed ones: backoff · 2^(attempts−1), capped. */
export const backoffAfter = (policy: Pick<DeliveryPolicy, 'backoffMs' | 'maxBackoffMs'>, attempts: number) =>
  Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, attempts - 1));

/** Reads NOTIFY_* variables; a bad value stops start-up with a message naming the variable. */
export function notificationOptionsFromEnv(env: Record<string, string | undefined> = process.env): NotificationOptions {
  const number = (name: string, min: number): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min)
      throw new RangeError(`${name} must be an integer ≥ ${min}, not "${raw}"`);
    return value;
  };
  const concurrency: Partial<DeliveryConcurrency> = {};
  for (const queue of ['email', 'telegram', 'sms', 'bulk'] as const) {
    const value = number(`NOTIFY_CONCURRENCY_${queue.toUpperCase()}`, 1);
    if (value !== undefined) concurrency[queue] = value;
  }
  const options: NotificationOptions = { concurrency };
  const set = <K extends keyof NotificationOptions>(key: K, value: NotificationOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('maxAttempts', number('NOTIFY_MAX_ATTEMPTS', 1));
  set('backoffMs', number('NOTIFY_BACKOFF_MS', 1));
  set('maxBackoffMs', number('NOTIFY_MAX_BACKOFF_MS', 1));
  set('depositTtlWarningHours', number('NOTIFY_DEPOSIT_TTL_HOURS', 1));
  return options;
}

/**
 * The worker's job settings with the delivery queues' caps: the job board's own setting for a
 * queue (JOB_CONCURRENCY_DELIVER_EMAIL…) when there is one, else the notification policy's.
 */
export function withDeliveryCaps(settings: JobSettings, policy: Pick<DeliveryPolicy, 'concurrency'>): JobSettings {
  const concurrency: Record<string, number> = {};
  for (const channel of DELIVERY_CHANNELS) {
    concurrency[concurrencyKey(DELIVERY_QUEUES[channel])] = policy.concurrency[channel];
    concurrency[concurrencyKey(BULK_QUEUES[channel])] = policy.concurrency.bulk;
  }
  return { ...settings, concurrency: { ...concurrency, ...settings.concurrency } };
}
