/**
 * The event store port (DESIGN.md §4). Two adapters implement it: Postgres (embedded default
 * and CI) and KurrentDB/EventStoreDB (production). Both pass test/contract/eventstore.contract.ts.
 */

/** A position in the global order of all events. Strictly increasing, not dense. */
export type Position = bigint;

export type ExpectedRevision = bigint | 'no_stream' | 'stream_exists' | 'any';

export interface EventMetadata {
  actorId: string | null;
  actAsId: string | null;
  roles: string[];
  correlationId: string;
  causationId: string | null;
  idempotencyKey: string | null;
  ip: string | null;
  userAgent: string | null;
  occurredAt: string;
  schemaVersion: number;
}

export interface NewEvent {
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  eventId: string;
  type: string;
  streamName: string;
  revision: bigint;
  position: Position;
  data: unknown;
  metadata: EventMetadata;
  createdAt: Date;
}

export interface AppendResult {
  /** The revision of the stream's last event after the append. */
  nextExpectedRevision: bigint;
  /** The global position of the batch's last event. */
  position: Position;
}

export interface ReadStreamOptions {
  fromRevision?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface EventFilter {
  streamPrefixes?: string[];
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** Events strictly after this position; omitted means from the beginning. */
  after?: Position;
  maxCount: number;
  filter?: EventFilter;
}

export interface SubscribeOptions {
  /** 'start', 'end', or a position: events strictly after it are delivered. */
  from: Position | 'start' | 'end';
  filter?: EventFilter;
}

export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  appendToStream(
    stream: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** One page of the global order, forwards; for auditors' replays and verification. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The position of the last event a subscriber can be handed now (0n when empty). */
  headPosition(): Promise<Position>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

export class WrongExpectedVersion extends Error {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  /** The stream's current revision, or 'no_stream' when it does not exist. */
  readonly actual: bigint | 'no_stream';

  constructor(stream: string, expected: ExpectedRevision, actual: bigint | 'no_stream') {
    super(`Stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersion';
    this.stream = stream;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Some but not all of a batch's event ids are already in the stream: not a safe retry. */
export class PartialDuplicateAppend extends Error {
  constructor(stream: string) {
    super(`Stream ${stream}: some event ids of this batch are already stored, others are not`);
    this.name = 'PartialDuplicateAppend';
  }
}

/** An event id of the batch is already stored in another stream (ids are unique store-wide). */
export class DuplicateEventId extends Error {
  constructor(stream: string) {
    super(`Stream ${stream}: an event id of this batch is already used by another stream`);
    this.name = 'DuplicateEventId';
  }
}

export function matchesFilter(event: { streamName: string; type: string }, filter?: EventFilter): boolean {
  if (!filter) return true;
  const { streamPrefixes, eventTypes } = filter;
  if (streamPrefixes?.length && !streamPrefixes.some((p) => event.streamName.startsWith(p))) return false;
  if (eventTypes?.length && !eventTypes.includes(event.type)) return false;
  return true;
}
