import { v5 as uuidv5 } from 'uuid';
import type { ScheduledJob } from '../jobs/scheduler.js';
import type { CampaignDeps } from './campaigns.js';
import { createNotification } from './create.js';
import { localTime, money } from './intent.js';
import { clientExecutor } from './queue.js';
import { loadRecipients } from './recipients.js';
import { loadTemplates } from './templates.js';

const SOURCE_NAMESPACE = '6a1e4d2b-93c7-4f0e-8b5a-1c7d9e2f4a36';

/**
 * deposit.ttl_expiring has no event of its own: every 15 minutes, a held deposit with an end
 * (a reservation's TTL) within `warningHours` is announced to its customer, once (the source id
 * derives from the deposit, so later runs find the notification and add nothing).
 */
export function depositTtlWarningJob(deps: CampaignDeps, warningHours: number): ScheduledJob {
  return {
    name: 'notify-deposit-ttl',
    cron: '*/15 * * * *',
    async run({ pool, now }) {
      const { rows } = await pool.query<{
        id: string;
        customer_id: string;
        amount_vnd: string;
        expires_at: Date;
        title: string | null;
      }>(
        `select d.id, d.customer_id, d.amount_vnd, d.expires_at, l.title
           from rm.deposits d left join rm.listings l on l.id = d.listing_id
          where d.status = 'held' and d.expires_at > $1 and d.expires_at <= $2
          order by d.expires_at limit 500`,
        [now, new Date(now.getTime() + warningHours * 3_600_000)],
      );
      if (rows.length === 0) return 'no deposit ends soon';
      const recipients = await loadRecipients(
        pool,
        rows.map((r) => r.customer_id),
      );
      const templates = await loadTemplates(deps.store);
      const client = await pool.connect();
      let created = 0;
      try {
        await client.query('begin');
        const context = { ...deps, sql: clientExecutor(client), templates, recipients, now };
        for (const row of rows) {
          const intent = {
            userId: row.customer_id,
            kind: 'deposit.ttl_expiring' as const,
            values: {
              amount: money(Number(row.amount_vnd)),
              listingTitle: row.title ?? '',
              expiresAt: localTime(row.expires_at.toISOString()),
            },
            resource: { type: 'deposit', id: row.id },
            link: '/deposits',
          };
          if (await createNotification(context, intent, uuidv5(`deposit-ttl:${row.id}`, SOURCE_NAMESPACE)))
            created += 1;
        }
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      return `${created} of ${rows.length} deposits announced`;
    },
  };
}
