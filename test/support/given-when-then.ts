import { expect } from 'vitest';
import type { Decider, DecisionContext, DomainEvent } from '../../domain/shared/decider.js';
import { fold, isDomainError } from '../../domain/shared/decider.js';

export const testContext = (overrides: Partial<DecisionContext> = {}): DecisionContext => ({
  now: new Date('2026-11-22T03:00:00Z'),
  actorId: 'admin-1',
  roles: ['admin'],
  ...overrides,
});

/**
 * Decider unit tests as given/when/then:
 *   scenario(decider).given(pastEvents).when(command).thenEmits(expectedEvents)
 *   scenario(decider).given(pastEvents).when(command).thenFails('CODE', 'field')
 */
export function scenario<C, S, E extends DomainEvent, Ctx extends DecisionContext>(
  decider: Decider<C, S, E, Ctx>,
  context: Ctx = testContext() as Ctx,
) {
  return {
    given(events: E[]) {
      const state = fold(decider, events);
      return {
        when(command: C) {
          const decision = decider.decide(command, state, context);
          return {
            thenEmits(expected: E[]) {
              if (isDomainError(decision)) {
                throw new Error(`expected events, got ${decision.code}: ${decision.message}`);
              }
              expect(decision).toEqual(expected);
            },
            thenFails(code: string, field?: string) {
              if (!isDomainError(decision)) {
                throw new Error(`expected ${code}, got events ${JSON.stringify(decision)}`);
              }
              expect(decision.code).toBe(code);
              if (field !== undefined) expect(decision.field).toBe(field);
              return decision;
            },
          };
        },
      };
    },
  };
}
