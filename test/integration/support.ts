import type { EventStore, NewEvent } from '../../commands/eventstore/port.js';
import { eventMetadata, systemMetadata } from '../../commands/metadata.js';

export const newEvent = (type: string, data: unknown = {}): NewEvent => ({
  eventId: crypto.randomUUID(),
  type,
  data,
  metadata: eventMetadata(systemMetadata('test'), new Date(), 1),
});

/** `count` events spread over `streams` streams named `<prefix><n>`, appended in small batches. */
export async function appendMany(store: EventStore, prefix: string, streams: number, count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) =>
      newEvent(`Counted${(i + j) % 3}`, { n: i + j }),
    );
    await store.appendToStream(`${prefix}${(i / 10) % streams}`, batch, { expectedRevision: 'any' });
  }
}
