import { DateTime } from 'luxon';
import type pg from 'pg';
import { DEFAULT_TIME_ZONE } from '../../domain/booking/schedule.js';
import { staffLoad } from '../../projections/booking/booking-lookups.js';
import type { BookableProvider } from './providers.js';

/**
 * Viewing assignment order: least loaded first — fewest active bookings on that local day, then
 * fewest upcoming bookings, then the staff id (stable and arbitrary). The staff member the
 * customer's hold sits with goes first, so a held slot is honoured.
 */
export async function rankStaff(pool: pg.Pool, candidates: BookableProvider[], start: Date, heldWith: string | null) {
  const day = DateTime.fromJSDate(start, { zone: DEFAULT_TIME_ZONE });
  const load = await staffLoad(
    pool,
    candidates.map((c) => c.providerId),
    day.startOf('day').toJSDate(),
    day.endOf('day').toJSDate(),
  );
  const score = (c: BookableProvider) => load.get(c.providerId) ?? { day: 0, upcoming: 0 };
  return [...candidates].sort((a, b) => {
    if (a.providerId === heldWith) return -1;
    if (b.providerId === heldWith) return 1;
    return (
      score(a).day - score(b).day || score(a).upcoming - score(b).upcoming || a.providerId.localeCompare(b.providerId)
    );
  });
}
