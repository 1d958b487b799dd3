import type pg from 'pg';
import { listingViewsSchema } from '../commands/catalog/listing-views.js';
import { signingChallengesSchema } from '../commands/contracts/signing.js';
import { eventStoreSchema } from '../commands/eventstore/postgres-schema.js';
import { geocodeCacheSchema } from '../commands/geo/geocoder.js';
import { idempotencySchema } from '../commands/idempotency-schema.js';
import { identitySchema, twoFactorSchema } from '../commands/identity/identity-schema.js';
import { staffInvitesSchema } from '../commands/identity/invite-schema.js';
import { dailyStatisticsSchema } from '../commands/jobs/daily-statistics.js';
import { mailOutboxSchema } from '../commands/mail/outbox-schema.js';
import { notificationsSchema } from '../commands/notifications/schema.js';
import { telegramLinkCodesSchema } from '../commands/notifications/telegram-link-schema.js';
import { paymentCheckoutsSchema } from '../commands/payments/checkouts.js';
import { projectionSchema } from '../projections/runner-schema.js';

/** Ordered, append-only: never edit a migration that has shipped, add a new one. */
const migrations: { id: string; sql: string }[] = [
  { id: '001_event_store', sql: eventStoreSchema },
  { id: '002_idempotency', sql: idempotencySchema },
  { id: '003_projections', sql: projectionSchema },
  { id: '004_mail_outbox', sql: mailOutboxSchema },
  { id: '005_identity', sql: identitySchema },
  { id: '006_two_factor', sql: twoFactorSchema },
  { id: '007_staff_invites', sql: staffInvitesSchema },
  { id: '008_geocode_cache', sql: geocodeCacheSchema },
  { id: '009_listing_views', sql: listingViewsSchema },
  {
    // Listing search: trigram similarity (typo tolerance), earth distances (radius, nearest first).
    id: '010_search_extensions',
    sql: 'create extension if not exists pg_trgm; create extension if not exists cube; create extension if not exists earthdistance;',
  },
  { id: '011_payment_checkouts', sql: paymentCheckoutsSchema },
  { id: '012_signing_challenges', sql: signingChallengesSchema },
  { id: '013_notifications', sql: notificationsSchema },
  { id: '014_telegram_links', sql: telegramLinkCodesSchema },
  { id: '015_daily_statistics', sql: dailyStatisticsSchema },
];

const MIGRATION_LOCK = 7_262_000;

export async function migrate(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`create schema if not exists ops;
      create table if not exists ops.migrations (id text primary key, applied_at timestamptz not null default now())`);
    const done = new Set((await client.query<{ id: string }>('select id from ops.migrations')).rows.map((r) => r.id));
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await client.query('begin');
      try {
        await client.query(migration.sql);
        await client.query('insert into ops.migrations (id) values ($1)', [migration.id]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw new Error(`Migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.id);
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return applied;
}
