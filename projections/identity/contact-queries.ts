import type pg from 'pg';
import { isUuid } from './profiles-queries.js';

export interface TelegramLinkView {
  linked: boolean;
  chatId: string | null;
  username: string | null;
  linkedAt: Date | null;
}

/** The Telegram chat linked to a user (rm.profiles, kept by TelegramChatLinked/Unlinked). */
export async function getTelegramLink(pool: pg.Pool, userId: string): Promise<TelegramLinkView> {
  const none = { linked: false, chatId: null, username: null, linkedAt: null };
  if (!isUuid(userId)) return none;
  const { rows } = await pool.query<{ chat_id: string | null; username: string | null; linked_at: Date | null }>(
    `select telegram_chat_id as chat_id, telegram_username as username, telegram_linked_at as linked_at
       from rm.profiles where user_id = $1`,
    [userId],
  );
  const row = rows[0];
  if (!row?.chat_id) return none;
  return { linked: true, chatId: row.chat_id, username: row.username, linkedAt: row.linked_at };
}

/** Where a user can be reached on each channel; null for a channel without an address. */
export interface NotificationAddresses {
  email: string;
  /** As the person entered it (`0912345678` or `+84912345678`); the SMS sender normalises it. */
  phone: string | null;
  telegramChatId: string | null;
}

/** A user's addresses from the read models; null for an unknown user. */
export async function notificationAddressesOf(pool: pg.Pool, userId: string): Promise<NotificationAddresses | null> {
  if (!isUuid(userId)) return null;
  const { rows } = await pool.query<{ email: string; phone: string | null; telegram_chat_id: string | null }>(
    // The phone comes from sign-up until the profile stream has a row (then the profile's, even if cleared).
    `select u.email, case when p.user_id is null then u.phone else p.phone end as phone, p.telegram_chat_id
       from rm.users u left join rm.profiles p on p.user_id = u.id
      where u.id = $1`,
    [userId],
  );
  const row = rows[0];
  return row ? { email: row.email, phone: row.phone, telegramChatId: row.telegram_chat_id } : null;
}

/** The users whose notifications go to a Telegram chat (one person may link several accounts). */
export async function usersLinkedToTelegramChat(pool: pg.Pool, chatId: string): Promise<string[]> {
  const { rows } = await pool.query<{ user_id: string }>(
    'select user_id from rm.profiles where telegram_chat_id = $1 order by user_id',
    [chatId],
  );
  return rows.map((row) => row.user_id);
}
