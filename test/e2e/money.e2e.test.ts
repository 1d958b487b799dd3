// Browser journey through a deposit: a listing takes deposits (a policy made by the admin, rooms at
// 3,000,000 ₫). In Chromium a signed-in customer opens the listing, sees the deposit panel with the
// amount and the platform fee on its own line, and pays a reservation deposit for the first room on
// the local VNPay sandbox; back on /payments/<id> the status turns captured and the deposit held.
// The customer then converts it into a security deposit (paying only the rest on the sandbox),
// finds both payments under /transactions, and the admin sees a balanced trial balance under
// /admin/finance. A second test fails a payment on the sandbox: failed status, the room stays free.
// A third tops the wallet up on the sandbox, pays a deposit from it and asks for a withdrawal.
// Screenshots: /tmp/money-<step>.png. Needs `npm run build:ui` first; the steps run in order.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiAnswer, eventually, type TestApp } from '../support/app.js';
import { listingTakingDeposits } from '../support/money-world.js';
import { browserJourney, type Journey, seeText, signIn, TEST_ADMIN, UI_TIMEOUT } from './ui.js';

const CUSTOMER = { name: 'Trần Thu Hà', email: 'thu.ha@example.vn', password: 'Khách-cọc-2026!' };
/** Waiting for the gateway's IPN, the read models and the page's live update. */
const SETTLE_TIMEOUT = 15_000;
const PAYMENT_URL = /\/payments\/[0-9a-f-]{36}$/;

const journey = browserJourney('money', { seed: false, pages: ['customer', 'admin'] });

let baseUrl: string;
let customer: Page;
let admin: Page;
let adminToken = '';
let t: TestApp;

const shot = (page: Page, step: string) => page.screenshot({ path: `/tmp/money-${step}.png`, fullPage: true });

/**
 * The journey's app seen as a TestApp for the money-world helpers: the dev admin header is off in
 * browser journeys, so calls made "as admin" carry the signed-in test admin's token instead.
 */
