/**
 * One-time codes that link a Telegram chat to an account: kept hashed, valid 10 minutes, one open
 * code per user (a new one replaces it), used once. The link itself is an event on the profile.
 */
export const telegramLinkCodesSchema = /* sql */ `
create table if not exists ops.telegram_link_codes (
  code_hash     text primary key,
  user_id       uuid not null,
  expires_at    timestamptz not null,
  created_at    timestamptz not null,
  used_at       timestamptz,
  used_chat_id  text
);
create index if not exists telegram_link_codes_user on ops.telegram_link_codes (user_id);
`;
