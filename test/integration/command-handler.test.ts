import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WrongExpectedVersion } from '../../commands/eventstore/port.js';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { commandHandler } from '../../commands/handler.js';
import type { CommandMetadata } from '../../commands/metadata.js';
import type { Decider, DomainEvent } from '../../domain/shared/decider.js';
import { conflict } from '../../domain/shared/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

type Booked = DomainEvent<'SeatBooked', { seat: number; by: string }>;
type Book = { seat: number; by: string };

/** A tiny theatre: a seat can be booked once; the stream decides. */
const theatre: Decider<Book, Set<number>, Booked> = {
  initialState: () => new Set(),
  evolve: (taken, event) => taken.add(event.data.seat),
  decide: (command, taken) =>
    taken.has(command.seat)
      ? conflict('SEAT_TAKEN', `Seat ${command.seat} is taken`)
      : [{ type: 'SeatBooked', data: { seat: command.seat, by: command.by } }],
};

const metadata = (overrides: Partial<CommandMetadata> = {}): CommandMetadata => ({
  actorId: 'user-1',
  actAsId: null,
  roles: ['customer'],
  correlationId: crypto.randomUUID(),
  causationId: null,
  idempotencyKey: null,
  ip: '10.0.0.7',
  userAgent: 'vitest',
  ...overrides,
});

let db: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

const clock = () => new Date('2026-11-22T10:00:00Z');
const eventsOf = async (stream: string) => {
  const events = [];
  for await (const e of store.readStream(stream)) events.push(e);
  return events;
};

describe('command handler', () => {
  test('40 simultaneous bookings of different seats all land, each once, by retrying conflicts', async () => {
    const book = commandHandler({ store, clock, maxAttempts: 50 }, { decider: theatre, stream: () => 'show-a' });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, seat) => book({ seat, by: `u${seat}` }, metadata())),
    );
    expect(results.every((r) => r.events.length === 1)).toBe(true);
    const seats = (await eventsOf('show-a')).map((e) => (e.data as Booked['data']).seat).sort((a, b) => a - b);
    expect(seats).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  test('40 simultaneous bookings of one seat: exactly one wins, the others are refused', async () => {
    const book = commandHandler({ store, clock, maxAttempts: 50 }, { decider: theatre, stream: () => 'show-b' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => book({ seat: 7, by: `u${i}` }, metadata())),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const reasons = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code?: string }).code] : []));
    expect(new Set(reasons)).toEqual(new Set(['SEAT_TAKEN']));
    expect(await eventsOf('show-b')).toHaveLength(1);
  });

  test('retries are bounded: with one attempt, racing writers get WrongExpectedVersion', async () => {
    const book = commandHandler({ store, clock, maxAttempts: 1 }, { decider: theatre, stream: () => 'show-c' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, seat) => book({ seat, by: 'u' }, metadata())),
    );
    const failures = outcomes.filter((o) => o.status === 'rejected');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((o) => o.status === 'rejected' && o.reason instanceof WrongExpectedVersion)).toBe(true);
    expect(await eventsOf('show-c')).toHaveLength(20 - failures.length);
  });

  test('a retry with the same idempotency key returns the first events and appends nothing', async () => {
    const book = commandHandler({ store, clock }, { decider: theatre, stream: () => 'show-d' });
    const first = await book({ seat: 1, by: 'ann' }, metadata({ idempotencyKey: 'key-123456' }));
    const again = await book({ seat: 1, by: 'ann' }, metadata({ idempotencyKey: 'key-123456' }));
    expect(again.events).toEqual(first.events);
    expect(again.position).toBe(first.position);
    expect(await eventsOf('show-d')).toHaveLength(1);
  });

  test('events carry the full metadata', async () => {
    const book = commandHandler({ store, clock }, { decider: theatre, stream: () => 'show-e', schemaVersion: 2 });
    await book(
      { seat: 3, by: 'bob' },
      metadata({ actAsId: 'user-9', correlationId: 'corr-1', causationId: 'cause-1' }),
    );
    const [event] = await eventsOf('show-e');
    expect(event?.metadata).toEqual({
      actorId: 'user-1',
      actAsId: 'user-9',
      roles: ['customer'],
      correlationId: 'corr-1',
      causationId: 'cause-1',
      idempotencyKey: null,
      ip: '10.0.0.7',
      userAgent: 'vitest',
      occurredAt: '2026-11-22T10:00:00.000Z',
      schemaVersion: 2,
    });
  });
});

type LedgerCommand = { type: 'Open' } | { type: 'Note'; text: string };
type LedgerEvent = DomainEvent<'Opened', Record<string, never>> | DomainEvent<'Noted', { text: string }>;
const notebook: Decider<LedgerCommand, { open: boolean }, LedgerEvent> = {
  initialState: () => ({ open: false }),
  evolve: (state, event) => (event.type === 'Opened' ? { open: true } : state),
  decide: (command, state) =>
    command.type === 'Open'
      ? state.open
        ? conflict('OPEN', 'already open')
        : [{ type: 'Opened', data: {} }]
      : [{ type: 'Noted', data: { text: command.text } }],
};

test('two different commands of one keyed request on one stream both land; each retried alone does not', async () => {
  const handle = commandHandler({ store, clock }, { decider: notebook, stream: () => 'notebook-1' });
  const keyed = metadata({ idempotencyKey: 'request-42' });
  await handle({ type: 'Open' }, keyed);
  await handle({ type: 'Note', text: 'first' }, keyed);
  await handle({ type: 'Open' }, keyed); // a retry: answered from the stream, not decided again
  await handle({ type: 'Note', text: 'first' }, keyed);
  expect((await eventsOf('notebook-1')).map((e) => e.type)).toEqual(['Opened', 'Noted']);
});
