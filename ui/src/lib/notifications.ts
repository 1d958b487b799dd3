// Calls and shapes of the notifications API: the inbox, Telegram linking, and the admin's
// delivery history, templates and campaigns (permission notification:manage).
import { API_BASE, apiGet, apiSend } from './api';
import { hasKey } from './i18n';
import { t } from './locale.svelte';

export const CHANNELS = ['app', 'email', 'telegram', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'retrying', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type Delivery = {
  channel: Channel;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
};

export type Notification = {
  id: string;
  type: string;
  category: string;
  title: string;
  body: string;
  /** A same-site path to the resource (deep link), or null. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
  deliveries: Delivery[];
};

export type NotificationPage = { items: Notification[]; unreadCount: number; nextCursor: string | null };

/** What `/ws` pushes about notifications (api/realtime/ws.ts). */
export type NotificationMessage =
  | { type: 'notification.created'; data: { notification: Notification; unreadCount: number } }
  | { type: 'notifications.unread'; data: { unreadCount: number } };

/** Words for a type, channel or status; an unknown one shows as it is. */
function labelOf(key: string, fallback: string): string {
  return hasKey(key) ? t(key) : fallback;
}
export const typeLabel = (type: string) => labelOf(`notif.type.${type}`, type);
export const channelLabel = (channel: string) => labelOf(`prefs.channel.${channel}`, channel);
export const statusLabel = (status: string) => labelOf(`notif.status.${status}`, status);
/** The badge class of a delivery status. */
export const statusTone = (status: string) =>
  status === 'sent' ? 'ok' : status === 'dead' || status === 'failed' ? 'bad' : 'warn';

const base = `${API_BASE}/notifications`;

export const INBOX_PAGE = 20;

export function listNotifications(query: { unread?: boolean; cursor?: string | null; limit?: number } = {}) {
  const params = new URLSearchParams();
  if (query.unread !== undefined) params.set('unread', String(query.unread));
  if (query.cursor) params.set('cursor', query.cursor);
  params.set('limit', String(query.limit ?? INBOX_PAGE));
  return apiGet<NotificationPage>(`${base}?${params}`);
}

export const getNotification = (id: string) => apiGet<Notification>(`${base}/${encodeURIComponent(id)}`);
/** A delivery still on its way (its status will change without anyone acting). */
export const unsettled = (n: Notification) =>
  n.deliveries.some((d) => d.status === 'pending' || d.status === 'retrying');
export const getUnreadCount = () => apiGet<{ unreadCount: number }>(`${base}/unread-count`);
/** Each change answers with the unread count after it. */
export const markRead = (id: string) =>
  apiSend<{ id: string; readAt: string; unreadCount: number }>('POST', `${base}/${encodeURIComponent(id)}/read`);
export const markAllRead = () => apiSend<{ updated: number; unreadCount: number }>('POST', `${base}/read-all`);
export const deleteNotification = (id: string) =>
  apiSend<{ id: string; deleted: true; unreadCount: number }>('DELETE', `${base}/${encodeURIComponent(id)}`);

/** A deep link the app may follow: same-site paths only (a notification never sends you elsewhere). */
export const safeLink = (link: string | null | undefined): string | null =>
  link?.startsWith('/') && !link.startsWith('//') ? link : null;

// Telegram linking: a one-time code the person sends to the bot (or opens with the deep link).

export type TelegramLinkCode = { code: string; botUsername: string; deepLink: string; expiresAt: string };
/** `available` is false when the server has no bot configured (then Telegram cannot be used at all). */
export type TelegramLink = {
  available: boolean;
  botUsername: string | null;
  linked: boolean;
  username: string | null;
  linkedAt: string | null;
};

const telegram = `${API_BASE}/me/telegram`;
export const getTelegramLink = () => apiGet<TelegramLink>(telegram);
export const createTelegramLinkCode = () => apiSend<TelegramLinkCode>('POST', `${telegram}/link-code`);
export const unlinkTelegram = () => apiSend<TelegramLink>('DELETE', telegram);

// Admin: delivery history.

export type AdminDelivery = {
  id: string;
  notificationId: string;
  userId: string;
  channel: Exclude<Channel, 'app'>;
  address: string;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  createdAt: string;
  type: string;
  title: string;
};

/** Channels that are delivered (the inbox itself is not a delivery). */
export const DELIVERY_CHANNELS = ['email', 'telegram', 'sms'] as const;
export const DELIVERY_PAGE = 100;
const admin = `${API_BASE}/admin`;

export function listDeliveries(filter: { status?: string; channel?: string; userId?: string; limit?: number }) {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.channel) params.set('channel', filter.channel);
  if (filter.userId) params.set('userId', filter.userId);
  params.set('limit', String(filter.limit ?? DELIVERY_PAGE));
  return apiGet<AdminDelivery[]>(`${admin}/notification-deliveries?${params}`);
}

export const retryDelivery = (id: string) =>
  apiSend<AdminDelivery>('POST', `${admin}/notification-deliveries/${encodeURIComponent(id)}/retry`);

// Admin: templates (per type × channel × locale), with a preview of the rendering.

export const TEMPLATE_LOCALES = ['vi', 'en'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

export type Template = {
  type: string;
  channel: Channel;
  locale: TemplateLocale;
  subject: string | null;
  body: string;
  /** Variables the template may use, e.g. `customerName` for `{{customerName}}`. */
  variables: string[];
  customized: boolean;
  version: number;
};

export type TemplateKey = Pick<Template, 'type' | 'channel' | 'locale'>;
export type TemplateText = { subject?: string; body: string };
export type TemplatePreview = {
  subject: string | null;
  body: string /** The e-mail as sent (email only). */;
  html: string | null;
};

const templatePath = (k: TemplateKey) =>
  `${admin}/notification-templates/${encodeURIComponent(k.type)}/${k.channel}/${k.locale}`;

export const listTemplates = () => apiGet<Template[]>(`${admin}/notification-templates`);
/** Saves over `expectedVersion` only (409 TEMPLATE_VERSION_STALE when someone saved in between). */
export const saveTemplate = (k: TemplateKey, text: TemplateText, expectedVersion: number) =>
  apiSend<Template>('PUT', templatePath(k), { ...text, expectedVersion });
export const resetTemplate = (k: TemplateKey) => apiSend<Template>('DELETE', templatePath(k));
export const previewTemplate = (k: TemplateKey, text: TemplateText, signal?: AbortSignal) =>
  apiSend<TemplatePreview>('POST', `${admin}/notification-templates/preview`, { ...k, ...text }, { signal });

// Admin: a campaign to a segment, through the same queue as every other notification.

export type Campaign = { title: string; body: string; segment: { role?: string }; channels: Channel[] };
export type CampaignResult = { campaignId: string; recipients: number; notifications: number; deliveries: number };
/** `idempotencyKey`: the same key for a resend of the same campaign, so nothing is sent twice. */
export const sendCampaign = (campaign: Campaign, idempotencyKey: string) =>
  apiSend<CampaignResult>('POST', `${admin}/notification-campaigns`, campaign, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
