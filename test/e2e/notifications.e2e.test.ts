// Browser journey through notifications: a customer has requested a viewing (through the API). In
// the browser they link Telegram with the one-time code (the bot's webhook gets `/start <code>`,
// the page notices by polling) and turn Telegram on for bookings. When the sales staff member
// confirms the viewing, the bell in the customer's top bar counts up without a reload (pushed over
// /ws), the dropdown shows the confirmation, the inbox lists it with its e-mail and Telegram
// deliveries, and marking it read counts the bell down. An admin edits the confirmation's e-mail
// template and sees the server's preview follow the text, and an unknown variable named as the
// error. Last, the customer unlinks Telegram and its column is off again.
// Needs `npm run build:ui` first; the steps run in order.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, testClock } from '../support/app.js';
import { startFakeTelegram, telegramTextUpdate } from '../support/fake-telegram.js';
import { listingWorld } from '../support/listing-world.js';
import { journeyApi } from './journey-api.js';
import { browserJourney, seeText, signIn, TEST_ADMIN, UI_TIMEOUT } from './ui.js';

const CUSTOMER = { name: 'Lê Thu Trang', email: 'thu.trang@example.vn', password: 'Khách-thuê-2026!' };
const SALES = { name: 'Đỗ Văn Khoa', email: 'van.khoa@example.vn', password: 'Bán-hàng-2026!' };
const TITLE = 'Phòng trọ Hoa Sữa gần chợ Bến Thành';
const ZONE = 'Asia/Ho_Chi_Minh';
const BOT = 'phongtro_test_bot';
const SECRET = 'webhook-secret_2026';
const CHAT_ID = 700_123_456;

const clock = testClock();
const bot = await startFakeTelegram();
const journey = browserJourney('notifications', {
  seed: false,
  pages: ['customer', 'admin'],
  clock: clock.now,
  app: { channels: { telegram: { botToken: bot.token, botUsername: BOT, apiUrl: bot.url, webhookSecret: SECRET } } },
});
afterAll(() => bot.close());
const { api, login, register, salesWithShift } = journeyApi(() => journey.baseUrl);

type Inbox = { items: { id: string; type: string; title: string; readAt: string | null }[]; unreadCount: number };

let baseUrl: string;
let customer: Page;
let admin: Page;
let customerToken = '';
let salesToken = '';
let bookingId = '';

const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(at);
const tomorrow = () => localDate(new Date(clock.now().getTime() + 86_400_000));

const inboxOf = async (token: string) => {
  const answer = await api<Inbox>('GET', '/api/v1/notifications?limit=50', undefined, token);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data;
};

/** The number on the bell (0 when it shows none). */
async function bellCount(page: Page): Promise<number> {
  const badge = page.getByTestId('notification-bell-count');
  return (await badge.count()) === 0 ? 0 : Number(await badge.getAttribute('data-count'));
}

beforeAll(async () => {
  baseUrl = journey.baseUrl;
  customer = journey.page('customer');
  admin = journey.page('admin');
  const adminToken = await login(TEST_ADMIN.email, TEST_ADMIN.password);
  await register(CUSTOMER, 'customer', adminToken);
  await salesWithShift(SALES, 'NV-T01', localDate(clock.now()), adminToken);
  customerToken = await login(CUSTOMER.email, CUSTOMER.password);
  salesToken = await login(SALES.email, SALES.password);

  const world = listingWorld(journey.app.services.store);
  const city = await world.area('Thành phố Hồ Chí Minh', 'province');
  const district = await world.area('Quận 1', 'district', city);
  const ownerId = await world.newOwner();
  const { projectId, roomIds } = await world.project(ownerId, [{ price: 3_900_000, areaM2: 20 }], district);
  const listingId = await world.listing({
    projectId,
    ownerId,
    title: TITLE,
    areaId: district,
    street: '12 Lê Thánh Tôn',
    rooms: roomIds.map((roomId) => ({ roomId })),
  });

  // The customer requests tomorrow 08:00 once the listing and the shift are in the read models.
  const start = new Date(`${tomorrow()}T08:00:00+07:00`).toISOString();
  bookingId = await eventually(async () => {
    const response = await fetch(`${baseUrl}/api/v1/bookings`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${customerToken}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
      },
      body: JSON.stringify({ kind: 'viewing', listingId, start }),
    });
    const body = (await response.json()) as { data: { bookingId: string } };
    expect(response.status, JSON.stringify(body)).toBe(201);
    return body.data.bookingId;
  }, 30_000);
  // What the request itself notified has arrived before the browser opens.
  await eventually(async () => expect((await inboxOf(customerToken)).items.length).toBeGreaterThan(0));
}, 90_000);

