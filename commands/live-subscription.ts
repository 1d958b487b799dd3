import type { Logger } from 'pino';
import type { EventFilter, EventStore, RecordedEvent } from './eventstore/port.js';

/**
 * Runs `onEvent` for every new event matching `filter`, from the store's end: for pushes and cache
 * drops, where the past needs nothing. Not a checkpointed projection, so waiting for a read model
 * inside `onEvent` holds no other subscriber back.
 */
export function startLiveSubscription(
  deps: { store: EventStore; logger: Logger },
  name: string,
  filter: EventFilter,
  onEvent: (event: RecordedEvent) => Promise<void>,
) {
  const subscription = deps.store.subscribeToAll({ from: 'end', filter });
  const running = (async () => {
    for await (const event of subscription) await onEvent(event);
  })().catch((error: unknown) => deps.logger.error({ err: error }, `${name} stopped`));
  return {
    async stop() {
      await subscription.close();
      await running;
    },
  };
}
