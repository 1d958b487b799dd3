import { DateTime } from 'luxon';
import type pg from 'pg';
import type { DepositType } from '../../domain/catalog/deposit-policy-events.js';
import type { DepositStatus } from '../../domain/payments/deposit-events.js';
import { invalid } from '../../domain/shared/errors.js';
import { isUuid } from '../identity/profiles-queries.js';

/** Business time zone: report days, weeks and months are Vietnamese ones. */
export const REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const MAX_PERIODS = 1000;

/** Instants `from` (included) to `to` (excluded). */
export type ReportRange = { from: Date; to: Date };
export type Period = 'day' | 'week' | 'month';
export type SeriesPoint = { period: string; amountVnd: number };

/** The instant a Vietnamese calendar date (`2026-03-01`) starts, `plusDays` later. */
export function vietnamDayStart(date: string, field: string, plusDays = 0): Date {
  const parsed = DateTime.fromISO(date, { zone: REPORT_TIME_ZONE });
  if (!parsed.isValid) throw invalid('DATE_INVALID', `${field}: ngày không hợp lệ`, field);
  return parsed.startOf('day').plus({ days: plusDays }).toJSDate();
}

/**
 * A range from calendar dates in Vietnam (`to` included), by default the current month: the
 * routes' `from`/`to` query parameters.
 */
export function reportRange(dates: { from?: string | undefined; to?: string | undefined }, now: Date): ReportRange {
  const month = DateTime.fromJSDate(now, { zone: REPORT_TIME_ZONE }).startOf('month');
  const from = dates.from ? vietnamDayStart(dates.from, 'from') : month.toJSDate();
  const to = dates.to ? vietnamDayStart(dates.to, 'to', 1) : month.plus({ months: 1 }).toJSDate();
  if (to <= from) throw invalid('RANGE_INVALID', 'to: ngày kết thúc phải sau ngày bắt đầu', 'to');
  return { from, to };
}

/** `{period, amountVnd}` for every period of the range (zero-filled), from rows `(at, amount_vnd)` of `base`. */
async function seriesOf(
  pool: pg.Pool,
  base: { text: string; values: unknown[] },
  range: ReportRange,
  period: Period,
): Promise<SeriesPoint[]> {
  const n = base.values.length;
  const format = period === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD';
  const { rows } = await pool.query<{ period: string; amount_vnd: string }>(
    `with base as (${base.text}),
     periods as (
       select generate_series(date_trunc($${n + 3}, $${n + 1}::timestamptz at time zone '${REPORT_TIME_ZONE}'),
                              ($${n + 2}::timestamptz at time zone '${REPORT_TIME_ZONE}') - interval '1 microsecond',
                              ('1 ' || $${n + 3})::interval) as start)
     select to_char(p.start, '${format}') as period, coalesce(sum(b.amount_vnd), 0)::text as amount_vnd
       from periods p
       left join base b on date_trunc($${n + 3}, b.at at time zone '${REPORT_TIME_ZONE}') = p.start
      group by p.start order by p.start`,
    [...base.values, range.from, range.to, period],
  );
  return rows.map((row) => ({ period: row.period, amountVnd: Number(row.amount_vnd) }));
}

function checkPeriods(range: ReportRange, period: Period) {
  const days = (range.to.getTime() - range.from.getTime()) / 86_400_000;
  const periods = period === 'day' ? days : period === 'week' ? days / 7 : days / 28;
  if (periods > MAX_PERIODS) throw invalid('RANGE_TOO_LONG', `from: tối đa ${MAX_PERIODS} kỳ mỗi báo cáo`, 'from');
}

export interface SalesIncomeRow {
  at: string;
  depositId: string;
  listingTitle: string | null;
  customerName: string | null;
  kind: DepositType;
  depositVnd: number;
  commissionVnd: number;
  status: DepositStatus;
}

export interface SalesIncome {
  from: string;
  to: string;
  groupBy: Period;
  /** Commissions accrued this calendar month and last (Vietnam), whatever the range. */
  thisMonthVnd: number;
  lastMonthVnd: number;
  /** Commissions in the range: the sum of `series` and of the rows' `commissionVnd`. */
  totalVnd: number;
  /** Every commission ever accrued to the staff member. */
  allTimeVnd: number;
  series: SeriesPoint[];
  rows: SalesIncomeRow[];
}

