import type pg from 'pg';
import type { RetentionPolicy } from './job-settings.js';
import type { ScheduledJob } from './scheduler.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const exists = async (pool: pg.Pool, table: string) =>
  (await pool.query<{ t: string | null }>('select to_regclass($1)::text as t', [table])).rows[0]?.t != null;

/**
 * Old notifications a person has read or deleted; their deliveries and delivery attempts go with
 * them (foreign keys `on delete cascade`, commands/notifications/schema.ts). Unread ones are kept
 * whatever their age.
 */
async function purgeNotifications(pool: pg.Pool, before: Date): Promise<number> {
  if (!(await exists(pool, 'ops.notifications'))) return 0;
  const { rowCount } = await pool.query(
    'delete from ops.notifications where created_at < $1 and (read_at is not null or deleted_at is not null)',
    [before],
  );
  return rowCount ?? 0;
}

/**
 * Slot holds expire by time alone (DESIGN.md §5: no event); an expired hold blocks nobody, and a
 * booking can no longer take it over, so its row in the calendar read model is only dead weight.
 * (A rebuild of the read model brings such rows back; the next run removes them again.)
 */
async function purgeExpiredHolds(pool: pg.Pool, before: Date): Promise<number> {
  if (!(await exists(pool, 'rm.calendar_spans'))) return 0;
  const { rowCount } = await pool.query(`delete from rm.calendar_spans where kind = 'hold' and expires_at < $1`, [
    before,
  ]);
  return rowCount ?? 0;
}

async function purgeOlderThan(pool: pg.Pool, table: string, column: string, before: Date): Promise<number> {
  if (!(await exists(pool, table))) return 0;
  const { rowCount } = await pool.query(`delete from ${table} where ${column} < $1`, [before]);
  return rowCount ?? 0;
}

/**
 * Clean-up by retention policy (README "Background jobs"): old read or deleted notifications,
 * expired slot holds, local outbox mail and pg-boss's archive of finished jobs. Never events
 * (`es`) nor the audit trail: those are the history. Idempotent: a second run finds nothing older.
 * Stored command answers and listing view hours have their own jobs (purge-idempotency-records,
 * purge-listing-view-hours).
 */
export function retentionCleanup(policy: RetentionPolicy): ScheduledJob {
  return {
    name: 'retention-cleanup',
    cron: '37 3 * * *',
    async run({ pool, now }) {
      const ago = (ms: number) => new Date(now.getTime() - ms);
      const notifications = await purgeNotifications(pool, ago(policy.notificationsDays * DAY_MS));
      const holds = await purgeExpiredHolds(pool, ago(policy.slotHoldsHours * HOUR_MS));
      const mail = await purgeOlderThan(pool, 'ops.mail_outbox', 'created_at', ago(policy.mailOutboxDays * DAY_MS));
      const jobs = await purgeOlderThan(pool, 'pgboss.archive', 'archived_on', ago(policy.jobArchiveDays * DAY_MS));
      return `deleted ${notifications} notifications, ${holds} expired slot holds, ${mail} outbox mails, ${jobs} archived jobs`;
    },
  };
}
