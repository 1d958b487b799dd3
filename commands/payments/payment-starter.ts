import { PAYMENT_WINDOW_MINUTES, TRANSFER_WINDOW_HOURS } from '../../domain/payments/fees.js';
import type { PaymentPurpose } from '../../domain/payments/payment-events.js';
import { invalid } from '../../domain/shared/errors.js';
import type { CommandMetadata } from '../metadata.js';
import type { Checkout, GatewayName, PaymentGateway } from './gateways/port.js';
import type { MoneyHandlers } from './money-handlers.js';

const MINUTE = 60_000;

export interface PaymentLinks {
  /** Where the gateway sends the payer back, and where it posts its notice, for `gateway`. */
  returnUrl(gateway: GatewayName): string;
  notifyUrl(gateway: GatewayName): string;
}

export interface NewPayment {
  paymentId: string;
  payerId: string;
  purpose: PaymentPurpose;
  principalVnd: number;
  feeVnd: number;
  gateway: GatewayName;
  description: string;
  clientIp: string;
}

export interface PaymentStarterDeps {
  handlers: MoneyHandlers;
  gateways: Partial<Record<GatewayName, PaymentGateway>>;
  links: PaymentLinks;
  clock: () => Date;
  /** Remembers which payment a gateway reference belongs to, and the checkout to show again. */
  rememberCheckout(paymentId: string, gateway: GatewayName, checkout: Checkout): Promise<void>;
}

/** Starts a payment of anything (a deposit, a consultation): the checkout, then the payment stream. */
export function paymentStarter(deps: PaymentStarterDeps) {
  const { handlers } = deps;
  /** Creates the payment stream and asks the gateway for a checkout; nothing is written if it fails. */
  return async function startPayment(payment: NewPayment, metadata: CommandMetadata) {
    const gateway = deps.gateways[payment.gateway];
    if (!gateway)
      throw invalid('GATEWAY_UNAVAILABLE', `Cổng thanh toán ${payment.gateway} chưa được cấu hình`, 'gateway');
    const now = deps.clock();
    const transfer = payment.gateway === 'manual' || payment.gateway === 'sepay';
    const expiresAt = new Date(
      now.getTime() + (transfer ? TRANSFER_WINDOW_HOURS * 60 : PAYMENT_WINDOW_MINUTES) * MINUTE,
    );
    const checkout = await gateway.createCheckout({
      paymentId: payment.paymentId,
      payerId: payment.payerId,
      amountVnd: payment.principalVnd + payment.feeVnd,
      description: payment.description,
      returnUrl: deps.links.returnUrl(payment.gateway),
      notifyUrl: deps.links.notifyUrl(payment.gateway),
      clientIp: payment.clientIp,
      createdAt: now,
      expiresAt,
    });
    const { paymentId, payerId, purpose, principalVnd, feeVnd } = payment;
    // Side by side: no notice can come before the payer has the checkout, which they get after both.
    const [, result] = await Promise.all([
      deps.rememberCheckout(paymentId, payment.gateway, checkout),
      handlers.payment(
        {
          type: 'InitiatePayment',
          paymentId,
          payerId,
          purpose,
          principalVnd,
          feeVnd,
          gateway: payment.gateway,
          gatewayRef: checkout.gatewayRef,
          expiresAt,
        },
        metadata,
      ),
    ]);
    return { checkout, position: result.position };
  };
}

export type PaymentStarter = ReturnType<typeof paymentStarter>;
