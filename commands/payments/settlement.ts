import type { Logger } from 'pino';
import { v5 as uuidv5 } from 'uuid';
import type { DepositState } from '../../domain/payments/deposit.js';
import { type PaymentState, paymentDecider, refundableVnd } from '../../domain/payments/payment.js';
import type { PaymentPurpose } from '../../domain/payments/payment-events.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { CommandMetadata } from '../metadata.js';
import type { GatewayName, PaymentGateway } from './gateways/port.js';
import { type MoneyHandlers, stepMetadata } from './money-handlers.js';

const REFUND_NAMESPACE = '0b8f3e52-7a0c-4d59-9d7e-3c8a4f1e2b61';

/** Refusals that mean the room is someone else's: the payment must go back. */
const ROOM_TAKEN_CODES = new Set(['ROOM_NOT_AVAILABLE', 'HOLD_MISMATCH']);

export interface PurposeHooks {
  /** 'capture', or why the money goes back. */
  verdict?(payment: PaymentState): Promise<string>;
  captured?(payment: PaymentState, paymentId: string, metadata: CommandMetadata): Promise<void>;
}

export interface SettlementDeps {
  handlers: MoneyHandlers;
  gateways: Partial<Record<GatewayName, PaymentGateway>>;
  clock: () => Date;
  logger: Logger;
  /** What other purposes (consultations, wallet top-ups) add: whether the money is still wanted, what a capture does. */
  purposes?: Partial<Record<PaymentPurpose['kind'], PurposeHooks>>;
}

/**
 * Applies money that arrived to what it pays for, and gives back money that is not wanted. Every
 * step is idempotent, so the webhook runs it right away and a sweeper job runs it again for any
 * payment a crash left halfway (authorized and not captured, a void or refund not yet paid out).
 *
 * The room stream decides who gets a room: of many payments for the last room, exactly one
 * `ReserveRoom` succeeds; every other payment is voided (`room_taken`) and its deposit cancelled.
 */
