import { sql } from 'kysely';
import { SHIFT_EVENT_TYPES, type ShiftEvent } from '../../domain/booking/shift-events.js';
import type { Projection } from '../projection.js';

export interface ShiftRow {
  id: string;
  staff_id: string;
  date: string;
  start_time: string;
  end_time: string;
  area_ids: string[];
  updated_at: Date;
}

export interface WeeklyShiftRow {
  id: string;
  staff_id: string;
  weekdays: string[];
  start_time: string;
  end_time: string;
  from_date: string;
  until_date: string | null;
  area_ids: string[];
  except_dates: string[];
  /** The shift this one continues (a change of a shift already under way). */
  continues: string | null;
  updated_at: Date;
}

export interface ShiftsTables {
  shifts: ShiftRow;
  weekly_shifts: WeeklyShiftRow;
}

/**
 * Sales staff shifts: one-off shifts (rm.shifts) and weekly shifts with their exception dates
 * (rm.weekly_shifts). Times are `HH:mm` text in Asia/Ho_Chi_Minh (`24:00` is a valid end).
 */
export const shiftsProjection: Projection<ShiftsTables> = {
  name: 'shifts',
  version: 1,
  filter: { eventTypes: SHIFT_EVENT_TYPES },
  tables: ['shifts', 'weekly_shifts'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'shifts')} (
      id text primary key,
      staff_id uuid not null,
      date date not null,
      start_time text not null,
      end_time text not null,
      area_ids text[] not null,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists shifts_staff_date on ${sql.id(schema, 'shifts')} (staff_id, date)`.execute(db);
    await sql`create index if not exists shifts_date on ${sql.id(schema, 'shifts')} (date)`.execute(db);
    await sql`create table if not exists ${sql.id(schema, 'weekly_shifts')} (
      id text primary key,
      staff_id uuid not null,
      weekdays text[] not null,
      start_time text not null,
      end_time text not null,
      from_date date not null,
      until_date date,
      area_ids text[] not null,
      except_dates date[] not null,
      continues text,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists weekly_shifts_staff on ${sql.id(schema, 'weekly_shifts')} (staff_id)`.execute(
      db,
    );
  },

  async apply(events, { db, trx, schema }) {
    const weekly = sql.id(schema, 'weekly_shifts');
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ShiftEvent;
      const at = new Date(recorded.metadata.occurredAt);
      const id = event.data.shiftId;
      switch (event.type) {
        case 'ShiftAdded':
        case 'ShiftChanged': {
          const { staffId, date, start, end, areaIds } = event.data;
          const row = { date, start_time: start, end_time: end, area_ids: areaIds, updated_at: at };
          await db
            .insertInto('shifts')
            .values({ id, staff_id: staffId, ...row })
            .onConflict((c) => c.column('id').doUpdateSet(row))
            .execute();
          break;
        }
        case 'ShiftRemoved':
          await db.deleteFrom('shifts').where('id', '=', id).execute();
          break;
        case 'WeeklyShiftAdded': {
          const { staffId, weekdays, start, end, from, until, areaIds, exceptDates, continues } = event.data;
          await db
            .insertInto('weekly_shifts')
            .values({
              id,
              staff_id: staffId,
              weekdays,
              start_time: start,
              end_time: end,
              from_date: from,
              until_date: until,
              area_ids: areaIds,
              except_dates: exceptDates,
              continues,
              updated_at: at,
            })
            .onConflict((c) => c.column('id').doNothing())
            .execute();
          break;
        }
        case 'WeeklyShiftChanged': {
          const { start, end, areaIds, until } = event.data;
          await db
            .updateTable('weekly_shifts')
            .set({ start_time: start, end_time: end, area_ids: areaIds, until_date: until, updated_at: at })
            .where('id', '=', id)
            .execute();
          break;
        }
        case 'WeeklyShiftEnded':
          await db
            .updateTable('weekly_shifts')
            .set({ until_date: event.data.until, updated_at: at })
            .where('id', '=', id)
            .execute();
          break;
        case 'WeeklyShiftRemoved':
          await db.deleteFrom('weekly_shifts').where('id', '=', id).execute();
          break;
        case 'ShiftExceptionAdded':
          await sql`update ${weekly}
            set except_dates = array(select distinct d from unnest(except_dates || ${event.data.date}::date) d order by d),
                updated_at = ${at}
            where id = ${id}`.execute(trx);
          break;
        case 'ShiftExceptionRemoved':
          await sql`update ${weekly}
            set except_dates = array_remove(except_dates, ${event.data.date}::date), updated_at = ${at}
            where id = ${id}`.execute(trx);
          break;
      }
    }
  },
};
