import type { ChannelSender } from './port.js';
import { esmsSender, type SmsConfig } from './sms.js';
import { type TelegramConfig, telegramSender } from './telegram.js';

export type { SmsConfig } from './sms.js';
export type { TelegramConfig } from './telegram.js';

/** Telegram and SMS settings (ops/config.ts reads them from the environment); a channel left out is off. */
export interface ChannelConfig {
  telegram?: TelegramConfig;
  sms?: SmsConfig;
}

/** The Telegram and SMS senders the configuration turns on (email has its own SMTP settings). */
export function channelSenders(config: ChannelConfig): ChannelSender[] {
  return [
    ...(config.telegram ? [telegramSender(config.telegram)] : []),
    ...(config.sms ? [esmsSender(config.sms)] : []),
  ];
}
