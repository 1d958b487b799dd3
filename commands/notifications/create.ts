import { v5 as uuidv5 } from 'uuid';
import { KIND_SPECS, type NotificationLocale, type TemplateChannel } from '../../domain/notifications/catalog.js';
import type { TemplatesState } from '../../domain/notifications/templates.js';
import { DELIVERY_CHANNELS, type DeliveryChannel } from './channels/port.js';
import type { Localized, NotificationIntent } from './intent.js';
import type { DeliveryQueue, SqlExecutor } from './queue.js';
import type { Recipient } from './recipients.js';
import { mailHtml, type RenderedMessage, renderTemplate } from './templates.js';

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

/** One notification to write: what and whom (the intent) and what caused it (event, campaign, job key). */
export interface NotificationSource {
  intent: NotificationIntent;
  sourceId: string;
}

/** A notification ready to insert, with the external channels it goes out on if it is new. */
interface Planned {
  id: string;
  sourceId: string;
  intent: NotificationIntent;
  category: string;
  recipient: Recipient;
  /** The template values in the recipient's language. */
  values: Record<string, string>;
  /** The app template rendered: the inbox row's title and body. */
  app: RenderedMessage;
  inApp: boolean;
  external: DeliveryChannel[];
}

/**
 * Writes one notification and its deliveries and queues their jobs, in the context's transaction.
 * Null when there was nothing to write, or the notification already exists (the source was seen).
 */
export async function createNotification(
  context: CreateContext,
  intent: NotificationIntent,
  sourceId: string,
): Promise<Created | null> {
  return (await createNotifications(context, [{ intent, sourceId }]))[0] ?? null;
}

/**
 * Writes many notifications, their deliveries and their jobs in the context's transaction, a few
 * statements for all of them. Channels: the recipient's switches for the kind's category
 * (mandatory ones always on), limited to configured senders and known addresses; `app` decides
 * whether it shows in the inbox. Per source, in order: what was created, or null when there was
 * nothing to write or the notification already exists (seen earlier, or earlier in `sources`).
 */
export async function createNotifications(
  context: CreateContext,
  sources: readonly NotificationSource[],
): Promise<(Created | null)[]> {
  const planned = sources.map((source) => plan(context, source));
  const rows = uniqueById(planned.filter((p): p is Planned => p !== null)).map((p, n) => ({
    id: p.id,
    user_id: p.intent.userId,
    type: p.intent.kind,
    category: p.category,
    title: p.app.subject ?? '',
    body: p.app.text,
    link: p.intent.link,
    resource_type: p.intent.resource?.type ?? null,
    resource_id: p.intent.resource?.id ?? null,
    source_event_id: p.sourceId,
    in_app: p.inApp,
    n,
  }));
  if (rows.length === 0) return planned.map(() => null);
  // One not shown in the inbox (app off) is never unread, so the retention clean-up removes it in time.
  const inserted = await context.sql.executeSql(
    `insert into ops.notifications
       (id, user_id, type, category, title, body, link, resource_type, resource_id, source_event_id, in_app, created_at,
        read_at)
     select r.id, r.user_id, r.type, r.category, r.title, r.body, r.link, r.resource_type, r.resource_id,
            r.source_event_id, r.in_app, $2::timestamptz, case when r.in_app then null else $2::timestamptz end
       from jsonb_to_recordset($1::jsonb) as r(id uuid, user_id uuid, type text, category text, title text, body text,
            link text, resource_type text, resource_id text, source_event_id uuid, in_app boolean, n int)
      order by r.n
     on conflict do nothing returning id`,
    [JSON.stringify(rows), context.now],
  );
  const fresh = new Set((inserted.rows as { id: string }[]).map((row) => row.id));
  const created = planned.map((p) => {
    if (p === null || !fresh.has(p.id)) return null;
    fresh.delete(p.id); // a second source with the same id adds nothing
    return p;
  });

  const deliveries = created.flatMap((p) =>
    p === null ? [] : p.external.map((channel) => delivery(context, p, channel)),
  );
  if (deliveries.length > 0) {
    await context.sql.executeSql(
      `insert into ops.notification_deliveries
         (id, notification_id, user_id, channel, address, locale, subject, body, html, bulk, max_attempts,
          created_at, updated_at)
       select r.id, r.notification_id, r.user_id, r.channel, r.address, r.locale, r.subject, r.body, r.html, r.bulk,
              r.max_attempts, $2::timestamptz, $2::timestamptz
         from jsonb_to_recordset($1::jsonb) as r(id uuid, notification_id uuid, user_id uuid, channel text,
              address text, locale text, subject text, body text, html text, bulk boolean, max_attempts int)`,
      [JSON.stringify(deliveries), context.now],
    );
    await context.queue.enqueueMany(
      context.sql,
      deliveries.map((d) => ({ deliveryId: d.id, channel: d.channel, bulk: d.bulk, key: 'attempt:0' })),
    );
  }
  const announced = created.filter((p): p is Planned => p?.inApp === true);
  if (announced.length > 0) {
    await context.sql.executeSql('select pg_notify($1, payload) from unnest($2::text[]) as payload', [
      NOTIFICATION_CHANNEL,
      announced.map((p) => JSON.stringify({ userId: p.intent.userId, notificationId: p.id })),
    ]);
  }
  return created.map((p) => (p === null ? null : { notificationId: p.id, deliveries: p.external.length }));
}

const uniqueById = (planned: Planned[]) => {
  const seen = new Set<string>();
  return planned.filter((p) => !seen.has(p.id) && seen.add(p.id));
};

const render = (
  context: CreateContext,
  p: Pick<Planned, 'intent' | 'recipient' | 'values'>,
  channel: TemplateChannel,
): RenderedMessage =>
  renderTemplate(context.templates, { kind: p.intent.kind, channel, locale: p.recipient.locale }, p.values);

function plan(context: CreateContext, { intent, sourceId }: NotificationSource): Planned | null {
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
  const partial = { intent, recipient, values };
  return {
    id: notificationIdOf(sourceId, intent.userId, intent.kind),
    sourceId,
    intent,
    category,
    recipient,
    values,
    app: render(context, partial, 'app'),
    inApp,
    external,
  };
}

function delivery(context: CreateContext, p: Planned, channel: DeliveryChannel) {
  const message = render(context, p, channel);
  const subject = message.subject ?? p.app.subject ?? '';
  return {
    id: crypto.randomUUID(),
    notification_id: p.id,
    user_id: p.intent.userId,
    channel,
    address: p.recipient.addresses[channel],
    locale: p.recipient.locale,
    subject,
    body: message.text,
    html: channel === 'email' ? mailHtml(subject, message.text, p.recipient.locale) : null,
    bulk: context.bulk !== undefined,
    max_attempts: context.maxAttempts,
  };
}
