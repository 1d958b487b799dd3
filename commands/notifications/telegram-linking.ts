import { createHash, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { type ProfileCommand, profileDecider } from '../../domain/identity/profile.js';
import { profileStream, type TelegramUnlinkReason } from '../../domain/identity/profile-events.js';
import { usersLinkedToTelegramChat } from '../../projections/identity/contact-queries.js';
import type { EventStore } from '../eventstore/port.js';
import { commandHandler } from '../handler.js';
import { hashToken, randomToken } from '../identity/passwords.js';
import { type CommandMetadata, systemMetadata } from '../metadata.js';
import type { TelegramConfig } from './channels/telegram.js';
import { isTelegramChatId, telegramSender } from './channels/telegram.js';

export const TELEGRAM_LINK_CODE_TTL_MS = 10 * 60_000;

/** The parts of a Telegram Update (https://core.telegram.org/bots/api#update) the bot reads. */
export interface TelegramUpdate {
  update_id: number;
  message?: {
    chat: { id: number; type?: string };
    from?: { username?: string; language_code?: string };
    text?: string;
  };
  my_chat_member?: { chat: { id: number; type?: string }; new_chat_member: { status: string } };
}

export type LinkOutcome =
  | 'linked'
  | 'already_linked'
  | 'code_used'
  | 'code_expired'
  | 'code_unknown'
  | 'not_private'
  | 'help'
  | 'ignored'
  | 'unlinked_blocked';

type Locale = 'vi' | 'en';
/** Outcomes the bot answers in the chat. */
type RepliedOutcome = Exclude<LinkOutcome, 'ignored' | 'unlinked_blocked'>;
type RedeemOutcome = Extract<LinkOutcome, 'linked' | 'already_linked' | 'code_used' | 'code_expired' | 'code_unknown'>;
const REPLIES: Record<RepliedOutcome, Record<Locale, string>> = {
  linked: {
    vi: 'Đã liên kết Telegram với tài khoản của bạn. Bạn sẽ nhận thông báo tại đây; tắt bất cứ lúc nào trong phần Cài đặt thông báo.',
    en: 'Telegram is now linked to your account. Notifications will arrive here; turn them off any time in your notification settings.',
  },
  already_linked: {
    vi: 'Cuộc trò chuyện này đã được liên kết với tài khoản của bạn.',
    en: 'This chat is already linked to your account.',
  },
  code_used: {
    vi: 'Mã liên kết này đã được dùng. Hãy lấy mã mới trong phần Cài đặt → Telegram.',
    en: 'This link code has already been used. Get a new one under Settings → Telegram.',
  },
  code_expired: {
    vi: 'Mã liên kết đã hết hạn (hiệu lực 10 phút). Hãy lấy mã mới trong phần Cài đặt → Telegram.',
    en: 'This link code has expired (codes last 10 minutes). Get a new one under Settings → Telegram.',
  },
  code_unknown: {
    vi: 'Mã liên kết không hợp lệ. Hãy lấy mã trong phần Cài đặt → Telegram rồi mở lại liên kết.',
    en: 'This link code is not valid. Get a code under Settings → Telegram and open the link again.',
  },
  not_private: {
    vi: 'Chỉ có thể liên kết trong cuộc trò chuyện riêng với bot.',
    en: 'Linking works only in a private chat with the bot.',
  },
  help: {
    vi: 'Để nhận thông báo tại đây, hãy mở Cài đặt → Telegram trên website và bấm liên kết.',
    en: 'To get notifications here, open Settings → Telegram on the website and follow the link.',
  },
};

const START = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/;
const CODE = /^[A-Za-z0-9_-]{1,64}$/;
const USERNAME = /^[A-Za-z0-9_]{1,64}$/;

export interface TelegramLinkingDeps {
  pool: pg.Pool;
  store: EventStore;
  clock: () => Date;
  logger: Logger;
  /** Unset: linking is unavailable (503) and the webhook refuses every request. */
  telegram: TelegramConfig | undefined;
}

/** Links a person's Telegram chat with a one-time code sent to the bot as `/start <code>`. */
export function telegramLinking(deps: TelegramLinkingDeps) {
  const { pool, clock, telegram } = deps;
  const handle = commandHandler(
    { store: deps.store, clock },
    { decider: profileDecider, stream: (command: ProfileCommand) => profileStream(command.userId) },
  );
  const sender = telegram ? telegramSender(telegram, { timeoutMs: 5000 }) : null;
  const secretDigest = telegram?.webhookSecret ? createHash('sha256').update(telegram.webhookSecret).digest() : null;

  async function reply(chatId: string, outcome: RepliedOutcome, locale: Locale, updateId: number) {
    if (!sender) return;
    await sender
      .send({
        to: chatId,
        subject: '',
        text: REPLIES[outcome][locale],
        category: 'account.telegram_link',
        locale,
        idempotencyKey: `telegram-update-${updateId}`,
      })
      .catch((error: unknown) => deps.logger.warn({ err: error, outcome }, 'telegram: reply to the chat failed'));
  }

  /** Looks the code up under a row lock and, when it is good, links the chat before marking the code used. */
  async function redeem(
    code: string,
    chatId: string,
    username: string | null,
    metadata: CommandMetadata,
  ): Promise<RedeemOutcome> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{
        user_id: string;
        expires_at: Date;
        used_at: Date | null;
        used_chat_id: string | null;
      }>(
        'select user_id, expires_at, used_at, used_chat_id from ops.telegram_link_codes where code_hash = $1 for update',
        [hashToken(code)],
      );
      const row = rows[0];
      let outcome: RedeemOutcome;
      if (!row) outcome = 'code_unknown';
      else if (row.used_at !== null) outcome = row.used_chat_id === chatId ? 'already_linked' : 'code_used';
      else if (row.expires_at.getTime() <= clock().getTime()) outcome = 'code_expired';
      else {
        // The holder of the code is the person linking: they are the actor of the event.
        await handle(
          { type: 'LinkTelegramChat', userId: row.user_id, chatId, username },
          { ...metadata, actorId: row.user_id, actAsId: null, roles: [] },
        );
        await client.query('update ops.telegram_link_codes set used_at = $2, used_chat_id = $3 where code_hash = $1', [
          hashToken(code),
          clock(),
          chatId,
        ]);
        outcome = 'linked';
      }
      await client.query('commit');
      return outcome;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Every account linked to a chat that blocked the bot stops sending there (also for a 403 from sendMessage). */
  async function unlinkBlockedChat(chatId: string, correlationId: string): Promise<number> {
    const userIds = await usersLinkedToTelegramChat(pool, chatId);
    for (const userId of userIds) {
      await handle(
        { type: 'UnlinkTelegramChat', userId, reason: 'bot_blocked', chatId },
        systemMetadata(correlationId),
      );
    }
    return userIds.length;
  }

  return {
    available: telegram !== undefined,
    botUsername: telegram?.botUsername ?? null,

    /** A fresh code for the user; their earlier open code stops working. */
    async issueCode(userId: string) {
      if (!telegram) throw new Error('Telegram is not configured');
      const code = randomToken(24);
      const now = clock();
      const expiresAt = new Date(now.getTime() + TELEGRAM_LINK_CODE_TTL_MS);
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(
          `delete from ops.telegram_link_codes
            where (user_id = $1 and used_at is null) or expires_at < $2::timestamptz - interval '1 day'`,
          [userId, now],
        );
        await client.query(
          'insert into ops.telegram_link_codes (code_hash, user_id, expires_at, created_at) values ($1, $2, $3, $4)',
          [hashToken(code), userId, expiresAt, now],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      const botUsername = telegram.botUsername;
      return { code, botUsername, deepLink: `https://t.me/${botUsername}?start=${code}`, expiresAt };
    },

    /** Whether a webhook request carries the configured secret (compared in constant time). */
    webhookSecretMatches(header: string | undefined): boolean {
      if (!secretDigest || header === undefined) return false;
      return timingSafeEqual(secretDigest, createHash('sha256').update(header).digest());
    },

    /** Handles one webhook update: `/start <code>` links, a chat that blocks the bot is unlinked. */
    async handleUpdate(update: TelegramUpdate, metadata: CommandMetadata): Promise<LinkOutcome> {
      const member = update.my_chat_member;
      if (member && member.new_chat_member.status === 'kicked' && member.chat.type === 'private') {
        const chatId = String(member.chat.id);
        if (!isTelegramChatId(chatId)) return 'ignored';
        return (await unlinkBlockedChat(chatId, metadata.correlationId)) > 0 ? 'unlinked_blocked' : 'ignored';
      }
      const message = update.message;
      const chatId = message ? String(message.chat.id) : '';
      if (!message || typeof message.text !== 'string' || !isTelegramChatId(chatId)) return 'ignored';
      const locale: Locale = message.from?.language_code?.startsWith('en') ? 'en' : 'vi';
      const start = START.exec(message.text.trim());
      let outcome: RepliedOutcome;
      if (message.chat.type !== undefined && message.chat.type !== 'private') {
        if (!start) return 'ignored'; // group chatter is not for the bot
        outcome = 'not_private';
      } else if (!start?.[1]) outcome = 'help';
      else if (!CODE.test(start[1])) outcome = 'code_unknown';
      else {
        const username = message.from?.username;
        outcome = await redeem(start[1], chatId, username && USERNAME.test(username) ? username : null, {
          ...metadata,
          idempotencyKey: `telegram-update-${update.update_id}`,
        });
      }
      await reply(chatId, outcome, locale, update.update_id);
      return outcome;
    },

    /** The person (or staff acting for them) stops Telegram notifications. */
    async unlink(userId: string, reason: TelegramUnlinkReason, metadata: CommandMetadata) {
      return handle({ type: 'UnlinkTelegramChat', userId, reason }, metadata);
    },

    unlinkBlockedChat,
  };
}

export type TelegramLinking = ReturnType<typeof telegramLinking>;
