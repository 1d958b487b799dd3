// Browser journey through a viewing booking: a sales staff member works every day 08:00–20:00
// (a weekly shift added by the admin through the API) and a listing is published (through the
// catalog commands). In Chromium a visitor sees the listing's free slots with a "sign in to book"
// link; signed in, the customer holds tomorrow's first slot, writes a note and books; the staff
// member sees it among the assigned viewings and confirms it. The app's test clock then moves
// past the start (and the staff member's browser clock with it), the staff member reports the
// customer interested, and the customer finds the booking completed with that result.
// Needs `npm run build:ui` first; the steps run in order.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, testClock } from '../support/app.js';
import { listingWorld } from '../support/listing-world.js';
import { browserJourney, seeText, signIn, TEST_ADMIN, UI_TIMEOUT } from './ui.js';

const CUSTOMER = { name: 'Phạm Minh Châu', email: 'minh.chau@example.vn', password: 'Khách-thuê-2026!' };
const SALES = { name: 'Võ Thị Hạnh', email: 'thi.hanh@example.vn', password: 'Bán-hàng-2026!' };
const TITLE = 'Phòng trọ Mai Anh gần công viên Lê Văn Tám';
const NOTE = 'Tôi muốn xem phòng tầng thấp, có ban công.';
const ZONE = 'Asia/Ho_Chi_Minh';

const clock = testClock();
const journey = browserJourney('booking', { seed: false, pages: ['customer', 'sales'], clock: clock.now });

let baseUrl: string;
let customer: Page;
let sales: Page;
let listingId = '';
let bookingId = '';
let start = '';
let adminToken = '';

const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(at);
const tomorrow = () => localDate(new Date(clock.now().getTime() + 86_400_000));

type Answer<T> = { status: number; body: { success: boolean; data: T; error: { code: string } | null } };

async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<Answer<T>> {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Answer<T>['body'] };
}

const login = async (email: string, password: string) =>
  eventually(async () => {
    const answer = await api<{ accessToken: string }>('POST', '/api/v1/auth/login', { email, password });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.data.accessToken;
  });

async function mailTo(email: string, admin: string): Promise<string> {
  const mail = await api<{ text: string }[]>('GET', `/api/v1/admin/mail-outbox?to=${email}`, undefined, admin);
  return mail.body.data[0]?.text ?? '';
}

/** A customer who signed up and verified the email with the mailed code. */
async function registerCustomer(admin: string) {
  const registered = await api('POST', '/api/v1/auth/register', { ...CUSTOMER, role: 'customer' });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const code = /\b(\d{6})\b/.exec(await mailTo(CUSTOMER.email, admin))?.[1];
  expect((await api('POST', '/api/v1/auth/verify-email', { email: CUSTOMER.email, code })).status).toBe(200);
}

/** A sales staff member (created by the admin, invite accepted) with a weekly shift every day from today. */
async function salesWithShift(admin: string): Promise<string> {
  const today = localDate(clock.now());
  const created = await api<{ userId: string }>(
    'POST',
    '/api/v1/admin/staff',
    {
      email: SALES.email,
      name: SALES.name,
      phone: null,
      role: 'sales',
      profile: {
        code: 'NV-B01',
        title: 'Nhân viên kinh doanh',
        department: 'Kinh doanh',
        startDate: today,
        areaIds: [],
      },
    },
    admin,
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const staffId = created.body.data.userId;
  const token = /\/set-password\?token=([A-Za-z0-9_-]+)/.exec(await mailTo(SALES.email, admin))?.[1];
  expect((await api('POST', '/api/v1/auth/accept-invite', { token, password: SALES.password })).status).toBe(200);
  const weekly = { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], start: '08:00', end: '20:00', from: today };
  const shift = await api('POST', `/api/v1/staff/${staffId}/weekly-shifts`, weekly, admin);
  expect(shift.status, JSON.stringify(shift.body)).toBe(201);
  return staffId;
}

