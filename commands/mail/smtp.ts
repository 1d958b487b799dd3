import nodemailer, { type NodemailerError, type SMTPSentMessageInfo } from 'nodemailer';
import { assertMailMessage, type Mailer, type MailMessage } from './port.js';

export const DEFAULT_MAIL_FROM = '"Phòng Trọ Việt" <no-reply@phongtro.local>';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465` (TLS from the start). */
  url: string;
  from?: string;
}

type SmtpFailure = Pick<NodemailerError, 'code' | 'command' | 'responseCode' | 'response' | 'permanent'>;

/** An SMTP conversation that failed; the message names the command and the server's answer. */
export class SmtpError extends Error {
  override readonly name = 'SmtpError';
  /** nodemailer's code: ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, EMESSAGE, … */
  readonly code: string | undefined;
  /** The SMTP command the server answered with an error, e.g. `RCPT TO`. */
  readonly command: string | undefined;
  readonly responseCode: number | undefined;
  readonly response: string | undefined;
  /** True when the server refused for good (5xx), false when a retry may succeed, undefined without an answer. */
  readonly permanent: boolean | undefined;

  constructor(message: string, failure: SmtpFailure = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = failure.code;
    this.command = failure.command;
    this.responseCode = failure.responseCode;
    this.response = failure.response;
    this.permanent =
      failure.permanent ?? (failure.responseCode === undefined ? undefined : failure.responseCode >= 500);
  }
}

/** Sends through an SMTP server with nodemailer, one connection per message. */
export class SmtpMailer implements Mailer {
  readonly #transport: ReturnType<typeof createSmtpTransport>;
  readonly #from: string;

  constructor(options: SmtpMailerOptions) {
    this.#transport = createSmtpTransport(options.url);
    this.#from = options.from ?? DEFAULT_MAIL_FROM;
  }

  async send(message: MailMessage): Promise<{ id: string }> {
    assertMailMessage(message);
    let info: SMTPSentMessageInfo;
    try {
      info = await this.#transport.sendMail({
        from: this.#from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined && { html: message.html }),
        headers: { 'X-Mail-Category': message.category, 'Content-Language': message.locale },
      });
    } catch (error) {
      throw toSmtpError(error);
    }
    if (info.rejected.length > 0) {
      throw new SmtpError(`SMTP server rejected the recipient ${info.rejected.join(', ')}`, { command: 'RCPT TO' });
    }
    return { id: info.messageId };
  }

  close(): void {
    this.#transport.close();
  }
}

function createSmtpTransport(url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('SMTP_URL is not a valid URL (expected smtp://user:pass@host:587 or smtps://…)');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${parsed.protocol}//`);
  }
  if (!parsed.hostname) throw new Error('SMTP_URL has no host');
  // Shorter than nodemailer's defaults (2 min to connect): mail is sent while a request waits.
  // Query parameters of the URL (e.g. ?connectionTimeout=60000) still win.
  return nodemailer.createTransport({ url, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
}

function toSmtpError(error: unknown): SmtpError {
  if (!(error instanceof Error)) return new SmtpError(`SMTP send failed: ${String(error)}`, {}, error);
  const failure = error as NodemailerError;
  const what = [failure.code, failure.command && `during ${failure.command}`].filter(Boolean).join(' ');
  return new SmtpError(`SMTP send failed${what ? ` (${what})` : ''}: ${error.message}`, failure, error);
}
