import type pg from 'pg';
import type { Busy } from '../../domain/booking/availability.js';
import { ACTIVE_BOOKING_STATUSES } from '../../domain/booking/booking-events.js';
import { isUuid } from '../identity/profiles-queries.js';

/** What a viewing request needs to know about its listing (catalog read model). */
export interface ViewingTarget {
  listingId: string;
  title: string;
  visible: boolean;
  projectId: string;
  ownerId: string;
  areaId: string;
  /** The listing's area and every area above it (a shift covering a district covers its wards). */
  areaPath: string[];
  requiresOwnerApproval: boolean;
  address: string;
}

export async function viewingTarget(pool: pg.Pool, listingId: string): Promise<ViewingTarget | null> {
  if (!isUuid(listingId)) return null;
  const { rows } = await pool.query(
    `with recursive target as (
       select l.id, l.title, l.status, p.status as project_status, coalesce(o.kyc_verified, false) as kyc,
              p.id as project_id, p.owner_id, coalesce(l.address ->> 'areaId', p.area_id) as area_id,
              coalesce(l.address ->> 'street', p.street) as street,
              coalesce((p.policy ->> 'requiresOwnerApprovalForViewings')::boolean, false) as approval
         from rm.listings l join rm.projects p on p.id = l.project_id
         left join rm.catalog_owners o on o.user_id = p.owner_id
        where l.id = $1),
     path as (
       select a.id, a.parent_id, a.name, 0 as depth from rm.areas a join target t on a.id = t.area_id
       union all
       select a.id, a.parent_id, a.name, path.depth + 1 from rm.areas a join path on a.id = path.parent_id)
     select t.*, (select array_agg(id order by depth) from path) as area_path,
            (select string_agg(name, ', ' order by depth) from path) as area_names
       from target t`,
    [listingId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    listingId: row.id,
    title: row.title,
    visible: row.status === 'published' && row.project_status === 'active' && row.kyc,
    projectId: row.project_id,
    ownerId: row.owner_id,
    areaId: row.area_id,
    areaPath: row.area_path ?? [row.area_id],
    requiresOwnerApproval: row.approval,
    address: [row.street, row.area_names].filter(Boolean).join(', '),
  };
}

/**
 * Booking requests the customer made since `since` (the daily limit, Asia/Ho_Chi_Minh day); a
 * recurring series is one request.
 */
export async function requestsSince(pool: pg.Pool, customerId: string, since: Date): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'select count(distinct coalesce(series_id, id))::int as n from rm.bookings where customer_id = $1 and created_at >= $2',
    [customerId, since],
  );
  return rows[0]?.n ?? 0;
}

/** The customer's active bookings overlapping [start, end), other than `except`. */
export async function customerOverlaps(
  pool: pg.Pool,
  customerId: string,
  start: Date,
  end: Date,
  except: string | null = null,
): Promise<{ id: string; requestedPosition: bigint }[]> {
  const { rows } = await pool.query<{ id: string; requested_position: string }>(
    `select id, requested_position from rm.bookings
      where customer_id = $1 and status = any($2) and start_at < $4 and end_at > $3 and ($5::uuid is null or id <> $5)
      order by requested_position`,
    [customerId, ACTIVE_BOOKING_STATUSES, start, end, except],
  );
  return rows.map((row) => ({ id: row.id, requestedPosition: BigInt(row.requested_position) }));
}

/** Bookings of a provider on the given local days (the weekly limit spans several day streams). */
export async function providerBookingsOnDays(pool: pg.Pool, providerId: string, days: string[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from rm.calendar_spans where provider_id = $1 and kind = 'booking' and day = any($2::date[])`,
    [providerId, days],
  );
  return rows[0]?.n ?? 0;
}

/** Occupied spans of providers overlapping [from, to), holds only while unexpired. */
export async function busySpans(pool: pg.Pool, providerIds: string[], from: Date, to: Date, now: Date) {
  const { rows } = await pool.query(
    `select provider_id, id, kind, start_at, end_at, buffer_before, buffer_after from rm.calendar_spans
      where provider_id = any($1::uuid[]) and start_at < $3 and end_at > $2
        and (kind = 'booking' or expires_at > $4)`,
    [providerIds, new Date(from.getTime() - 86_400_000), new Date(to.getTime() + 86_400_000), now],
  );
  const byProvider = new Map<string, Busy[]>();
  for (const row of rows) {
    const list = byProvider.get(row.provider_id) ?? [];
    list.push({
      id: row.id,
      kind: row.kind,
      start: row.start_at,
      end: row.end_at,
      bufferBeforeMinutes: row.buffer_before,
      bufferAfterMinutes: row.buffer_after,
    });
    byProvider.set(row.provider_id, list);
  }
  return byProvider;
}

/** Active bookings per staff member on a local day: the assignment's load. */
export async function staffLoad(pool: pg.Pool, staffIds: string[], dayStart: Date, dayEnd: Date) {
  const { rows } = await pool.query<{ provider_id: string; day: number; upcoming: number }>(
    `select provider_id,
            count(*) filter (where start_at >= $2 and start_at < $3)::int as day,
            count(*) filter (where start_at >= now())::int as upcoming
       from rm.bookings where provider_id = any($1::uuid[]) and status = any($4) group by provider_id`,
    [staffIds, dayStart, dayEnd, ACTIVE_BOOKING_STATUSES],
  );
  return new Map(rows.map((row) => [row.provider_id, { day: row.day, upcoming: row.upcoming }]));
}

/** A staff member's confirmed bookings overlapping [from, to) (a shift may not be cut under them). */
export async function confirmedBookingsOf(pool: pg.Pool, staffId: string, from: Date, to: Date) {
  const { rows } = await pool.query<{ id: string; start_at: Date; end_at: Date }>(
    `select id, start_at, end_at from rm.bookings
      where provider_id = $1 and status in ('confirmed', 'rescheduled') and start_at < $3 and end_at > $2`,
    [staffId, from, to],
  );
  return rows.map((row) => ({ bookingId: row.id, start: row.start_at, end: row.end_at }));
}
