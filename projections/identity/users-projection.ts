import { sql } from 'kysely';
import type { ProfileEvent } from '../../domain/identity/profile-events.js';
import { statusOf } from '../../domain/identity/user.js';
import { USER_EVENT_TYPES, type UserEvent } from '../../domain/identity/user-events.js';
import type { Projection } from '../projection.js';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  roles: string[];
  email_verified: boolean;
  locked: boolean;
  status: string;
  created_at: Date;
  updated_at: Date;
}

export interface UsersTables {
  users: UserRow;
}

/** Users for admin lists, sign-in checks and role look-ups (UC-ADMIN-01). */
export const usersProjection: Projection<UsersTables> = {
  name: 'users',
  // v2: follows name and phone changes made on the profile.
  version: 2,
  filter: { eventTypes: [...USER_EVENT_TYPES, 'ProfileUpdated'] },
  tables: ['users'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'users')} (
      id uuid primary key,
      email text not null,
      name text not null,
      phone text,
      roles text[] not null,
      email_verified boolean not null default false,
      locked boolean not null default false,
      status text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists users_email on ${sql.id(schema, 'users')} (email)`.execute(db);
  },

  async apply(events, { db, trx, schema }) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as UserEvent | ProfileEvent;
      const at = new Date(recorded.metadata.occurredAt);
      const id = event.data.userId;
      const update = (changes: Partial<UserRow>) =>
        db
          .updateTable('users')
          .set({ ...changes, updated_at: at })
          .where('id', '=', id)
          .execute();
      switch (event.type) {
        case 'ProfileUpdated': {
          const { name, phone } = event.data.changes;
          if (name !== undefined || phone !== undefined) {
            await update({ ...(name !== undefined && { name }), ...(phone !== undefined && { phone }) });
          }
          continue;
        }
        case 'UserRegistered': {
          const { email, name, phone, roles } = event.data;
          await db
            .insertInto('users')
            .values({
              id,
              email,
              name,
              phone,
              roles,
              email_verified: false,
              locked: false,
              status: 'unverified',
              created_at: at,
              updated_at: at,
            })
            .execute();
          break;
        }
        case 'EmailVerified':
          await update({ email_verified: true });
          break;
        case 'UserLocked':
          await update({ locked: true });
          break;
        case 'UserUnlocked':
          await update({ locked: false });
          break;
        case 'RoleGranted':
          await sql`update ${sql.id(schema, 'users')} set roles = array_append(roles, ${event.data.role}), updated_at = ${at}
            where id = ${id} and not (${event.data.role} = any(roles))`.execute(trx);
          break;
        case 'RoleRevoked':
          await sql`update ${sql.id(schema, 'users')} set roles = array_remove(roles, ${event.data.role}), updated_at = ${at}
            where id = ${id}`.execute(trx);
          break;
        default:
          continue;
      }
      const row = await db
        .selectFrom('users')
        .select(['locked', 'email_verified'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (row) await update({ status: statusOf({ locked: row.locked, emailVerified: row.email_verified }) });
    }
  },
};
