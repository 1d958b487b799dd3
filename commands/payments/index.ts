import type pg from 'pg';
import type { Logger } from 'pino';
import type { EventStore } from '../eventstore/port.js';
import { paymentCallbacks } from './callbacks.js';
import { checkoutStore } from './checkouts.js';
import { depositService, type PaymentLinks } from './deposits.js';
import { createGateways, type GatewayConfig } from './gateways/index.js';
import type { GatewayName, PaymentGateway } from './gateways/port.js';
import { moneyHandlers } from './money-handlers.js';
import { type SettlementDeps, settlement } from './settlement.js';

export interface MoneyDeps {
  store: EventStore;
  pool: pg.Pool;
  clock: () => Date;
  logger: Logger;
  gateways: GatewayConfig;
  links: PaymentLinks;
  onConsultationCaptured?: SettlementDeps['onConsultationCaptured'];
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
  const settle = settlement({
    handlers,
    gateways,
    clock,
    logger,
    ...(deps.onConsultationCaptured && { onConsultationCaptured: deps.onConsultationCaptured }),
  });
  const deposits = depositService({
    pool,
    handlers,
    settlement: settle,
    gateways,
    links: deps.links,
    clock,
    rememberCheckout: checkouts.remember,
  });
  const callbacks = paymentCallbacks({ store, handlers, settlement: settle, gateways, checkouts, clock, logger });
  return { gateways, handlers, checkouts, settlement: settle, deposits, callbacks };
}

export type MoneyServices = ReturnType<typeof moneyServices>;
