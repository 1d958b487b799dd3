// Browser journey through accounts (issue 3): sign up, verify through the admin's mail outbox, sign
// in, turn on TOTP 2FA, sign in again with the code, get the owner role from an admin and switch to
// it in the top bar. The real app in-process (dev header off), two Chromium contexts (user, admin).
// Needs `npm run build:ui` first. The steps run in order; each needs the ones before it.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { currentTotp, TOTP_PERIOD_SECONDS } from '../../commands/identity/totp.js';
import { browserJourney, seeText, signIn, TEST_ADMIN } from './ui.js';

const CUSTOMER = { name: 'Nguyễn Thị Lan', email: 'lan.nguyen@example.vn', password: 'Phòng-trọ-đẹp-2026' };
const NEW_PASSWORD = 'Quả-Cam-Ngọt-2027!';

let baseUrl: string;
let user: Page;
let admin: Page;

// Carried from step to step.
let verificationCode = '';
let totpSecret = '';
let lastTotpStep = -1;

const journey = browserJourney('account', { seed: false, pages: ['user', 'admin'] });
const pageErrors = journey.pageErrors;
beforeAll(() => {
  baseUrl = journey.baseUrl;
  user = journey.page('user');
  admin = journey.page('admin');
});

/**
 * A TOTP code of a time step the server has not accepted yet (it refuses a replayed step). The server
 * allows one step of clock drift, so the next step's code works at once (an authenticator a little
 * ahead); only when that one is spent too does the test wait for the clock.
 */
async function freshTotp(secret: string): Promise<string> {
  const period = TOTP_PERIOD_SECONDS * 1000;
  for (;;) {
    const step = Math.floor(Date.now() / period);
    const next = [step, step + 1].find((s) => s > lastTotpStep);
    // Keep clear of a step boundary, where "now" and the server's "now" could fall on different steps.
    if (next !== undefined && Date.now() % period < period - 1500) {
      lastTotpStep = next;
      return currentTotp(secret, new Date(next * period + period / 2));
    }
    await new Promise((r) => setTimeout(r, period - (Date.now() % period) + 200));
  }
}

const adminUserRow = () => admin.getByTestId('user-row').and(admin.locator(`[data-email="${CUSTOMER.email}"]`));

