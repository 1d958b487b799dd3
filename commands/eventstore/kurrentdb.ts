import {
  type AllStreamSubscription,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
} from '@kurrent/kurrentdb-client';
import {
  fromClientPosition,
  isStreamNotFound,
  isSystemEventType,
  isWanted,
  normalizeConnectionString,
  toClientPosition,
  toEventData,
  toRecordedEvent,
  toServerFilter,
  toStreamState,
  toWrongExpectedVersion,
  UNKNOWN_POSITION,
} from './kurrentdb-mapping.js';
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedVersion,
} from './port.js';

/**
 * The event store on KurrentDB/EventStoreDB (production, scale-out). Our `Position` is the $all
 * commit position; every event written by a plain append has its own, strictly increasing.
 * System events (types starting with `$`) never leave this adapter.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly client: KurrentDBClient;

  /** `url`: `kurrentdb://…`, `kurrentdb+discover://…`, or the older `esdb://…` forms. */
  constructor(url: string) {
    this.client = KurrentDBClient.connectionString(normalizeConnectionString(url));
  }

  async appendToStream(
    stream: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const { expectedRevision } = options;
    let result: Awaited<ReturnType<KurrentDBClient['appendToStream']>>;
    try {
      result = await this.client.appendToStream(stream, events.map(toEventData), {
        streamState: toStreamState(expectedRevision),
      });
    } catch (error) {
      throw toWrongExpectedVersion(error, stream, expectedRevision) ?? error;
    }
    // Only with `throwOnAppendFailure=false` in the connection string; its revision is unreliable.
    if (!result.success) {
      throw new WrongExpectedVersion(stream, expectedRevision, await this.currentRevision(stream));
    }
    const reported = fromClientPosition(result.position);
    // An idempotent retry comes back without a position: look up where the batch landed.
    const position =
      reported === UNKNOWN_POSITION ? await this.positionOf(stream, result.nextExpectedRevision) : reported;
    return { nextExpectedRevision: result.nextExpectedRevision, position };
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return;
    const backwards = options.direction === 'backwards';
    const events = this.client.readStream(stream, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      ...(options.maxCount !== undefined && { maxCount: options.maxCount }),
    });
    try {
      for await (const resolved of events) {
        const event = toRecordedEvent(resolved);
        if (event) yield event;
      }
    } catch (error) {
      if (isStreamNotFound(error)) return;
      throw error;
    }
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const { maxCount, filter } = options;
    const found: RecordedEvent[] = [];
    let cursor = options.after;
    while (found.length < maxCount) {
      // Reading $all from a position includes the event at it, hence one more.
      const wanted = maxCount - found.length + 1;
      let received = 0;
      let last: Position | undefined;
      const page = this.client.readAll({
        direction: FORWARDS,
        fromPosition: cursor === undefined ? START : toClientPosition(cursor),
        maxCount: wanted,
        filter: toServerFilter(filter),
      });
      for await (const resolved of page) {
        received += 1;
        const event = toRecordedEvent(resolved);
        if (!event) continue;
        last = event.position;
        if (isWanted(event, filter, cursor)) found.push(event);
        if (found.length === maxCount) return found;
      }
      if (received < wanted || last === undefined || (cursor !== undefined && last <= cursor)) break;
      cursor = last;
    }
    return found;
  }

  async headPosition(): Promise<Position> {
    const newest = this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 16,
      filter: toServerFilter(undefined),
    });
    for await (const resolved of newest) {
      const event = toRecordedEvent(resolved);
      if (event && !isSystemEventType(event.type)) return event.position;
    }
    return 0n;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return new KurrentDbSubscription(this.client, options);
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async currentRevision(stream: string): Promise<bigint | 'no_stream'> {
    for await (const event of this.readStream(stream, { direction: 'backwards', maxCount: 1 })) {
      return event.revision;
    }
    return 'no_stream';
  }

  private async positionOf(stream: string, revision: bigint): Promise<Position> {
    for await (const event of this.readStream(stream, { fromRevision: revision, maxCount: 1 })) {
      return event.position;
    }
    return UNKNOWN_POSITION;
  }
}

/**
 * Subscribes on the server at once, so `from: 'end'` means "after subscribeToAll was called";
 * events wait in the client's stream (with backpressure) until they are iterated.
 */
class KurrentDbSubscription implements Subscription {
  private readonly source: AllStreamSubscription;
  private closed = false;

  constructor(
    client: KurrentDBClient,
    private readonly options: SubscribeOptions,
  ) {
    const { from, filter } = options;
    this.source = client.subscribeToAll({
      fromPosition: from === 'start' ? START : from === 'end' ? END : toClientPosition(from),
      filter: toServerFilter(filter),
    });
    // The client emits errors without destroying its stream: an iterator that starts later would
    // never see them, and with no listener at all they would crash the process.
    this.source.on('error', (error) => {
      if (!this.source.destroyed) this.source.destroy(error);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.source.unsubscribe().catch(() => undefined);
    this.source.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    const { from, filter } = this.options;
    // Whether the server's start is inclusive or not, a given position is never delivered.
    const after = typeof from === 'bigint' ? from : undefined;
    try {
      for await (const resolved of this.source) {
        if (this.closed) return;
        const event = toRecordedEvent(resolved);
        if (event && isWanted(event, filter, after)) yield event;
      }
    } catch (error) {
      if (!this.closed) throw error;
    } finally {
      await this.close();
    }
  }
}
