import type { Logger } from 'pino';
import { batches } from '../projections/batches.js';
import type { EventFilter, EventStore, RecordedEvent } from './eventstore/port.js';

/** Up to this many events that arrived together are handed over at once. */
const LIVE_BATCH = 500;

/**
 * Runs `onEvents` for the new events matching `filter`, from the store's end, in order, with the
 * events that arrived together in one call (a push that waits for a read model waits once per
 * batch, not once per event): for pushes and cache drops, where the past needs nothing. Not a
 * checkpointed projection, so waiting for a read model inside `onEvents` holds no other
 * subscriber back.
 */
export function startLiveSubscription(
  deps: { store: EventStore; logger: Logger },
  name: string,
  filter: EventFilter,
  onEvents: (events: RecordedEvent[]) => Promise<void>,
) {
  const subscription = deps.store.subscribeToAll({ from: 'end', filter });
  const running = (async () => {
    for await (const events of batches(subscription, LIVE_BATCH)) await onEvents(events);
  })().catch((error: unknown) => deps.logger.error({ err: error }, `${name} stopped`));
  return {
    async stop() {
      await subscription.close();
      await running;
    },
  };
}
