import { sql } from 'kysely';
import { STAFF_PROFILE_EVENT_TYPES, type StaffProfileEvent } from '../../domain/identity/staff-events.js';
import type { Projection } from '../projection.js';

export interface StaffRow {
  user_id: string;
  role: string;
  code: string;
  title: string;
  department: string;
  start_date: string;
  area_ids: string[];
  status: string;
  status_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface StaffTables {
  staff: StaffRow;
}

/** Staff profiles (HoSoNhanVien) for the operator's list and filters (UC-OPER-04). */
export const staffProjection: Projection<StaffTables> = {
  name: 'staff',
  version: 1,
  filter: { eventTypes: STAFF_PROFILE_EVENT_TYPES },
  tables: ['staff'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'staff')} (
      user_id uuid primary key,
      role text not null,
      code text not null,
      title text not null,
      department text not null,
      start_date date not null,
      area_ids text[] not null,
      status text not null,
      status_reason text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    // Not unique on purpose: the `staffcode-<code>` streams guarantee it, a read model must not refuse a fact.
    await sql`create index if not exists staff_code on ${sql.id(schema, 'staff')} (code)`.execute(db);
    await sql`create index if not exists staff_status_role on ${sql.id(schema, 'staff')} (status, role)`.execute(db);
  },

  async apply(events, { db }) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as StaffProfileEvent;
      const at = new Date(recorded.metadata.occurredAt);
      const id = event.data.userId;
      switch (event.type) {
        case 'StaffProfileCreated': {
          const { role, code, title, department, startDate, areaIds } = event.data;
          await db
            .insertInto('staff')
            .values({
              user_id: id,
              role,
              code,
              title,
              department,
              start_date: startDate,
              area_ids: areaIds,
              status: 'active',
              status_reason: null,
              created_at: at,
              updated_at: at,
            })
            .onConflict((c) => c.column('user_id').doNothing())
            .execute();
          break;
        }
        case 'StaffProfileUpdated': {
          const { title, department, areaIds } = event.data;
          await db
            .updateTable('staff')
            .set({
              ...(title !== undefined && { title }),
              ...(department !== undefined && { department }),
              ...(areaIds !== undefined && { area_ids: areaIds }),
              updated_at: at,
            })
            .where('user_id', '=', id)
            .execute();
          break;
        }
        case 'StaffStatusChanged':
          await db
            .updateTable('staff')
            .set({ status: event.data.status, status_reason: event.data.reason, updated_at: at })
            .where('user_id', '=', id)
            .execute();
          break;
      }
    }
  },
};