/** Deposits credited to a staff member, held in the range: `at` is when the commission accrued (or the deposit was held). */
const staffDeals = (staffId: string, range: ReportRange) => ({
  text: `select coalesce(c.accrued_at, d.held_at) as at, coalesce(c.amount_vnd, 0) as amount_vnd,
                d.id as deposit_id, d.kind, d.status, d.amount_vnd as deposit_vnd,
                l.title as listing_title, u.name as customer_name
           from rm.deposits d
           left join rm.commissions c on c.deposit_id = d.id
           left join rm.listings l on l.id = d.listing_id
           left join rm.users u on u.id = d.customer_id
          where d.sales_staff_id = $1 and d.held_at is not null
            and coalesce(c.accrued_at, d.held_at) >= $2 and coalesce(c.accrued_at, d.held_at) < $3`,
  values: [staffId, range.from, range.to] as unknown[],
});

/** UC-SALE-06: a sales staff member's income (commissions on the deposits credited to them). */
export async function salesIncome(
  pool: pg.Pool,
  staffId: string,
  options: ReportRange & { groupBy: Period; now?: Date },
): Promise<SalesIncome> {
  const range = { from: options.from, to: options.to };
  checkPeriods(range, options.groupBy);
  const id = isUuid(staffId) ? staffId : '00000000-0000-0000-0000-000000000000';
  const base = staffDeals(id, range);
  const { rows } = await pool.query(`${base.text} order by at, deposit_id`, base.values);
  const series = await seriesOf(pool, base, range, options.groupBy);
  const months = await pool.query<{ this_month: string; last_month: string; all_time: string }>(
    `with m as (select date_trunc('month', $2::timestamptz at time zone '${REPORT_TIME_ZONE}') as start)
     select coalesce(sum(c.amount_vnd) filter (where c.accrued_at >= m.start at time zone '${REPORT_TIME_ZONE}'), 0)::text
              as this_month,
            coalesce(sum(c.amount_vnd) filter (
              where c.accrued_at >= (m.start - interval '1 month') at time zone '${REPORT_TIME_ZONE}'
                and c.accrued_at < m.start at time zone '${REPORT_TIME_ZONE}'), 0)::text as last_month,
            coalesce(sum(c.amount_vnd), 0)::text as all_time
       from m left join rm.commissions c on c.staff_id = $1
      group by m.start`,
    [id, options.now ?? new Date()],
  );
  const totals = months.rows[0];
  const incomeRows: SalesIncomeRow[] = rows.map((row) => ({
    at: row.at.toISOString(),
    depositId: row.deposit_id,
    listingTitle: row.listing_title ?? null,
    customerName: row.customer_name ?? null,
    kind: row.kind,
    depositVnd: Number(row.deposit_vnd),
    commissionVnd: Number(row.amount_vnd),
    status: row.status,
  }));
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    groupBy: options.groupBy,
    thisMonthVnd: Number(totals?.this_month ?? 0),
    lastMonthVnd: Number(totals?.last_month ?? 0),
    totalVnd: incomeRows.reduce((sum, row) => sum + row.commissionVnd, 0),
    allTimeVnd: Number(totals?.all_time ?? 0),
    series,
    rows: incomeRows,
  };
}

export type FinanceDimension = 'type' | 'project' | 'staff' | 'area';

export interface FinanceFigures {
  /** Deposit principal captured (without fees). */
  depositsVnd: number;
  /** Consultation fees captured (the session's price, without the platform fee). */
  consultationsVnd: number;
  /** Platform fees captured on top of principals. */
  feesVnd: number;
  /** Decided to go back to customers (deposit refunds and releases, consultation refunds). */
  refundsVnd: number;
  /** The kept part of cancelled deposits (owed to owners). */
  forfeitsVnd: number;
  /** Accrued to sales staff. */
  commissionsVnd: number;
  /** Payments captured. */
  count: number;
}

export interface FinanceGroup extends FinanceFigures {
  /** The type (reservation, security, consultation), project, staff or area id; null when there is none. */
  key: string | null;
  label: string;
}

export interface FinanceReport {
  from: string;
  to: string;
  by: FinanceDimension;
  groups: FinanceGroup[];
  /** The sum of the groups. */
  totals: FinanceFigures;
  /** Money captured (principal + fee) per Vietnamese day. */
  series: SeriesPoint[];
}

