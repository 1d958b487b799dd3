import type pg from 'pg';
import {
  copyPreferences,
  DEFAULT_NOTIFICATION_PREFERENCES,
  MANDATORY_SWITCHES,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_TYPES,
  type NotificationPreferences,
} from '../../domain/identity/notification-preferences.js';
import type { NotificationLocale } from '../../domain/notifications/catalog.js';
import type { DeliveryChannel } from './channels/port.js';

/** Who a notification goes to: the name for `{{name}}`, addresses per channel, and their switches. */
export interface Recipient {
  userId: string;
  name: string;
  locale: NotificationLocale;
  addresses: Record<DeliveryChannel, string | null>;
  preferences: NotificationPreferences;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored switches over the defaults, with the mandatory ones always on (security mail). */
export function effectivePreferences(stored: Partial<NotificationPreferences> | null): NotificationPreferences {
  const preferences = copyPreferences(DEFAULT_NOTIFICATION_PREFERENCES);
  for (const type of NOTIFICATION_TYPES) {
    for (const channel of NOTIFICATION_CHANNELS) {
      const on = stored?.[type]?.[channel];
      if (typeof on === 'boolean') preferences[type][channel] = on;
    }
  }
  for (const { type, channel } of MANDATORY_SWITCHES) preferences[type][channel] = true;
  return preferences;
}

/**
 * Recipients from the read models: rm.users (name, email) and rm.profiles (preferences, phone,
 * linked Telegram chat). No stored language yet: everyone is written to in Vietnamese.
 */
export async function loadRecipients(pool: pg.Pool, userIds: readonly string[]): Promise<Map<string, Recipient>> {
  const ids = [...new Set(userIds)].filter((id) => UUID.test(id));
  const recipients = new Map<string, Recipient>();
  for (const id of ids) {
    recipients.set(id, {
      userId: id,
      name: '',
      locale: 'vi',
      addresses: { email: null, telegram: null, sms: null },
      preferences: effectivePreferences(null),
    });
  }
  if (ids.length === 0) return recipients;
  const { rows } = await pool.query<{
    id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    telegram: string | null;
    preferences: Partial<NotificationPreferences> | null;
  }>(
    // The phone comes from sign-up until the profile stream has a row (then the profile's, even if cleared).
    `select u.id, coalesce(p.name, u.name) as name, u.email,
            case when p.user_id is null then u.phone else p.phone end as phone,
            p.telegram_chat_id as telegram, p.notification_preferences as preferences
       from rm.users u left join rm.profiles p on p.user_id = u.id
      where u.id = any($1::uuid[])`,
    [ids],
  );
  for (const row of rows) {
    const recipient = recipients.get(row.id);
    if (!recipient) continue;
    recipient.name = row.name ?? '';
    recipient.addresses.email = row.email;
    recipient.addresses.sms = row.phone;
    recipient.addresses.telegram = row.telegram;
    recipient.preferences = effectivePreferences(row.preferences);
  }
  return recipients;
}
