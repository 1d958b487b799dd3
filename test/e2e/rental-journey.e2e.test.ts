// The whole rental journey (SRS Appendix F.2, scenario 1) in Chromium, each step done by its actor:
// the owner publishes a listing through the wizard under the admin's deposit policy, an operator
// approves it, the customer finds it with an unaccented keyword and books a viewing, the sales staff
// member (assigned by the system) confirms it and, after the time, reports the customer interested;
// the customer pays a reservation deposit on the local VNPay sandbox and converts it into a security
// deposit; the contract is generated, signed with mailed OTP codes by the customer and then the
// owner; the operator writes the handover report, both parties sign it, and the security deposit is
// released. At each step the states the SRS lists are checked through the API. Then the admin edits
// contract templates, the operator reviews the owner's scan and starts a move-out report (meters and
// deductions checked, a wrong code refused). At the end the ledger balances and the audit trail holds every step with its actor (`npm run ledger:verify` and
// `npm run audit:verify` run against the journey's database). Screenshots: /tmp/rental-<step>.png.
// Needs `npm run build:ui` first; the steps run in order.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, testClock } from '../support/app.js';
import { DEPOSIT_TERMS } from '../support/money-world.js';
import { journeyApi } from './journey-api.js';
import { browserJourney, seeText, signIn, TEST_ADMIN, UI_TIMEOUT } from './ui.js';

const OWNER = { name: 'Nguyễn Thị Lan', email: 'lan.chu@example.vn', password: 'Sen-Hồng-P201-ký!' };
const OPERATOR = { name: 'Đỗ Văn Hùng', email: 'hung.dieu@example.vn', password: 'Duyệt-tin-nhanh-7!' };
const SALES = { name: 'Võ Thị Hạnh', email: 'hanh.sale@example.vn', password: 'Dẫn-khách-xem-9!' };
const CUSTOMER = { name: 'Phạm Minh Châu', email: 'chau.khach@example.vn', password: 'Thuê-phòng-mới-5!' };
const PROJECT = 'Nhà trọ Sen Hồng';
const TITLE = 'Phòng trọ Sen Hồng gần chợ Bến Thành, ban công riêng';
const POLICY = 'Cọc chuẩn hành trình';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const ZONE = 'Asia/Ho_Chi_Minh';
/** Waiting for the gateway's IPN, the read models, reactions and the pages' live updates. */
const SETTLE = 20_000;
const PAYMENT_URL = /\/payments\/[0-9a-f-]{36}$/;

const clock = testClock();
const journey = browserJourney('rental', {
  seed: true,
  pages: ['owner', 'operator', 'sales', 'customer'],
  clock: clock.now,
});
const { api, login, register, salesWithShift } = journeyApi(() => journey.baseUrl);

let baseUrl: string;
let owner: Page;
let operator: Page;
let sales: Page;
let customer: Page;
let adminToken = '';
let customerToken = '';
let ownerId = '';
let operatorId = '';
let salesId = '';
let customerId = '';
let wardId = '';
let listingId = '';
let roomId = '';
let bookingId = '';
let depositId = '';
let contractId = '';
let handoverId = '';
const paymentIds: string[] = [];

const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(at);
const tomorrow = () => localDate(new Date(clock.now().getTime() + 86_400_000));
const shot = (page: Page, step: string) => page.screenshot({ path: `/tmp/rental-${step}.png`, fullPage: true });
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: SETTLE, interval: 200 });

/** The room's status as the listing's deposit panel shows it (room stream → read model). */
const roomStatus = async () => {
  const options = await api<{ rooms: { roomId: string; status: string }[] }>(
    'GET',
    `/api/v1/listings/${listingId}/deposit-options`,
  );
  return options.body.data.rooms.find((r) => r.roomId === roomId)?.status;
};
const bookingStatus = async () =>
  (await api<{ status: string }>('GET', `/api/v1/bookings/${bookingId}`, undefined, customerToken)).body.data?.status;
const paymentStatus = async (paymentId: string) =>
  (await api<{ status: string }>('GET', `/api/v1/payments/${paymentId}`, undefined, customerToken)).body.data?.status;
