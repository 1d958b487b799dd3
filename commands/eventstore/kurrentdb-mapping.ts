/**
 * Pure translations between our event store port and @kurrent/kurrentdb-client, kept apart from
 * the adapter so they can be unit-tested without a server.
 */
import {
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type Position as ClientPosition,
  type CurrentStreamState,
  ErrorType,
  type EventData,
  eventTypeFilter,
  excludeSystemEvents,
  type Filter,
  isCommandError,
  type JSONType,
  jsonEvent,
  type ResolvedEvent,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import {
  type EventFilter,
  type EventMetadata,
  type ExpectedRevision,
  matchesFilter,
  type NewEvent,
  type Position,
  type RecordedEvent,
  WrongExpectedVersion,
} from './port.js';

/** Reported when the server does not know an event's $all position (stream reads on old servers). */
export const UNKNOWN_POSITION = -1n;

/** Old servers send 2^64-1 as the commit position of stream reads; anything that high is "unknown". */
const LARGEST_REAL_POSITION = 2n ** 63n - 1n;

const PROTOCOL = /^(esdb|kurrentdb)(\+discover)?:\/\//i;

export function isKurrentDbUrl(url: string): boolean {
  return PROTOCOL.test(url);
}

/** The client still parses `esdb://` but warns that it is deprecated: hand it `kurrentdb://`. */
export function normalizeConnectionString(url: string): string {
  const match = PROTOCOL.exec(url);
  if (!match) throw new Error(`Not a KurrentDB connection string: ${url}`);
  return `kurrentdb${match[2] ?? ''}://${url.slice(match[0].length)}`;
}

export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (typeof expected === 'bigint' && expected < 0n) {
    throw new RangeError(`Expected revision must be a stream revision (>= 0), got ${expected}`);
  }
  // Our names for the three states are the client's constants ('no_stream', 'stream_exists', 'any').
  return expected;
}

/** The server reports a missing stream as 'no_stream' or, on some paths, as a negative revision. */
export function toActualRevision(actual: CurrentStreamState): bigint | 'no_stream' {
  return actual === 'no_stream' || actual < 0n ? 'no_stream' : actual;
}

/** The client's WrongExpectedVersionError as ours (keeping what the caller expected), else null. */
export function toWrongExpectedVersion(
  error: unknown,
  stream: string,
  expected: ExpectedRevision,
): WrongExpectedVersion | null {
  if (!(error instanceof Error) || !isCommandError(error)) return null;
  if (error.type !== ErrorType.WRONG_EXPECTED_VERSION) return null;
  return new WrongExpectedVersion(stream, expected, toActualRevision(error.actualState));
}

export function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND;
}

export function toClientPosition(position: Position): ClientPosition {
  return { commit: position, prepare: position };
}

export function fromClientPosition(position: ClientPosition | undefined): Position {
  if (!position || position.commit < 0n || position.commit > LARGEST_REAL_POSITION) return UNKNOWN_POSITION;
  return position.commit;
}

export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

/**
 * The server-side filter for $all: one filter only, and it matches prefixes. Stream prefixes are
 * exact server-side; event types are sent as prefixes and re-checked exactly by `isWanted`.
 * Without a filter, system events are left on the server.
 */
export function toServerFilter(filter: EventFilter | undefined): Filter {
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter?.eventTypes?.length) return eventTypeFilter({ prefixes: [...filter.eventTypes] });
  return excludeSystemEvents();
}

/** The client-side half of filtering $all: strictly after `after`, no system events, exact filter. */
export function isWanted(event: RecordedEvent, filter: EventFilter | undefined, after: Position | undefined): boolean {
  if (after !== undefined && event.position <= after) return false;
  if (isSystemEventType(event.type)) return false;
  return matchesFilter(event, filter);
}

export function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    // The client JSON.stringifies data; any JSON value works, its type is only narrower.
    data: event.data as JSONType,
    metadata: event.metadata as unknown as Record<string, unknown>,
  });
}

/** A resolved event from a stream or $all as ours; null for link-only entries. */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  const event = resolved.event;
  if (!event) return null;
  const position = fromClientPosition(event.position);
  return {
    eventId: event.id,
    type: event.type,
    streamName: event.streamId,
    revision: event.revision,
    position:
      position === UNKNOWN_POSITION && resolved.commitPosition !== undefined
        ? fromClientPosition({ commit: resolved.commitPosition, prepare: resolved.commitPosition })
        : position,
    data: event.data,
    metadata: event.metadata as unknown as EventMetadata,
    createdAt: event.created,
  };
}
