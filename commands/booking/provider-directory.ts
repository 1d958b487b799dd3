import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type pg from 'pg';
import { slotPolicyOf } from '../../domain/booking/expert-events.js';
import { VIEWING_SLOT_POLICY } from '../../domain/booking/policy.js';
import { DEFAULT_TIME_ZONE } from '../../domain/booking/schedule.js';
import { effectiveAreaIds, staffSchedule } from '../../domain/booking/shift-calendar.js';
import type { ViewingTarget } from '../../projections/booking/booking-lookups.js';
import { getExpertBookingProfile } from '../../projections/booking/experts-queries.js';
import { type RosterEntry, salesRoster } from '../../projections/booking/shifts-queries.js';
import type { BookableProvider, ProviderDirectory } from './providers.js';

const todayOf = (now: Date) => DateTime.fromJSDate(now, { zone: DEFAULT_TIME_ZONE }).toISODate() as string;

const asProvider = (entry: RosterEntry, shifts: Pick<RosterEntry, 'shifts' | 'weekly'> = entry): BookableProvider => ({
  providerId: entry.staffId,
  displayName: entry.displayName,
  schedule: staffSchedule(shifts),
  policy: VIEWING_SLOT_POLICY,
});

/**
 * Providers from the read models: verified experts' offers (rm.experts) and active sales staff
 * with their shifts (rm.staff, rm.shifts, rm.weekly_shifts). A shift covers a listing when its
 * areas (or, naming none, the staff member's profile areas) include the listing's area or an area
 * above it; a staff member with no areas at all covers every area.
 */
// biome-ignore lint/suspicious/noExplicitAny: read models bring their own table types
export function providerDirectory(deps: { pool: pg.Pool; db: Kysely<any>; clock: () => Date }): ProviderDirectory {
  return {
    async expertOffer(expertId, serviceId) {
      const profile = await getExpertBookingProfile(deps.db, expertId);
      const service = profile?.services.find((s) => s.id === serviceId && s.active);
      if (profile?.status !== 'verified' || !service) return null;
      return {
        providerId: profile.expertId,
        displayName: profile.displayName,
        schedule: { ...profile.schedule, timeZone: profile.settings.timeZone },
        policy: slotPolicyOf(profile.settings, service),
        service,
        autoConfirm: profile.settings.autoConfirm,
      };
    },

    async viewingStaff(target: ViewingTarget) {
      const roster = await salesRoster(deps.pool, { from: todayOf(deps.clock()) });
      const covers = (shiftAreas: readonly string[], entry: RosterEntry) => {
        const areas = effectiveAreaIds(shiftAreas, entry.profileAreaIds);
        return areas.length === 0 || areas.some((area) => target.areaPath.includes(area));
      };
      return roster.flatMap((entry) => {
        const shifts = entry.shifts.filter((s) => covers(s.areaIds, entry));
        const weekly = entry.weekly.filter((s) => covers(s.areaIds, entry));
        return shifts.length + weekly.length === 0 ? [] : [asProvider(entry, { shifts, weekly })];
      });
    },

    async salesStaff(staffId) {
      const roster = await salesRoster(deps.pool, { from: todayOf(deps.clock()) });
      const entry = roster.find((e) => e.staffId === staffId);
      return entry ? asProvider(entry) : null;
    },
  };
}
