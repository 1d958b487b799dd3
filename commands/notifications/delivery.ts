import type pg from 'pg';
import type { Logger } from 'pino';
import type { QueueWorker } from '../jobs/scheduler.js';
import { RetryLaterError } from './channels/http.js';
import { ChannelError, type ChannelSender, DELIVERY_CHANNELS, type DeliveryChannel } from './channels/port.js';
import { backoffAfter, type DeliveryPolicy } from './config.js';
import {
  BULK_QUEUES,
  clientExecutor,
  DELIVERY_QUEUE_OPTIONS,
  DELIVERY_QUEUES,
  type DeliveryJobData,
  type DeliveryQueue,
} from './queue.js';

/** A worker holds a delivery this long while it talks to the provider (longer than any SMTP timeout). */
const LEASE_SECONDS = 120;
const ERROR_LIMIT = 1000;

interface LeasedDelivery {
  id: string;
  notification_id: string;
  channel: DeliveryChannel;
  address: string;
  locale: 'vi' | 'en';
  subject: string | null;
  body: string;
  html: string | null;
  bulk: boolean;
  attempts: number;
  max_attempts: number;
  type: string;
}

export type DeliveryOutcome = 'sent' | 'retrying' | 'dead' | 'failed' | 'skipped';

export class DeliveryBusy extends Error {
  constructor(deliveryId: string) {
    super(`delivery ${deliveryId} is being sent by another worker; trying again later`);
    this.name = 'DeliveryBusy';
  }
}

export interface DeliveryDeps {
  pool: pg.Pool;
  queue: DeliveryQueue;
  senders: Partial<Record<DeliveryChannel, ChannelSender>>;
  policy: DeliveryPolicy;
  clock: () => Date;
  logger: Logger;
}

/**
 * Sends one delivery. A lease taken in its own statement makes a second job for the same delivery
 * (a duplicate, or pg-boss retrying a job whose worker seemed gone) skip it, and one already sent
 * or dead is skipped too. The outcome, the attempt's record and the next retry's job are written
 * in one transaction, so a crash after that leaves nothing half done; a crash during the send
 * leaves the lease to run out and pg-boss retries the job (the provider may then get it twice:
 * the message carries the delivery id as its idempotency key for providers that deduplicate).
 */
export async function deliverOne(deps: DeliveryDeps, deliveryId: string): Promise<DeliveryOutcome> {
  const { rows } = await deps.pool.query<LeasedDelivery>(
    `update ops.notification_deliveries d set leased_until = now() + make_interval(secs => $2)
       from ops.notifications n
      where d.id = $1 and n.id = d.notification_id and d.status in ('pending', 'retrying')
        and (d.leased_until is null or d.leased_until < now())
      returning d.id, d.notification_id, d.channel, d.address, d.locale, d.subject, d.body, d.html, d.bulk,
                d.attempts, d.max_attempts, n.type`,
    [deliveryId, LEASE_SECONDS],
  );
  const delivery = rows[0];
  if (!delivery) {
    const { rows: found } = await deps.pool.query<{ status: string }>(
      'select status from ops.notification_deliveries where id = $1',
      [deliveryId],
    );
    const status = found[0]?.status;
    // Held by another worker (or by one that stopped mid-send): fail the job so pg-boss tries it again
    // after the lease, rather than completing it and leaving the delivery without a job.
    if (status === 'pending' || status === 'retrying') throw new DeliveryBusy(deliveryId);
    return 'skipped';
  }
  const sender = deps.senders[delivery.channel];
  if (!sender)
    return finish(deps, delivery, { outcome: 'failed', error: `no ${delivery.channel} sender is configured` });
  try {
    const { providerMessageId } = await sender.send({
      to: delivery.address,
      subject: delivery.subject ?? '',
      text: delivery.body,
      ...(delivery.html !== null && { html: delivery.html }),
      category: delivery.type,
      locale: delivery.locale,
      idempotencyKey: delivery.id,
    });
    return finish(deps, delivery, { outcome: 'sent', providerMessageId });
  } catch (error) {
    const retryable = error instanceof ChannelError ? error.retryable : true;
    const code = error instanceof ChannelError && error.providerCode ? ` [${error.providerCode}]` : '';
    const message = `${error instanceof Error ? error.message : String(error)}${code}`.slice(0, ERROR_LIMIT);
    const attempts = delivery.attempts + 1;
    const outcome = retryable && attempts < delivery.max_attempts ? 'retrying' : 'dead';
    const notBeforeMs = error instanceof RetryLaterError ? error.retryAfterSeconds * 1000 : 0;
    return finish(deps, delivery, { outcome, error: message, notBeforeMs });
  }
}

type Result =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'retrying' | 'dead' | 'failed'; error: string; notBeforeMs?: number };

async function finish(deps: DeliveryDeps, delivery: LeasedDelivery, result: Result): Promise<DeliveryOutcome> {
  const now = deps.clock();
  const attempts = result.outcome === 'failed' ? delivery.attempts : delivery.attempts + 1;
  // The provider's own "retry after" (flood control) wins over a shorter backoff.
  const delayMs =
    result.outcome === 'retrying' ? Math.max(backoffAfter(deps.policy, attempts), result.notBeforeMs ?? 0) : 0;
  const client = await deps.pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `update ops.notification_deliveries
          set status = $2, attempts = $3, last_error = $4, provider_message_id = coalesce($5, provider_message_id),
              sent_at = $6, next_attempt_at = $7, leased_until = null, updated_at = $8
        where id = $1`,
      [
        delivery.id,
        result.outcome,
        attempts,
        result.outcome === 'sent' ? null : result.error,
        result.outcome === 'sent' ? result.providerMessageId : null,
        result.outcome === 'sent' ? now : null,
        result.outcome === 'retrying' ? new Date(now.getTime() + delayMs) : null,
        now,
      ],
    );
    await client.query(
      'insert into ops.notification_delivery_attempts (delivery_id, at, outcome, error) values ($1, $2, $3, $4)',
      [delivery.id, now, result.outcome, result.outcome === 'sent' ? null : result.error],
    );
    if (result.outcome === 'retrying') {
      await deps.queue.enqueue(clientExecutor(client), {
        deliveryId: delivery.id,
        channel: delivery.channel,
        bulk: delivery.bulk,
        key: `attempt:${attempts}`,
        delayMs,
      });
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  if (result.outcome !== 'sent') {
    deps.logger.warn(
      { deliveryId: delivery.id, channel: delivery.channel, outcome: result.outcome, attempts },
      'notification delivery failed',
    );
  }
  return result.outcome;
}

/**
 * The delivery queues as the worker role runs them (commands/jobs/scheduler.ts `QueueWorker`):
 * with the job board's concurrency caps (see withDeliveryCaps) and pause switch.
 */
export function deliveryQueueWorkers(deps: DeliveryDeps): QueueWorker[] {
  return DELIVERY_CHANNELS.flatMap((channel) =>
    [DELIVERY_QUEUES[channel], BULK_QUEUES[channel]].map((name) => ({
      name,
      queue: DELIVERY_QUEUE_OPTIONS,
      handle: async (job: { data: object }) => ({
        outcome: await deliverOne(deps, (job.data as DeliveryJobData).deliveryId),
      }),
    })),
  );
}
