import { type DomainError, invalid } from '../shared/errors.js';

/** Kinds of notification a person can tune (the notifications issue sends them). */
export const NOTIFICATION_TYPES = [
  'account.security',
  'booking',
  'payment',
  'contract',
  'listing',
  'marketing',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const NOTIFICATION_CHANNELS = ['app', 'email', 'telegram', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export type ChannelSwitches = Record<NotificationChannel, boolean>;
export type NotificationPreferences = Record<NotificationType, ChannelSwitches>;
/**
 * A change: only the switches given are set, the rest keep their value. Typed loosely on purpose:
 * what a client sends is checked here (unknown types and channels are refused, naming them).
 */
export type NotificationPreferencesPatch = Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;

/** Switches that cannot be turned off: security mail (new sign-in, password change, 2FA) always goes out. */
export const MANDATORY_SWITCHES: readonly { type: NotificationType; channel: NotificationChannel }[] = [
  { type: 'account.security', channel: 'email' },
];

const switches = (app: boolean, email: boolean): ChannelSwitches => ({ app, email, telegram: false, sms: false });

/** What a person gets before choosing: everything in the app, mail for what concerns money and safety, no marketing. */
export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  'account.security': switches(true, true),
  booking: switches(true, true),
  payment: switches(true, true),
  contract: switches(true, true),
  listing: switches(true, false),
  marketing: switches(false, false),
};

export const copyPreferences = (preferences: NotificationPreferences): NotificationPreferences =>
  Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, { ...preferences[type] }])) as NotificationPreferences;

/** The preferences after a patch, or why the patch is refused (unknown type or channel, a mandatory switch off). */
export function applyPreferencesPatch(
  current: NotificationPreferences,
  patch: NotificationPreferencesPatch,
): NotificationPreferences | DomainError {
  const next = copyPreferences(current);
  for (const [type, channels] of Object.entries(patch)) {
    if (!(NOTIFICATION_TYPES as readonly string[]).includes(type)) {
      return invalid('NOTIFICATION_TYPE_UNKNOWN', `Loại thông báo không hợp lệ: ${type}`, `preferences.${type}`);
    }
    for (const [channel, on] of Object.entries(channels ?? {})) {
      if (!(NOTIFICATION_CHANNELS as readonly string[]).includes(channel) || typeof on !== 'boolean') {
        return invalid(
          'NOTIFICATION_CHANNEL_UNKNOWN',
          `Kênh không hợp lệ: ${channel}`,
          `preferences.${type}.${channel}`,
        );
      }
      next[type as NotificationType][channel as NotificationChannel] = on;
    }
  }
  for (const { type, channel } of MANDATORY_SWITCHES) {
    if (!next[type][channel]) {
      return invalid(
        'NOTIFICATION_MANDATORY',
        `Không thể tắt thông báo ${type} qua ${channel}`,
        `preferences.${type}.${channel}`,
      );
    }
  }
  return next;
}

export const samePreferences = (a: NotificationPreferences, b: NotificationPreferences): boolean =>
  NOTIFICATION_TYPES.every((type) => NOTIFICATION_CHANNELS.every((channel) => a[type][channel] === b[type][channel]));
