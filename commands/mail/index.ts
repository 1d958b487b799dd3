import type pg from 'pg';
import { OutboxMailer } from './outbox.js';
import type { Mailer } from './port.js';
import { SmtpMailer } from './smtp.js';

export type { ListOutboxOptions, OutboxMessage } from './outbox.js';
export { getOutboxMessage, listOutbox, OutboxMailer } from './outbox.js';
export { mailOutboxSchema } from './outbox-schema.js';
export type { Mailer, MailLocale, MailMessage } from './port.js';
export { InvalidMailMessageError } from './port.js';
export type { SmtpMailerOptions } from './smtp.js';
export { DEFAULT_MAIL_FROM, SmtpError, SmtpMailer } from './smtp.js';
export type { RenderedMail } from './templates.js';
export {
  escapeHtml,
  MAIL_CATEGORIES,
  newDeviceLoginMail,
  passwordResetMail,
  staffInviteMail,
  verificationMail,
} from './templates.js';

/** SMTP when `smtpUrl` (SMTP_URL) is set, otherwise the local outbox that admins read in the UI. */
export function createMailer(config: { smtpUrl?: string; pool: pg.Pool; from?: string }): Mailer {
  if (config.smtpUrl) {
    return new SmtpMailer({ url: config.smtpUrl, ...(config.from !== undefined && { from: config.from }) });
  }
  return new OutboxMailer(config.pool);
}