const contract = async () =>
  (
    await api<{ status: string; handovers: { id: string; status: string }[] }>(
      'GET',
      `/api/v1/contracts/${contractId}`,
      undefined,
      customerToken,
    )
  ).body.data;
const depositStatus = async () =>
  (await api<{ status: string }>('GET', `/api/v1/deposits/${depositId}`, undefined, customerToken)).body.data?.status;

const usedCodes = new Set<string>();
/** The newest signing code mailed to `email` not used yet (other mail, e.g. notifications, goes there too). */
async function mailedCode(email: string): Promise<string> {
  let code = '';
  await poll(async () => {
    const mail = await api<{ text: string }[]>('GET', `/api/v1/admin/mail-outbox?to=${email}`, undefined, adminToken);
    const text = mail.body.data.map((m) => m.text).find((body) => body.includes('Mã OTP để ký')) ?? '';
    code = /\b(\d{6})\b/.exec(text)?.[1] ?? '';
    return code !== '' && !usedCodes.has(code);
  }).toBe(true);
  usedCodes.add(code);
  return code;
}

beforeAll(async () => {
  baseUrl = journey.baseUrl;
  owner = journey.page('owner');
  operator = journey.page('operator');
  sales = journey.page('sales');
  customer = journey.page('customer');
  adminToken = await login(TEST_ADMIN.email, TEST_ADMIN.password);

  ownerId = await register(OWNER, 'owner', adminToken);
  const ownerToken = await login(OWNER.email, OWNER.password);
  const kyc = new FormData();
  kyc.append('kinds', 'id_front');
  kyc.append('documents', new Blob([PDF], { type: 'application/pdf' }), 'cccd.pdf');
  expect((await api('POST', '/api/v1/me/kyc', kyc, ownerToken)).status).toBe(200);
  expect((await api('POST', `/api/v1/admin/kyc/${ownerId}/verify`, undefined, adminToken)).status).toBe(200);

  operatorId = await register(OPERATOR, 'customer', adminToken);
  await eventually(async () => {
    const granted = await api('POST', `/api/v1/admin/users/${operatorId}/roles`, { role: 'operator' }, adminToken);
    expect(granted.status).toBe(200);
  });
  salesId = await salesWithShift(SALES, 'NV-J01', localDate(clock.now()), adminToken);
  customerId = await register(CUSTOMER, 'customer', adminToken);
  customerToken = await login(CUSTOMER.email, CUSTOMER.password);

  const policy = await api(
    'POST',
    '/api/v1/admin/deposit-policies',
    { name: POLICY, terms: DEPOSIT_TERMS },
    adminToken,
  );
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  const wards = await api<{ id: string; level: string }[]>('GET', `/api/v1/areas?q=${encodeURIComponent('Bến Nghé')}`);
  wardId = wards.body.data.find((a) => a.level === 'ward')?.id ?? '';
  expect(wardId).not.toBe('');
}, 120_000);