beforeAll(async () => {
  baseUrl = journey.baseUrl;
  customer = journey.page('customer');
  sales = journey.page('sales');
  const admin = await login(TEST_ADMIN.email, TEST_ADMIN.password);
  adminToken = admin;
  await registerCustomer(admin);
  await salesWithShift(admin);

  const world = listingWorld(journey.app.services.store);
  const city = await world.area('Thành phố Hồ Chí Minh', 'province');
  const district = await world.area('Quận 3', 'district', city);
  const ownerId = await world.newOwner();
  const { projectId, roomIds } = await world.project(ownerId, [{ price: 4_200_000, areaM2: 22 }], district);
  listingId = await world.listing({
    projectId,
    ownerId,
    title: TITLE,
    areaId: district,
    street: '45 Trần Quốc Thảo',
    rooms: roomIds.map((roomId) => ({ roomId })),
  });
  // The listing is bookable once the read models show it published and the shift.
  // (polled slowly: anonymous requests are rate-limited).
  let answer: Answer<{ slots: { start: string }[] }> | null = null;
  for (let tries = 0; tries < 60; tries++) {
    answer = await api('GET', `/api/v1/listings/${listingId}/viewing-slots`);
    if (answer.status === 200 && answer.body.data.slots.some((s) => localDate(new Date(s.start)) === tomorrow())) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(answer?.body.data.slots.length, JSON.stringify(answer?.body)).toBeGreaterThan(0);
}, 90_000);

describe('booking a viewing in the browser', () => {
  it('a visitor sees free slots and is asked to sign in to book', async () => {
    await customer.goto(`${baseUrl}/listings/${listingId}`);
    await seeText(customer.getByTestId('listing-title')).toBe(TITLE);
    const picker = customer.getByTestId('viewing-booking');
    const first = picker.locator(`[data-testid="slot-day"][data-day="${tomorrow()}"] [data-testid="slot"]`).first();
    await seeText(first).toBe('08:00');
    expect(await first.isDisabled()).toBe(true);
    expect(await picker.getByTestId('slot-sign-in').getAttribute('href')).toBe(
      `/login?next=${encodeURIComponent(`/listings/${listingId}`)}`,
    );
  });

  it('the customer holds tomorrow 08:00 for five minutes and books it with a note', { timeout: 30_000 }, async () => {
    await signIn(customer, baseUrl, CUSTOMER.email, CUSTOMER.password);
    await customer.goto(`${baseUrl}/listings/${listingId}`);
    const picker = customer.getByTestId('viewing-booking');
    const slot = picker.locator(`[data-testid="slot-day"][data-day="${tomorrow()}"] [data-testid="slot"]`).first();
    await seeText(slot).toBe('08:00');
    start = (await slot.getAttribute('data-start')) ?? '';
    expect(new Date(start).toISOString()).toBe(new Date(`${tomorrow()}T08:00:00+07:00`).toISOString());
    await slot.click();
    await expect.poll(() => slot.getAttribute('aria-pressed')).toBe('true');
    await seeText(picker.getByTestId('hold-countdown')).toMatch(/^[45]:\d\d$/);
    await picker.getByTestId('booking-note').fill(NOTE);
    await picker.getByTestId('booking-submit').click();
    await seeText(picker.getByTestId('booking-done')).toContain('Đã gửi yêu cầu đặt lịch');
    const href = (await picker.getByTestId('booking-done-link').getAttribute('href')) ?? '';
    bookingId = href.split('/').pop() ?? '';
    expect(bookingId).toMatch(/^[0-9a-f-]{36}$/);
    // The only staff member now has that time: the slot is gone from the refreshed picker.
    await expect
      .poll(() => picker.locator(`[data-testid="slot"][data-start="${start}"]`).count(), { timeout: UI_TIMEOUT })
      .toBe(0);

    await customer.getByTestId('nav-bookings').click();
    const row = customer.locator(`[data-testid="booking-row"][data-booking-id="${bookingId}"]`);
    await seeText(row.getByTestId('booking-status')).toBe('Chờ xác nhận');
    await seeText(row.getByTestId('booking-provider')).toBe(SALES.name);
    await seeText(row.getByTestId('booking-note')).toContain(NOTE);
  });

  it('the customer moves it to 09:00 in a picker that follows the staff calendar live', {
    timeout: 30_000,
  }, async () => {
    const row = customer.locator(`[data-testid="booking-row"][data-booking-id="${bookingId}"]`);
    await row.getByTestId('action-reschedule').click();
    const picker = row.getByTestId('slot-picker');
    const at = (time: string) => new Date(`${tomorrow()}T${time}:00+07:00`).toISOString();
    const ten = picker.locator(`[data-testid="slot"][data-start="${at('10:00')}"]`);
    await ten.waitFor();
    // Someone else holds 10:00 with the same staff member: the socket's `slots.changed` refreshes
    // the picker well before its 30-second poll.
    const held = await api('POST', `/api/v1/listings/${listingId}/viewing-holds`, { start: at('10:00') }, adminToken);
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    await ten.waitFor({ state: 'detached', timeout: UI_TIMEOUT });

    await picker.locator(`[data-testid="slot"][data-start="${at('09:00')}"]`).click();
    await seeText(picker.getByTestId('reschedule-chosen')).toContain('09:00');
    await picker.getByTestId('reschedule-submit').click();
    await seeText(row.getByTestId('booking-when')).toContain('09:00–09:30');
    await seeText(row.getByTestId('booking-status')).toBe('Chờ xác nhận');
    start = at('09:00');
  });

  it('the staff member sees it among the assigned viewings and confirms it', { timeout: 30_000 }, async () => {
    await signIn(sales, baseUrl, SALES.email, SALES.password);
    await sales.getByTestId('nav-sales-bookings').click();
    const row = sales.locator(`[data-testid="booking-row"][data-booking-id="${bookingId}"]`);
    await seeText(row.getByTestId('booking-open')).toBe(TITLE);
    await seeText(row.getByTestId('booking-status')).toBe('Chờ xác nhận');
    expect(await row.getByTestId('action-result').count()).toBe(0); // not before the time
    await row.getByTestId('action-confirm').click();
    await seeText(row.getByTestId('booking-status')).toBe('Đã xác nhận');
    expect(await row.getByTestId('action-confirm').count()).toBe(0);
  });

  it('after the time the staff member reports the customer interested', { timeout: 30_000 }, async () => {
    clock.advance(Date.parse(start) + 40 * 60_000 - clock.now().getTime());
    await sales.clock.setSystemTime(clock.now());
    await sales.reload();
    await sales.getByTestId('bookings-tab-past').click();
    const row = sales.locator(`[data-testid="booking-row"][data-booking-id="${bookingId}"]`);
    await seeText(row.getByTestId('booking-status')).toBe('Đã xác nhận');
    await row.getByTestId('action-result').click();
    await row.getByTestId('result-submit').click();
    await seeText(row.getByTestId('result-error')).toContain('chọn kết quả');
    await row.getByTestId('result-outcome').selectOption('interested');
    await row.getByTestId('result-note').fill('Khách thích phòng, hẹn đặt cọc cuối tuần.');
    await row.getByTestId('result-submit').click();
    await seeText(row.getByTestId('booking-status')).toBe('Hoàn thành');
    await seeText(row.getByTestId('booking-outcome')).toBe('Khách quan tâm');
    expect(await row.getByTestId('action-result').count()).toBe(0);
  });

  it('the customer finds the booking completed with the result', { timeout: 30_000 }, async () => {
    await customer.reload();
    await customer.getByTestId('bookings-tab-past').click();
    const row = customer.locator(`[data-testid="booking-row"][data-booking-id="${bookingId}"]`);
    await seeText(row.getByTestId('booking-status')).toBe('Hoàn thành');
    await seeText(row.getByTestId('booking-outcome')).toBe('Khách quan tâm');
    expect(await row.getByTestId('action-cancel').count()).toBe(0);

    await row.getByTestId('booking-open').click();
    const detail = customer.getByTestId('booking-detail');
    await seeText(detail.getByTestId('booking-detail-status')).toBe('Hoàn thành');
    await seeText(detail.getByTestId('booking-detail-outcome')).toBe(
      'Khách quan tâm — Khách thích phòng, hẹn đặt cọc cuối tuần.',
    );
    expect(journey.pageErrors).toEqual([]);
  });
});
