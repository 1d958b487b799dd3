import { sql } from 'kysely';
import type { NotificationPreferences } from '../../domain/identity/notification-preferences.js';
import { PROFILE_EVENT_TYPES, type ProfileEvent, type ProfileFields } from '../../domain/identity/profile-events.js';
import type { UserEvent } from '../../domain/identity/user-events.js';
import type { Projection } from '../projection.js';

export interface ProfileRow {
  user_id: string;
  name: string | null;
  bio: string | null;
  gender: string;
  date_of_birth: string | null;
  address: string | null;
  phone: string | null;
  avatar_key: string | null;
  /** Null until the person first changes them: the defaults apply. */
  notification_preferences: NotificationPreferences | null;
  /** The linked Telegram chat (Bot API chat id, as text) notifications go to; null when none. */
  telegram_chat_id: string | null;
  telegram_username: string | null;
  telegram_linked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ProfilesTables {
  profiles: ProfileRow;
}

const COLUMNS: Record<keyof ProfileFields, string> = {
  name: 'name',
  bio: 'bio',
  gender: 'gender',
  dateOfBirth: 'date_of_birth',
  address: 'address',
  phone: 'phone',
};

/**
 * A person's profile, avatar, notification preferences and linked Telegram chat (rm.profiles).
 * Seeded from sign-up (`UserRegistered`: name and phone), then kept by the `profile-<userId>` stream.
 */
export const profilesProjection: Projection<ProfilesTables> = {
  name: 'profiles',
  // v2: the linked Telegram chat.
  version: 2,
  filter: { eventTypes: ['UserRegistered', ...PROFILE_EVENT_TYPES] },
  tables: ['profiles'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'profiles')} (
      user_id uuid primary key,
      name text,
      bio text,
      gender text not null default 'unspecified',
      date_of_birth date,
      address text,
      phone text,
      avatar_key text,
      notification_preferences jsonb,
      telegram_chat_id text,
      telegram_username text,
      telegram_linked_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists profiles_telegram_chat on ${sql.id(schema, 'profiles')} (telegram_chat_id)
      where telegram_chat_id is not null`.execute(db);
  },

  async apply(events, { trx, schema }) {
    const table = sql.id(schema, 'profiles');
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ProfileEvent | UserEvent;
      const at = new Date(recorded.metadata.occurredAt);
      const id = event.data.userId;
      // Every change upserts: the row exists from sign-up, but a profile event never depends on it.
      await sql`insert into ${table} (user_id, created_at, updated_at) values (${id}, ${at}, ${at})
        on conflict (user_id) do nothing`.execute(trx);
      const set = (assignments: ReturnType<typeof sql>[]) =>
        sql`update ${table} set ${sql.join([...assignments, sql`updated_at = ${at}`])} where user_id = ${id}`.execute(
          trx,
        );
      switch (event.type) {
        case 'UserRegistered':
          await set([sql`name = ${event.data.name}`, sql`phone = ${event.data.phone}`]);
          break;
        case 'ProfileUpdated': {
          const changes = Object.entries(event.data.changes) as [keyof ProfileFields, string | null][];
          const assignments = changes
            .filter(([field]) => field in COLUMNS)
            .map(([field, value]) => sql`${sql.ref(COLUMNS[field])} = ${value}`);
          if (assignments.length > 0) await set(assignments);
          break;
        }
        case 'AvatarChanged':
          await set([sql`avatar_key = ${event.data.avatarKey}`]);
          break;
        case 'NotificationPreferencesChanged':
          await set([sql`notification_preferences = ${JSON.stringify(event.data.preferences)}::jsonb`]);
          break;
        case 'TelegramChatLinked':
          await set([
            sql`telegram_chat_id = ${event.data.chatId}`,
            sql`telegram_username = ${event.data.username}`,
            sql`telegram_linked_at = ${at}`,
          ]);
          break;
        case 'TelegramChatUnlinked':
          await set([sql`telegram_chat_id = null`, sql`telegram_username = null`, sql`telegram_linked_at = null`]);
          break;
        default:
          break;
      }
    }
  },
};