describe('the rental journey (SRS F.2 scenario 1)', () => {
  it('1. the owner creates a project with a room and submits a listing under the deposit policy', {
    timeout: 60_000,
  }, async () => {
    await signIn(owner, baseUrl, OWNER.email, OWNER.password);
    await owner.getByTestId('nav-owner-projects').click();
    await owner.getByTestId('project-name').fill(PROJECT);
    await owner.getByTestId('project-description').fill('Khu trọ yên tĩnh, có bảo vệ.');
    await owner.getByTestId('project-address-area').selectOption(wardId);
    await owner.getByTestId('project-address-street').fill('12 Nguyễn Trãi');
    await owner.getByTestId('project-submit').click();
    const project = owner.locator(`[data-testid="project-row"][data-project-name="${PROJECT}"]`);
    await project.getByTestId('project-open').click();
    await owner.getByTestId('room-add-name').fill('P201');
    await owner.getByTestId('room-add-standardPrice').fill('3.000.000');
    await owner.getByTestId('room-add-areaM2').fill('22');
    await owner.getByTestId('room-add-submit').click();
    await seeText(
      owner.locator('[data-testid="project-room"][data-room-name="P201"]').getByTestId('project-room-status'),
    ).toBe('Trống');

    await owner.getByTestId('project-new-listing').click();
    await expect.poll(() => owner.getByTestId('wizard-project').inputValue()).not.toBe('');
    await owner.getByTestId('wizard-title').fill(TITLE);
    await owner
      .getByTestId('wizard-description')
      .fill('Phòng 22 m² có ban công riêng, cửa sổ thoáng, cách chợ Bến Thành 5 phút đi bộ.');
    await owner.getByTestId('wizard-next').click();
    await owner.waitForURL(/\/owner\/listings\/[\w-]+\/edit$/);
    listingId = owner.url().split('/').at(-2) ?? '';
    await owner.getByTestId('wizard-step-features').waitFor();
    await owner.getByTestId('wizard-next').click();
    await owner.getByTestId('wizard-step-rooms').waitFor();
    await owner
      .locator('[data-testid="wizard-room"][data-room-name="P201"]')
      .getByTestId('wizard-room-include')
      .check();
    await owner.getByTestId('wizard-next').click();
    await owner.getByTestId('wizard-step-images').waitFor();
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#e11d48' } })
      .jpeg()
      .toBuffer();
    await owner
      .getByTestId('wizard-images-input')
      .setInputFiles({ name: 'phong.jpg', mimeType: 'image/jpeg', buffer: photo });
    await owner.getByTestId('wizard-images-upload').click();
    await expect.poll(() => owner.getByTestId('wizard-image').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await owner.getByTestId('wizard-next').click();
    await owner.getByTestId('wizard-step-deposit').waitFor();
    await owner.locator('label', { hasText: POLICY }).getByTestId('wizard-policy-option').check();
    await owner.getByTestId('wizard-next').click();
    await owner.getByTestId('wizard-step-review').waitFor();
    await owner.getByTestId('wizard-submit').click();
    await seeText(owner.getByTestId('wizard-status')).toBe('Chờ duyệt');
    await shot(owner, '01-listing-submitted');
  });

  it('2. an operator approves it', { timeout: 30_000 }, async () => {
    await signIn(operator, baseUrl, OPERATOR.email, OPERATOR.password);
    await operator.getByTestId('role-switcher').selectOption('operator');
    await operator.getByTestId('nav-operator-moderation').click();
    await operator.locator(`[data-testid="queue-item"][data-title="${TITLE}"]`).click();
    const panel = operator.getByTestId('moderation-panel');
    for (const key of ['accurate', 'imagesClear', 'priceReasonable']) await panel.getByTestId(`check-${key}`).check();
    await panel.getByTestId('moderation-approve').click();
    await seeText(operator.getByTestId('moderation-notice')).toContain(TITLE);
    await shot(operator, '02-approved');
  });

  it('3. the customer finds it with an unaccented keyword; the room is available', { timeout: 30_000 }, async () => {
    await signIn(customer, baseUrl, CUSTOMER.email, CUSTOMER.password);
    await customer.goto(`${baseUrl}/search?q=${encodeURIComponent('phong tro sen hong ben thanh')}`);
    const card = customer.locator('[data-testid="listing-card"]').filter({ hasText: TITLE });
    await poll(async () => {
      if ((await card.count()) === 0) await customer.getByTestId('search-submit').click();
      return card.count();
    }).toBeGreaterThan(0);
    await shot(customer, '03-search');
    await card.getByTestId('listing-card-title').click();
    await seeText(customer.getByTestId('listing-title')).toBe(TITLE);
    roomId =
      (await api<{ rooms: { roomId: string }[] }>('GET', `/api/v1/listings/${listingId}/deposit-options`)).body.data
        .rooms[0]?.roomId ?? '';
    expect(await roomStatus()).toBe('available');
  });

  it('4. the customer books a viewing: requested, assigned to the sales staff member', {
    timeout: 30_000,
  }, async () => {
    const picker = customer.getByTestId('viewing-booking');
    const slot = picker.locator(`[data-testid="slot-day"][data-day="${tomorrow()}"] [data-testid="slot"]`).first();
    await poll(async () => {
      if ((await slot.count()) === 0) await customer.reload();
      return slot.count();
    }).toBeGreaterThan(0);
    await slot.click();
    await picker.getByTestId('booking-note').fill('Tôi muốn xem phòng buổi sáng.');
    await picker.getByTestId('booking-submit').click();
    const href = (await picker.getByTestId('booking-done-link').getAttribute('href')) ?? '';
    bookingId = href.split('/').pop() ?? '';
    expect(await bookingStatus()).toBe('requested');
    const assigned = await api<{ providerId: string }>(
      'GET',
      `/api/v1/bookings/${bookingId}`,
      undefined,
      customerToken,
    );
    expect(assigned.body.data.providerId).toBe(salesId);
    await shot(customer, '04-booked');
  });

  it('5. the sales staff member confirms it, and after the time reports the customer interested', {
    timeout: 45_000,
  }, async () => {
    await signIn(sales, baseUrl, SALES.email, SALES.password);
    await sales.getByTestId('nav-sales-bookings').click();
    const row = sales.locator(`[data-testid="booking-row"][data-booking-id="${bookingId}"]`);
    await row.getByTestId('action-confirm').click();
    await seeText(row.getByTestId('booking-status')).toBe('Đã xác nhận');
    await poll(bookingStatus).toBe('confirmed');

    const start = (await api<{ start: string }>('GET', `/api/v1/bookings/${bookingId}`, undefined, customerToken)).body
      .data.start;
    clock.advance(Date.parse(start) + 40 * 60_000 - clock.now().getTime());
    for (const page of [sales, customer, owner, operator]) await page.clock.setSystemTime(clock.now());
    await sales.reload();
    await sales.getByTestId('bookings-tab-past').click();
    await row.getByTestId('action-result').click();
    await row.getByTestId('result-outcome').selectOption('interested');
    await row.getByTestId('result-note').fill('Khách thích phòng, muốn đặt cọc.');
    await row.getByTestId('result-submit').click();
    await seeText(row.getByTestId('booking-status')).toBe('Hoàn thành');
    await poll(bookingStatus).toBe('completed');
    await shot(sales, '05-viewing-completed');
  });

  it('6. the customer pays a reservation deposit on the sandbox: initiated → captured, room reserved', {
    timeout: 60_000,
  }, async () => {
    await customer.goto(`${baseUrl}/listings/${listingId}`);
    const panel = customer.getByTestId('deposit-panel');
    await panel.getByTestId('deposit-room').selectOption(roomId);
    await panel.getByTestId('deposit-kind-reservation').check();
    await panel.getByTestId('deposit-gateway').selectOption('vnpay');
    await panel.getByTestId('deposit-submit').click();
    const sandboxUrl = journey.app.sandbox?.paymentUrl ?? '';
    await customer.waitForURL((url) => url.href.startsWith(sandboxUrl), { timeout: SETTLE });
    const initiated = await api<{ items: { paymentId: string; status: string }[] }>(
      'GET',
      '/api/v1/me/transactions',
      undefined,
      customerToken,
    );
    expect(initiated.body.data.items.map((p) => p.status)).toContain('initiated');
    await customer.locator('#sandbox-pay').click();
    await customer.waitForURL((url) => url.origin === baseUrl && PAYMENT_URL.test(url.pathname), { timeout: SETTLE });
    paymentIds.push(customer.url().split('/').pop() ?? '');
    await poll(() => paymentStatus(paymentIds[0] as string)).toBe('captured');
    await poll(roomStatus).toBe('reserved');
    await shot(customer, '06-reservation-captured');
  });

  it('7. the customer converts it into a security deposit; the contract is generated awaiting signatures', {
    timeout: 60_000,
  }, async () => {
    await customer.getByTestId('convert-deposit').click();
    await customer.getByTestId('convert-gateway').selectOption('vnpay');
    await customer.getByTestId('convert-submit').click();
    await customer.locator('#sandbox-pay').click();
    await customer.waitForURL((url) => url.origin === baseUrl && PAYMENT_URL.test(url.pathname), { timeout: SETTLE });
    paymentIds.push(customer.url().split('/').pop() ?? '');
    await poll(() => paymentStatus(paymentIds[1] as string)).toBe('captured');
    const deposits = await api<{ items: { id: string; kind: string; status: string }[] }>(
      'GET',
      '/api/v1/me/deposits',
      undefined,
      customerToken,
    );
    depositId = deposits.body.data.items.find((d) => d.kind === 'security')?.id ?? '';
    await poll(depositStatus).toBe('held');

    await customer.goto(`${baseUrl}/rentals`);
    const rental = customer.locator(`[data-testid="rental"][data-deposit-id="${depositId}"]`);
    await poll(async () => {
      await customer.reload();
      return rental.getAttribute('data-contract-id', { timeout: UI_TIMEOUT });
    }).toMatch(/^[0-9a-f-]{36}$/);
    contractId = (await rental.getAttribute('data-contract-id')) ?? '';
    expect((await contract())?.status).toBe('awaiting_signatures');
    expect(await roomStatus()).toBe('reserved');
    await shot(customer, '07-my-rental');
  });

  it('8. the owner fills the dates; the customer then the owner sign with mailed codes; the room is rented', {
    timeout: 60_000,
  }, async () => {
    await owner.goto(`${baseUrl}/contracts/${contractId}`);
    const start = localDate(new Date(clock.now().getTime() + 3 * 86_400_000));
    const end = localDate(new Date(clock.now().getTime() + 368 * 86_400_000));
    await owner.getByTestId('contract-field-startDate').fill(start);
    await owner.getByTestId('contract-field-endDate').fill(end);
    await owner.getByTestId('contract-fields-save').click();
    await poll(
      async () =>
        (await api<{ missing: string[] }>('GET', `/api/v1/contracts/${contractId}`, undefined, customerToken)).body.data
          .missing,
    ).toEqual([]);

    const signWithMailedCode = async (page: Page, email: string) => {
      await page.getByTestId('contract-sign-request').click();
      await page.getByTestId('contract-otp').fill(await mailedCode(email));
      await page.getByTestId('contract-sign-submit').click();
    };
    await customer.goto(`${baseUrl}/contracts/${contractId}`);
    await signWithMailedCode(customer, CUSTOMER.email);
    await shot(customer, '08-signed-by-customer');
    // The owner's page has stayed open since the dates were saved: the signature shows there live.
    const customerSignature = owner.locator('[data-testid="contract-signatures-row"][data-party="customer"]');
    await poll(() => customerSignature.getAttribute('data-signed')).toBe('true');
    await signWithMailedCode(owner, OWNER.email);
    await shot(owner, '08-signed-by-owner');
    await poll(async () => (await contract())?.status).toBe('signed');
    await seeText(owner.getByTestId('contract-status')).toContain('Đã ký');
    await poll(roomStatus).toBe('rented');
    await owner.getByTestId('contract-verify').click();
    expect(await owner.getByTestId('contract-verify-result').getAttribute('data-matches')).toBe('true');
  });

  it('9. the operator writes the handover report; both parties sign; it is completed and the deposit released', {
    timeout: 90_000,
  }, async () => {
    expect((await contract())?.handovers ?? []).toEqual([]); // not_started
    await operator.goto(`${baseUrl}/handovers/new?contractId=${contractId}&kind=move_in`);
    await operator.getByTestId('handover-meter-electricity').fill('1250');
    await operator.getByTestId('handover-meter-water').fill('310');
    await operator.getByTestId('handover-asset-add').click();
    const asset = operator.getByTestId('handover-asset').first();
    await asset.getByTestId('handover-asset-name').fill('Tủ lạnh');
    await asset.getByTestId('handover-asset-condition').selectOption('good');
    await operator.getByTestId('handover-submit').click();
    await operator.waitForURL(/\/handovers\/[0-9a-f-]{36}$/, { timeout: SETTLE });
    handoverId = operator.url().split('/').pop() ?? '';
    await seeText(operator.getByTestId('handover-status')).toContain('Đang bàn giao');
    await shot(operator, '09-handover-in-progress');

    for (const [page, person] of [
      [customer, CUSTOMER],
      [owner, OWNER],
    ] as const) {
      await page.goto(`${baseUrl}/handovers/${handoverId}`);
      await page.getByTestId('handover-sign-request').click();
      await page.getByTestId('handover-otp').fill(await mailedCode(person.email));
      await page.getByTestId('handover-sign-submit').click();
    }
    await poll(async () => (await contract())?.handovers.map((h) => h.status)).toEqual(['completed']);
    await seeText(owner.getByTestId('handover-status')).toContain('Đã bàn giao');
    await shot(owner, '09-handover-completed');
    await poll(depositStatus).toBe('released');

    await customer.goto(`${baseUrl}/rentals`);
    const rental = customer.locator(`[data-testid="rental"][data-deposit-id="${depositId}"]`);
    await poll(() => rental.getAttribute('data-step', { timeout: UI_TIMEOUT })).toBe('living');
    await shot(customer, '09-my-rental-living');
    expect(journey.pageErrors).toEqual([]);
  });

  it('10. the admin edits contract templates with a live preview; a used template cannot be deleted', {
    timeout: 90_000,
  }, async () => {
    const admin = await journey.newPage();
    await signIn(admin, baseUrl, TEST_ADMIN.email, TEST_ADMIN.password);
    await admin.getByTestId('nav-contract-templates').click();
    await admin.getByTestId('tpl-row').first().waitFor();
    await shot(admin, '10-templates');
    const used = admin.locator('[data-testid="tpl-row"]').first();
    expect(await used.getByTestId('tpl-delete').isDisabled()).toBe(true);
    await admin.getByTestId('tpl-new').click();
    await admin.getByTestId('tpl-name').fill('Mẫu hợp đồng ngắn hạn');
    await admin.getByTestId('tpl-body').fill('# Hợp đồng\n\nKhách: {{TenKhach}}\n');
    await seeText(admin.getByTestId('tpl-preview-error')).toContain('{{TenKhach}}');
    await admin.getByTestId('tpl-body').fill('# Hợp đồng\n\nKhách: ');
    await admin.locator('[data-testid="tpl-insert"][data-placeholder="TenKhachHang"]').click();
    expect(await admin.getByTestId('tpl-body').inputValue()).toContain('{{TenKhachHang}}');
    await seeText(admin.getByTestId('tpl-preview')).toContain('Khách:');
    await shot(admin, '10-template-editor');
    await admin.getByTestId('tpl-save').click();
    await seeText(admin.getByTestId('tpl-notice')).toContain('Mẫu hợp đồng ngắn hạn');
    await admin.getByTestId('tpl-body').fill('# Hợp đồng v2\n\nKhách: {{TenKhachHang}}, phòng {{TenPhong}}\n');
    await admin.getByTestId('tpl-save').click();
    await seeText(admin.getByTestId('tpl-notice')).toContain('2');
    await admin.getByTestId('tpl-version').nth(1).waitFor();
    await admin.getByTestId('tpl-default-set').click();
    const row = admin.locator('[data-testid="tpl-row"]').filter({ hasText: 'Mẫu hợp đồng ngắn hạn' });
    await seeText(row.getByTestId('tpl-default-badge')).toContain('Toàn nền tảng');
    await row.getByTestId('tpl-delete').click();
    await row.getByTestId('tpl-delete-confirm').click();
    await expect
      .poll(() => admin.locator('[data-testid="tpl-row"]').filter({ hasText: 'Mẫu hợp đồng ngắn hạn' }).count())
      .toBe(0);
  });

  it("11. the operator lists contracts and reviews the owner's scan; a move-out report checks meters and deductions", {
    timeout: 90_000,
  }, async () => {
    await operator.goto(`${baseUrl}/contracts`);
    await operator.getByTestId('contract-row').first().waitFor();
    await operator.getByTestId('contracts-status').selectOption('signed');
    await expect.poll(() => operator.getByTestId('contract-row').count()).toBe(1);
    await shot(operator, '11-contracts');
    await owner.goto(`${baseUrl}/contracts/${contractId}`);
    await owner
      .getByTestId('contract-scan-file')
      .setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: PDF });
    await owner.getByTestId('contract-scan-upload').click();
    await seeText(owner.getByTestId('contract-scan-review')).toContain('Chờ duyệt');
    await poll(
      async () =>
        (await api<{ scan: unknown }>('GET', `/api/v1/contracts/${contractId}`, undefined, customerToken)).body.data
          .scan,
    ).not.toBeNull();
    await operator.goto(`${baseUrl}/contracts/${contractId}`);
    await operator.getByTestId('contract-scan-review-note').fill('Rõ ràng');
    await operator.getByTestId('contract-scan-accept').click();
    await seeText(operator.getByTestId('contract-scan-review')).toContain('Đã chấp nhận');
    await operator.getByTestId('handover-create-move-out').click();
    await operator.getByTestId('handover-meter-electricity').fill('1200');
    await operator.getByTestId('handover-deduction-add').click();
    await operator.getByTestId('handover-deduction-reason').fill('Thay khoá');
    await operator.getByTestId('handover-deduction-amount').fill('500.000');
    await operator.getByTestId('handover-asset').first().getByTestId('handover-asset-condition').selectOption('broken');
    const photo = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#2563eb' } })
      .png()
      .toBuffer();
    await operator
      .getByTestId('handover-asset')
      .first()
      .getByTestId('handover-asset-photo')
      .setInputFiles({ name: 'tu.png', mimeType: 'image/png', buffer: photo });
    await operator.getByTestId('handover-submit').click();
    await seeText(operator.getByTestId('handover-meter-electricity-error')).toContain('thấp hơn');
    await operator.getByTestId('handover-meter-electricity').fill('1400');
    await shot(operator, '11-move-out-form');
    await operator.getByTestId('handover-submit').click();
    await seeText(operator.getByTestId('handover-form-error')).toContain('giải toả');
    await operator.getByRole('button', { name: 'Bỏ khoản khấu trừ 1' }).click();
    await operator.getByTestId('handover-submit').click();
    await operator.waitForURL(/\/handovers\/[0-9a-f-]{36}$/, { timeout: SETTLE });
    await operator.getByTestId('handover-photo').locator('img').waitFor({ timeout: SETTLE });
    await shot(operator, '11-move-out-report');
    await customer.goto(operator.url());
    await customer.getByTestId('handover-sign-request').click();
    await customer.getByTestId('handover-otp').fill('000000');
    await customer.getByTestId('handover-sign-submit').click();
    await seeText(customer.getByTestId('handover-sign-error')).toContain('4');
    expect(journey.pageErrors).toEqual([]);
  });

  it('12. the ledger balances and the audit trail holds every step with its actor', { timeout: 90_000 }, async () => {
    const { pool } = journey.app.services;
    const actorOf = async (streamPrefix: string, type: string) => {
      const { rows } = await pool.query<{ actor_id: string | null }>(
        'select actor_id from rm.audit_trail where stream_name like $1 and event_type = $2 order by position',
        [`${streamPrefix}%`, type],
      );
      return rows.map((r) => r.actor_id);
    };
    await poll(() => actorOf('handover-', 'HandoverCompleted')).toHaveLength(1);
    expect(await actorOf(`listing-${listingId}`, 'ListingSubmitted')).toEqual([ownerId]);
    expect(await actorOf(`listing-${listingId}`, 'ListingApproved')).toEqual([operatorId]);
    expect(await actorOf(`booking-${bookingId}`, 'BookingRequested')).toEqual([customerId]);
    expect(await actorOf(`booking-${bookingId}`, 'BookingConfirmed')).toEqual([salesId]);
    expect(await actorOf(`contract-${contractId}`, 'ContractSigned')).toEqual([customerId, ownerId]);
    expect(await actorOf(`handover-${handoverId}`, 'HandoverOpened')).toEqual([operatorId]);
    expect(await actorOf(`handover-${handoverId}`, 'HandoverSigned')).toEqual([customerId, ownerId]);

    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: journey.databaseUrl };
    const ledger = await run('npx', ['tsx', 'ops/cli/ledger-verify.ts'], { env });
    expect(ledger.stdout).toMatch(/balanced|OK/i);
    const audit = await run('npx', ['tsx', 'ops/cli/audit-verify.ts'], { env });
    expect(audit.stdout).toContain('Audit chain OK');
  });
});
