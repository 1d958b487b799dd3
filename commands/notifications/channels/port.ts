/** The channels a notification leaves the platform by; `app` (the inbox) is not one of them. */
export type DeliveryChannel = 'email' | 'telegram' | 'sms';

export const DELIVERY_CHANNELS = ['email', 'telegram', 'sms'] as const satisfies readonly DeliveryChannel[];

/** One rendered message to one address (an email address, a Telegram chat id, a phone number). */
export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The notification type, dotted, e.g. `booking.confirmed`. */
  category: string;
  locale: 'vi' | 'en';
  /** Stable per delivery: providers that support it deduplicate a retried send. */
  idempotencyKey: string;
}

export interface ChannelSender {
  readonly channel: DeliveryChannel;
  /** Resolves once the provider accepted the message; throws a ChannelError otherwise. */
  send(message: OutgoingMessage): Promise<{ providerMessageId: string }>;
}

/** Thrown by a sender; retryable=false goes straight to dead (bad address, 4xx), true is retried with backoff. */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly providerCode?: string,
  ) {
    super(message);
  }
}
