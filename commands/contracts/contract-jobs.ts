import type { Logger } from 'pino';
import { contractsDueForExpiry, contractsDueForReminder } from '../../projections/contracts/contracts-queries.js';
import { forEachItem } from '../jobs/job-items.js';
import type { ScheduledJob } from '../jobs/scheduler.js';
import { systemMetadata } from '../metadata.js';
import type { ContractService } from './contracts.js';

/** Reminders before a contract ends (policy: 30 and 7 days), emitted for the notifications. */
export const EXPIRY_REMINDER_DAYS = [30, 7] as const;

/**
 * Daily, in Vietnam time: signed contracts whose end date is over become `expired`; the ones
 * ending within 30 or 7 days get their reminder once. Both are idempotent: the contract stream
 * refuses a second expiry or reminder (the decider answers with no events).
 */
export function contractJobs(contracts: ContractService, logger: Logger): ScheduledJob[] {
  const metadata = (key: string) => ({ ...systemMetadata(crypto.randomUUID()), idempotencyKey: key });

  const expiry: ScheduledJob = {
    name: 'contract-expiry',
    cron: '5 0 * * *',
    async run({ pool, now }) {
      const due = await contractsDueForExpiry(pool, now);
      return forEachItem(
        due.map((c) => c.contractId),
        (contractId) => contracts.handle({ type: 'ExpireContract', contractId }, metadata(`expire:${contractId}`)),
        logger,
        'contract-expiry',
      );
    },
  };

  const reminders: ScheduledJob = {
    name: 'contract-expiry-reminders',
    cron: '0 8 * * *',
    async run({ pool, now }) {
      const outcomes: string[] = [];
      for (const daysBefore of EXPIRY_REMINDER_DAYS) {
        const due = await contractsDueForReminder(pool, now, daysBefore);
        const outcome = await forEachItem(
          due.map((c) => c.contractId),
          (contractId) =>
            contracts.handle(
              { type: 'RemindContractExpiry', contractId, daysBefore },
              metadata(`remind-${daysBefore}:${contractId}`),
            ),
          logger,
          'contract-expiry-reminders',
        );
        outcomes.push(`${daysBefore} days: ${outcome}`);
      }
      return outcomes.join('; ');
    },
  };

  return [expiry, reminders];
}