function journeyAsTestApp(j: Journey, token: () => string): TestApp {
  return {
    app: j.app,
    db: undefined as unknown as TestApp['db'],
    url: j.baseUrl,
    async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const { 'x-dev-role': devRole, ...rest } = headers;
      const response = await fetch(`${j.baseUrl}${path}`, {
        method,
        headers: {
          ...rest,
          ...(devRole === 'admin' && { authorization: `Bearer ${token()}` }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: ApiAnswer<T>['body'];
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { success: response.ok, message: text, data: text as T, error: null };
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async close() {},
  };
}

const login = async (email: string, password: string) =>
  eventually(async () => {
    const answer = await t.call<{ accessToken: string }>('POST', '/api/v1/auth/login', { email, password });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.data.accessToken;
  });

/** A customer who signed up and verified the email with the mailed code (read by the admin). */
async function registerCustomer() {
  const registered = await t.call('POST', '/api/v1/auth/register', { ...CUSTOMER, role: 'customer' });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const mail = await t.call<{ text: string }[]>('GET', `/api/v1/admin/mail-outbox?to=${CUSTOMER.email}`, undefined, {
    authorization: `Bearer ${adminToken}`,
  });
  const code = /\b(\d{6})\b/.exec(mail.body.data[0]?.text ?? '')?.[1];
  expect((await t.call('POST', '/api/v1/auth/verify-email', { email: CUSTOMER.email, code })).status).toBe(200);
}

const roomStatus = async (listingId: string, roomId: string) => {
  const options = await t.call<{ rooms: { roomId: string; status: string }[] }>(
    'GET',
    `/api/v1/listings/${listingId}/deposit-options`,
  );
  return options.body.data.rooms.find((r) => r.roomId === roomId)?.status;
};

/** Picks a room, a kind and VNPay in the listing's deposit panel and submits: the browser goes to the sandbox. */
async function depositThroughPanel(
  listingId: string,
  roomId: string,
  kind: 'reservation' | 'security',
  gateway: 'vnpay' | 'wallet' = 'vnpay',
) {
  await customer.goto(`${baseUrl}/listings/${listingId}`);
  const panel = customer.getByTestId('deposit-panel');
  await panel.getByTestId('deposit-room').waitFor();
  await panel.getByTestId('deposit-room').selectOption(roomId);
  await panel.getByTestId(`deposit-kind-${kind}`).check();
  await panel.getByTestId('deposit-gateway').selectOption(gateway);
  return panel;
}

/** On the sandbox's page (its origin is not ours): checks the amount, then clicks pay or fail. */
async function atSandbox(amount: string, button: '#sandbox-pay' | '#sandbox-fail', step: string) {
  const sandboxUrl = journey.app.sandbox?.paymentUrl ?? '';
  expect(sandboxUrl).not.toBe('');
  await customer.waitForURL((url) => url.href.startsWith(sandboxUrl), { timeout: UI_TIMEOUT });
  await seeText(customer.locator('#sandbox-amount')).toContain(amount);
  await shot(customer, step);
  await customer.locator(button).click();
  await customer.waitForURL((url) => url.origin === baseUrl && PAYMENT_URL.test(url.pathname), {
    timeout: SETTLE_TIMEOUT,
  });
  return customer.url().split('/').pop() ?? '';
}

/** Polls the payment page's badges' data-status (they follow the socket and a 3 s poll). */
const seeStatus = (testid: string) =>
  expect.poll(() => customer.getByTestId(testid).getAttribute('data-status', { timeout: UI_TIMEOUT }), {
    timeout: SETTLE_TIMEOUT,
    interval: 100,
  });

beforeAll(async () => {
  baseUrl = journey.baseUrl;
  customer = journey.page('customer');
  admin = journey.page('admin');
  t = journeyAsTestApp(journey, () => adminToken);
  adminToken = await login(TEST_ADMIN.email, TEST_ADMIN.password);
  await registerCustomer();
  await login(CUSTOMER.email, CUSTOMER.password); // the account is usable before the browser signs in
  await signIn(customer, baseUrl, CUSTOMER.email, CUSTOMER.password);
}, 60_000);

describe('deposits in the browser', () => {
  it('a customer pays a reservation deposit on VNPay, converts it into a security deposit; the ledger balances', {
    timeout: 90_000,
  }, async () => {
    const { listingId, roomIds } = await listingTakingDeposits(t);
    const roomId = roomIds[0] as string;

    // 1. The deposit panel: the amount, the platform fee on its own line, the total.
    const panel = await depositThroughPanel(listingId, roomId, 'reservation');
    await seeText(panel.getByTestId('deposit-amount')).toContain('1.000.000');
    await seeText(panel.getByTestId('deposit-fee')).toContain('10.000');
    await seeText(panel.getByTestId('deposit-total')).toContain('1.010.000');
    await shot(customer, '1-deposit-panel');
    await panel.getByTestId('deposit-submit').click();

    // 2. The sandbox charges deposit + fee; the payer pays.
    const reservationPaymentId = await atSandbox('1.010.000', '#sandbox-pay', '2-sandbox');

    // 3. Back on /payments/<id>: captured, the reservation deposit held, a receipt.
    await seeStatus('payment-status').toBe('captured');
    await seeText(customer.getByTestId('payment-status')).toBe('Thành công');
    await seeStatus('deposit-status').toBe('held');
    await seeText(customer.getByTestId('deposit-status')).toBe('Đang giữ');
    await seeText(customer.getByTestId('deposit-kind')).toBe('Cọc giữ chỗ');
    await seeText(customer.getByTestId('payment-principal')).toContain('1.000.000');
    await seeText(customer.getByTestId('payment-fee')).toContain('10.000');
    await customer.getByTestId('payment-receipt').waitFor();
    expect(await roomStatus(listingId, roomId)).toBe('reserved');
    await shot(customer, '3-reservation-captured');

    // 4. Convert into a security deposit (one month's rent): only the rest (+ its fee) is paid.
    await customer.getByTestId('convert-deposit').click();
    await customer.getByTestId('convert-gateway').selectOption('vnpay');
    await customer.getByTestId('convert-submit').click();
    const securityPaymentId = await atSandbox('2.020.000', '#sandbox-pay', '4-sandbox-remainder');
    expect(securityPaymentId).not.toBe(reservationPaymentId);
    await seeStatus('payment-status').toBe('captured');
    await seeStatus('deposit-status').toBe('held');
    await seeText(customer.getByTestId('deposit-kind')).toBe('Cọc an ninh');
    await seeText(customer.getByTestId('payment-principal')).toContain('2.000.000');
    expect(await customer.getByTestId('convert-deposit').count()).toBe(0); // only a held reservation converts
    await shot(customer, '4-security-held');

    // 5. Both payments in the history.
    await customer.goto(`${baseUrl}/transactions`);
    const rows = customer.getByTestId('transactions-row');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(2);
    const paid = [
      { paymentId: reservationPaymentId, type: 'reservation_deposit', label: 'Cọc giữ chỗ', amount: '1.010.000' },
      { paymentId: securityPaymentId, type: 'security_deposit', label: 'Cọc an ninh', amount: '2.020.000' },
    ];
    for (const { paymentId, type, label, amount } of paid) {
      const row = customer.locator(`[data-testid="transactions-row"][data-payment-id="${paymentId}"]`);
      expect(await row.getAttribute('data-type')).toBe(type);
      expect(await row.getAttribute('data-status')).toBe('captured');
      await seeText(row.getByTestId('transactions-open')).toBe(label);
      await seeText(row).toContain(amount);
      await seeText(row.getByTestId('transactions-status-badge')).toBe('Thành công');
    }
    await shot(customer, '5-transactions');

    // 6. The admin's trial balance: debits = credits.
    await signIn(admin, baseUrl, TEST_ADMIN.email, TEST_ADMIN.password);
    await admin.goto(`${baseUrl}/admin/finance`);
    const trial = admin.getByTestId('trial-balance-status');
    await expect.poll(() => trial.getAttribute('data-balanced', { timeout: UI_TIMEOUT })).toBe('true');
    await admin.getByTestId('trial-balance').waitFor();
    await expect.poll(() => admin.getByTestId('trial-debit').textContent()).not.toMatch(/^0\b|NaN/);
    expect(await admin.getByTestId('trial-debit').textContent()).toBe(
      await admin.getByTestId('trial-credit').textContent(),
    );
    await shot(admin, '6-admin-finance');
    expect(journey.pageErrors).toEqual([]);
  });

  it('a payment failed on the sandbox shows failed and the room stays available', { timeout: 60_000 }, async () => {
    const { listingId, roomIds } = await listingTakingDeposits(t, 1);
    const roomId = roomIds[0] as string;
    const panel = await depositThroughPanel(listingId, roomId, 'reservation');
    await panel.getByTestId('deposit-submit').click();
    await atSandbox('1.010.000', '#sandbox-fail', 'failed-sandbox');

    await seeStatus('payment-status').toBe('failed');
    await seeText(customer.getByTestId('payment-status')).toBe('Thất bại');
    expect(await customer.getByTestId('payment-receipt').count()).toBe(0);
    await shot(customer, 'failed-payment');

    expect(await roomStatus(listingId, roomId)).toBe('available');
    await customer.goto(`${baseUrl}/listings/${listingId}`);
    const option = customer.getByTestId('deposit-room').locator(`option[value="${roomId}"]`);
    await option.waitFor({ state: 'attached' });
    expect(await option.isDisabled()).toBe(false);
    expect(journey.pageErrors).toEqual([]);
  });

  it('a customer tops the wallet up on VNPay, pays a deposit from it, and asks for a withdrawal', {
    timeout: 60_000,
  }, async () => {
    await customer.goto(`${baseUrl}/wallet`);
    await customer.getByTestId('wallet-topup-amount').fill('1500000');
    await customer.getByTestId('wallet-topup-gateway').selectOption('vnpay');
    await customer.getByTestId('wallet-topup-submit').click();
    await atSandbox('1.500.000', '#sandbox-pay', 'wallet-1-sandbox');
    await seeStatus('payment-status').toBe('captured');
    await customer.goto(`${baseUrl}/wallet`);
    await expect
      .poll(() => customer.getByTestId('wallet-balance').textContent(), { timeout: SETTLE_TIMEOUT })
      .toContain('1.500.000');

    const { listingId, roomIds } = await listingTakingDeposits(t, 1);
    const roomId = roomIds[0] as string;
    const panel = await depositThroughPanel(listingId, roomId, 'reservation', 'wallet');
    await panel.getByTestId('deposit-submit').click();
    await customer.waitForURL((url) => PAYMENT_URL.test(url.pathname), { timeout: SETTLE_TIMEOUT });
    await seeStatus('payment-status').toBe('captured');
    await seeStatus('deposit-status').toBe('held');
    expect(await roomStatus(listingId, roomId)).toBe('reserved');
    await shot(customer, 'wallet-2-deposit-held');

    await customer.goto(`${baseUrl}/wallet`);
    await expect
      .poll(() => customer.getByTestId('wallet-balance').textContent(), { timeout: SETTLE_TIMEOUT })
      .toContain('490.000');
    await customer.getByTestId('wallet-withdraw-amount').fill('400000');
    await customer.getByTestId('wallet-withdraw-bank').fill('Vietcombank');
    await customer.getByTestId('wallet-withdraw-account').fill('0123456789');
    await customer.getByTestId('wallet-withdraw-name').fill('TRAN THU HA');
    await customer.getByTestId('wallet-withdraw-submit').click();
    const row = customer.getByTestId('wallet-withdrawal-row');
    await expect
      .poll(() => row.first().getAttribute('data-status', { timeout: UI_TIMEOUT }), { timeout: SETTLE_TIMEOUT })
      .toBe('requested');
    await expect
      .poll(() => customer.getByTestId('wallet-balance').textContent(), { timeout: SETTLE_TIMEOUT })
      .toMatch(/^\s*90\.000/);
    await shot(customer, 'wallet-3-withdrawal');
    expect(journey.pageErrors).toEqual([]);
  });
});
