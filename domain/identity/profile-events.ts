import type { DomainEvent } from '../shared/decider.js';
import type { NotificationPreferences } from './notification-preferences.js';

export const GENDERS = ['male', 'female', 'other', 'unspecified'] as const;
export type Gender = (typeof GENDERS)[number];

/** The editable profile fields; `null` clears an optional one. */
export interface ProfileFields {
  name: string;
  bio: string | null;
  gender: Gender;
  /** ISO date `YYYY-MM-DD`. */
  dateOfBirth: string | null;
  address: string | null;
  /** Vietnamese mobile number, as entered (`0912345678` or `+84912345678`). */
  phone: string | null;
}
export const PROFILE_FIELDS = ['name', 'bio', 'gender', 'dateOfBirth', 'address', 'phone'] as const;

/** Why a Telegram chat stopped receiving notifications: the person unlinked it, or the chat blocked the bot. */
export const TELEGRAM_UNLINK_REASONS = ['user', 'bot_blocked'] as const;
export type TelegramUnlinkReason = (typeof TELEGRAM_UNLINK_REASONS)[number];

/**
 * Facts about a person's profile (stream `profile-<userId>`). `ProfileUpdated.changes` holds only
 * the fields that changed, with their new values. `AvatarChanged.avatarKey` is a FileStorage key
 * (null: the avatar was removed). Preferences are recorded whole, as they are after the change.
 * `TelegramChatLinked` makes a Telegram chat (its id as a decimal string) the person's Telegram
 * address, replacing any earlier one; `username` is the Telegram @name without the @, if any.
 */
export type ProfileEvent =
  | DomainEvent<'ProfileUpdated', { userId: string; changes: Partial<ProfileFields> }>
  | DomainEvent<'AvatarChanged', { userId: string; avatarKey: string | null }>
  | DomainEvent<'NotificationPreferencesChanged', { userId: string; preferences: NotificationPreferences }>
  | DomainEvent<'TelegramChatLinked', { userId: string; chatId: string; username: string | null }>
  | DomainEvent<'TelegramChatUnlinked', { userId: string; chatId: string; reason: TelegramUnlinkReason }>;

export const PROFILE_EVENT_TYPES: ProfileEvent['type'][] = [
  'ProfileUpdated',
  'AvatarChanged',
  'NotificationPreferencesChanged',
  'TelegramChatLinked',
  'TelegramChatUnlinked',
];

export const profileStream = (userId: string) => `profile-${userId}`;
