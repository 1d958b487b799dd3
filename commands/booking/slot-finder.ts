import type pg from 'pg';
import { type Busy, freeSlots, type Interval } from '../../domain/booking/availability.js';
import { slotPolicyOf } from '../../domain/booking/expert-events.js';
import { VIEWING_SLOT_POLICY } from '../../domain/booking/policy.js';
import type { SlotPolicy } from '../../domain/booking/schedule.js';
import { notFound } from '../../domain/shared/errors.js';
import { busySpans, viewingTarget } from '../../projections/booking/booking-lookups.js';
import type { ExpertCandidate } from '../../projections/booking/experts-queries.js';
import type { BookableProvider, ProviderDirectory } from './providers.js';

export interface SlotView {
  start: string;
  end: string;
}

export interface ViewingSlotView extends SlotView {
  /** How many staff members are free then (any one of them may be assigned). */
  freeStaff: number;
}

interface CacheEntry {
  slots: Interval[];
  policy: SlotPolicy;
  validUntil: number;
}

const CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 5_000;

/**
 * Free slots = availability − bookings − unexpired holds − buffers − off-time, within notice,
 * window and limits (slots.ts). Answers are cached per provider and range; `invalidate(providerId)`
 * drops a provider's entries when an event changes their calendar, shifts or availability (the
 * `slot-changes` reaction, across API instances through the realtime hub). An entry also ends at
 * the first hold's expiry in it, and slots that fall under the minimum notice are filtered at read.
 */
