import { DomainError } from './errors.js';

/** A domain event as the pure domain sees it: a past-tense fact with a JSON payload. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** What `decide` returns: the new facts, or the rule that refused the command. */
export type Decision<E> = readonly E[] | DomainError;

/** What every decision may depend on besides the command and the state: time and who asks. */
export interface DecisionContext {
  readonly now: Date;
  readonly actorId: string | null;
  readonly roles: readonly string[];
}

/**
 * A pure aggregate. `evolve` folds one event into the state; `decide` validates a command
 * against the state and returns events or a DomainError. No I/O, no clock, no randomness:
 * everything the decision needs arrives in the command or the context.
 *
 * Every fold starts from a fresh `initialState()` and owns it, so `evolve` may update the state
 * it is given and return it (large aggregates avoid copying a map per event). `decide` never
 * changes the state.
 */
export interface Decider<C, S, E extends DomainEvent, Ctx extends DecisionContext = DecisionContext> {
  initialState(): S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S, context: Ctx): Decision<E>;
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;

export function fold<S, E extends DomainEvent>(
  decider: Pick<Decider<unknown, S, E, never>, 'initialState' | 'evolve'>,
  events: Iterable<E>,
): S {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
