import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { ExpectedRevision, RecordedEvent } from '../../commands/eventstore/port.js';
import {
  type ContractContext,
  collect,
  consumeUntil,
  expectStrictlyIncreasing,
  ids,
  newEvent,
  newEvents,
  rejection,
  sleep,
  uniquePrefix,
  withTimeout,
} from './eventstore-contract-helpers.js';

/** Late commits under concurrent writers, and expected revisions against a model. */
export function describeConcurrencyCases(context: () => ContractContext): void {
  const store = () => context().store;

  test('gap test: subscribers see every event of 8 concurrent writers exactly once, in order', async () => {
    const writers = 8;
    const perWriter = 500;
    const total = writers * perWriter;
    const prefix = uniquePrefix('gap');
    const ours = (e: RecordedEvent) => e.streamName.startsWith(prefix);
    const progress = { unfiltered: { seen: [] as RecordedEvent[] }, filtered: { seen: [] as RecordedEvent[] } };
    const subscriptions = [
      store().subscribeToAll({ from: 'start' }),
      store().subscribeToAll({ from: 'start', filter: { streamPrefixes: [prefix] } }),
    ] as const;
    const unfiltered = consumeUntil(subscriptions[0], ours, total, progress.unfiltered);
    const filtered = consumeUntil(subscriptions[1], () => true, total, progress.filtered);
    const delivered = Promise.all([unfiltered, filtered]);
    delivered.catch(() => undefined); // awaited below; keeps an early writer failure the reported one

    const appended: string[] = [];
    const { appendLate } = context();
    let all: RecordedEvent[];
    let onlyOurs: RecordedEvent[];
    try {
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          const stream = `${prefix}${writer % 4}`; // two writers per stream, both with 'any'
          for (let i = 0; i < perWriter; i++) {
            const event = newEvent('Written', { writer, i });
            appended.push(event.eventId);
            const delayMs = Math.random() * 5;
            if (appendLate) {
              await appendLate(stream, [event], 'any', delayMs);
            } else {
              await sleep(delayMs);
              await store().appendToStream(stream, [event], { expectedRevision: 'any' });
            }
          }
        }),
      );
      const counts = () =>
        `unfiltered saw ${progress.unfiltered.seen.length}, filtered ${progress.filtered.seen.length} of ${total}`;
      [all, onlyOurs] = await withTimeout(delivered, 20_000, counts);
    } finally {
      await Promise.all(subscriptions.map((s) => s.close()));
    }
    for (const seen of [all, onlyOurs]) {
      expect(new Set(ids(seen)).size).toBe(total);
      expect(new Set(ids(seen))).toEqual(new Set(appended));
      expectStrictlyIncreasing(seen.map((e) => e.position));
    }
    expect(ids(onlyOurs)).toEqual(ids(all));
    for (let stream = 0; stream < 4; stream++) {
      const revisions = (await collect(store().readStream(`${prefix}${stream}`))).map((e) => Number(e.revision));
      expect(revisions).toEqual(Array.from({ length: 2 * perWriter }, (_, i) => i));
    }
  }, 60_000);

  test('accepts exactly the appends whose expected revision matches a model of the stream', async () => {
    const expectation = fc.oneof(
      fc.constantFrom<ExpectedRevision>('any', 'no_stream', 'stream_exists'),
      fc.bigInt({ min: 0n, max: 5n }),
    );
    const step = fc.record({ expected: expectation, count: fc.integer({ min: 1, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        const stream = `${uniquePrefix('model')}a`;
        let current: bigint | null = null;
        const accepted: string[] = [];
        for (const { expected, count } of steps) {
          const events = newEvents(count, 'Stepped');
          const matches =
            expected === 'any' ||
            (expected === 'no_stream' && current === null) ||
            (expected === 'stream_exists' && current !== null) ||
            expected === current;
          const attempt = store().appendToStream(stream, events, { expectedRevision: expected });
          if (matches) {
            current = (current ?? -1n) + BigInt(count);
            expect((await attempt).nextExpectedRevision).toBe(current);
            accepted.push(...ids(events));
          } else {
            expect(await rejection(attempt)).toMatchObject({ expected, actual: current ?? 'no_stream' });
          }
        }
        expect(ids(await collect(store().readStream(stream)))).toEqual(accepted);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
}