export function slotFinder(deps: { pool: pg.Pool; clock: () => Date; providers: ProviderDirectory }) {
  const { pool, clock, providers } = deps;
  const cache = new Map<string, Map<string, CacheEntry>>();

  function remember(providerId: string, key: string, entry: CacheEntry) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    const entries = cache.get(providerId) ?? new Map<string, CacheEntry>();
    entries.set(key, entry);
    cache.set(providerId, entries);
  }

  const fresh = (entry: CacheEntry, now: number) => {
    const earliest = now + entry.policy.minimumNoticeMinutes * 60_000;
    return entry.slots.filter((slot) => slot.start.getTime() >= earliest);
  };

  function computed(provider: BookableProvider, busy: Busy[], from: Date, to: Date, now: Date): CacheEntry {
    const slots = freeSlots({ schedule: provider.schedule, policy: provider.policy, busy, now, from, to });
    return { slots, policy: provider.policy, validUntil: now.getTime() + CACHE_TTL_MS };
  }

  async function slotsOf(providers: BookableProvider[], from: Date, to: Date, cacheKey: string) {
    const now = clock();
    const result = new Map<string, Interval[]>();
    const missing = providers.filter((p) => {
      const entry = cache.get(p.providerId)?.get(cacheKey);
      if (entry && entry.validUntil > now.getTime()) result.set(p.providerId, fresh(entry, now.getTime()));
      return !result.has(p.providerId);
    });
    if (missing.length > 0) {
      const busy = await busySpans(
        pool,
        missing.map((p) => p.providerId),
        from,
        to,
        now,
      );
      const holdsEnd = await holdExpiries(
        missing.map((p) => p.providerId),
        now,
      );
      for (const provider of missing) {
        const entry = computed(provider, busy.get(provider.providerId) ?? [], from, to, now);
        const firstExpiry = holdsEnd.get(provider.providerId);
        if (firstExpiry !== undefined) entry.validUntil = Math.min(entry.validUntil, firstExpiry);
        remember(provider.providerId, cacheKey, entry);
        result.set(provider.providerId, entry.slots);
      }
    }
    return result;
  }

  async function holdExpiries(providerIds: string[], now: Date) {
    const { rows } = await pool.query<{ provider_id: string; first: Date }>(
      `select provider_id, min(expires_at) as first from rm.calendar_spans
        where provider_id = any($1::uuid[]) and kind = 'hold' and expires_at > $2 group by provider_id`,
      [providerIds, now],
    );
    return new Map(rows.map((row) => [row.provider_id, row.first.getTime()]));
  }

  const view = (slot: Interval): SlotView => ({ start: slot.start.toISOString(), end: slot.end.toISOString() });

  /** An expert's slots for one service, or (no service) a sales staff member's viewing slots. */
  async function providerSlots(providerId: string, serviceId: string | null, from: Date, to: Date) {
    const provider =
      serviceId === null ? await providers.salesStaff(providerId) : await providers.expertOffer(providerId, serviceId);
    if (!provider) throw notFound('PROVIDER_NOT_FOUND', 'Không tìm thấy người nhận lịch hoặc dịch vụ');
    const key = `${serviceId ?? 'viewing'}|${from.toISOString()}|${to.toISOString()}`;
    const slots = (await slotsOf([provider], from, to, key)).get(providerId) ?? [];
    return {
      providerId,
      timeZone: provider.schedule.timeZone,
      durationMinutes: provider.policy.durationMinutes,
      slots: slots.map(view),
    };
  }

  /** A listing's viewing slots: times when at least one staff member covering its area is free. */
  async function viewingSlots(listingId: string, from: Date, to: Date) {
    const target = await viewingTarget(pool, listingId);
    if (!target?.visible) throw notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
    const staff = await providers.viewingStaff(target);
    const key = `viewing:${target.areaPath.join('/')}|${from.toISOString()}|${to.toISOString()}`;
    const byStaff = await slotsOf(staff, from, to, key);
    const merged = new Map<number, { slot: Interval; freeStaff: number }>();
    for (const slots of byStaff.values()) {
      for (const slot of slots) {
        const at = slot.start.getTime();
        const known = merged.get(at);
        if (known) known.freeStaff += 1;
        else merged.set(at, { slot, freeStaff: 1 });
      }
    }
    const slots: ViewingSlotView[] = [...merged.values()]
      .sort((a, b) => a.slot.start.getTime() - b.slot.start.getTime())
      .map(({ slot, freeStaff }) => ({ ...view(slot), freeStaff }));
    return { listingId, durationMinutes: VIEWING_SLOT_POLICY.durationMinutes, slots };
  }

  /**
   * Experts with a free slot in [from, to) and their soonest one, soonest first: "has a free slot
   * between dates" and "sort by soonest available slot" of the expert search. Each candidate is
   * offered with every service the search kept; the earliest slot of any of them counts.
   */
  async function soonestFree(candidates: ExpertCandidate[], from: Date, to: Date) {
    const offers = candidates.flatMap((candidate) =>
      candidate.services.map((service) => ({
        candidate,
        service,
        provider: {
          providerId: candidate.expertId,
          displayName: candidate.displayName,
          schedule: { ...candidate.schedule, timeZone: candidate.settings.timeZone },
          policy: slotPolicyOf(candidate.settings, service),
        },
      })),
    );
    const soonest = new Map<string, { expertId: string; serviceId: string; start: Date }>();
    const now = clock();
    const busy = await busySpans(pool, [...new Set(offers.map((o) => o.candidate.expertId))], from, to, now);
    for (const { candidate, service, provider } of offers) {
      const free = freeSlots({
        schedule: provider.schedule,
        policy: provider.policy,
        busy: busy.get(candidate.expertId) ?? [],
        now,
        from,
        to,
      });
      const first = free[0];
      const known = soonest.get(candidate.expertId);
      if (first && (!known || first.start < known.start))
        soonest.set(candidate.expertId, { expertId: candidate.expertId, serviceId: service.id, start: first.start });
    }
    return [...soonest.values()]
      .sort((a, b) => a.start.getTime() - b.start.getTime() || a.expertId.localeCompare(b.expertId))
      .map((s) => ({ expertId: s.expertId, serviceId: s.serviceId, soonestSlot: s.start.toISOString() }));
  }

  return {
    providerSlots,
    viewingSlots,
    soonestFree,
    invalidate(providerId: string) {
      cache.delete(providerId);
    },
  };
}

export type SlotFinder = ReturnType<typeof slotFinder>;
