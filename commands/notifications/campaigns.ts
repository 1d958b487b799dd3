import type pg from 'pg';
import type { Role } from '../../domain/identity/roles.js';
import type { TemplateChannel } from '../../domain/notifications/catalog.js';
import type { EventStore } from '../eventstore/port.js';
import type { DeliveryChannel } from './channels/port.js';
import { createNotification } from './create.js';
import { clientExecutor, type DeliveryQueue } from './queue.js';
import { loadRecipients } from './recipients.js';
import { loadTemplates } from './templates.js';

export interface CampaignInput {
  title: string;
  body: string;
  /** Who receives it: everyone not locked, or the holders of one role. */
  segment: { role?: Role };
  channels: TemplateChannel[];
}

export interface CampaignDeps {
  pool: pg.Pool;
  store: EventStore;
  queue: DeliveryQueue;
  clock: () => Date;
  publicUrl: () => string;
  maxAttempts: number;
  channels: ReadonlySet<DeliveryChannel>;
}

const BATCH = 500;

/**
 * A campaign (kind `marketing.campaign`) to a segment: each person gets it on the channels chosen
 * that they opted in to for marketing (off by default), through the deliver-bulk-* queues so
 * transactional mail keeps its own workers. Written in batches; sending the same campaign id
 * again (a retried request) only completes what is missing, as notifications are unique per
 * campaign and person.
 */
export async function sendCampaign(
  deps: CampaignDeps,
  campaignId: string,
  input: CampaignInput,
  actorId: string | null,
) {
  const now = deps.clock();
  await deps.pool.query(
    `insert into ops.notification_campaigns (id, title, body, segment, channels, created_by, created_at)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
    [campaignId, input.title, input.body, JSON.stringify(input.segment), input.channels, actorId, now],
  );
  const { rows } = await deps.pool.query<{ id: string }>(
    `select id from rm.users where not locked and ($1::text is null or $1 = any(roles)) order by id`,
    [input.segment.role ?? null],
  );
  const templates = await loadTemplates(deps.store);
  const channels = new Set(input.channels);
  let notifications = 0;
  let deliveries = 0;
  for (let start = 0; start < rows.length; start += BATCH) {
    const userIds = rows.slice(start, start + BATCH).map((r) => r.id);
    const recipients = await loadRecipients(deps.pool, userIds);
    const client = await deps.pool.connect();
    try {
      await client.query('begin');
      const context = {
        sql: clientExecutor(client),
        queue: deps.queue,
        templates,
        recipients,
        channels: deps.channels,
        publicUrl: deps.publicUrl,
        now,
        maxAttempts: deps.maxAttempts,
        bulk: { channels },
      };
      for (const userId of userIds) {
        const created = await createNotification(
          context,
          {
            userId,
            kind: 'marketing.campaign',
            values: { title: input.title, body: input.body },
            resource: { type: 'campaign', id: campaignId },
            link: null,
          },
          campaignId,
        );
        if (created) {
          notifications += 1;
          deliveries += created.deliveries;
        }
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  await deps.pool.query('update ops.notification_campaigns set recipients = $2 where id = $1', [
    campaignId,
    rows.length,
  ]);
  return { campaignId, recipients: rows.length, notifications, deliveries };
}
