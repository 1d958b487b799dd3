import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExpectedRevision } from '../../commands/eventstore/port.js';
import { describeConcurrencyCases } from './eventstore-contract-concurrency.js';
import { describeFilterAndPayloadCases } from './eventstore-contract-data.js';
import {
  type ContractContext,
  collect,
  expectStrictlyIncreasing,
  ids,
  newEvent,
  newEvents,
  reader,
  rejection,
  sleep,
  uniquePrefix,
  waitForHead,
} from './eventstore-contract-helpers.js';

export type { ContractContext };

/** The behaviour every EventStore adapter must have (DESIGN.md §4). */
export function describeEventStoreContract(name: string, factory: () => Promise<ContractContext>): void {
  describe(`EventStore contract: ${name}`, () => {
    let context: ContractContext;
    const store = () => context.store;

    beforeAll(async () => {
      context = await factory();
    }, 300_000);
    afterAll(async () => {
      await context?.dispose();
    });

    describe('expected revision', () => {
      test('no_stream creates a stream whose first event has revision 0', async () => {
        const stream = `${uniquePrefix('new')}a`;
        const events = newEvents(2, 'Created');
        const result = await store().appendToStream(stream, events, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1n);
        const read = await collect(store().readStream(stream));
        expect(read.map((e) => [e.eventId, e.type, e.streamName, e.revision])).toEqual([
          [events[0]?.eventId, 'Created', stream, 0n],
          [events[1]?.eventId, 'Created', stream, 1n],
        ]);
        expect(read[0]?.createdAt).toBeInstanceOf(Date);
      });

      test('no_stream on an existing stream and stream_exists on a missing one fail with the actual state', async () => {
        const stream = `${uniquePrefix('exists')}a`;
        const missing = `${uniquePrefix('missing')}a`;
        await store().appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });

        const noStream = await rejection(
          store().appendToStream(stream, newEvents(1), { expectedRevision: 'no_stream' }),
        );
        expect(noStream).toMatchObject({ stream, expected: 'no_stream', actual: 1n });
        const exists = await rejection(
          store().appendToStream(missing, newEvents(1), { expectedRevision: 'stream_exists' }),
        );
        expect(exists).toMatchObject({ stream: missing, expected: 'stream_exists', actual: 'no_stream' });

        expect(await collect(store().readStream(stream))).toHaveLength(2);
        expect(await collect(store().readStream(missing))).toEqual([]);
        const appended = await store().appendToStream(stream, newEvents(1), { expectedRevision: 'stream_exists' });
        expect(appended.nextExpectedRevision).toBe(2n);
      });

      test('any appends to a missing stream and to an existing one', async () => {
        const stream = `${uniquePrefix('any')}a`;
        expect(
          (await store().appendToStream(stream, newEvents(1), { expectedRevision: 'any' })).nextExpectedRevision,
        ).toBe(0n);
        expect(
          (await store().appendToStream(stream, newEvents(2), { expectedRevision: 'any' })).nextExpectedRevision,
        ).toBe(2n);
      });

      test('an exact revision appends only when it is the current one', async () => {
        const stream = `${uniquePrefix('exact')}a`;
        const missing = await rejection(store().appendToStream(stream, newEvents(1), { expectedRevision: 0n }));
        expect(missing).toMatchObject({ stream, expected: 0n, actual: 'no_stream' });

        await store().appendToStream(stream, newEvents(1), { expectedRevision: 'no_stream' });
        const next = await store().appendToStream(stream, newEvents(2), { expectedRevision: 0n });
        expect(next.nextExpectedRevision).toBe(2n);
        expect(await rejection(store().appendToStream(stream, newEvents(1), { expectedRevision: 0n }))).toMatchObject({
          expected: 0n,
          actual: 2n,
        });
        expect(await rejection(store().appendToStream(stream, newEvents(1), { expectedRevision: 5n }))).toMatchObject({
          expected: 5n,
          actual: 2n,
        });
        expect((await collect(store().readStream(stream))).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      });
    });

    describe('idempotent appends', () => {
      test.each<[string, ExpectedRevision]>([
        ['no_stream', 'no_stream'],
        ['an exact revision', 0n],
      ])('the same batch retried with %s succeeds and is stored once', async (_, expectedRevision) => {
        const prefix = uniquePrefix('idem');
        const stream = `${prefix}a`;
        if (expectedRevision !== 'no_stream') {
          await store().appendToStream(stream, newEvents(1, 'First'), { expectedRevision: 'no_stream' });
        }
        const batch = newEvents(3, 'Retried');
        const first = await store().appendToStream(stream, batch, { expectedRevision });
        const retried = await store().appendToStream(stream, batch, { expectedRevision });
        expect(retried).toEqual(first);

        const inStream = await collect(store().readStream(stream));
        expect(ids(inStream).slice(-3)).toEqual(ids(batch));
        expect(inStream).toHaveLength(expectedRevision === 'no_stream' ? 3 : 4);
        await waitForHead(store(), first.position);
        const inAll = await store().readAll({ maxCount: 100, filter: { streamPrefixes: [prefix] } });
        expect(ids(inAll)).toEqual(ids(inStream));
        expect(inAll.at(-1)?.position).toBe(first.position);
      });
    });

    describe('reading', () => {
      test('a stream forwards and backwards, with maxCount and fromRevision', async () => {
        const stream = `${uniquePrefix('read')}a`;
        const events = newEvents(5);
        await store().appendToStream(stream, events, { expectedRevision: 'no_stream' });
        const revisions = async (options: Parameters<ReturnType<typeof store>['readStream']>[1]) =>
          (await collect(store().readStream(stream, options))).map((e) => Number(e.revision));

        expect(ids(await collect(store().readStream(stream)))).toEqual(ids(events));
        expect(await revisions({ maxCount: 2 })).toEqual([0, 1]);
        expect(await revisions({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
        expect(await revisions({ direction: 'backwards', maxCount: 2 })).toEqual([4, 3]);
        expect(await revisions({ fromRevision: 2n })).toEqual([2, 3, 4]);
        expect(await revisions({ fromRevision: 1n, maxCount: 2 })).toEqual([1, 2]);
        expect(await revisions({ fromRevision: 2n, direction: 'backwards' })).toEqual([2, 1, 0]);
        expect(await revisions({ fromRevision: 3n, direction: 'backwards', maxCount: 2 })).toEqual([3, 2]);
        expect(await collect(store().readStream(`${uniquePrefix('none')}a`))).toEqual([]);
      });

      test('$all in pages strictly after a position, and the head position', async () => {
        const prefix = uniquePrefix('all');
        const events = newEvents(5);
        const result = await store().appendToStream(`${prefix}a`, events, { expectedRevision: 'no_stream' });
        await waitForHead(store(), result.position);
        expect(await store().headPosition()).toBe(result.position);

        const filter = { streamPrefixes: [prefix] };
        const firstPage = await store().readAll({ maxCount: 2, filter });
        expect(ids(firstPage)).toEqual(ids(events.slice(0, 2)));
        const rest = await store().readAll({ after: firstPage[1]?.position, maxCount: 10, filter });
        expect(ids(rest)).toEqual(ids(events.slice(2)));
        expectStrictlyIncreasing([...firstPage, ...rest].map((e) => e.position));
        expect(await store().readAll({ after: result.position, maxCount: 10, filter })).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      test('catches up from the start, then delivers live events', async () => {
        const prefix = uniquePrefix('live');
        const early = newEvents(3, 'Early');
        await store().appendToStream(`${prefix}a`, early, { expectedRevision: 'no_stream' });
        const subscription = store().subscribeToAll({ from: 'start', filter: { streamPrefixes: [prefix] } });
        const events = reader(subscription);
        const caughtUp = await events.take(3);
        expect(ids(caughtUp)).toEqual(ids(early));

        const late = newEvents(2, 'Late');
        const waiting = events.next();
        await sleep(20); // let the subscriber reach its live wait first

        await store().appendToStream(`${prefix}b`, late.slice(0, 1), { expectedRevision: 'no_stream' });
        await store().appendToStream(`${prefix}a`, late.slice(1), { expectedRevision: 2n });
        const live = [await waiting, await events.next()];
        expect(ids(live)).toEqual(ids(late));
        expectStrictlyIncreasing([...caughtUp, ...live].map((e) => e.position));
        await subscription.close();
      });

      test("from 'end' delivers only events appended after subscribing", async () => {
        const prefix = uniquePrefix('end');
        const stream = `${prefix}a`;
        const before = newEvents(2, 'Before');
        const written = await store().appendToStream(stream, before, { expectedRevision: 'no_stream' });
        // 'end' is the head a subscriber may be handed; Postgres holds it back while any transaction
        // on the server is open, so let it pass the events written before.
        await waitForHead(store(), written.position);
        const subscription = store().subscribeToAll({ from: 'end', filter: { streamPrefixes: [prefix] } });
        const events = reader(subscription);
        const first = events.next(15_000);
        let delivered = false;
        void first.then(
          () => {
            delivered = true;
          },
          () => undefined,
        );
        // An adapter may fix 'end' only when reading starts, so keep appending until one arrives.
        const after: string[] = [];
        while (!delivered && after.length < 100) {
          const event = newEvent('After');
          after.push(event.eventId);
          await store().appendToStream(stream, [event], { expectedRevision: 'any' });
          await sleep(25);
        }
        const received = [await first];
        const last = newEvent('After');
        after.push(last.eventId);
        await store().appendToStream(stream, [last], { expectedRevision: 'any' });
        while (received.at(-1)?.eventId !== last.eventId) received.push(await events.next());

        const indexes = received.map((e) => after.indexOf(e.eventId));
        expect(indexes.every((i) => i >= 0)).toBe(true);
        expect(new Set(indexes).size).toBe(indexes.length);
        expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
        await subscription.close();
      });

      test('from a position delivers the events strictly after it', async () => {
        const prefix = uniquePrefix('pos');
        const events = newEvents(4);
        const results = [];
        for (const [i, event] of events.entries()) {
          const expectedRevision = i === 0 ? 'no_stream' : BigInt(i - 1);
          results.push(await store().appendToStream(`${prefix}a`, [event], { expectedRevision }));
        }
        const from = results[1]?.position ?? expect.fail('no position');
        const subscription = store().subscribeToAll({ from, filter: { streamPrefixes: [prefix] } });
        const delivered = await reader(subscription).take(2);
        expect(ids(delivered)).toEqual(ids(events.slice(2)));
        expect(delivered.map((e) => e.position)).toEqual(results.slice(2).map((r) => r.position));
        await subscription.close();
      });
    });

    describeFilterAndPayloadCases(store);
    describeConcurrencyCases(() => context);
  });
}