export const TYPE_LABELS: Record<string, string> = {
  reservation: 'Cọc giữ chỗ',
  security: 'Cọc an ninh',
  consultation: 'Phí tư vấn',
};

const DIMENSIONS: Record<FinanceDimension, { key: string; label: string; join: string; none: string }> = {
  type: { key: 'g.type', label: 'r.key', join: '', none: 'Không xác định' },
  project: {
    key: 'g.project_id::text',
    label: 'x.name',
    join: 'left join rm.projects x on x.id::text = r.key',
    none: 'Không thuộc dự án',
  },
  staff: {
    key: 'g.sales_staff_id::text',
    label: 'x.name',
    join: 'left join rm.users x on x.id::text = r.key',
    none: 'Không có NVBH',
  },
  area: { key: 'g.area_id', label: 'x.name', join: 'left join rm.areas x on x.id = r.key', none: 'Không rõ khu vực' },
};

/** Every movement of the range with its dimensions (through its payment and its deposit). */
const MOVEMENTS = `
  select m.kind, m.amount_vnd, m.at, m.payment_id, d.project_id, d.area_id, d.sales_staff_id,
         coalesce(d.kind, case when p.purpose_kind = 'consultation' then 'consultation' end) as type
    from rm.finance_movements m
    left join rm.payments p on p.id = m.payment_id
    left join rm.deposits d on d.id = coalesce(m.deposit_id, p.deposit_id)
   where m.at >= $1 and m.at < $2`;

/** UC-ADMIN-04: money by type of transaction, project, sales staff or area over a range. */
export async function financeReport(
  pool: pg.Pool,
  options: ReportRange & { by: FinanceDimension },
): Promise<FinanceReport> {
  const range = { from: options.from, to: options.to };
  checkPeriods(range, 'day');
  const dimension = DIMENSIONS[options.by];
  const sum = (where: string) => `coalesce(sum(g.amount_vnd) filter (where ${where}), 0)::text`;
  const { rows } = await pool.query(
    `with g as (${MOVEMENTS}),
     r as (
       select ${dimension.key} as key,
              ${sum(`g.kind = 'principal' and g.type is distinct from 'consultation'`)} as deposits,
              ${sum(`g.kind = 'principal' and g.type = 'consultation'`)} as consultations,
              ${sum(`g.kind = 'fee'`)} as fees,
              ${sum(`g.kind = 'refund'`)} as refunds,
              ${sum(`g.kind = 'forfeit'`)} as forfeits,
              ${sum(`g.kind = 'commission'`)} as commissions,
              count(distinct g.payment_id) filter (where g.kind = 'principal') as count
         from g group by 1)
     select r.*, ${dimension.label} as label from r ${dimension.join}
      order by ${dimension.label} nulls last, r.key nulls last`,
    [range.from, range.to],
  );
  const groups: FinanceGroup[] = rows.map((row) => ({
    key: row.key,
    label: (options.by === 'type' ? TYPE_LABELS[row.key] : row.label) ?? row.key ?? dimension.none,
    depositsVnd: Number(row.deposits),
    consultationsVnd: Number(row.consultations),
    feesVnd: Number(row.fees),
    refundsVnd: Number(row.refunds),
    forfeitsVnd: Number(row.forfeits),
    commissionsVnd: Number(row.commissions),
    count: Number(row.count),
  }));
  const captured = {
    text: `select at, amount_vnd from (${MOVEMENTS}) mv where kind in ('principal', 'fee')`,
    values: [range.from, range.to] as unknown[],
  };
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    by: options.by,
    groups,
    totals: totalsOf(groups),
    series: await seriesOf(pool, captured, range, 'day'),
  };
}

export function totalsOf(groups: FinanceFigures[]): FinanceFigures {
  const totals: FinanceFigures = {
    depositsVnd: 0,
    consultationsVnd: 0,
    feesVnd: 0,
    refundsVnd: 0,
    forfeitsVnd: 0,
    commissionsVnd: 0,
    count: 0,
  };
  for (const group of groups) {
    for (const field of Object.keys(totals) as (keyof FinanceFigures)[]) totals[field] += group[field];
  }
  return totals;
}
