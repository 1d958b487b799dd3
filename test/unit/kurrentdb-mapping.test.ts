import { randomUUID } from 'node:crypto';
import {
  type AllStreamResolvedEvent,
  ANY,
  NO_STREAM,
  type ResolvedEvent,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { describe, expect, test } from 'vitest';
import { createEventStore } from '../../commands/eventstore/index.js';
import {
  fromClientPosition,
  isKurrentDbUrl,
  isStreamNotFound,
  isWanted,
  normalizeConnectionString,
  toActualRevision,
  toClientPosition,
  toEventData,
  toRecordedEvent,
  toServerFilter,
  toStreamState,
  toWrongExpectedVersion,
  UNKNOWN_POSITION,
} from '../../commands/eventstore/kurrentdb-mapping.js';
import { type EventMetadata, type RecordedEvent, WrongExpectedVersion } from '../../commands/eventstore/port.js';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';

const metadata: EventMetadata = {
  actorId: 'user-1',
  actAsId: 'user-2',
  roles: ['admin'],
  correlationId: 'c-1',
  causationId: null,
  idempotencyKey: 'k-1',
  ip: '10.0.0.1',
  userAgent: 'Trình duyệt',
  occurredAt: '2025-01-02T03:04:05.000Z',
  schemaVersion: 2,
};

function recorded(overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    eventId: randomUUID(),
    type: 'RoomListed',
    streamName: 'room-1',
    revision: 0n,
    position: 100n,
    data: {},
    metadata,
    createdAt: new Date(0),
    ...overrides,
  };
}

describe('connection strings', () => {
  test.each([
    ['esdb://localhost:2113?tls=false', 'kurrentdb://localhost:2113?tls=false'],
    ['esdb+discover://a:1,b:2', 'kurrentdb+discover://a:1,b:2'],
    ['kurrentdb://admin:changeit@db:2113', 'kurrentdb://admin:changeit@db:2113'],
    ['kurrentdb+discover://db:2113', 'kurrentdb+discover://db:2113'],
  ])('%s is handed to the client as %s', (url, normalized) => {
    expect(isKurrentDbUrl(url)).toBe(true);
    expect(normalizeConnectionString(url)).toBe(normalized);
  });

  test.each(['postgres://localhost/db', 'http://localhost:2113', '', 'kurrent://x'])('%s is not KurrentDB', (url) => {
    expect(isKurrentDbUrl(url)).toBe(false);
    expect(() => normalizeConnectionString(url)).toThrow();
  });

  test('createEventStore picks the adapter from the URL', async () => {
    const pool = {} as never;
    expect(createEventStore({ pool })).toBeInstanceOf(PostgresEventStore);
    expect(createEventStore({ pool, eventStoreUrl: 'postgres://x/y' })).toBeInstanceOf(PostgresEventStore);
    const kurrent = createEventStore({ pool, eventStoreUrl: 'kurrentdb://127.0.0.1:1?tls=false' });
    expect(kurrent.constructor.name).toBe('KurrentDbEventStore');
    await kurrent.close();
  });
});

describe('expected revision and conflicts', () => {
  test('our expected revisions are the client stream states', () => {
    expect(toStreamState('no_stream')).toBe(NO_STREAM);
    expect(toStreamState('stream_exists')).toBe(STREAM_EXISTS);
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState(7n)).toBe(7n);
    expect(() => toStreamState(-1n)).toThrow(RangeError);
  });

  test('the actual state: a revision, or no_stream however the server says it', () => {
    expect(toActualRevision(3n)).toBe(3n);
    expect(toActualRevision(0n)).toBe(0n);
    expect(toActualRevision('no_stream')).toBe('no_stream');
    expect(toActualRevision(-1n)).toBe('no_stream');
  });

  test("the client's WrongExpectedVersionError becomes ours, keeping what the caller expected", () => {
    const conflict = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 5n, current: 2n });
    const mapped = toWrongExpectedVersion(conflict, 's', 5n);
    expect(mapped).toBeInstanceOf(WrongExpectedVersion);
    expect(mapped).toMatchObject({ stream: 's', expected: 5n, actual: 2n });

    const missing = new WrongExpectedVersionError(undefined, {
      streamName: 's',
      expected: 'stream_exists',
      current: 'no_stream',
    });
    expect(toWrongExpectedVersion(missing, 's', 'stream_exists')).toMatchObject({
      expected: 'stream_exists',
      actual: 'no_stream',
    });
  });

  test('other errors are not conflicts', () => {
    expect(toWrongExpectedVersion(new Error('boom'), 's', 'any')).toBeNull();
    expect(toWrongExpectedVersion(new StreamNotFoundError(undefined, 's'), 's', 'any')).toBeNull();
    expect(toWrongExpectedVersion('not an error', 's', 'any')).toBeNull();
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 's'))).toBe(true);
    expect(isStreamNotFound(new Error('s not found'))).toBe(false);
  });
});

