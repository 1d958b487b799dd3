import { v5 as uuidv5 } from 'uuid';
import { KIND_SPECS, type NotificationLocale, type TemplateChannel } from '../../domain/notifications/catalog.js';
import type { TemplatesState } from '../../domain/notifications/templates.js';
import { DELIVERY_CHANNELS, type DeliveryChannel } from './channels/port.js';
import type { Localized, NotificationIntent } from './intent.js';
import type { DeliveryQueue, SqlExecutor } from './queue.js';
import type { Recipient } from './recipients.js';
import { mailHtml, renderTemplate } from './templates.js';

export const APP_NAME = 'Phòng Trọ Việt';

/** Postgres channel of `pg_notify`: the realtime publisher (live.ts) pushes what it hears to `/ws`. */
export const NOTIFICATION_CHANNEL = 'ops_notifications';

export interface CreateContext {
  /** The transaction everything is written in (with the jobs): all of it, or nothing. */
  sql: SqlExecutor;
  queue: DeliveryQueue;
  templates: TemplatesState;
  recipients: ReadonlyMap<string, Recipient>;
  /** Channels that have a sender configured. */
  channels: ReadonlySet<DeliveryChannel>;
  publicUrl: () => string;
  now: Date;
  maxAttempts: number;
  /** Campaigns: lower-priority queues, and only the channels the admin chose. */
  bulk?: { channels: ReadonlySet<TemplateChannel> };
}

const ID_NAMESPACE = '2d0c5b8e-7f4a-4c9e-a1d3-6b5e4f3a2c10';
/** One notification per source, recipient and kind: a replay finds it and adds nothing. */
export const notificationIdOf = (sourceId: string, userId: string, kind: string) =>
  uuidv5(`${sourceId}\u0000${userId}\u0000${kind}`, ID_NAMESPACE);

const inLocale = (values: Record<string, Localized>, locale: NotificationLocale) =>
  Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, typeof value === 'string' ? value : value[locale]]),
  );

export interface Created {
  notificationId: string;
  deliveries: number;
}

/**
 * Writes one notification and its deliveries and queues their jobs, in the context's transaction.
 * Channels: the recipient's switches for the kind's category (mandatory ones always on), limited
 * to configured senders and known addresses; `app` decides whether it shows in the inbox. Null
 * when there was nothing to write, or the notification already exists (the source was seen).
 */
export async function createNotification(
  context: CreateContext,
  intent: NotificationIntent,
  sourceId: string,
): Promise<Created | null> {
  const recipient = context.recipients.get(intent.userId);
  if (!recipient) return null;
  const { category } = KIND_SPECS[intent.kind];
  const allowed = (channel: TemplateChannel) =>
    recipient.preferences[category][channel] && (!context.bulk || context.bulk.channels.has(channel));
  const inApp = allowed('app');
  const external = DELIVERY_CHANNELS.filter(
    (channel) => allowed(channel) && context.channels.has(channel) && recipient.addresses[channel],
  );
  if (!inApp && external.length === 0) return null;

  const locale = recipient.locale;
  const link = `${context.publicUrl().replace(/\/+$/, '')}${intent.link ?? '/'}`;
  const values = { ...inLocale(intent.values, locale), name: recipient.name, link, appName: APP_NAME };
  const render = (channel: TemplateChannel) =>
    renderTemplate(context.templates, { kind: intent.kind, channel, locale }, values);
  const app = render('app');
  const id = notificationIdOf(sourceId, intent.userId, intent.kind);
  // One not shown in the inbox (app off) is never unread, so the retention clean-up removes it in time.
  const inserted = await context.sql.executeSql(
    `insert into ops.notifications
       (id, user_id, type, category, title, body, link, resource_type, resource_id, source_event_id, in_app, created_at,
        read_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, case when $11 then null else $12::timestamptz end)
     on conflict do nothing returning id`,
    [
      id,
      intent.userId,
      intent.kind,
      category,
      app.subject ?? '',
      app.text,
      intent.link,
      intent.resource?.type ?? null,
      intent.resource?.id ?? null,
      sourceId,
      inApp,
      context.now,
    ],
  );
  if (inserted.rows.length === 0) return null;

  for (const channel of external) {
    const message = render(channel);
    const deliveryId = crypto.randomUUID();
    const subject = message.subject ?? app.subject ?? '';
    await context.sql.executeSql(
      `insert into ops.notification_deliveries
         (id, notification_id, user_id, channel, address, locale, subject, body, html, bulk, max_attempts,
          created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
      [
        deliveryId,
        id,
        intent.userId,
        channel,
        recipient.addresses[channel],
        locale,
        subject,
        message.text,
        channel === 'email' ? mailHtml(subject, message.text, locale) : null,
        context.bulk !== undefined,
        context.maxAttempts,
        context.now,
      ],
    );
    await context.queue.enqueue(context.sql, {
      deliveryId,
      channel,
      bulk: context.bulk !== undefined,
      key: 'attempt:0',
    });
  }
  if (inApp) {
    await context.sql.executeSql('select pg_notify($1, $2)', [
      NOTIFICATION_CHANNEL,
      JSON.stringify({ userId: intent.userId, notificationId: id }),
    ]);
  }
  return { notificationId: id, deliveries: external.length };
}
