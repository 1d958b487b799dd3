/** Stored answers to commands sent with an `Idempotency-Key`, so a retry gets the first answer. */
export const idempotencySchema = /* sql */ `
create schema if not exists ops;
create table if not exists ops.idempotency_records (
  scope         text not null,
  key           text not null,
  request_hash  text not null,
  status_code   int not null,
  response      jsonb not null,
  created_at    timestamptz not null default now(),
  primary key (scope, key)
);
create index if not exists idempotency_records_created_at on ops.idempotency_records (created_at);
`;
