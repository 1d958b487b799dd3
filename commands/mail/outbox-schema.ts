/** Mail kept locally when no SMTP server is configured (the `npm start` default); admins read it in the UI. */
export const mailOutboxSchema = /* sql */ `
create schema if not exists ops;
create table if not exists ops.mail_outbox (
  id          uuid primary key,
  to_address  text not null,
  subject     text not null,
  text_body   text not null,
  html_body   text,
  category    text not null,
  locale      text not null check (locale in ('vi', 'en')),
  created_at  timestamptz not null default clock_timestamp()
);
create index if not exists mail_outbox_newest on ops.mail_outbox (created_at desc, id desc);
create index if not exists mail_outbox_to_newest on ops.mail_outbox (lower(to_address), created_at desc, id desc);
`;
