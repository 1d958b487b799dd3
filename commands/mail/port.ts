/** Outgoing mail: identity sends account mail through it now, notifications later. */
export type MailLocale = 'vi' | 'en';

export interface MailMessage {
  /** One recipient address, e.g. `an.nguyen@example.vn`. */
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the mail is about, dotted, e.g. `account.verification`. */
  category: string;
  locale: MailLocale;
}

export interface Mailer {
  /** Resolves once the mail is accepted (by the SMTP server or the outbox); throws otherwise. */
  send(message: MailMessage): Promise<{ id: string }>;
}

export class InvalidMailMessageError extends Error {
  override readonly name = 'InvalidMailMessageError';
  constructor(
    readonly field: keyof MailMessage,
    reason: string,
  ) {
    super(`Invalid mail message: ${field} ${reason}`);
  }
}

const SINGLE_ADDRESS = /^[^\s@,;:<>()[\]"\\]+@[^\s@,;:<>()[\]"\\]+\.[^\s@,;:<>()[\]"\\]+$/;
const CATEGORY = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;

/** Both adapters refuse the same malformed messages, so the outbox never holds mail SMTP would refuse. */
export function assertMailMessage(message: MailMessage): void {
  if (!SINGLE_ADDRESS.test(message.to)) throw new InvalidMailMessageError('to', 'must be one plain email address');
  if (message.to.length > 254) throw new InvalidMailMessageError('to', 'is longer than 254 characters');
  if (message.subject.trim() === '') throw new InvalidMailMessageError('subject', 'must not be empty');
  if (/[\r\n]/.test(message.subject)) throw new InvalidMailMessageError('subject', 'must be one line');
  if (message.text.trim() === '') throw new InvalidMailMessageError('text', 'must not be empty');
  if (!CATEGORY.test(message.category)) {
    throw new InvalidMailMessageError('category', 'must be dotted lower-case words, e.g. account.verification');
  }
  if (message.locale !== 'vi' && message.locale !== 'en')
    throw new InvalidMailMessageError('locale', "must be 'vi' or 'en'");
}
