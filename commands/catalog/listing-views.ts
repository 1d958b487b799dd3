import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ScheduledJob } from '../jobs/scheduler.js';

/**
 * Listing views are analytics, not business state: no events (they would flood the audit trail).
 * One view per viewer per listing per clock hour (UTC hours, which are whole hours in Vietnam too).
 */
export const listingViewsSchema = `
  create schema if not exists catalog;
  create table if not exists catalog.listing_view_hours (
    listing_id text not null,
    viewer_key text not null,
    hour timestamptz not null,
    primary key (listing_id, viewer_key, hour)
  );
  create index if not exists listing_view_hours_hour on catalog.listing_view_hours (hour);
  create table if not exists catalog.listing_view_counts (
    listing_id text primary key,
    views bigint not null default 0
  );`;

const HOUR_MS = 3600 * 1000;
export const VIEW_HOURS_KEPT = 48;

/** The viewer of a request: the user when signed in, else a hash of IP and user agent (never stored raw). */
export function viewerKeyOf(viewer: { userId: string | null; ip: string; userAgent: string | null }): string {
  if (viewer.userId) return `user:${viewer.userId}`;
  const digest = createHash('sha256')
    .update(`${viewer.ip}\u0000${viewer.userAgent ?? ''}`)
    .digest('base64url');
  return `anon:${digest}`;
}

/**
 * Counts a view unless this viewer already viewed this listing in the same hour. One statement:
 * the count moves only when the hour row was inserted, so concurrent duplicates count once.
 */
export async function recordView(pool: pg.Pool, listingId: string, viewerKey: string, now: Date): Promise<boolean> {
  const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const { rowCount } = await pool.query(
    `with inserted as (
       insert into catalog.listing_view_hours (listing_id, viewer_key, hour) values ($1, $2, $3)
       on conflict do nothing returning listing_id)
     insert into catalog.listing_view_counts as c (listing_id, views)
     select listing_id, 1 from inserted
     on conflict (listing_id) do update set views = c.views + 1`,
    [listingId, viewerKey, hour],
  );
  return (rowCount ?? 0) > 0;
}

/** Views per listing id (0 for a listing never viewed). */
export async function viewCounts(pool: pg.Pool, ids: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
  if (ids.length === 0) return counts;
  const { rows } = await pool.query<{ listing_id: string; views: string }>(
    'select listing_id, views from catalog.listing_view_counts where listing_id = any($1::text[])',
    [[...ids]],
  );
  for (const row of rows) counts[row.listing_id] = Number(row.views);
  return counts;
}

/** Hour rows only deduplicate recent views; the counts keep the totals. */
export const purgeListingViewHours: ScheduledJob = {
  name: 'purge-listing-view-hours',
  cron: '7 * * * *',
  async run({ pool, now }) {
    const { rowCount } = await pool.query('delete from catalog.listing_view_hours where hour < $1', [
      new Date(now.getTime() - VIEW_HOURS_KEPT * HOUR_MS),
    ]);
    return `deleted ${rowCount ?? 0} view hours older than ${VIEW_HOURS_KEPT} h`;
  },
};

/** `recordView(listingId, viewerKey, now)` and `viewCounts(ids)` on one pool (services.listingViews). */
export const listingViewService = (pool: pg.Pool) => ({
  recordView: (listingId: string, viewerKey: string, now: Date) => recordView(pool, listingId, viewerKey, now),
  viewCounts: (ids: readonly string[]) => viewCounts(pool, ids),
});

export type ListingViewService = ReturnType<typeof listingViewService>;
