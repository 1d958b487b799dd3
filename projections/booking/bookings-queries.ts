import type pg from 'pg';
import type { BookingKind, BookingRequestedData, BookingStatus } from '../../domain/booking/booking-events.js';
import { isUuid } from '../identity/profiles-queries.js';

export interface BookingView {
  bookingId: string;
  kind: BookingKind;
  status: BookingStatus;
  customerId: string;
  customerName: string | null;
  providerId: string | null;
  providerName: string | null;
  listingId: string | null;
  listingTitle: string | null;
  projectId: string | null;
  ownerId: string | null;
  areaId: string | null;
  serviceId: string | null;
  serviceName: string | null;
  feeVnd: number;
  mode: string;
  address: string | null;
  note: string | null;
  start: string;
  end: string;
  timeZone: string;
  paymentDueAt: string | null;
  paid: boolean;
  outcome: string | null;
  outcomeNote: string | null;
  reason: string | null;
  seriesId: string | null;
  occurrence: number | null;
  createdAt: string;
  updatedAt: string;
}

/** Whose bookings a list shows (UC-GEN-04): a role and the person asking. */
export type BookingScope =
  | { role: 'customer'; userId: string }
  | { role: 'sales'; userId: string }
  | { role: 'expert'; userId: string }
  | { role: 'owner'; userId: string }
  | { role: 'operator' };

export interface BookingFilter {
  status?: BookingStatus[];
  kind?: BookingKind;
  from?: Date;
  to?: Date;
  listingId?: string;
  projectId?: string;
  providerId?: string;
  unassigned?: boolean;
  limit: number;
  offset: number;
}

const SELECT = `
  select b.*, c.name as customer_name, p.name as provider_name, l.title as listing_title
    from rm.bookings b
    left join rm.users c on c.id = b.customer_id
    left join rm.users p on p.id = b.provider_id
    left join rm.listings l on l.id = b.listing_id`;

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

// biome-ignore lint/suspicious/noExplicitAny: rows straight from pg
export const bookingOf = (row: any): BookingView => ({
  bookingId: row.id,
  kind: row.kind,
  status: row.status,
  customerId: row.customer_id,
  customerName: row.customer_name ?? null,
  providerId: row.provider_id,
  providerName: row.provider_name ?? null,
  listingId: row.listing_id,
  listingTitle: row.listing_title ?? null,
  projectId: row.project_id,
  ownerId: row.owner_id,
  areaId: row.area_id,
  serviceId: row.service_id,
  serviceName: row.service_name,
  feeVnd: Number(row.fee_vnd),
  mode: row.mode,
  address: row.address,
  note: row.note,
  start: row.start_at.toISOString(),
  end: row.end_at.toISOString(),
  timeZone: row.time_zone,
  paymentDueAt: iso(row.payment_due_at),
  paid: row.paid,
  outcome: row.outcome,
  outcomeNote: row.outcome_note,
  reason: row.reason,
  seriesId: row.series_id,
  occurrence: row.occurrence,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export async function getBooking(pool: pg.Pool, bookingId: string): Promise<BookingView | null> {
  if (!isUuid(bookingId)) return null;
  const { rows } = await pool.query(`${SELECT} where b.id = $1`, [bookingId]);
  return rows[0] ? bookingOf(rows[0]) : null;
}

/** May this person see the booking in this role? (the detail page checks it). */
export function visibleTo(booking: BookingView, scope: BookingScope): boolean {
  switch (scope.role) {
    case 'operator':
      return true;
    case 'customer':
      return booking.customerId === scope.userId;
    case 'owner':
      return booking.ownerId === scope.userId;
    case 'sales':
    case 'expert':
      return booking.providerId === scope.userId;
  }
}

export async function listBookings(pool: pg.Pool, scope: BookingScope, filter: BookingFilter): Promise<BookingView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (scope.role === 'customer') add('b.customer_id = ?', scope.userId);
  if (scope.role === 'owner') add('b.owner_id = ?', scope.userId);
  if (scope.role === 'sales' || scope.role === 'expert') add('b.provider_id = ?', scope.userId);
  if (scope.role === 'sales') where.push(`b.kind = 'viewing'`);
  if (scope.role === 'expert') where.push(`b.kind = 'consultation'`);
  if (filter.status?.length) add('b.status = any(?)', filter.status);
  if (filter.kind) add('b.kind = ?', filter.kind);
  if (filter.from) add('b.end_at > ?', filter.from);
  if (filter.to) add('b.start_at < ?', filter.to);
  if (filter.listingId) add('b.listing_id = ?', filter.listingId);
  if (filter.projectId) add('b.project_id = ?', filter.projectId);
  if (filter.providerId) add('b.provider_id = ?', filter.providerId);
  if (filter.unassigned) where.push(`b.provider_id is null and b.kind = 'viewing'`);
  params.push(filter.limit, filter.offset);
  const { rows } = await pool.query(
    `${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''}
      order by b.start_at, b.id limit $${params.length - 1} offset $${params.length}`,
    params,
  );
  return rows.map(bookingOf);
}

/**
 * Operators' conflicts: pairs of active bookings that overlap for one provider or one customer
 * (the calendar prevents the first kind; the second can slip through a race until the reaction
 * settles it, and both show anything a manual edit or a crash left behind).
 */
export async function bookingConflicts(pool: pg.Pool, limit = 100) {
  const { rows } = await pool.query(
    `select a.id as first_id, b.id as second_id,
            case when a.provider_id = b.provider_id then 'provider' else 'customer' end as kind,
            coalesce(a.provider_id, a.customer_id) as who, a.start_at, b.start_at as second_start
       from rm.bookings a join rm.bookings b
         on a.id < b.id and a.start_at < b.end_at and b.start_at < a.end_at
        and (a.provider_id = b.provider_id or a.customer_id = b.customer_id)
      where a.status = any($1) and b.status = any($1) and a.end_at > now()
      order by a.start_at limit $2`,
    [['requested', 'awaiting_approval', 'confirmed', 'rescheduled'], limit],
  );
  return rows.map((row) => ({
    kind: row.kind as 'provider' | 'customer',
    personId: row.who as string,
    bookingIds: [row.first_id as string, row.second_id as string],
    start: (row.start_at as Date).toISOString(),
  }));
}

/** A booking as its request recorded it: the answer when the read model has not caught up yet. */
export const bookingOfRequest = (d: BookingRequestedData, at: Date): BookingView => ({
  bookingId: d.bookingId,
  kind: d.kind,
  status: d.status,
  customerId: d.customerId,
  customerName: null,
  providerId: d.providerId,
  providerName: null,
  listingId: d.listingId,
  listingTitle: null,
  projectId: d.projectId,
  ownerId: d.ownerId,
  areaId: d.areaId,
  serviceId: d.serviceId,
  serviceName: d.serviceName,
  feeVnd: d.feeVnd,
  mode: d.mode,
  address: d.address,
  note: d.note,
  start: d.start,
  end: d.end,
  timeZone: d.timeZone,
  paymentDueAt: d.paymentDueAt,
  paid: false,
  outcome: null,
  outcomeNote: null,
  reason: null,
  seriesId: d.seriesId,
  occurrence: d.occurrence,
  createdAt: at.toISOString(),
  updatedAt: at.toISOString(),
});
