import { DateTime } from 'luxon';
import type pg from 'pg';
import type { ScheduledJob } from './scheduler.js';

/** Dashboards' daily figures (migration 015): one row per Vietnamese day, project and staff member. */
export const dailyStatisticsSchema = /* sql */ `
create schema if not exists ops;
create table if not exists ops.daily_statistics (
  day                 date not null,
  project_id          uuid,
  staff_id            uuid,
  bookings_requested  integer not null default 0,
  bookings_confirmed  integer not null default 0,
  bookings_completed  integer not null default 0,
  bookings_cancelled  integer not null default 0,
  bookings_no_show    integer not null default 0,
  deposits_held       integer not null default 0,
  deposits_held_vnd   bigint not null default 0,
  listings_published  integer not null default 0,
  computed_at         timestamptz not null
);
create unique index if not exists daily_statistics_key on ops.daily_statistics (day, project_id, staff_id) nulls not distinct;
create index if not exists daily_statistics_project on ops.daily_statistics (project_id, day);
create index if not exists daily_statistics_staff on ops.daily_statistics (staff_id, day);
`;

export const STATISTICS_TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Each run recomputes today and yesterday: late events (projection lag at midnight) are counted too. */
const DAYS_RECOMPUTED = 2;
const READ_MODELS = ['rm.bookings', 'rm.deposits', 'rm.listings', 'rm.audit_trail'];
const LOCK = 7_262_015;
const TZ = STATISTICS_TIME_ZONE;

/**
 * What is counted, per day in Vietnam (read models, never the event store):
 * - requested: bookings created that day (rm.bookings);
 * - confirmed: bookings with a BookingConfirmed event that day (rm.audit_trail);
 * - completed / cancelled / no-show: bookings now in that state whose last change fell that day;
 * - deposits held: deposits whose money was held that day, with their amount (rm.deposits);
 * - listings published: listings first published that day (rm.listings).
 * A viewing's staff member is its provider; consultations and listings have no staff (null), and
 * consultations no project. The project and staff are the booking's as they are now.
 */
const FACTS = /* sql */ `
  select (b.created_at at time zone '${TZ}')::date as day, b.project_id,
         case when b.kind = 'viewing' then b.provider_id end as staff_id, 'requested' as metric, b.id::text as ref, 0::bigint as vnd
    from rm.bookings b where b.created_at >= $1 and b.created_at < $2
  union all
  select (a.occurred_at::timestamptz at time zone '${TZ}')::date, b.project_id,
         case when b.kind = 'viewing' then b.provider_id end, 'confirmed', b.id::text, 0
    from rm.audit_trail a join rm.bookings b on b.id::text = a.target_id
   where a.event_type = 'BookingConfirmed' and a.occurred_at >= $3 and a.occurred_at < $4
  union all
  select (b.updated_at at time zone '${TZ}')::date, b.project_id,
         case when b.kind = 'viewing' then b.provider_id end,
         case b.status when 'completed' then 'completed' when 'no_show' then 'no_show' else 'cancelled' end,
         b.id::text, 0
    from rm.bookings b
   where b.status in ('completed', 'no_show', 'cancelled_by_customer', 'cancelled_by_system')
     and b.updated_at >= $1 and b.updated_at < $2
  union all
  select (d.held_at at time zone '${TZ}')::date, d.project_id, d.sales_staff_id, 'deposit', d.id::text, d.amount_vnd
    from rm.deposits d where d.held_at >= $1 and d.held_at < $2
  union all
  select (l.published_at at time zone '${TZ}')::date, l.project_id, null, 'listing', l.id::text, 0
    from rm.listings l where l.published_at >= $1 and l.published_at < $2`;

/** Vietnamese days `[first, last]` as ISO dates and the instants they span. */
function daysEndingAt(now: Date, count: number) {
  const today = DateTime.fromJSDate(now, { zone: TZ }).startOf('day');
  const first = today.minus({ days: count - 1 });
  return {
    first: first.toISODate() as string,
    last: today.toISODate() as string,
    from: first.toJSDate(),
    to: today.plus({ days: 1 }).toJSDate(),
  };
}

/**
 * Recomputes the days' rows from the read models: the days' old rows are replaced in one
 * transaction (readers see the old figures or the new, never half), under a lock so that two
 * runs at once do not both insert. Running it again gives the same rows.
 */
export async function aggregateDays(pool: pg.Pool, now: Date, days = DAYS_RECOMPUTED): Promise<string> {
  const missing = [];
  for (const table of READ_MODELS) {
    const { rows } = await pool.query<{ t: string | null }>('select to_regclass($1)::text as t', [table]);
    if (!rows[0]?.t) missing.push(table);
  }
  if (missing.length > 0) return `skipped: read models not built yet (${missing.join(', ')})`;
  const range = daysEndingAt(now, days);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [LOCK]);
    await client.query('delete from ops.daily_statistics where day between $1::date and $2::date', [
      range.first,
      range.last,
    ]);
    const { rowCount } = await client.query(
      `with facts as (${FACTS})
       insert into ops.daily_statistics (day, project_id, staff_id, bookings_requested, bookings_confirmed,
         bookings_completed, bookings_cancelled, bookings_no_show, deposits_held, deposits_held_vnd,
         listings_published, computed_at)
       select day, project_id, staff_id,
              count(distinct ref) filter (where metric = 'requested'),
              count(distinct ref) filter (where metric = 'confirmed'),
              count(distinct ref) filter (where metric = 'completed'),
              count(distinct ref) filter (where metric = 'cancelled'),
              count(distinct ref) filter (where metric = 'no_show'),
              count(distinct ref) filter (where metric = 'deposit'),
              coalesce(sum(vnd) filter (where metric = 'deposit'), 0),
              count(distinct ref) filter (where metric = 'listing'),
              $5
         from facts group by day, project_id, staff_id`,
      [range.from, range.to, range.from.toISOString(), range.to.toISOString(), now],
    );
    await client.query('commit');
    return `${rowCount ?? 0} rows for ${range.first}..${range.last}`;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

export const aggregateDailyStatistics: ScheduledJob = {
  name: 'daily-statistics',
  cron: '*/15 * * * *',
  run: ({ pool, now }) => aggregateDays(pool, now),
};
