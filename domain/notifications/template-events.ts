import type { DomainEvent } from '../shared/decider.js';
import type { NotificationKind, NotificationLocale, TemplateChannel } from './catalog.js';

/** Which template: a notification kind in one channel and one language. */
export interface TemplateKey {
  kind: NotificationKind;
  channel: TemplateChannel;
  locale: NotificationLocale;
}

/**
 * Admins' changes to notification templates (stream `notification-templates`). A key without
 * events uses the built-in text (default-templates.ts). `version` counts the changes of one key:
 * 1 for the first customization, +1 for every later change, reset included.
 */
export type NotificationTemplateEvent =
  | DomainEvent<
      'NotificationTemplateCustomized',
      TemplateKey & { subject: string | null; body: string; version: number }
    >
  | DomainEvent<'NotificationTemplateReset', TemplateKey & { version: number }>;

export const NOTIFICATION_TEMPLATE_EVENT_TYPES: NotificationTemplateEvent['type'][] = [
  'NotificationTemplateCustomized',
  'NotificationTemplateReset',
];

export const NOTIFICATION_TEMPLATES_STREAM = 'notification-templates';

export const templateKeyOf = (key: TemplateKey) => `${key.kind}/${key.channel}/${key.locale}`;
