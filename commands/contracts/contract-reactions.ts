import type { Logger } from 'pino';
import type { ContractEvent } from '../../domain/contracts/contract-events.js';
import type { DepositEvent } from '../../domain/payments/deposit-events.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { Projection } from '../../projections/projection.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { type CommandMetadata, systemMetadata } from '../metadata.js';
import type { MoneyServices } from '../payments/index.js';
import type { ContractService } from './contracts.js';

/** Metadata of a step a reaction takes for `event`: caused by it, keyed by it (a replay appends nothing). */
export const reactionMetadata = (event: RecordedEvent, step: string): CommandMetadata => ({
  ...systemMetadata(event.metadata.correlationId, event.eventId),
  idempotencyKey: `${step}:${event.eventId}`,
});

/**
 * Runs one step of a reaction. A rule's refusal means the world moved on (the room was taken, the
 * deposit already ended): logged, not retried. Anything else is thrown and the batch is retried.
 */
export async function step(logger: Logger, what: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    logger.info({ step: what, code: error.code }, 'contract reaction step refused; nothing to do');
  }
}

type Data<E extends { type: string; data: unknown }, T extends E['type']> = Extract<E, { type: T }>['data'];

/**
 * UC-CUST-05 step 1: a security deposit held → its contract, from the project's default template
 * (else the platform's). The contract id derives from the deposit, so the owner's manual
 * generation and this one can never both write a contract.
 */
export function contractGenerationReaction(deps: {
  contracts: ContractService;
  money: Pick<MoneyServices, 'handlers'>;
  logger: Logger;
}): Projection {
  return {
    name: 'contract-generation',
    version: 1,
    filter: { eventTypes: ['DepositHeld'] },
    tables: [],
    async setup() {},
    async apply(events) {
      for (const event of events) {
        const { depositId } = event.data as Data<DepositEvent, 'DepositHeld'>;
        const deposit = await deps.money.handlers.depositState(depositId);
        if (deposit.kind !== 'security' || deposit.status !== 'held') continue;
        await step(deps.logger, 'generate-contract', () =>
          deps.contracts.generate({ depositId }, null, reactionMetadata(event, 'generate-contract')),
        );
      }
    },
  };
}

/**
 * What a contract's end means for the room and the deposit:
 * - fully signed → the held room becomes rented (UC-CUST-05 step 6);
 * - cancelled → the deposit is cancelled (the customer's cancellation refunds by the policy,
 *   the owner's or an operator's in full) and the room is freed (before signing) or goes to
 *   cleaning (after).
 */
export function contractLifecycleReaction(deps: {
  contracts: ContractService;
  money: Pick<MoneyServices, 'handlers' | 'deposits'>;
  logger: Logger;
}): Projection {
  const { contracts, money, logger } = deps;
  return {
    name: 'contract-lifecycle',
    version: 1,
    filter: { eventTypes: ['ContractFullySigned', 'ContractCancelled'] },
    tables: [],
    async setup() {},
    async apply(events) {
      for (const event of events) {
        const { contractId } = event.data as { contractId: string };
        const contract = await contracts.state(contractId);
        const parties = contract.parties;
        if (!parties) continue;
        const { roomId, roomHoldId: holdId, depositId } = parties;
        if (event.type === 'ContractFullySigned') {
          await step(logger, 'rent-room', () =>
            money.handlers.room({ type: 'RentRoom', roomId, holdId, contractId }, reactionMetadata(event, 'rent-room')),
          );
          continue;
        }
        const cancelled = event.data as Data<ContractEvent, 'ContractCancelled'>;
        const byCustomer = cancelled.by === 'customer';
        await step(logger, 'cancel-deposit', () =>
          money.deposits.cancel(
            depositId,
            { customerId: byCustomer ? parties.customerId : null },
            reactionMetadata(event, 'cancel-deposit'),
          ),
        );
        if (cancelled.previousStatus === 'awaiting_signatures') {
          await step(logger, 'release-room', () =>
            money.handlers.room(
              { type: 'ReleaseRoomReservation', roomId, holdId },
              reactionMetadata(event, 'release-room'),
            ),
          );
        } else {
          await step(logger, 'clean-room', () =>
            money.handlers.room({ type: 'StartRoomCleaning', roomId }, reactionMetadata(event, 'clean-room')),
          );
        }
      }
    },
  };
}
