/** Checkpoints of projections and reactions; read-model tables live in schema `rm`. */
export const projectionSchema = /* sql */ `
create schema if not exists ops;
create schema if not exists rm;
create table if not exists ops.projection_checkpoints (
  name        text primary key,
  version     int not null,
  position    bigint not null default 0,
  updated_at  timestamptz not null default now(),
  last_error  text
);
`;
