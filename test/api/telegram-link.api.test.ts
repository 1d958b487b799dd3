import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { notificationAddressesOf } from '../../projections/identity/contact-queries.js';
import { ADMIN, eventually, startTestApp, type TestApp, testClock } from '../support/app.js';
import { type FakeTelegram, startFakeTelegram, telegramTextUpdate } from '../support/fake-telegram.js';
import { bearer, type Person, people } from '../support/people.js';

const SECRET = 'webhook-secret_2026';
const BOT = 'phongtro_test_bot';

let t: TestApp;
let bot: FakeTelegram;
const clock = testClock();
beforeAll(async () => {
  bot = await startFakeTelegram();
  t = await startTestApp({
    clock: clock.now,
    channels: { telegram: { botToken: bot.token, botUsername: BOT, apiUrl: bot.url, webhookSecret: SECRET } },
  });
});
afterAll(async () => {
  await t?.close();
  await bot?.close();
});
beforeEach(() => bot.reset());

const { person } = people(() => t);

type LinkCode = { code: string; botUsername: string; deepLink: string; expiresAt: string };
type Link = {
  available: boolean;
  botUsername: string | null;
  linked: boolean;
  username: string | null;
  linkedAt: string | null;
};

let updateId = 1000;
const webhook = (update: unknown, secret: string | null = SECRET) =>
  t.call<{ outcome: string }>(
    'POST',
    '/api/v1/telegram/webhook',
    update,
    secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret },
  );
const start = (chatId: number, code: string, username = 'an_nguyen') =>
  webhook(telegramTextUpdate(updateId++, chatId, `/start ${code}`, { username, language_code: 'vi' }));
const linkCode = async (who: Person) => {
  const answer = await t.call<LinkCode>('POST', '/api/v1/me/telegram/link-code', undefined, bearer(who.token));
  expect(answer.status).toBe(201);
  return answer.body.data;
};
const linkOf = async (who: Person) =>
  (await t.call<Link>('GET', '/api/v1/me/telegram', undefined, bearer(who.token))).body.data;
const telegramEvents = async (userId: string) =>
  (
    await t.db.pool.query<{ event_type: string; data: Record<string, unknown> }>(
      `select event_type, data from es.events where stream_name = $1 and event_type like 'TelegramChat%'
        order by position`,
      [`profile-${userId}`],
    )
  ).rows;
const history = async (userId: string) =>
  (
    await t.call<{ type: string; actorId: string; summary: string }[]>(
      'GET',
      `/api/v1/admin/users/${userId}/history`,
      undefined,
      ADMIN,
    )
  ).body.data;

