import type { Logger } from 'pino';
import { DomainError } from '../../domain/shared/errors.js';
import type { EventStore } from '../eventstore/port.js';
import { type CommandMetadata, eventMetadata } from '../metadata.js';
import type { CheckoutStore } from './checkouts.js';
import type { CallbackAnswer, CallbackInput, GatewayName, PaymentGateway } from './gateways/port.js';
import type { MoneyHandlers } from './money-handlers.js';
import type { Settlement } from './settlement.js';

export interface CallbackSource {
  ip: string | null;
  userAgent: string | null;
  correlationId: string;
}

/**
 * A provider's server-to-server notice (VNPay IPN, MoMo IPN, ZaloPay callback, SePay webhook).
 * The signature is checked before anything else: a forged notice is answered 401 and leaves an
 * audit entry (event `GatewayCallbackRejected`). A replayed one changes nothing. A wrong amount or
 * currency flags the payment for review; it is never captured.
 */
export function paymentCallbacks(deps: {
  store: EventStore;
  handlers: MoneyHandlers;
  settlement: Settlement;
  gateways: Partial<Record<GatewayName, PaymentGateway>>;
  checkouts: CheckoutStore;
  clock: () => Date;
  logger: Logger;
}) {
  const metadataOf = (gateway: GatewayName, source: CallbackSource, key: string | null): CommandMetadata => ({
    actorId: `gateway:${gateway}`,
    actAsId: null,
    roles: ['gateway'],
    correlationId: source.correlationId,
    causationId: null,
    idempotencyKey: key,
    ip: source.ip,
    userAgent: source.userAgent,
  });

  async function recordRejection(gateway: GatewayName, reason: string, source: CallbackSource) {
    await deps.store.appendToStream(
      `gatewaycallbacks-${gateway}`,
      [
        {
          eventId: crypto.randomUUID(),
          type: 'GatewayCallbackRejected',
          data: { gateway, reason },
          metadata: eventMetadata(metadataOf(gateway, source, null), deps.clock(), 1),
        },
      ],
      { expectedRevision: 'any' },
    );
  }

  async function handle(name: GatewayName, input: CallbackInput, source: CallbackSource): Promise<CallbackAnswer> {
    const gateway = deps.gateways[name];
    if (!gateway) return { status: 404, body: { message: 'gateway not configured' } };
    const verified = gateway.verifyCallback(input);
    if (!verified.ok) {
      await recordRejection(name, verified.reason, source);
      return { ...gateway.answer('rejected'), status: verified.reason === 'bad_signature' ? 401 : 400 };
    }
    const { notice } = verified;
    const paymentId =
      (await deps.checkouts.paymentOf(name, notice.gatewayRef)) ??
      (name === 'sepay' ? await deps.checkouts.paymentByReferenceIn(name, notice.gatewayRef) : null);
    if (paymentId === null) return gateway.answer('unknown_payment');

    // No idempotency key: the payment itself knows the provider's transaction id and ignores a replay.
    let appended: string[];
    try {
      const result = await deps.handlers.payment(
        { type: 'RecordGatewayNotice', paymentId, notice },
        metadataOf(name, source, null),
      );
      appended = result.events.map((e) => e.type);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'PAYMENT_ALREADY_PAID') return gateway.answer('duplicate');
      throw error;
    }
    await deps.settlement.settle(paymentId, metadataOf(name, source, null));
    if (appended.includes('PaymentFlagged')) return gateway.answer('amount_mismatch');
    return gateway.answer(appended.length === 0 ? 'duplicate' : 'accepted');
  }

  return { handle };
}

export type PaymentCallbacks = ReturnType<typeof paymentCallbacks>;
