import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  type NotificationPreferences,
} from '../../domain/identity/notification-preferences.js';
import type { Gender } from '../../domain/identity/profile-events.js';

export interface ProfileView {
  userId: string;
  email: string;
  name: string;
  bio: string | null;
  gender: Gender;
  dateOfBirth: string | null;
  address: string | null;
  phone: string | null;
  /** Where the avatar is served (changes with the image, so it can be cached); null without one. */
  avatarUrl: string | null;
  updatedAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

export const avatarUrlOf = (userId: string, avatarKey: string | null) =>
  avatarKey === null
    ? null
    : `/api/v1/users/${userId}/avatar?v=${createHash('sha256').update(avatarKey).digest('hex').slice(0, 12)}`;

/** A user's profile; a user whose profile row is not there yet shows what sign-up recorded. */
export async function getProfile(pool: pg.Pool, userId: string): Promise<ProfileView | null> {
  if (!isUuid(userId)) return null;
  const { rows } = await pool.query<{
    email: string;
    name: string;
    bio: string | null;
    gender: Gender | null;
    date_of_birth: string | null;
    address: string | null;
    phone: string | null;
    avatar_key: string | null;
    updated_at: Date;
  }>(
    `select u.email, coalesce(p.name, u.name) as name, p.bio, p.gender, p.date_of_birth::text as date_of_birth,
            p.address, case when p.user_id is null then u.phone else p.phone end as phone, p.avatar_key,
            greatest(u.updated_at, p.updated_at) as updated_at
       from rm.users u left join rm.profiles p on p.user_id = u.id
      where u.id = $1`,
    [userId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    userId,
    email: row.email,
    name: row.name,
    bio: row.bio,
    gender: row.gender ?? 'unspecified',
    dateOfBirth: row.date_of_birth,
    address: row.address,
    phone: row.phone,
    avatarUrl: avatarUrlOf(userId, row.avatar_key),
    updatedAt: row.updated_at,
  };
}

export async function getAvatarKey(pool: pg.Pool, userId: string): Promise<string | null> {
  if (!isUuid(userId)) return null;
  const { rows } = await pool.query<{ avatar_key: string | null }>(
    'select avatar_key from rm.profiles where user_id = $1',
    [userId],
  );
  return rows[0]?.avatar_key ?? null;
}

export async function getNotificationPreferences(pool: pg.Pool, userId: string): Promise<NotificationPreferences> {
  if (!isUuid(userId)) return DEFAULT_NOTIFICATION_PREFERENCES;
  const { rows } = await pool.query<{ notification_preferences: NotificationPreferences | null }>(
    'select notification_preferences from rm.profiles where user_id = $1',
    [userId],
  );
  return rows[0]?.notification_preferences ?? DEFAULT_NOTIFICATION_PREFERENCES;
}
