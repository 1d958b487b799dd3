import { type RoomCommand, roomDecider } from '../../domain/catalog/room.js';
import { roomStream } from '../../domain/catalog/room-events.js';
import { type DepositCommand, depositDecider } from '../../domain/payments/deposit.js';
import { depositStream } from '../../domain/payments/deposit-events.js';
import { type PaymentCommand, paymentDecider } from '../../domain/payments/payment.js';
import { paymentStream } from '../../domain/payments/payment-events.js';
import { commandHandler, currentState, type HandlerDeps } from '../handler.js';
import { type CommandMetadata, systemMetadata } from '../metadata.js';

/** The three streams a deposit touches: its payments, itself, and the room it holds. */
export function moneyHandlers(deps: HandlerDeps) {
  return {
    payment: commandHandler(deps, {
      decider: paymentDecider,
      stream: (c: PaymentCommand) => paymentStream(c.paymentId),
    }),
    deposit: commandHandler(deps, {
      decider: depositDecider,
      stream: (c: DepositCommand) => depositStream(c.depositId),
    }),
    room: commandHandler(deps, { decider: roomDecider, stream: (c: RoomCommand) => roomStream(c.roomId) }),
    paymentState: (paymentId: string) => currentState(deps.store, paymentStream(paymentId), paymentDecider),
    depositState: (depositId: string) => currentState(deps.store, depositStream(depositId), depositDecider),
  };
}

export type MoneyHandlers = ReturnType<typeof moneyHandlers>;

/**
 * Metadata of a step the system takes for a request or a job. The idempotency key names the step
 * and what it is about, so a step repeated after a crash appends nothing twice.
 */
export function stepMetadata(origin: CommandMetadata | null, step: string): CommandMetadata {
  const base = origin ?? systemMetadata(crypto.randomUUID());
  return {
    ...base,
    actorId: 'system',
    actAsId: null,
    roles: ['system'],
    causationId: base.causationId,
    idempotencyKey: step,
  };
}
