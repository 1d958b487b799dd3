/**
 * Notifications (migration 013): the inbox (one row per recipient and source), its deliveries
 * (one per external channel: the outbox the pg-boss jobs work through), every attempt of a
 * delivery and admin retry (the audit of this ops state), and campaigns. Rows are written by the
 * notification reaction in the same transaction as its checkpoint, so a replay adds nothing.
 */
export const notificationsSchema = /* sql */ `
create schema if not exists ops;

create table if not exists ops.notification_campaigns (
  id          uuid primary key,
  title       text not null,
  body        text not null,
  segment     jsonb not null,
  channels    text[] not null,
  created_by  text,
  recipients  integer not null default 0,
  created_at  timestamptz not null default clock_timestamp()
);

create table if not exists ops.notifications (
  id              uuid primary key,
  -- Insertion order: breaks ties of created_at (one event's notifications share it).
  seq             bigint generated always as identity,
  user_id         uuid not null,
  type            text not null,
  category        text not null,
  title           text not null,
  body            text not null,
  -- A same-site path of the UI (/bookings/<id>), or null.
  link            text,
  resource_type   text,
  resource_id     text,
  -- The event (or campaign, or job key) the notification comes from.
  source_event_id uuid not null,
  -- False when the person turned the app channel off: kept for its deliveries, not shown in the inbox.
  in_app          boolean not null default true,
  created_at      timestamptz not null default clock_timestamp(),
  read_at         timestamptz,
  deleted_at      timestamptz,
  unique (source_event_id, user_id, type)
);
create index if not exists notifications_inbox on ops.notifications (user_id, created_at desc, seq desc)
  where deleted_at is null and in_app;
create index if not exists notifications_unread on ops.notifications (user_id)
  where read_at is null and deleted_at is null and in_app;

create table if not exists ops.notification_deliveries (
  id                  uuid primary key,
  notification_id     uuid not null references ops.notifications (id) on delete cascade,
  user_id             uuid not null,
  channel             text not null check (channel in ('email', 'telegram', 'sms')),
  address             text not null,
  locale              text not null check (locale in ('vi', 'en')),
  subject             text,
  body                text not null,
  html                text,
  -- Campaign deliveries go through the lower-priority deliver-bulk-* queues.
  bulk                boolean not null default false,
  status              text not null default 'pending'
                      check (status in ('pending', 'sent', 'failed', 'retrying', 'dead')),
  attempts            integer not null default 0,
  max_attempts        integer not null,
  last_error          text,
  next_attempt_at     timestamptz,
  -- A worker holds the delivery while it talks to the provider; a crashed worker's lease runs out.
  leased_until        timestamptz,
  sent_at             timestamptz,
  provider_message_id text,
  created_at          timestamptz not null default clock_timestamp(),
  updated_at          timestamptz not null default clock_timestamp(),
  unique (notification_id, channel)
);
create index if not exists notification_deliveries_status
  on ops.notification_deliveries (status, created_at desc);
create index if not exists notification_deliveries_user on ops.notification_deliveries (user_id, created_at desc);

create table if not exists ops.notification_delivery_attempts (
  delivery_id  uuid not null references ops.notification_deliveries (id) on delete cascade,
  at           timestamptz not null default clock_timestamp(),
  -- sent | retrying | dead | failed | retry_requested (an admin sent a dead delivery back)
  outcome      text not null,
  error        text,
  actor_id     text
);
create index if not exists notification_delivery_attempts_of on ops.notification_delivery_attempts (delivery_id, at);
`;
