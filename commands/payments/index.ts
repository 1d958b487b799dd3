import type pg from 'pg';
import type { Logger } from 'pino';
import type { EventStore } from '../eventstore/port.js';
import { paymentCallbacks } from './callbacks.js';
import { checkoutStore } from './checkouts.js';
import { type ConsultationBookings, consultationPayments } from './consultations.js';
import { depositService } from './deposits.js';
import { createGateways, type GatewayConfig } from './gateways/index.js';
import type { GatewayName, PaymentGateway } from './gateways/port.js';
import { moneyHandlers } from './money-handlers.js';
import { type PaymentLinks, paymentStarter } from './payment-starter.js';
import { settlement } from './settlement.js';

export interface MoneyDeps {
  store: EventStore;
  pool: pg.Pool;
  clock: () => Date;
  logger: Logger;
  gateways: GatewayConfig;
  links: PaymentLinks;
  /** The booking engine, for paid consultations. */
  bookings: ConsultationBookings;
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
  const settle = settlement({ handlers, gateways, clock, logger, consultations });
  const deposits = depositService({ pool, handlers, settlement: settle, gateways, startPayment });
  const callbacks = paymentCallbacks({ store, handlers, settlement: settle, gateways, checkouts, clock, logger });
  return { gateways, handlers, checkouts, settlement: settle, deposits, consultations, callbacks };
}

export type MoneyServices = ReturnType<typeof moneyServices>;
