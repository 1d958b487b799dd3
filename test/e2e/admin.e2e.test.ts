// Browser journey through the admin console (issue 4): the admin creates a sales staff member, who
// accepts the mailed invite on /set-password and signs in; the admin grants `listing:approve` to
// sales in the role matrix and the "may user X do Y" check answers allowed; an owner submits KYC
// documents and the admin verifies them. Needs `npm run build:ui` first; the steps run in order.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, seeText, signIn, TEST_ADMIN } from './ui.js';

const SALES = { name: 'Trần Văn Minh', email: 'minh.tran@example.vn', password: 'Bán-hàng-giỏi-2026!', code: 'SL-001' };
const OWNER = { name: 'Lê Thị Hoa', email: 'hoa.le@example.vn', password: 'Chủ-nhà-tốt-2026!' };
const BINH = { name: 'Phạm Văn Bình', email: 'binh.pham@example.vn' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let baseUrl: string;
let admin: Page;
let staff: Page;
let inviteToken = '';

const journey = browserJourney('admin', { seed: true, pages: ['admin', 'staff'] });
const pageErrors = journey.pageErrors;
beforeAll(() => {
  baseUrl = journey.baseUrl;
  admin = journey.page('admin');
  staff = journey.page('staff');
});

/** The token of the newest invite mailed to `email`, read in the admin's outbox. */
async function inviteFor(email: string): Promise<string> {
  await admin.getByTestId('nav-outbox').click();
  await admin.getByTestId('outbox-to').fill(email);
  await admin.getByTestId('outbox-refresh').click();
  await admin.getByTestId('outbox-item').first().click();
  await seeText(admin.getByTestId('mail-to')).toBe(email);
  const text = (await admin.getByTestId('mail-text').textContent()) ?? '';
  const match = /\/set-password\?token=([\w-]+)/.exec(text);
  expect(match, text).not.toBeNull();
  return match?.[1] ?? '';
}

/** Sets a password through the invite link and lands on /login with the notice. */
async function acceptInvite(page: Page, token: string, email: string, password: string) {
  await page.goto(`${baseUrl}/set-password?token=${token}`);
  await page.getByRole('heading', { name: 'Đặt mật khẩu' }).waitFor();
  await page.getByTestId('invite-password').fill(password);
  await page.getByTestId('invite-confirm').fill(`${password}x`);
  await page.getByTestId('invite-submit').click();
  await seeText(page.getByTestId('invite-confirm-error')).toContain('không khớp');
  await page.getByTestId('invite-confirm').fill(password);
  await page.getByTestId('invite-submit').click();
  await page.waitForURL(/\/login\?invited=1/);
  await seeText(page.getByTestId('login-notice')).toContain(email);
  expect(await page.getByTestId('login-email').inputValue()).toBe(email);
}

describe('the admin console in the browser', () => {
  it('the admin creates a sales staff member with an area', async () => {
    await signIn(admin, baseUrl, TEST_ADMIN.email, TEST_ADMIN.password);
    await admin.getByTestId('nav-staff').click();
    await admin.getByRole('heading', { name: 'Nhân viên', exact: true }).waitFor();
    // A missing field is named next to it, before anything is sent.
    await admin.getByTestId('staff-submit').click();
    await seeText(admin.getByTestId('staff-email-error')).toContain('Email');
    await admin.getByTestId('staff-email').fill(SALES.email);
    await admin.getByTestId('staff-name').fill(SALES.name);
    await admin.getByTestId('staff-role').selectOption('sales');
    await admin.getByTestId('staff-code').fill(SALES.code);
    await admin.getByTestId('staff-title').fill('Chuyên viên tư vấn');
    await admin.getByTestId('staff-department').fill('Kinh doanh');
    const areas = admin.getByTestId('staff-areas');
    await areas.locator('option').first().waitFor({ state: 'attached' });
    const firstArea = await areas.locator('option').first().getAttribute('value');
    await areas.selectOption([firstArea ?? '']);
    await admin.getByTestId('staff-submit').click();
    await seeText(admin.getByTestId('staff-create-notice')).toContain(SALES.name);
    const row = admin.getByTestId('staff-row').and(admin.locator(`[data-email="${SALES.email}"]`));
    await seeText(row.getByTestId('staff-status')).toBe('Đang làm');
  });

  it('the invite link from the outbox lets the new staff member set a password and sign in', async () => {
    inviteToken = await inviteFor(SALES.email);
    expect(inviteToken.length).toBeGreaterThan(15);
    await acceptInvite(staff, inviteToken, SALES.email, SALES.password);
    await staff.getByTestId('login-password').fill(SALES.password);
    await staff.getByTestId('login-submit').click();
    await staff.waitForURL(`${baseUrl}/account`);
    await seeText(staff.getByTestId('user-name')).toContain(SALES.name);
    await seeText(staff.getByTestId('active-role')).toBe('Nhân viên bán hàng');
  });

  it('the admin grants listing:approve to sales in the matrix and the check answers allowed', async () => {
    await admin.getByTestId('nav-roles').click();
    await admin.getByTestId('role-matrix').waitFor();
    // A system role's core permission is locked.
    expect(await admin.getByTestId('cell-admin-role:manage').isDisabled()).toBe(true);

    await admin.getByTestId('authz-email').fill(SALES.email);
    await admin.getByTestId('authz-permission').selectOption('listing:approve');
    await admin.getByTestId('authz-submit').click();
    await seeText(admin.getByTestId('authz-answer')).toContain('Không được phép');

    const cell = admin.getByTestId('cell-sales-listing:approve');
    expect(await cell.isChecked()).toBe(false);
    await cell.check();
    await seeText(admin.getByTestId('roles-notice')).toContain('listing:approve');
    expect(await cell.isChecked()).toBe(true);

    await admin.getByTestId('authz-submit').click();
    await seeText(admin.getByTestId('authz-answer')).toContain('Được phép');
    await seeText(admin.getByTestId('authz-answer')).toContain('sales');
  });

  it('an owner sends a PDF for KYC and the admin verifies it', { timeout: 30_000 }, async () => {
    // The owner account is created through the API (the form is exercised in the last step).
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }),
    });
    const token = ((await login.json()) as { data: { accessToken: string } }).data.accessToken;
    const created = await fetch(`${baseUrl}/api/v1/admin/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ email: OWNER.email, name: OWNER.name, roles: ['owner'] }),
    });
    expect(created.status).toBe(201);

    const owner = await journey.newPage({ width: 375, height: 800 });
    await acceptInvite(owner, await inviteFor(OWNER.email), OWNER.email, OWNER.password);
    await owner.getByTestId('login-password').fill(OWNER.password);
    await owner.getByTestId('login-submit').click();
    await owner.waitForURL(`${baseUrl}/account`);

    await owner.getByTestId('kyc-link').click();
    await seeText(owner.getByTestId('kyc-status')).toBe('Chưa xác minh');
    await owner.getByTestId('kyc-submit').click();
    await seeText(owner.getByTestId('kyc-files-error')).toContain('ít nhất một tệp');
    await owner.getByTestId('kyc-files').setInputFiles({ name: 'cccd.pdf', mimeType: 'application/pdf', buffer: PDF });
    await owner.getByTestId('kyc-kind-0').selectOption('id_front');
    await owner.getByTestId('kyc-submit').click();
    await seeText(owner.getByTestId('kyc-status')).toBe('Đang chờ duyệt');

    await admin.getByTestId('nav-kyc').click();
    const item = admin.getByTestId('kyc-item').and(admin.locator(`[data-email="${OWNER.email}"]`));
    await item.getByTestId('kyc-doc').first().click();
    await item.getByTestId('kyc-doc-view').waitFor();
    await item.getByTestId('kyc-verify').click();
    await seeText(admin.getByTestId('kyc-notice')).toContain(OWNER.name);
    await item.waitFor({ state: 'detached' });

    await owner.reload();
    await seeText(owner.getByTestId('kyc-status')).toBe('Đã xác minh');
    await owner.context().close();
    expect(pageErrors).toEqual([]);
  });

  it('the admin creates an owner and expert through the "create user" form and the invite is mailed', async () => {
    await admin.getByTestId('nav-users').click();
    await admin.getByTestId('create-user-submit').waitFor();
    // Roles are required before anything is sent.
    await admin.getByTestId('create-user-email').fill(BINH.email);
    await admin.getByTestId('create-user-name').fill(BINH.name);
    await admin.getByTestId('create-user-submit').click();
    await seeText(admin.getByTestId('create-user-roles-error')).toContain('vai trò');
    await admin.getByTestId('create-user-role-owner').check();
    await admin.getByTestId('create-user-role-expert').check();
    await admin.getByTestId('create-user-submit').click();
    await seeText(admin.getByTestId('create-user-notice')).toContain(BINH.email);
    // The same email again is named next to the email field.
    await admin.getByTestId('create-user-email').fill(BINH.email);
    await admin.getByTestId('create-user-name').fill(BINH.name);
    await admin.getByTestId('create-user-role-owner').check();
    await admin.getByTestId('create-user-submit').click();
    await seeText(admin.getByTestId('create-user-email-error')).toContain('đã được đăng ký');

    expect((await inviteFor(BINH.email)).length).toBeGreaterThan(15);
    expect(pageErrors).toEqual([]);
  });

  it('the admin pauses and resumes a background job queue on the job board', async () => {
    await admin.getByTestId('nav-jobs').click();
    const row = admin.getByTestId('jobs-row').and(admin.locator('[data-queue="daily-statistics"]'));
    await seeText(row.getByTestId('jobs-status')).toBe('Đang chạy');
    await row.getByTestId('jobs-pause').click();
    await row.getByRole('textbox').fill('Kiểm tra số liệu');
    await row.getByTestId('jobs-pause-confirm').click();
    await seeText(admin.getByTestId('jobs-notice')).toContain('Đã tạm dừng');
    await seeText(row.getByTestId('jobs-status')).toBe('Tạm dừng');
    await row.getByTestId('jobs-resume').click();
    await seeText(row.getByTestId('jobs-status')).toBe('Đang chạy');
    expect(pageErrors).toEqual([]);
  });
});