describe('accounts in the browser', () => {
  it('a visitor signs up as a customer (a weak password is refused next to the field)', async () => {
    await user.goto(`${baseUrl}/register`);
    await user.getByRole('heading', { name: 'Tạo tài khoản' }).waitFor();
    await user.getByTestId('register-name').fill(CUSTOMER.name);
    await user.getByTestId('register-email').fill(CUSTOMER.email);
    await user.getByTestId('register-password').fill('matkhau123');
    await user.getByTestId('register-role-customer').check();
    await user.getByTestId('register-submit').click();
    await seeText(user.getByTestId('register-password-error')).toContain('Mật khẩu phải có');
    // Focus lands on the field in error, which names its error for screen readers.
    expect(await user.evaluate('document.activeElement?.id')).toBe('reg-password');
    expect(await user.getByTestId('register-password').getAttribute('aria-describedby')).toContain(
      'reg-password-error',
    );

    await user.getByTestId('register-password').fill(CUSTOMER.password);
    await user.getByTestId('register-submit').click();
    await user.waitForURL(/\/verify-email\?/);
    await seeText(user.getByRole('main')).toContain(CUSTOMER.email);
  });

  it('the admin opens the mail outbox and reads the verification code', async () => {
    await signIn(admin, baseUrl, TEST_ADMIN.email, TEST_ADMIN.password);
    await admin.getByTestId('nav-outbox').click();
    await admin.getByTestId('outbox-to').fill(CUSTOMER.email);
    await admin.getByTestId('outbox-filter').getByRole('button', { name: 'Lọc' }).click();
    await admin.getByTestId('outbox-item').first().click();
    await seeText(admin.getByTestId('mail-to')).toBe(CUSTOMER.email);
    verificationCode = (await admin.getByTestId('mail-code').first().textContent()) ?? '';
    expect(verificationCode).toMatch(/^\d{6}$/);
  });

  it('the customer verifies the email with the code and signs in', async () => {
    expect(verificationCode).toMatch(/^\d{6}$/);
    await user.getByTestId('verify-code').fill(verificationCode);
    await user.getByTestId('verify-submit').click();
    await user.getByTestId('verify-done').waitFor();
    await user.getByTestId('verify-login').click();
    await user.waitForURL(/\/login\?email=/);
    expect(await user.getByTestId('login-email').inputValue()).toBe(CUSTOMER.email);

    // A wrong password is said next to the password field.
    await user.getByTestId('login-password').fill('Sai-mật-khẩu-1');
    await user.getByTestId('login-submit').click();
    await seeText(user.getByTestId('login-password-error')).toContain('không đúng');

    await user.getByTestId('login-password').fill(CUSTOMER.password);
    await user.getByTestId('login-submit').click();
    await user.waitForURL(`${baseUrl}/account`);
    await seeText(user.getByTestId('user-name')).toContain(CUSTOMER.name);
    await seeText(user.getByTestId('role-switcher-single')).toBe('Khách thuê');
    await seeText(user.getByTestId('profile-email')).toBe(CUSTOMER.email);
    await seeText(user.getByTestId('session-row').filter({ hasText: 'Thiết bị này' })).toContain('Chrome');
  });

  it('the customer turns on 2FA with a code computed from the secret shown', { timeout: 60_000 }, async () => {
    await user.getByTestId('tfa-start').click();
    await user.getByTestId('tfa-qr').waitFor();
    totpSecret = ((await user.getByTestId('totp-secret').textContent()) ?? '').trim();
    expect(totpSecret).toMatch(/^[A-Z2-7]{16,}=*$/);
    await user.getByTestId('tfa-code').fill(await freshTotp(totpSecret));
    await user.getByTestId('tfa-confirm').click();
    await user.getByTestId('recovery-codes').waitFor();
    const codes = await user.getByTestId('recovery-code').allTextContents();
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}$/);
    await user.getByTestId('recovery-done').click();
    await seeText(user.getByTestId('tfa-status')).toBe('Đang bật');
  });

  it('signs out, then signs in again with the password and the TOTP code', { timeout: 60_000 }, async () => {
    await user.getByTestId('sign-out').click();
    await user.waitForURL(`${baseUrl}/login`);
    await user.getByTestId('nav-sign-in').waitFor();
    await user.getByTestId('login-email').fill(CUSTOMER.email);
    await user.getByTestId('login-password').fill(CUSTOMER.password);
    await user.getByTestId('login-submit').click();
    await user.getByRole('heading', { name: 'Xác thực hai lớp' }).waitFor();
    expect(await user.evaluate('document.activeElement?.id')).toBe('login-code');

    await user.getByTestId('login-code').fill('000000');
    await user.getByTestId('login-code-submit').click();
    await seeText(user.getByTestId('login-code-error')).toContain('không đúng');

    await user.getByTestId('login-code').fill(await freshTotp(totpSecret));
    await user.getByTestId('login-code-submit').click();
    await user.waitForURL(`${baseUrl}/account`);
    await seeText(user.getByTestId('user-name')).toContain(CUSTOMER.name);
  });

  it('the admin grants the customer the owner role and sees it in the history', async () => {
    await admin.getByTestId('nav-users').click();
    await admin.getByTestId('filter-q').fill(CUSTOMER.email);
    await admin.getByTestId('filter-apply').click();
    await adminUserRow().waitFor();
    await adminUserRow().getByTestId('grant-role').selectOption('owner');
    await adminUserRow().getByTestId('grant-submit').click();
    await adminUserRow().getByTestId('user-role-owner').waitFor();

    await adminUserRow().getByTestId('user-history').click();
    await admin.getByTestId('history-entry').first().waitFor();
    await admin.getByTestId('history-close').click();
    await admin.getByTestId('history-drawer').waitFor({ state: 'detached' });
  });

  it('the customer switches to the owner role in the top bar', async () => {
    await user.reload(); // the session comes back from the refresh cookie, with the new role
    const switcher = user.getByTestId('role-switcher');
    await switcher.waitFor();
    await switcher.selectOption('owner');
    await seeText(user.getByTestId('active-role')).toBe('Chủ dự án');
    expect(await switcher.inputValue()).toBe('owner');

    // The active role is the session's: it is still owner after a reload.
    await user.reload();
    await seeText(user.getByTestId('active-role')).toBe('Chủ dự án');
  });

  it('a forgotten password is reset with the code mailed (read in the outbox)', { timeout: 60_000 }, async () => {
    await user.getByTestId('sign-out').click();
    await user.waitForURL(`${baseUrl}/login`);
    await user.getByRole('link', { name: 'Quên mật khẩu?' }).click();
    await user.getByTestId('forgot-email').fill(CUSTOMER.email);
    await user.getByTestId('forgot-submit').click();
    await user.waitForURL(/\/reset-password\?/);

    await admin.getByTestId('nav-outbox').click();
    await admin.getByTestId('outbox-to').fill(CUSTOMER.email);
    await admin.getByTestId('outbox-refresh').click();
    const resetMail = admin.getByTestId('outbox-item').filter({ hasText: 'đặt lại mật khẩu' }).first();
    await resetMail.click();
    const resetCode = (await admin.getByTestId('mail-code').first().textContent()) ?? '';
    expect(resetCode).toMatch(/^\d{6}$/);

    expect(await user.getByTestId('reset-email').inputValue()).toBe(CUSTOMER.email);
    await user.getByTestId('reset-code').fill(resetCode);
    await user.getByTestId('reset-password').fill(NEW_PASSWORD);
    await user.getByTestId('reset-submit').click();
    await user.getByTestId('reset-done').waitFor();

    await user.getByRole('link', { name: 'Đăng nhập' }).last().click();
    await user.getByTestId('login-password').fill(NEW_PASSWORD);
    await user.getByTestId('login-submit').click();
    await user.getByTestId('login-code').fill(await freshTotp(totpSecret));
    await user.getByTestId('login-code-submit').click();
    await user.waitForURL(`${baseUrl}/account`);
    await seeText(user.getByTestId('user-name')).toContain(CUSTOMER.name);
    expect(pageErrors).toEqual([]);
  });
});
