import { describe, expect, test } from 'vitest';
import {
  type EventFilter,
  type EventStore,
  matchesFilter,
  type RecordedEvent,
} from '../../commands/eventstore/port.js';
import {
  collect,
  ids,
  metadata,
  newEvent,
  reader,
  textOfBytes,
  uniquePrefix,
  VIETNAMESE,
  waitForHead,
} from './eventstore-contract-helpers.js';

/** Filters on $all, and what must survive a round trip through the store. */
export function describeFilterAndPayloadCases(store: () => EventStore): void {
  test('filters by stream prefix and exact event type, on subscriptions and on readAll', async () => {
    const prefix = uniquePrefix('filter');
    const [booked, cancelled] = [`Booked${prefix.slice(6, -1)}`, `Cancelled${prefix.slice(6, -1)}`];
    // `bookedLate` starts with `booked`: event types must match exactly, not as prefixes.
    const bookedLate = `${booked}Late`;
    const plan: [string, string][] = [
      [`${prefix}room-1`, booked],
      [`x${prefix}room-1`, booked],
      [`${prefix}calendar-1`, cancelled],
      [`${prefix}room-1`, bookedLate],
      [`${prefix}calendar-1`, booked],
      [`x${prefix}room-1`, cancelled],
      [`${prefix}room-1`, cancelled],
    ];
    const start = await store().headPosition();
    const written: RecordedEvent[] = [];
    for (const [stream, type] of plan) {
      const event = newEvent(type, { stream });
      const { position } = await store().appendToStream(stream, [event], { expectedRevision: 'any' });
      written.push({ ...event, streamName: stream, revision: 0n, position, createdAt: new Date() });
    }
    await waitForHead(store(), written.at(-1)?.position ?? 0n);

    const filters: EventFilter[] = [
      { streamPrefixes: [`${prefix}room-`] },
      { eventTypes: [booked] },
      { streamPrefixes: [prefix], eventTypes: [cancelled] },
      { streamPrefixes: [`${prefix}room-`, `${prefix}calendar-`], eventTypes: [booked, bookedLate] },
    ];
    for (const filter of filters) {
      const expected = ids(written.filter((e) => matchesFilter(e, filter)));
      expect(ids(await store().readAll({ after: start, maxCount: 100, filter })), JSON.stringify(filter)).toEqual(
        expected,
      );
      const subscription = store().subscribeToAll({ from: start, filter });
      const delivered = await reader(subscription).take(expected.length);
      expect(ids(delivered), JSON.stringify(filter)).toEqual(expected);
      await subscription.close();
    }
  });

  describe('payloads', () => {
    test('Vietnamese text round-trips unchanged in data and metadata', async () => {
      const prefix = uniquePrefix('vi');
      const data = {
        title: VIETNAMESE,
        decomposed: 'Bách Khoa'.normalize('NFD'),
        'địa chỉ': { phường: 'Bách Khoa', quận: 'Hai Bà Trưng', thànhPhố: 'Hà Nội' },
        giá: [1_500_000, 2.5, -3, true, null, 'Đồng'],
      };
      const meta = metadata({ actorId: 'người-dùng-ư', userAgent: VIETNAMESE, roles: ['chủ nhà', 'khách'] });
      const event = newEvent('PhòngĐượcĐăng', data, meta);
      const { position } = await store().appendToStream(`${prefix}phòng-1`, [event], {
        expectedRevision: 'no_stream',
      });
      const [read] = await collect(store().readStream(`${prefix}phòng-1`));
      expect(read).toMatchObject({ type: 'PhòngĐượcĐăng', streamName: `${prefix}phòng-1`, data, metadata: meta });
      await waitForHead(store(), position);
      const [fromAll] = await store().readAll({ maxCount: 1, filter: { streamPrefixes: [prefix] } });
      expect(fromAll).toMatchObject({ data, metadata: meta });
    });

    test('1 MB payloads round-trip unchanged in data and in metadata', async () => {
      const prefix = uniquePrefix('big');
      const text = textOfBytes(1_000_000);
      expect(Buffer.byteLength(text)).toBeGreaterThan(990_000);
      const bigData = newEvent('BigData', { text, nested: { list: [text.slice(0, 1000), 42] } });
      const bigMetadata = newEvent('BigMetadata', { small: true }, metadata({ userAgent: text }));
      await store().appendToStream(`${prefix}a`, [bigData], { expectedRevision: 'no_stream' });
      const { position } = await store().appendToStream(`${prefix}a`, [bigMetadata], { expectedRevision: 0n });

      const read = await collect(store().readStream(`${prefix}a`));
      expect(read.map((e) => ({ data: e.data, metadata: e.metadata }))).toEqual(
        [bigData, bigMetadata].map((e) => ({ data: e.data, metadata: e.metadata })),
      );
      await waitForHead(store(), position);
      const fromAll = await store().readAll({ maxCount: 10, filter: { streamPrefixes: [prefix] } });
      expect(fromAll.map((e) => e.data)).toEqual([bigData.data, bigMetadata.data]);
      expect(fromAll[1]?.metadata).toEqual(bigMetadata.metadata);
    });
  });
}
