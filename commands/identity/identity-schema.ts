/**
 * Schema `identity`: the secrets and the short-lived security state that must never enter an
 * event (DESIGN.md §4). Events only say that these changed.
 */
export const identitySchema = /* sql */ `
create schema if not exists identity;

create table if not exists identity.credentials (
  user_id         uuid primary key,
  email           text not null unique,
  password_hash   text not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

-- One-time codes sent by mail: email verification (24 h) and password reset (10 min).
create table if not exists identity.email_codes (
  user_id     uuid not null references identity.credentials (user_id) on delete cascade,
  purpose     text not null check (purpose in ('verify', 'reset')),
  code_hash   text not null,
  link_hash   text,
  expires_at  timestamptz not null,
  attempts    int not null default 0,
  sent_at     timestamptz not null,
  primary key (user_id, purpose)
);

-- A session is one device's sign-in and the family of its rotating refresh tokens.
create table if not exists identity.sessions (
  id              uuid primary key,
  user_id         uuid not null references identity.credentials (user_id) on delete cascade,
  device          text not null,
  ip              text,
  user_agent      text,
  active_role     text not null,
  created_at      timestamptz not null default now(),
  last_seen_at    timestamptz not null default now(),
  revoked_at      timestamptz,
  revoked_reason  text
);
create index if not exists sessions_user on identity.sessions (user_id) where revoked_at is null;

create table if not exists identity.refresh_tokens (
  token_hash   text primary key,
  session_id   uuid not null references identity.sessions (id) on delete cascade,
  issued_at    timestamptz not null default now(),
  expires_at   timestamptz not null,
  replaced_at  timestamptz
);
create index if not exists refresh_tokens_session on identity.refresh_tokens (session_id);

-- Failed sign-ins, per IP and per account, for the 5-per-minute limit.
create table if not exists identity.failed_logins (
  key  text not null,
  at   timestamptz not null default now()
);
create index if not exists failed_logins_key_at on identity.failed_logins (key, at);
`;

/** TOTP second factor: the secret, the last accepted step (no replay) and hashed recovery codes. */
export const twoFactorSchema = /* sql */ `
create table if not exists identity.totp (
  user_id               uuid primary key references identity.credentials (user_id) on delete cascade,
  secret                text not null,
  enabled_at            timestamptz,
  last_step             bigint,
  recovery_code_hashes  text[] not null default '{}'
);

-- Between a correct password and the second factor: a short-lived challenge.
create table if not exists identity.login_challenges (
  token_hash  text primary key,
  user_id     uuid not null references identity.credentials (user_id) on delete cascade,
  device      text not null,
  expires_at  timestamptz not null,
  attempts    int not null default 0
);
`;
