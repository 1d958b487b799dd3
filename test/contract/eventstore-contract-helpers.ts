import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, vi } from 'vitest';
import {
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type RecordedEvent,
  type Subscription,
  WrongExpectedVersion,
} from '../../commands/eventstore/port.js';

export { sleep };

export interface ContractContext {
  store: EventStore;
  /** Appends inside a transaction that stays open `delayMs` before it commits (Postgres). */
  appendLate?: (
    stream: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision,
    delayMs: number,
  ) => Promise<void>;
  dispose(): Promise<void>;
}

export const VIETNAMESE =
  'Phòng trọ giá rẻ gần Đại học Bách Khoa, quận Hai Bà Trưng — điện nước giá nhà nước. ' +
  'Chủ nhà thân thiện, có chỗ để xe máy; ưu tiên sinh viên nữ. Liên hệ: anh Dũng 0912 345 678.';

/** A prefix no other test uses, so that tests never see each other's streams. */
export function uniquePrefix(label: string): string {
  return `${label}${randomBytes(5).toString('hex')}-`;
}

export function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    actorId: 'user-1',
    actAsId: null,
    roles: ['admin'],
    correlationId: randomUUID(),
    causationId: null,
    idempotencyKey: null,
    ip: '127.0.0.1',
    userAgent: 'vitest',
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
    ...overrides,
  };
}

export function newEvent(type: string, data: unknown = {}, meta: EventMetadata = metadata()): NewEvent {
  return { eventId: randomUUID(), type, data, metadata: meta };
}

export function newEvents(count: number, type = 'Happened'): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent(type, { i }));
}

/** A string of about `bytes` bytes in UTF-8, with multi-byte letters, emoji and JSON escapes. */
export function textOfBytes(bytes: number): string {
  const unit = `${VIETNAMESE} "trích dẫn" \\ tab\t dòng mới\n 🏠🔑 \u2028 `;
  return unit.repeat(Math.floor(bytes / Buffer.byteLength(unit)));
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export const ids = (events: { eventId: string }[]) => events.map((e) => e.eventId);

export function expectStrictlyIncreasing(positions: Position[]): void {
  for (let i = 1; i < positions.length; i++) {
    const [before, after] = [positions[i - 1] as Position, positions[i] as Position];
    if (after <= before) expect.fail(`position ${after} delivered after ${before} (index ${i})`);
  }
}

/** Postgres only hands out positions whose transactions have all finished: wait for that. */
export async function waitForHead(store: EventStore, position: Position): Promise<void> {
  await vi.waitFor(async () => expect(await store.headPosition()).toBeGreaterThanOrEqual(position), {
    timeout: 10_000,
    interval: 20,
  });
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a subscription one event at a time, failing instead of hanging. */
export function reader(subscription: Subscription) {
  const iterator = subscription[Symbol.asyncIterator]();
  const next = async (timeoutMs = 10_000): Promise<RecordedEvent> => {
    const result = await withTimeout(iterator.next(), timeoutMs, () => 'no event delivered');
    if (result.done) throw new Error('subscription ended');
    return result.value;
  };
  return {
    next,
    async take(count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> {
      const taken: RecordedEvent[] = [];
      while (taken.length < count) taken.push(await next(timeoutMs));
      return taken;
    },
  };
}

/**
 * Consumes a subscription until `count` events satisfying `wanted` arrived, checking that every
 * delivered event's position is strictly greater than the previous one's.
 */
export async function consumeUntil(
  subscription: Subscription,
  wanted: (event: RecordedEvent) => boolean,
  count: number,
  progress: { seen: RecordedEvent[] } = { seen: [] },
): Promise<RecordedEvent[]> {
  let last: Position = -1n;
  for await (const event of subscription) {
    if (event.position <= last) throw new Error(`position ${event.position} delivered after ${last}`);
    last = event.position;
    if (!wanted(event)) continue;
    progress.seen.push(event);
    if (progress.seen.length === count) break;
  }
  await subscription.close();
  return progress.seen;
}

/** The WrongExpectedVersion an append must be rejected with. */
export async function rejection(append: Promise<unknown>): Promise<WrongExpectedVersion> {
  const error = await append.then(
    () => expect.fail('the append should have been rejected'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedVersion);
  return error as WrongExpectedVersion;
}
