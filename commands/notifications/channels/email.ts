import type { Mailer } from '../../mail/port.js';
import { InvalidMailMessageError } from '../../mail/port.js';
import { SmtpError } from '../../mail/smtp.js';
import { ChannelError, type ChannelSender, type OutgoingMessage } from './port.js';

/**
 * The email channel over the existing Mailer (SMTP, or the local outbox without SMTP_URL).
 * An SMTP server's 5xx answer (unknown mailbox, refused message) or a malformed message is
 * final; anything else (4xx, connection lost, timeout) is worth another try.
 */
export function emailSender(mailer: Mailer): ChannelSender {
  return {
    channel: 'email',
    async send(message: OutgoingMessage) {
      try {
        const { id } = await mailer.send({
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined && { html: message.html }),
          category: message.category,
          locale: message.locale,
        });
        return { providerMessageId: id };
      } catch (error) {
        throw toChannelError(error);
      }
    },
  };
}

function toChannelError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  if (error instanceof InvalidMailMessageError) return new ChannelError(error.message, false, 'invalid_message');
  if (error instanceof SmtpError) {
    const code = error.responseCode === undefined ? error.code : String(error.responseCode);
    return new ChannelError(error.message, error.permanent !== true, code);
  }
  return new ChannelError(error instanceof Error ? error.message : String(error), true);
}
