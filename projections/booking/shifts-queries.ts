import type pg from 'pg';
import type { LocalDate, LocalTime } from '../../domain/booking/schedule.js';
import {
  occurrenceDates,
  occurrenceInstants,
  patternOfShift,
  patternOfWeekly,
} from '../../domain/booking/shift-calendar.js';
import type { OneOffShift, Weekday, WeeklyShift } from '../../domain/booking/shift-events.js';

type Queryable = Pick<pg.Pool, 'query'>;

export interface ShiftOccurrence {
  shiftId: string;
  weekly: boolean;
  staffId: string;
  date: LocalDate;
  start: LocalTime;
  end: LocalTime;
  startAt: Date;
  endAt: Date;
  /** The shift's own areas; empty = the staff member's profile areas apply. */
  areaIds: string[];
}

export interface StaffShifts {
  shifts: OneOffShift[];
  weekly: WeeklyShift[];
}

export interface RosterEntry extends StaffShifts {
  staffId: string;
  displayName: string;
  profileAreaIds: string[];
}

const ONE_OFF_SELECT = `select id, staff_id as "staffId", date::text as date, start_time as start, end_time as "end",
  area_ids as "areaIds" from rm.shifts`;
const WEEKLY_SELECT = `select id, staff_id as "staffId", weekdays, start_time as start, end_time as "end",
  from_date::text as "from", until_date::text as until, area_ids as "areaIds", except_dates::text[] as "exceptDates"
  from rm.weekly_shifts`;

const ACTIVE_SALES = `select user_id from rm.staff where role = 'sales' and status = 'active'`;

/** Staff ids are user ids (uuids); anything else (the dev admin) has no shifts rather than a query error. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type OneOffRow = OneOffShift & { staffId: string };
type WeeklyRow = WeeklyShift & { staffId: string; weekdays: Weekday[] };

const oneOff = ({ staffId: _, ...shift }: OneOffRow): OneOffShift => shift;
const weekly = ({ staffId: _, ...shift }: WeeklyRow): WeeklyShift => shift;

/** A staff member's shifts (definitions, for editing); with `from`, only those still running from that date. */
export async function staffShifts(db: Queryable, staffId: string, from?: LocalDate): Promise<StaffShifts> {
  if (!UUID.test(staffId)) return { shifts: [], weekly: [] };
  const since = from ?? null;
  const [shifts, weeklies] = await Promise.all([
    db.query<OneOffRow>(
      `${ONE_OFF_SELECT} where staff_id = $1 and ($2::date is null or date >= $2) order by date, start_time`,
      [staffId, since],
    ),
    db.query<WeeklyRow>(
      `${WEEKLY_SELECT} where staff_id = $1 and ($2::date is null or until_date is null or until_date >= $2)
        order by from_date, start_time`,
      [staffId, since],
    ),
  ]);
  return { shifts: shifts.rows.map(oneOff), weekly: weeklies.rows.map(weekly) };
}

/** Concrete working times in [from, to] (local dates, inclusive), for calendars; ordered by start. */
export async function shiftOccurrences(
  db: Queryable,
  query: { staffId?: string; from: LocalDate; to: LocalDate },
): Promise<ShiftOccurrence[]> {
  const staffId = query.staffId ?? null;
  if (staffId !== null && !UUID.test(staffId)) return [];
  const [shifts, weeklies] = await Promise.all([
    db.query<OneOffRow>(`${ONE_OFF_SELECT} where ($1::uuid is null or staff_id = $1) and date between $2 and $3`, [
      staffId,
      query.from,
      query.to,
    ]),
    db.query<WeeklyRow>(
      `${WEEKLY_SELECT} where ($1::uuid is null or staff_id = $1) and from_date <= $3
        and (until_date is null or until_date >= $2)`,
      [staffId, query.from, query.to],
    ),
  ]);
  const occurrences: ShiftOccurrence[] = [];
  const add = (row: OneOffRow | WeeklyRow, isWeekly: boolean, date: LocalDate) =>
    occurrences.push({
      shiftId: row.id,
      weekly: isWeekly,
      staffId: row.staffId,
      date,
      start: row.start,
      end: row.end,
      ...occurrenceInstants(row, date),
      areaIds: row.areaIds,
    });
  for (const row of shifts.rows) add(row, false, patternOfShift(row).from);
  for (const row of weeklies.rows) {
    for (const date of occurrenceDates(patternOfWeekly(row), query.from, query.to)) add(row, true, date);
  }
  return occurrences.sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || a.staffId.localeCompare(b.staffId));
}

/**
 * Every active sales staff member with their shifts (those still running from `from`, when
 * given): what assigning a viewing chooses from. Staff on leave or who left are not in it.
 */
export async function salesRoster(db: Queryable, options: { from?: LocalDate } = {}): Promise<RosterEntry[]> {
  const since = options.from ?? null;
  const [staff, shifts, weeklies] = await Promise.all([
    db.query<{ staffId: string; displayName: string; profileAreaIds: string[] }>(
      `select s.user_id as "staffId", coalesce(nullif(u.name, ''), s.code) as "displayName",
              s.area_ids as "profileAreaIds"
         from rm.staff s left join rm.users u on u.id = s.user_id
        where s.role = 'sales' and s.status = 'active'
        order by 2, s.code`,
    ),
    db.query<OneOffRow>(
      `${ONE_OFF_SELECT} where staff_id in (${ACTIVE_SALES}) and ($1::date is null or date >= $1)
        order by date, start_time`,
      [since],
    ),
    db.query<WeeklyRow>(
      `${WEEKLY_SELECT} where staff_id in (${ACTIVE_SALES})
         and ($1::date is null or until_date is null or until_date >= $1) order by from_date, start_time`,
      [since],
    ),
  ]);
  const entries = new Map(staff.rows.map((row) => [row.staffId, { ...row, shifts: [], weekly: [] } as RosterEntry]));
  for (const row of shifts.rows) entries.get(row.staffId)?.shifts.push(oneOff(row));
  for (const row of weeklies.rows) entries.get(row.staffId)?.weekly.push(weekly(row));
  return [...entries.values()];
}
