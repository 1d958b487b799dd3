import type pg from 'pg';
import type { Logger } from 'pino';
import { listHandovers } from '../../projections/contracts/handovers-queries.js';
import { templateUsage } from '../../projections/contracts/templates-queries.js';
import type { AnyProjection } from '../../projections/projection.js';
import type { EventStore } from '../eventstore/port.js';
import type { Mailer } from '../mail/port.js';
import type { MoneyServices } from '../payments/index.js';
import type { FileStorage } from '../storage/port.js';
import { contractGenerationReaction, contractLifecycleReaction } from './contract-reactions.js';
import { contractService } from './contracts.js';
import { handoverCompletionReaction } from './handover-reactions.js';
import { handoverService } from './handovers.js';
import { signingService } from './signing.js';
import { templateCommands } from './templates.js';

export interface ContractDeps {
  store: EventStore;
  pool: pg.Pool;
  clock: () => Date;
  logger: Logger;
  mailer: Mailer;
  storage: FileStorage;
  money: MoneyServices;
}

/** Templates, contracts, handover reports and their OTP signing, wired once per process. */
export function contractServices(deps: ContractDeps) {
  const { store, pool, clock, logger, money } = deps;
  const signing = signingService({ pool, mailer: deps.mailer, clock });
  const templates = templateCommands({ store, clock, usage: { countUses: (id) => templateUsage(pool, id) } });
  const contracts = contractService({ store, clock, pool, money, templates, signing, storage: deps.storage });
  const handovers = handoverService({
    store,
    clock,
    money,
    signing,
    storage: deps.storage,
    reportsOf: (contractId) => listHandovers(pool, { contractId }),
  });
  /** Reactions: they run with the projections (checkpointed, replay-safe). */
  const reactions: AnyProjection[] = [
    contractGenerationReaction({ contracts, money, logger }),
    contractLifecycleReaction({ contracts, money, logger }),
    handoverCompletionReaction({ handovers, money, logger }),
  ];
  return { templates, contracts, handovers, signing, reactions };
}

export type ContractServices = ReturnType<typeof contractServices>;
