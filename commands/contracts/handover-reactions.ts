import type { Logger } from 'pino';
import { securityReleaseOf } from '../../domain/catalog/deposit-policy-events.js';
import type { Projection } from '../../projections/projection.js';
import type { MoneyServices } from '../payments/index.js';
import { reactionMetadata, step } from './contract-reactions.js';
import type { HandoverService } from './handovers.js';

/**
 * What a finished handover report does (UC-OPER-06 step 6):
 * - every end (completed or cancelled) gives back the room's claim;
 * - a completed move-in releases the security deposit as the policy says: offset against the
 *   first rent (to the owner), refunded now, or kept until the move-out;
 * - a completed move-out refunds what the deposit still holds less the deductions (each its own
 *   ledger line to the owner), then the room goes to cleaning.
 */
export function handoverCompletionReaction(deps: {
  handovers: HandoverService;
  money: Pick<MoneyServices, 'handlers' | 'deposits'>;
  logger: Logger;
}): Projection {
  const { handovers, money, logger } = deps;
  return {
    name: 'handover-completion',
    version: 1,
    filter: { eventTypes: ['HandoverCompleted', 'HandoverCancelled'] },
    tables: [],
    async setup() {},
    async apply(events) {
      for (const event of events) {
        const { handoverId } = event.data as { handoverId: string };
        const handover = await handovers.state(handoverId);
        const parties = handover.parties;
        if (!parties) continue;
        const { roomId, depositId } = parties;
        await step(logger, 'close-room-handover', () =>
          money.handlers.room(
            { type: 'CloseRoomHandover', roomId, handoverId },
            reactionMetadata(event, 'close-room-handover'),
          ),
        );
        if (event.type !== 'HandoverCompleted') continue;
        const deposit = await money.handlers.depositState(depositId);
        const held = deposit.status === 'held' && deposit.kind === 'security' && deposit.policy !== null;
        if (handover.kind === 'move_in') {
          const release = deposit.policy ? securityReleaseOf(deposit.policy.terms) : 'refund_at_move_out';
          if (!held || release === 'refund_at_move_out') continue;
          const mode = release === 'offset_first_rent' ? 'offset_first_rent' : 'refund';
          await step(logger, 'release-deposit', () =>
            money.deposits.release(depositId, mode, handoverId, reactionMetadata(event, 'release-deposit')),
          );
          continue;
        }
        if (held) {
          const deductions = handover.content?.deductions ?? [];
          await step(logger, 'release-deposit', () =>
            money.deposits.release(
              depositId,
              'refund',
              handoverId,
              reactionMetadata(event, 'release-deposit'),
              deductions,
            ),
          );
        }
        await step(logger, 'clean-room', () =>
          money.handlers.room({ type: 'StartRoomCleaning', roomId }, reactionMetadata(event, 'clean-room')),
        );
      }
    },
  };
}