describe('linking a Telegram chat with a one-time code', () => {
  test('a code is issued (10 min, deep link, stored hashed), and the bot links the chat that sends it', async () => {
    const an = await person('an.telegram@example.vn', 'customer', 'Nguyễn Văn An');
    expect(await linkOf(an)).toEqual({
      available: true,
      botUsername: BOT,
      linked: false,
      username: null,
      linkedAt: null,
    });

    const issued = await linkCode(an);
    expect(issued.code).toMatch(/^[A-Za-z0-9_-]{20,64}$/);
    expect(issued).toMatchObject({ botUsername: BOT, deepLink: `https://t.me/${BOT}?start=${issued.code}` });
    const ttl = new Date(issued.expiresAt).getTime() - clock.now().getTime();
    expect(ttl).toBeGreaterThan(9.9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
    const stored = await t.db.pool.query('select code_hash from ops.telegram_link_codes where user_id = $1', [an.id]);
    expect(stored.rows).toEqual([{ code_hash: createHash('sha256').update(issued.code).digest('hex') }]);

    // Without the webhook's secret nothing happens.
    for (const secret of [null, 'wrong-secret']) {
      const refused = await webhook(telegramTextUpdate(updateId++, 777001, `/start ${issued.code}`), secret);
      expect(refused.status).toBe(401);
      expect(refused.body.error?.code).toBe('TELEGRAM_SECRET_INVALID');
    }
    expect(bot.calls()).toBe(0);

    const linked = await start(777001, issued.code);
    expect(linked.status).toBe(200);
    expect(linked.body.data.outcome).toBe('linked');
    expect(bot.sent).toHaveLength(1);
    expect(bot.sent[0]).toMatchObject({ chatId: '777001' });
    expect(bot.sent[0]?.text).toContain('Đã liên kết Telegram');

    await eventually(async () => {
      expect(await linkOf(an)).toMatchObject({ linked: true, username: 'an_nguyen', linkedAt: expect.any(String) });
    });
    // The notification pipeline reads the chat from the profiles read model.
    expect(await notificationAddressesOf(t.db.pool, an.id)).toMatchObject({
      email: 'an.telegram@example.vn',
      telegramChatId: '777001',
    });
    // The link is an event of the person's profile, in the audit trail with the person as actor.
    expect(await telegramEvents(an.id)).toEqual([
      { event_type: 'TelegramChatLinked', data: { userId: an.id, chatId: '777001', username: 'an_nguyen' } },
    ]);
    await eventually(async () => {
      expect(await history(an.id)).toContainEqual(
        expect.objectContaining({ type: 'TelegramChatLinked', actorId: an.id }),
      );
    });

    // Staff acting for the person see the link but cannot make a code for their own chat.
    const asAn = { ...ADMIN, 'x-act-as': an.id };
    expect((await t.call<Link>('GET', '/api/v1/me/telegram', undefined, asAn)).body.data.linked).toBe(true);
    const actAs = await t.call('POST', '/api/v1/me/telegram/link-code', undefined, asAn);
    expect({ status: actAs.status, code: actAs.body.error?.code }).toEqual({ status: 403, code: 'ACT_AS_NOT_ALLOWED' });
  });

  test('a code works once: reused from another chat it links nothing; a re-delivered update changes nothing', async () => {
    const binh = await person('binh.telegram@example.vn', 'customer', 'Trần Thị Bình');
    const { code } = await linkCode(binh);
    const update = telegramTextUpdate(updateId++, 888001, `/start ${code}`, { username: 'binh_tran' });
    expect((await webhook(update)).body.data.outcome).toBe('linked');
    // Telegram re-delivers an update it thinks was lost; the same chat is told it is linked already.
    expect((await webhook(update)).body.data.outcome).toBe('already_linked');

    const reused = await start(888002, code, 'someone_else');
    expect(reused.status).toBe(200);
    expect(reused.body.data.outcome).toBe('code_used');
    expect(bot.sent.at(-1)).toMatchObject({ chatId: '888002' });
    expect(bot.sent.at(-1)?.text).toContain('đã được dùng');

    expect(await telegramEvents(binh.id)).toHaveLength(1);
    await eventually(async () => {
      expect(await linkOf(binh)).toMatchObject({ linked: true, username: 'binh_tran' });
    });
    const chat = await t.db.pool.query('select telegram_chat_id from rm.profiles where user_id = $1', [binh.id]);
    expect(chat.rows[0]?.telegram_chat_id).toBe('888001');
  });

  test('an expired, unknown or replaced code links nothing; /start alone explains how to link', async () => {
    const cuong = await person('cuong.telegram@example.vn', 'customer', 'Lê Văn Cường');
    const replaced = await linkCode(cuong);
    const { code } = await linkCode(cuong); // a new code replaces the open one
    expect((await start(999001, replaced.code)).body.data.outcome).toBe('code_unknown');

    clock.advance(10 * 60_000 + 1000);
    const expired = await start(999001, code);
    expect(expired.body.data.outcome).toBe('code_expired');
    expect(bot.sent.at(-1)?.text).toContain('hết hạn');

    expect((await start(999001, 'not-a-real-code')).body.data.outcome).toBe('code_unknown');
    expect((await start(999001, 'bad*code')).body.data.outcome).toBe('code_unknown');
    const help = await webhook(telegramTextUpdate(updateId++, 999001, '/start', { language_code: 'en' }));
    expect(help.body.data.outcome).toBe('help');
    expect(bot.sent.at(-1)?.text).toContain('Settings → Telegram');
    // Updates the bot does not act on are still answered 200, so Telegram does not resend them.
    expect((await webhook({ update_id: updateId++, edited_message: { text: 'x' } })).body.data.outcome).toBe('ignored');

    expect(await telegramEvents(cuong.id)).toEqual([]);
    expect((await linkOf(cuong)).linked).toBe(false);
  });

  test('unlinking is an event; unlinking again records nothing; a chat that blocks the bot is unlinked', async () => {
    const dung = await person('dung.telegram@example.vn', 'customer', 'Phạm Dũng');
    expect((await start(555001, (await linkCode(dung)).code, 'dung_pham')).body.data.outcome).toBe('linked');
    await eventually(async () => expect((await linkOf(dung)).linked).toBe(true));

    const unlinked = await t.call<Link>('DELETE', '/api/v1/me/telegram', undefined, bearer(dung.token));
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.data).toMatchObject({ linked: false, username: null, linkedAt: null });
    expect((await notificationAddressesOf(t.db.pool, dung.id))?.telegramChatId).toBeNull();
    expect((await t.call('DELETE', '/api/v1/me/telegram', undefined, bearer(dung.token))).status).toBe(200);
    expect((await telegramEvents(dung.id)).map((e) => [e.event_type, e.data.reason])).toEqual([
      ['TelegramChatLinked', undefined],
      ['TelegramChatUnlinked', 'user'],
    ]);
    await eventually(async () => {
      expect(await history(dung.id)).toContainEqual(
        expect.objectContaining({
          type: 'TelegramChatUnlinked',
          actorId: dung.id,
          summary: expect.stringContaining('user'),
        }),
      );
    });

    // Linked again, then the person blocks the bot: Telegram says so with a my_chat_member update.
    expect((await start(555001, (await linkCode(dung)).code, 'dung_pham')).body.data.outcome).toBe('linked');
    await eventually(async () => expect((await linkOf(dung)).linked).toBe(true));
    const kicked = await webhook({
      update_id: updateId++,
      my_chat_member: {
        chat: { id: 555001, type: 'private' },
        from: { id: 555001, is_bot: false, first_name: 'Dũng' },
        date: 0,
        old_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'bot' } },
        new_chat_member: { status: 'kicked', until_date: 0, user: { id: 1, is_bot: true, first_name: 'bot' } },
      },
    });
    expect(kicked.body.data.outcome).toBe('unlinked_blocked');
    expect((await telegramEvents(dung.id)).at(-1)).toMatchObject({
      event_type: 'TelegramChatUnlinked',
      data: { chatId: '555001', reason: 'bot_blocked' },
    });
    await eventually(async () => expect((await linkOf(dung)).linked).toBe(false));
    expect((await t.call('GET', '/api/v1/me/telegram')).status).toBe(401);
  });
});