describe('notifications in the browser', () => {
  let before = 0;

  it('the customer links Telegram with a one-time code and turns it on for bookings', {
    timeout: 30_000,
  }, async () => {
    await signIn(customer, baseUrl, CUSTOMER.email, CUSTOMER.password);
    await customer.goto(`${baseUrl}/account/notifications`);
    const prefs = customer.getByTestId('prefs');
    const bookingTelegram = prefs.getByTestId('pref-booking-telegram');
    await expect.poll(() => bookingTelegram.getAttribute('data-unavailable')).toBe('true');
    expect(await bookingTelegram.isDisabled()).toBe(true);
    await seeText(prefs.getByTestId('prefs-hint-telegram')).toContain('Liên kết Telegram');
    expect(await prefs.getByTestId('pref-account.security-email').isDisabled()).toBe(true); // mandatory

    const card = customer.getByTestId('telegram-link');
    await card.getByTestId('telegram-start').click();
    const code = (await card.getByTestId('telegram-code').textContent())?.trim() ?? '';
    expect(code).not.toBe('');
    expect(await card.getByTestId('telegram-deep-link').getAttribute('href')).toBe(`https://t.me/${BOT}?start=${code}`);
    await seeText(card.getByTestId('telegram-waiting')).toContain('Đang chờ');

    // The person sends the code to the bot; Telegram posts it to the webhook.
    const update = telegramTextUpdate(1, CHAT_ID, `/start ${code}`, { username: 'thu_trang', language_code: 'vi' });
    const hook = await fetch(`${baseUrl}/api/v1/telegram/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
      body: JSON.stringify(update),
    });
    expect(hook.status).toBe(200);
    await seeText(card.getByTestId('telegram-linked')).toContain('@thu_trang');
    await seeText(card.getByTestId('telegram-notice')).toBe('Đã liên kết Telegram.');
    expect(bot.sent.some((m) => m.chatId === String(CHAT_ID) && m.text.startsWith('Đã liên kết'))).toBe(true);

    await expect.poll(() => bookingTelegram.isDisabled()).toBe(false);
    expect(await prefs.getByTestId('prefs-hint-telegram').count()).toBe(0);
    await bookingTelegram.check();
    await prefs.getByTestId('prefs-save').click();
    await seeText(prefs.getByTestId('prefs-notice')).toBe('Đã lưu tuỳ chọn thông báo.');
  });

  it('the bell counts up live when the staff member confirms the booking', { timeout: 30_000 }, async () => {
    await customer.goto(`${baseUrl}/bookings`);
    before = (await inboxOf(customerToken)).unreadCount;
    expect(before).toBeGreaterThan(0);
    await expect.poll(() => bellCount(customer), { timeout: UI_TIMEOUT }).toBe(before);

    const confirmed = await api('POST', `/api/v1/bookings/${bookingId}/confirm`, {}, salesToken);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    // No reload: the socket's push moves the bell (its fallback poll is a minute away).
    await expect.poll(() => bellCount(customer), { timeout: UI_TIMEOUT }).toBe(before + 1);

    await customer.getByTestId('notification-bell').click();
    const panel = customer.getByTestId('notification-panel');
    const newest = (await inboxOf(customerToken)).items[0];
    expect(newest?.type).toBe('booking.confirmed');
    await seeText(panel.getByTestId('bell-item').first()).toContain(newest?.title ?? '');
  });

  it('the inbox lists the confirmation with its deliveries and marks it read', { timeout: 30_000 }, async () => {
    await customer.getByTestId('bell-all').click();
    await customer.waitForURL(`${baseUrl}/notifications`);
    const item = customer.locator('[data-testid="notification"]').first();
    await expect.poll(() => item.getAttribute('data-read')).toBe('false');
    const newest = (await inboxOf(customerToken)).items[0];
    await seeText(item.getByTestId('notification-title')).toBe(newest?.title ?? '');
    await seeText(customer.getByTestId('notifications-unread-count')).toContain(String(before + 1));
    // Its delivery per channel: e-mail (on by default for bookings) and the Telegram chat just linked.
    const delivery = (channel: string) => item.locator(`[data-testid="delivery"][data-channel="${channel}"]`);
    await expect.poll(() => delivery('email').getAttribute('data-status'), { timeout: 10_000 }).toBe('sent');
    await expect.poll(() => delivery('telegram').getAttribute('data-status'), { timeout: 10_000 }).toBe('sent');
    await seeText(delivery('telegram').getByTestId('delivery-status')).toBe('Đã gửi');
    expect(bot.sent.some((m) => m.chatId === String(CHAT_ID) && m.text.includes(TITLE))).toBe(true);

    await item.getByTestId('notification-read').click();
    await expect.poll(() => item.getAttribute('data-read')).toBe('true');
    await expect.poll(() => bellCount(customer), { timeout: UI_TIMEOUT }).toBe(before);
    expect((await inboxOf(customerToken)).items.find((n) => n.id === newest?.id)?.readAt).not.toBeNull();

    // Only unread ones: the confirmation is gone from that list.
    await customer.getByTestId('notifications-unread').click();
    await expect
      .poll(() => customer.locator(`[data-notification-id="${newest?.id}"]`).count(), { timeout: UI_TIMEOUT })
      .toBe(0);
  });

  it('an admin edits the confirmation e-mail and the preview follows', { timeout: 30_000 }, async () => {
    await signIn(admin, baseUrl, TEST_ADMIN.email, TEST_ADMIN.password);
    await admin.goto(`${baseUrl}/admin/notification-templates`);
    await admin.getByTestId('template-type').selectOption('booking.confirmed');
    await admin.getByTestId('template-channel').selectOption('email');
    await admin.getByTestId('template-locale').selectOption('vi');
    const editor = admin.getByTestId('template-editor');
    const preview = admin.getByTestId('template-preview');

    await editor.getByTestId('template-body').fill('Chào {{name}}, lịch {{bookingKind}} đã được xác nhận.');
    await seeText(preview.getByTestId('template-preview-body')).toBe(
      'Chào Nguyễn Văn An, lịch xem phòng đã được xác nhận.',
    );

    await editor.getByTestId('template-body').fill('Chào {{name}}, phòng {{soPhong}} đã sẵn sàng.');
    await seeText(editor.getByTestId('template-body-error')).toContain('soPhong');
    await seeText(preview.getByTestId('template-preview-error')).toContain('soPhong');
  });

  it('the customer unlinks Telegram and its column is off again', { timeout: 30_000 }, async () => {
    await customer.goto(`${baseUrl}/account/notifications`);
    const card = customer.getByTestId('telegram-link');
    await card.getByTestId('telegram-unlink').click();
    await card.getByTestId('telegram-unlink-yes').click();
    await seeText(card.getByTestId('telegram-not-linked')).toBe('Chưa liên kết Telegram.');
    const bookingTelegram = customer.getByTestId('prefs').getByTestId('pref-booking-telegram');
    await expect.poll(() => bookingTelegram.isDisabled()).toBe(true);
    expect(journey.pageErrors).toEqual([]);
  });
});
