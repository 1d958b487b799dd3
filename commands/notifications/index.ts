import type pg from 'pg';
import type { Logger } from 'pino';
import type { Projection } from '../../projections/projection.js';
import type { EventStore } from '../eventstore/port.js';
import type { HandlerDeps } from '../handler.js';
import type { QueueWorker, ScheduledJob } from '../jobs/scheduler.js';
import type { Mailer } from '../mail/port.js';
import { SmtpMailer } from '../mail/smtp.js';
import { type CampaignDeps, type CampaignInput, sendCampaign } from './campaigns.js';
import { type ChannelConfig, channelSenders } from './channels/config.js';
import { emailSender } from './channels/email.js';
import { type ChannelSender, DELIVERY_CHANNELS, type DeliveryChannel } from './channels/port.js';
import { type DeliveryPolicy, deliveryPolicyOf, type NotificationOptions } from './config.js';
import { deliveryQueueWorkers } from './delivery.js';
import { retryDelivery } from './inbox.js';
import { depositTtlWarningJob } from './jobs.js';
import { type DeliveryQueue, deliveryQueue } from './queue.js';
import { notificationReaction } from './reaction.js';
import { loadTemplates, templateCommands } from './templates.js';

export type { NotificationOptions } from './config.js';
export { deliveryPolicyOf, notificationOptionsFromEnv, withDeliveryCaps } from './config.js';
export { startNotificationPublisher } from './live.js';

export interface NotificationServices {
  policy: DeliveryPolicy;
  queue: DeliveryQueue;
  /** Channels with a sender: only these get deliveries (email always has one). */
  channels: ReadonlySet<DeliveryChannel>;
  /** The reaction that turns events into notifications (a projection, run by the projector role). */
  reaction: Projection;
  templates: { change: ReturnType<typeof templateCommands>; load: () => ReturnType<typeof loadTemplates> };
  sendCampaign(campaignId: string, input: CampaignInput, actorId: string | null): ReturnType<typeof sendCampaign>;
  retry(deliveryId: string, actorId: string | null): ReturnType<typeof retryDelivery>;
  /** Scheduled jobs of the worker role. */
  jobs: ScheduledJob[];
  /** The deliver-* and deliver-bulk-* queues, for the worker role's startWorker. */
  queueWorkers: QueueWorker[];
  close(): Promise<void>;
}

export function notificationServices(
  deps: HandlerDeps & {
    pool: pg.Pool;
    store: EventStore;
    logger: Logger;
    publicUrl: () => string;
    mailer: Mailer;
    /** Telegram and SMS settings (channels/config.ts); a channel left out has no sender. */
    channelConfig?: ChannelConfig;
    options?: NotificationOptions;
  },
): NotificationServices {
  const options = deps.options ?? {};
  const policy = deliveryPolicyOf(options);
  const ownMailer = options.smtpUrl ? new SmtpMailer({ url: options.smtpUrl }) : null;
  const senders: Partial<Record<DeliveryChannel, ChannelSender>> = {
    email: emailSender(ownMailer ?? deps.mailer),
    ...Object.fromEntries(channelSenders(deps.channelConfig ?? {}).map((sender) => [sender.channel, sender])),
    ...options.senders,
  };
  const channels = new Set(DELIVERY_CHANNELS.filter((channel) => senders[channel] !== undefined));
  const queue = deliveryQueue({ pool: deps.pool, logger: deps.logger });
  const shared: CampaignDeps = {
    pool: deps.pool,
    store: deps.store,
    queue,
    clock: deps.clock,
    publicUrl: deps.publicUrl,
    maxAttempts: policy.maxAttempts,
    channels,
  };
  return {
    policy,
    queue,
    channels,
    reaction: notificationReaction({ ...shared, logger: deps.logger }),
    templates: { change: templateCommands(deps), load: () => loadTemplates(deps.store) },
    sendCampaign: (campaignId, input, actorId) => sendCampaign(shared, campaignId, input, actorId),
    retry: (deliveryId, actorId) => retryDelivery({ pool: deps.pool, queue }, deliveryId, actorId, deps.clock()),
    jobs: [depositTtlWarningJob(shared, policy.depositTtlWarningHours)],
    queueWorkers: deliveryQueueWorkers({
      pool: deps.pool,
      queue,
      senders,
      policy,
      clock: deps.clock,
      logger: deps.logger,
    }),
    async close() {
      await queue.close();
      ownMailer?.close();
    },
  };
}
