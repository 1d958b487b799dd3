import { DateTime } from 'luxon';
import type pg from 'pg';
import { invalid } from '../../domain/shared/errors.js';
import { STATISTICS_TIME_ZONE } from './daily-statistics.js';

export interface DailyFigures {
  bookingsRequested: number;
  bookingsConfirmed: number;
  bookingsCompleted: number;
  bookingsCancelled: number;
  bookingsNoShow: number;
  depositsHeld: number;
  depositsHeldVnd: number;
  listingsPublished: number;
}

export interface DailyStatistics {
  from: string;
  to: string;
  projectId: string | null;
  staffId: string | null;
  /** Every day of the range (zero when nothing happened), oldest first. */
  days: (DailyFigures & { day: string })[];
  totals: DailyFigures;
  /** When the newest figures in the range were computed (the job runs every 15 minutes); null if never. */
  computedAt: Date | null;
}

const MAX_DAYS = 366;
const DEFAULT_DAYS = 30;

const COLUMNS: Record<keyof DailyFigures, string> = {
  bookingsRequested: 'bookings_requested',
  bookingsConfirmed: 'bookings_confirmed',
  bookingsCompleted: 'bookings_completed',
  bookingsCancelled: 'bookings_cancelled',
  bookingsNoShow: 'bookings_no_show',
  depositsHeld: 'deposits_held',
  depositsHeldVnd: 'deposits_held_vnd',
  listingsPublished: 'listings_published',
};
const KEYS = Object.keys(COLUMNS) as (keyof DailyFigures)[];

/** Vietnamese dates `from`..`to` (both included); by default the last 30 days up to today. */
export function statisticsRange(query: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const today = DateTime.fromJSDate(now, { zone: STATISTICS_TIME_ZONE }).startOf('day');
  const to = query.to ? DateTime.fromISO(query.to, { zone: STATISTICS_TIME_ZONE }) : today;
  const from = query.from
    ? DateTime.fromISO(query.from, { zone: STATISTICS_TIME_ZONE })
    : to.minus({ days: DEFAULT_DAYS - 1 });
  if (!from.isValid) throw invalid('DATE_INVALID', 'from: ngày không hợp lệ', 'from');
  if (!to.isValid) throw invalid('DATE_INVALID', 'to: ngày không hợp lệ', 'to');
  if (to < from) throw invalid('RANGE_INVALID', 'to: ngày kết thúc phải từ ngày bắt đầu trở đi', 'to');
  if (to.diff(from, 'days').days >= MAX_DAYS) throw invalid('RANGE_TOO_LONG', `from: tối đa ${MAX_DAYS} ngày`, 'from');
  return { from: from.toISODate() as string, to: to.toISODate() as string };
}

/** The daily figures of a range, for one project and/or one staff member or for everything. */
export async function dailyStatistics(
  pool: pg.Pool,
  filter: { from: string; to: string; projectId: string | null; staffId: string | null },
): Promise<DailyStatistics> {
  const sums = KEYS.map((key) => `coalesce(sum(s.${COLUMNS[key]}), 0)::bigint as "${key}"`).join(', ');
  const { rows } = await pool.query<Record<keyof DailyFigures, string> & { day: string; computed_at: Date | null }>(
    `select to_char(d.day, 'YYYY-MM-DD') as day, ${sums}, max(s.computed_at) as computed_at
       from generate_series($1::date, $2::date, interval '1 day') as d(day)
       left join ops.daily_statistics s on s.day = d.day::date
        and ($3::uuid is null or s.project_id = $3) and ($4::uuid is null or s.staff_id = $4)
      group by d.day order by d.day`,
    [filter.from, filter.to, filter.projectId, filter.staffId],
  );
  const figures = (row: Record<keyof DailyFigures, string>) =>
    Object.fromEntries(KEYS.map((key) => [key, Number(row[key])])) as unknown as DailyFigures;
  const days = rows.map((row) => ({ day: row.day, ...figures(row) }));
  const totals = Object.fromEntries(
    KEYS.map((key) => [key, days.reduce((sum, day) => sum + day[key], 0)]),
  ) as unknown as DailyFigures;
  const computed = rows.map((r) => r.computed_at).filter((at): at is Date => at !== null);
  return {
    ...filter,
    days,
    totals,
    computedAt: computed.length ? new Date(Math.max(...computed.map((at) => at.getTime()))) : null,
  };
}
