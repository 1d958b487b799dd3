import type pg from 'pg';
import type { Logger } from 'pino';
import type { EventStore } from '../eventstore/port.js';
import type { CommandMetadata } from '../metadata.js';
import { paymentCallbacks } from './callbacks.js';
import { checkoutStore } from './checkouts.js';
import { type ConsultationBookings, consultationPayments } from './consultations.js';
import { depositService } from './deposits.js';
import { createGateways, type GatewayConfig } from './gateways/index.js';
import type { GatewayName, PaymentGateway } from './gateways/port.js';
import { moneyHandlers } from './money-handlers.js';
import { type PaymentLinks, paymentStarter } from './payment-starter.js';
import { settlement } from './settlement.js';
import { walletService } from './wallets.js';

export interface MoneyDeps {
  store: EventStore;
  pool: pg.Pool;
  clock: () => Date;
  logger: Logger;
  gateways: GatewayConfig;
  links: PaymentLinks;
  /** The booking engine, for paid consultations. */
  bookings: ConsultationBookings;
  /** System policy: customers' wallets on or off. */
  walletEnabled: boolean;
}

/** Deposits, payments and their gateways, wired once per process. */
export function moneyServices(deps: MoneyDeps) {
  const { store, pool, clock, logger } = deps;
  const all = createGateways(deps.gateways);
  const gateways: Partial<Record<GatewayName, PaymentGateway>> = Object.fromEntries(
    Object.entries(all).filter(([, gateway]) => gateway !== undefined),
  );
  const handlers = moneyHandlers({ store, clock });
  const checkouts = checkoutStore(pool);
  const startPayment = paymentStarter({
    handlers,
    gateways,
    links: deps.links,
    clock,
    rememberCheckout: checkouts.remember,
  });
  const consultations = consultationPayments({ pool, handlers, startPayment, bookings: deps.bookings });
  const wallets = walletService({ store, clock, handlers, startPayment, enabled: deps.walletEnabled });
  if (wallets.enabled) gateways.wallet = wallets.gateway;
  const settle = settlement({
    handlers,
    gateways,
    clock,
    logger,
    purposes: {
      consultation: consultations,
      wallet_topup: {
        captured: (payment, paymentId, metadata) =>
          wallets.toppedUp(paymentId, payment.payerId, payment.principalVnd, metadata).then(() => undefined),
      },
    },
  });
  const rawDeposits = depositService({ pool, handlers, settlement: settle, gateways, startPayment });

  /** A payment from the wallet needs no page: it is taken and applied as soon as its purpose exists. */
  async function paidAtOnce<R extends { paymentId: string | null }>(
    result: R,
    gateway: GatewayName,
    metadata: CommandMetadata,
  ) {
    if (gateway === 'wallet' && result.paymentId !== null) {
      const { paymentId } = result;
      // Settled even when the balance ran short meanwhile: the failed payment then cancels its purpose.
      await wallets.take(paymentId, metadata).finally(() => settle.settle(paymentId, metadata));
    }
    return result;
  }
  const deposits: typeof rawDeposits = {
    ...rawDeposits,
    create: async (input, customerId, clientIp, metadata) =>
      paidAtOnce(await rawDeposits.create(input, customerId, clientIp, metadata), input.gateway, metadata),
    convert: async (input, customerId, clientIp, metadata) =>
      paidAtOnce(await rawDeposits.convert(input, customerId, clientIp, metadata), input.gateway, metadata),
  };
  const payConsultation: typeof consultations.pay = async (input, customerId, clientIp, metadata) =>
    paidAtOnce(await consultations.pay(input, customerId, clientIp, metadata), input.gateway, metadata);
  const callbacks = paymentCallbacks({ store, handlers, settlement: settle, gateways, checkouts, clock, logger });
  return {
    gateways,
    handlers,
    checkouts,
    settlement: settle,
    deposits,
    consultations: { ...consultations, pay: payConsultation },
    wallets,
    callbacks,
  };
}

export type MoneyServices = ReturnType<typeof moneyServices>;