describe('positions', () => {
  test('our position is the commit position, sent back as both halves', () => {
    expect(toClientPosition(1234n)).toEqual({ commit: 1234n, prepare: 1234n });
    expect(fromClientPosition({ commit: 1234n, prepare: 1200n })).toBe(1234n);
    expect(fromClientPosition(toClientPosition(0n))).toBe(0n);
  });

  test('missing or placeholder positions are unknown', () => {
    expect(fromClientPosition(undefined)).toBe(UNKNOWN_POSITION);
    expect(fromClientPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toBe(UNKNOWN_POSITION);
    expect(fromClientPosition({ commit: -1n, prepare: -1n })).toBe(UNKNOWN_POSITION);
  });
});

describe('filters', () => {
  test('stream prefixes go to the server as a stream name filter', () => {
    expect(toServerFilter({ streamPrefixes: ['room-', 'calendar-'] })).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['room-', 'calendar-'],
    });
    expect(toServerFilter({ streamPrefixes: ['room-'], eventTypes: ['RoomListed'] })).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['room-'],
    });
  });

  test('event types alone go to the server as event type prefixes', () => {
    expect(toServerFilter({ eventTypes: ['RoomListed'] })).toMatchObject({
      filterOn: 'eventType',
      prefixes: ['RoomListed'],
    });
  });

  test('without a filter the server leaves out system events', () => {
    for (const filter of [undefined, {}, { streamPrefixes: [], eventTypes: [] }]) {
      expect(toServerFilter(filter)).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
    }
  });

  test('client side: exact event types, stream prefixes, no system events, strictly after a position', () => {
    const event = recorded({ type: 'RoomListed', streamName: 'room-1', position: 100n });
    expect(isWanted(event, undefined, undefined)).toBe(true);
    expect(isWanted(event, { eventTypes: ['RoomListed'] }, 99n)).toBe(true);
    expect(isWanted(event, undefined, 100n)).toBe(false);
    expect(isWanted(recorded({ type: 'RoomListedAgain' }), { eventTypes: ['RoomListed'] }, undefined)).toBe(false);
    expect(isWanted(event, { streamPrefixes: ['calendar-'] }, undefined)).toBe(false);
    expect(isWanted(recorded({ type: '$metadata', streamName: '$$room-1' }), undefined, undefined)).toBe(false);
    expect(isWanted(recorded({ type: '$>' }), { streamPrefixes: ['room-'] }, undefined)).toBe(false);
  });
});

describe('events', () => {
  test('a new event is written as JSON with our id, type, data and metadata', () => {
    const eventId = randomUUID();
    const data = { title: 'Phòng trọ gần Bách Khoa', price: 2_500_000 };
    expect(toEventData({ eventId, type: 'RoomListed', data, metadata })).toEqual({
      id: eventId,
      contentType: 'application/json',
      type: 'RoomListed',
      data,
      metadata,
    });
  });

  test('a resolved event from $all becomes a RecordedEvent positioned at its commit position', () => {
    const created = new Date('2025-01-02T03:04:05Z');
    const resolved: AllStreamResolvedEvent = {
      event: {
        streamId: 'room-1',
        id: 'e-1',
        isJson: true,
        revision: 4n,
        type: 'RoomListed',
        created,
        data: { title: 'Phòng' },
        metadata: metadata as unknown as Record<string, unknown>,
        position: { commit: 5000n, prepare: 4990n },
      },
      commitPosition: 5000n,
    };
    expect(toRecordedEvent(resolved)).toEqual({
      eventId: 'e-1',
      type: 'RoomListed',
      streamName: 'room-1',
      revision: 4n,
      position: 5000n,
      data: { title: 'Phòng' },
      metadata,
      createdAt: created,
    });
  });

  test('a stream read without an event position falls back to the commit position, else unknown', () => {
    const event = {
      streamId: 'room-1',
      id: 'e-1',
      isJson: true as const,
      revision: 0n,
      type: 'RoomListed',
      created: new Date(0),
      data: {},
      metadata: metadata as unknown as Record<string, unknown>,
    };
    const withCommit: ResolvedEvent = { event, commitPosition: 77n };
    expect(toRecordedEvent(withCommit)?.position).toBe(77n);
    expect(toRecordedEvent({ event })?.position).toBe(UNKNOWN_POSITION);
    expect(toRecordedEvent({ event: { ...event, position: { commit: 2n ** 64n - 1n, prepare: 0n } } })?.position).toBe(
      UNKNOWN_POSITION,
    );
  });

  test('an entry without an event (an unresolved link) is skipped', () => {
    expect(toRecordedEvent({ commitPosition: 1n })).toBeNull();
  });
});
