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

/**
 * Facts about a person's profile (stream `profile-<userId>`). `ProfileUpdated.changes` holds only
 * the fields that changed, with their new values. `AvatarChanged.avatarKey` is a FileStorage key
 * (null: the avatar was removed). Preferences are recorded whole, as they are after the change.
 */
export type ProfileEvent =
  | DomainEvent<'ProfileUpdated', { userId: string; changes: Partial<ProfileFields> }>
  | DomainEvent<'AvatarChanged', { userId: string; avatarKey: string | null }>
  | DomainEvent<'NotificationPreferencesChanged', { userId: string; preferences: NotificationPreferences }>;

export const PROFILE_EVENT_TYPES: ProfileEvent['type'][] = [
  'ProfileUpdated',
  'AvatarChanged',
  'NotificationPreferencesChanged',
];

export const profileStream = (userId: string) => `profile-${userId}`;