export function settlement(deps: SettlementDeps) {
  const { handlers } = deps;
  const hooksOf = (payment: PaymentState) => (payment.purpose ? deps.purposes?.[payment.purpose.kind] : undefined);

  async function settle(paymentId: string, origin: CommandMetadata | null = null): Promise<void> {
    const step = (name: string) => stepMetadata(origin, `${name}:${paymentId}`);
    let payment = await handlers.paymentState(paymentId);
    const depositId = payment.purpose?.kind === 'deposit' ? payment.purpose.depositId : null;
    const deposit = depositId === null ? null : await handlers.depositState(depositId);
    let depositSettled = false;
    if (payment.status === 'authorized' && payment.voidReason === null) {
      const verdict =
        deposit && depositId
          ? await verdictFor(paymentId, depositId, deposit, step)
          : ((await hooksOf(payment)?.verdict?.(payment)) ?? 'capture');
      if (verdict === 'capture') {
        // Two streams, independent once the room is won: written side by side (a crash between is swept).
        const holdsDeposit = deposit?.status === 'awaiting_payment' && deposit.paymentId === paymentId;
        const [result] = await Promise.all([
          handlers.payment({ type: 'CapturePayment', paymentId }, step('capture')),
          holdsDeposit && depositId
            ? handlers.deposit({ type: 'MarkDepositPaid', depositId, paymentId }, step('deposit-held'))
            : null,
        ]);
        payment = result.events.reduce(paymentDecider.evolve, payment);
        depositSettled = holdsDeposit;
      } else {
        const result = await handlers.payment({ type: 'RequestVoid', paymentId, reason: verdict }, step('void'));
        payment = result.events.reduce(paymentDecider.evolve, payment);
      }
    }
    if (deposit && depositId && !depositSettled) await finishDeposit(paymentId, payment, depositId, deposit, step);
    if (payment.status === 'captured') await hooksOf(payment)?.captured?.(payment, paymentId, step('purpose'));
    if (payment.voidReason !== null && payment.status !== 'reversed') await payOutVoid(paymentId, payment, step);
    if (payment.pendingRefunds.size > 0) await payOutRefunds(paymentId, payment, step);
  }

  /** Whether the money can be applied to its deposit: 'capture', or the reason it goes back. */
  async function verdictFor(
    paymentId: string,
    depositId: string,
    deposit: DepositState,
    step: (name: string) => CommandMetadata,
  ) {
    if (deposit.paymentId !== paymentId) return 'not_for_this_deposit';
    if (deposit.status === 'held') return 'capture';
    if (deposit.status !== 'awaiting_payment') return `deposit_${deposit.status}`;
    if (deposit.roomHoldId !== depositId) return 'capture'; // a conversion: the reservation already holds the room
    try {
      const roomId = deposit.parties?.roomId ?? '';
      await handlers.room({ type: 'ReserveRoom', roomId, holdId: depositId }, step('reserve-room'));
      return 'capture';
    } catch (error) {
      if (error instanceof DomainError && ROOM_TAKEN_CODES.has(error.code)) return 'room_taken';
      throw error;
    }
  }

  async function finishDeposit(
    paymentId: string,
    payment: PaymentState,
    depositId: string,
    deposit: DepositState,
    step: (name: string) => CommandMetadata,
  ) {
    if (deposit.status !== 'awaiting_payment' || deposit.paymentId !== paymentId) return;
    if (payment.status === 'captured') {
      await handlers.deposit({ type: 'MarkDepositPaid', depositId, paymentId }, step('deposit-held'));
      return;
    }
    const unpaid = payment.status === 'failed' || payment.status === 'expired' ? `payment_${payment.status}` : null;
    const reason = payment.voidReason ?? unpaid;
    if (reason !== null) {
      await handlers.deposit({ type: 'CancelUnpaidDeposit', depositId, reason }, step('deposit-cancelled'));
    }
  }

  async function payOutVoid(paymentId: string, payment: PaymentState, step: (name: string) => CommandMetadata) {
    const gateway = gatewayOf(payment);
    const result = await gateway.refund({
      paymentId,
      gatewayRef: payment.gatewayRef,
      gatewayTransactionId: payment.gatewayTransactionId ?? '',
      paidVnd: payment.receivedVnd,
      amountVnd: payment.receivedVnd,
      refundId: uuidv5(`${paymentId}:void`, REFUND_NAMESPACE),
      reason: payment.voidReason ?? 'void',
      at: deps.clock(),
    });
    if (!result.ok) {
      deps.logger.warn({ paymentId, message: result.message }, 'gateway refused a void; the sweeper retries');
      return;
    }
    await handlers.payment({ type: 'CompleteVoid', paymentId, refundRef: result.refundRef }, step('void-done'));
  }

  async function payOutRefunds(paymentId: string, payment: PaymentState, step: (name: string) => CommandMetadata) {
    const gateway = gatewayOf(payment);
    for (const [refundId, amountVnd] of payment.pendingRefunds) {
      const result = await gateway.refund({
        paymentId,
        gatewayRef: payment.gatewayRef,
        gatewayTransactionId: payment.gatewayTransactionId ?? '',
        paidVnd: payment.receivedVnd,
        amountVnd,
        refundId,
        reason: 'refund',
        at: deps.clock(),
      });
      if (!result.ok) {
        deps.logger.warn(
          { paymentId, refundId, message: result.message },
          'gateway refused a refund; the sweeper retries',
        );
        continue;
      }
      await handlers.payment(
        { type: 'CompleteRefund', paymentId, refundId, refundRef: result.refundRef },
        step(`refund-done:${refundId}`),
      );
    }
  }

  function gatewayOf(payment: PaymentState): PaymentGateway {
    const gateway = payment.gateway ? deps.gateways[payment.gateway] : undefined;
    if (!gateway) throw new Error(`Gateway ${payment.gateway} is not configured`);
    return gateway;
  }

  /**
   * Gives `refundVnd` of a deposit back over the payments that funded it, newest first, and pays
   * each part out through its gateway.
   */
  async function refundDeposit(
    deposit: DepositState,
    depositId: string,
    refundVnd: number,
    origin: CommandMetadata | null,
  ) {
    let left = refundVnd;
    for (const paymentId of [...deposit.fundingPaymentIds].reverse()) {
      if (left === 0) break;
      const payment = await handlers.paymentState(paymentId);
      const part = Math.min(left, refundableVnd(payment));
      if (part === 0) continue;
      const refundId = uuidv5(`${depositId}:${paymentId}`, REFUND_NAMESPACE);
      await handlers.payment(
        {
          type: 'RequestRefund',
          paymentId,
          refundId,
          amountVnd: part,
          reason: `deposit:${depositId}`,
          fromEscrow: false,
        },
        stepMetadata(origin, `refund:${refundId}`),
      );
      left -= part;
      await settle(paymentId, origin);
    }
    if (left > 0) deps.logger.error({ depositId, left }, 'deposit refund exceeds what its payments can return');
  }

  return { settle, refundDeposit };
}

export type Settlement = ReturnType<typeof settlement>;
