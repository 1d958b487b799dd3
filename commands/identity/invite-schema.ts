/**
 * Invitations to set a first password, for accounts created by staff (UC-OPER-05, UC-ADMIN-01):
 * one open invite per user, the link's token kept hashed, valid 72 hours, deleted when used.
 */
export const staffInvitesSchema = /* sql */ `
create table if not exists identity.staff_invites (
  user_id     uuid primary key references identity.credentials (user_id) on delete cascade,
  token_hash  text not null unique,
  expires_at  timestamptz not null,
  created_at  timestamptz not null default now()
);
`;
