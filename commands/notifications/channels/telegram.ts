import { postJson, RetryLaterError, retryAfterSecondsOf } from './http.js';
import { ChannelError, type ChannelSender, type OutgoingMessage } from './port.js';

/*
 * Telegram Bot API, https://core.telegram.org/bots/api:
 * - `POST {apiUrl}/bot<token>/sendMessage` with JSON {chat_id, text, link_preview_options}; text is
 *   1–4096 characters (#sendmessage). `link_preview_options.is_disabled` replaced
 *   `disable_web_page_preview` in Bot API 7.0.
 * - Every answer is {ok: true, result} or {ok: false, error_code, description, parameters?} where
 *   `parameters.retry_after` is the flood-control wait in seconds (#making-requests, #responseparameters).
 * - Deep links `https://t.me/<bot>?start=<payload>`, payload at most 64 of A-Z a-z 0-9 _ - (features#deep-linking).
 * - setWebhook's `secret_token` comes back in `X-Telegram-Bot-Api-Secret-Token` (#setwebhook).
 */

export const DEFAULT_TELEGRAM_API_URL = 'https://api.telegram.org';
export const TELEGRAM_TEXT_LIMIT = 4096;
/** How far back from the limit a cut looks for a space, so a word is not split. */
const WORD_BREAK_WINDOW = 200;

export interface TelegramConfig {
  /** TELEGRAM_BOT_TOKEN from @BotFather, `123456:ABC-…`. It travels in the URL path: never log the URL. */
  botToken: string;
  /** TELEGRAM_BOT_USERNAME without the @ (deep links are `https://t.me/<username>?start=<code>`). */
  botUsername: string;
  /** TELEGRAM_API_URL; tests point it at a local server. */
  apiUrl: string;
  /** TELEGRAM_WEBHOOK_SECRET: the `secret_token` given to setWebhook; unset, the webhook refuses every request. */
  webhookSecret: string | undefined;
}

/** Private chats and groups have integer ids (at most 52 significant bits). */
const CHAT_ID = /^-?[1-9]\d{0,15}$/;
export const isTelegramChatId = (value: string) => CHAT_ID.test(value) && Number.isSafeInteger(Number(value));

/**
 * The text Telegram gets: the subject as a first line (Telegram has none) unless the text already
 * starts with it, NFC (Vietnamese written with combining marks is composed, so nothing is cut
 * between a letter and its tone mark), and at most 4096 UTF-16 units, cut at a space near the end
 * with an ellipsis rather than in a word or between the halves of an emoji.
 */
export function telegramText(subject: string, text: string, limit = TELEGRAM_TEXT_LIMIT): string {
  const body = text.normalize('NFC').trim();
  const title = subject.normalize('NFC').trim();
  const full = title === '' || body.startsWith(title) ? body : `${title}\n\n${body}`.trim();
  if (full.length <= limit) return full;
  let cut = full.slice(0, limit - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.search(/\s\S*$/);
  if (space > cut.length - WORD_BREAK_WINDOW) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

interface TelegramAnswer {
  ok?: unknown;
  result?: { message_id?: unknown };
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown };
}

/** 429 and 5xx (and a 200 without a message) are worth another try; other 4xx (chat not found, bot blocked) are not. */
function failureOf(status: number, answer: TelegramAnswer | null): ChannelError {
  const code = typeof answer?.error_code === 'number' ? answer.error_code : status;
  const description = typeof answer?.description === 'string' ? answer.description : `HTTP ${status}`;
  const message = `telegram: ${description}`;
  const providerCode = `TELEGRAM_${code}`;
  if (code === 429) {
    const retryAfter = retryAfterSecondsOf(answer?.parameters?.retry_after) ?? 1;
    return new RetryLaterError(message, retryAfter, providerCode);
  }
  return new ChannelError(message, code >= 500 || code < 400, providerCode);
}

export interface TelegramSenderOptions {
  timeoutMs?: number;
}

/** Sends plain text (no parse_mode: user-written names and titles need no escaping) to a chat id. */
export function telegramSender(
  config: Pick<TelegramConfig, 'botToken' | 'apiUrl'>,
  options: TelegramSenderOptions = {},
): ChannelSender {
  const endpoint = `${config.apiUrl.replace(/\/+$/, '')}/bot${config.botToken}/sendMessage`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    channel: 'telegram',
    async send(message: OutgoingMessage) {
      const chatId = message.to.trim();
      if (!isTelegramChatId(chatId)) {
        throw new ChannelError('telegram: the address is not a chat id', false, 'CHAT_ID_INVALID');
      }
      const text = telegramText(message.subject, message.text);
      if (text === '') throw new ChannelError('telegram: the text is empty', false, 'TEXT_EMPTY');
      const answer = await postJson(
        'telegram',
        endpoint,
        { chat_id: Number(chatId), text, link_preview_options: { is_disabled: true } },
        timeoutMs,
      );
      const body = (answer.body ?? null) as TelegramAnswer | null;
      const messageId = body?.ok === true ? body.result?.message_id : undefined;
      if (answer.status !== 200 || typeof messageId !== 'number') throw failureOf(answer.status, body);
      // Message ids count per chat: the chat makes the id unique.
      return { providerMessageId: `${chatId}:${messageId}` };
    },
  };
}
