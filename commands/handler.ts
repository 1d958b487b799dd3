import type { Decider, DecisionContext, DomainEvent } from '../domain/shared/decider.js';
import { isDomainError } from '../domain/shared/decider.js';
import type { EventStore, Position, RecordedEvent } from './eventstore/port.js';
import { WrongExpectedVersion } from './eventstore/port.js';
import { type CommandMetadata, eventIdFor, eventMetadata } from './metadata.js';

export interface CommandResult<E extends DomainEvent> {
  stream: string;
  events: (E & { eventId: string })[];
  /** The stream's revision after the command; -1n for a stream that is still empty. */
  revision: bigint;
  /** Global position of the last event appended (or found, on an idempotent retry). */
  position: Position | null;
}

export interface CommandSpec<C, S, E extends DomainEvent, Ctx extends DecisionContext> {
  decider: Decider<C, S, E, Ctx>;
  stream: (command: C) => string;
  /** Extra context the decision needs (policies, other streams' facts), loaded before each try. */
  context?: (command: C, base: DecisionContext, state: S) => Promise<Ctx>;
  schemaVersion?: number;
}

export interface HandlerDeps {
  store: EventStore;
  clock: () => Date;
  maxAttempts?: number;
}

/**
 * Load → fold → decide → append with the expected revision; on a revision conflict, reload and
 * decide again (bounded). A DomainError from `decide` is thrown as is. With an idempotency key
 * the event ids are deterministic, and a retry whose first event is already in the stream
 * returns what the first attempt appended without deciding again.
 */
export function commandHandler<C, S, E extends DomainEvent, Ctx extends DecisionContext>(
  deps: HandlerDeps,
  spec: CommandSpec<C, S, E, Ctx>,
) {
  const maxAttempts = deps.maxAttempts ?? 5;
  const schemaVersion = spec.schemaVersion ?? 1;

  return async function handle(command: C, metadata: CommandMetadata): Promise<CommandResult<E>> {
    const stream = spec.stream(command);
    const commandType = (command as { type?: unknown }).type;
    const kind = typeof commandType === 'string' ? commandType : '';
    const firstId = metadata.idempotencyKey === null ? null : eventIdFor(stream, metadata.idempotencyKey, kind, 0);

    for (let attempt = 1; ; attempt++) {
      const history: RecordedEvent[] = [];
      for await (const event of deps.store.readStream(stream)) history.push(event);

      const earlier = firstId === null ? -1 : history.findIndex((e) => e.eventId === firstId);
      if (earlier >= 0 && metadata.idempotencyKey !== null) {
        return alreadyAppended<E>(stream, history, earlier, (i) =>
          eventIdFor(stream, metadata.idempotencyKey, kind, i),
        );
      }

      const state = history.reduce(
        (current, event) => spec.decider.evolve(current, { type: event.type, data: event.data } as E),
        spec.decider.initialState(),
      );
      const now = deps.clock();
      const base: DecisionContext = { now, actorId: metadata.actAsId ?? metadata.actorId, roles: metadata.roles };
      const context = spec.context ? await spec.context(command, base, state) : (base as Ctx);
      const decision = spec.decider.decide(command, state, context);
      if (isDomainError(decision)) throw decision;

      const revision = history.length === 0 ? -1n : (history.at(-1)?.revision ?? -1n);
      if (decision.length === 0) return { stream, events: [], revision, position: null };

      const events = decision.map((event, index) => ({
        ...event,
        eventId: eventIdFor(stream, metadata.idempotencyKey, kind, index),
      }));
      try {
        const result = await deps.store.appendToStream(
          stream,
          events.map((e) => ({
            eventId: e.eventId,
            type: e.type,
            data: e.data,
            metadata: eventMetadata(metadata, now, schemaVersion),
          })),
          { expectedRevision: history.length === 0 ? 'no_stream' : revision },
        );
        return { stream, events, revision: result.nextExpectedRevision, position: result.position };
      } catch (error) {
        if (error instanceof WrongExpectedVersion && attempt < maxAttempts) continue;
        throw error;
      }
    }
  };
}

/** The contiguous events an earlier attempt with the same idempotency key appended. */
function alreadyAppended<E extends DomainEvent>(
  stream: string,
  history: RecordedEvent[],
  from: number,
  idOf: (index: number) => string,
): CommandResult<E> {
  const batch: RecordedEvent[] = [];
  for (let i = from; history[i]?.eventId === idOf(i - from); i++) {
    batch.push(history[i] as RecordedEvent);
  }
  const last = batch.at(-1);
  return {
    stream,
    events: batch.map((e) => ({ type: e.type, data: e.data, eventId: e.eventId }) as E & { eventId: string }),
    revision: last?.revision ?? -1n,
    position: last?.position ?? null,
  };
}

/** The state a decider folds from one stream's events (another aggregate's facts a decision reads). */
export async function currentState<S, E extends DomainEvent>(
  store: EventStore,
  stream: string,
  decider: Pick<Decider<never, S, E, never>, 'initialState' | 'evolve'>,
): Promise<S> {
  let state = decider.initialState();
  for await (const event of store.readStream(stream)) {
    state = decider.evolve(state, { type: event.type, data: event.data } as E);
  }
  return state;
}
