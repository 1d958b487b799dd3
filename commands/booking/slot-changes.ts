import type pg from 'pg';
import type { Logger } from 'pino';
import type { RealtimeHub } from '../../api/realtime/hub.js';
import { waitForProjection } from '../../projections/status.js';
import type { EventStore } from '../eventstore/port.js';
import { startLiveSubscription } from '../live-subscription.js';

/** Hub key of the clients watching one provider's calendar (`{ type: 'watch', data: { calendar } }` on /ws). */
export const calendarTopic = (providerId: string) => `calendar:${providerId}`;
/** Hub key every API instance listens on to drop its cached slots of a provider. */
export const SLOT_CACHE_TOPIC = 'slots:invalidate';

const PREFIXES = { calendar: 'calendar-', expert: 'expert-', shifts: 'shifts-' } as const;

/** `calendar-<uuid>-<yyyy-mm-dd>`, `expert-<uuid>`, `shifts-<uuid>` → the provider and the read model slot queries use. */
function changeOf(stream: string): { providerId: string; readModel: string; day: string | null } | null {
  if (stream.startsWith(PREFIXES.calendar)) {
    const providerId = stream.slice(PREFIXES.calendar.length, PREFIXES.calendar.length + 36);
    return { providerId, readModel: 'bookings', day: stream.slice(-10) };
  }
  if (stream.startsWith(PREFIXES.expert))
    return { providerId: stream.slice(PREFIXES.expert.length), readModel: 'experts', day: null };
  if (stream.startsWith(PREFIXES.shifts))
    return { providerId: stream.slice(PREFIXES.shifts.length), readModel: 'shifts', day: null };
  return null;
}

/**
 * Tells the world that a provider's free slots changed: every new event of a day calendar, an
 * expert's availability, settings or services, or a staff member's shifts. Once the read model
 * the slot queries read holds the event, slot caches drop the provider's entries and sockets
 * watching that calendar get `slots.changed` to refetch (a live subscription: the past needs none).
 * Events that arrive together wait for each read model once.
 */
export function startSlotChangeNotifier(deps: { store: EventStore; pool: pg.Pool; hub: RealtimeHub; logger: Logger }) {
  const filter = { streamPrefixes: Object.values(PREFIXES) };
  return startLiveSubscription(deps, 'slot change notifier', filter, async (events) => {
    const changes = events.flatMap((event) => {
      const change = changeOf(event.streamName);
      return change ? [{ ...change, position: event.position }] : [];
    });
    // Each read model once, up to the last of the batch's events it must hold.
    const waits = new Map<string, bigint>();
    for (const { readModel, position } of changes) waits.set(readModel, position);
    await Promise.all(
      [...waits].map(([readModel, position]) => waitForProjection(deps.pool, readModel, position, 5_000)),
    );
    await Promise.all(
      changes.flatMap(({ providerId, day }) => [
        deps.hub.publish(SLOT_CACHE_TOPIC, { type: 'slots.invalidate', data: { providerId } }),
        deps.hub.publish(calendarTopic(providerId), {
          type: 'slots.changed',
          data: { providerId, days: day ? [day] : [] },
        }),
      ]),
    );
  });
}
