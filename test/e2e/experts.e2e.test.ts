// Browser journey of an expert: they fill the profile, upload a certificate, add a service, set
// weekly hours and submit; the admin verifies them from the review queue; a visitor finds them
// by specialty and opens the profile. Needs `npm run build:ui` first; the steps run in order.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/app.js';
import { browserJourney, seeText, signIn, TEST_ADMIN } from './ui.js';

const EXPERT = { name: 'Phạm Minh Luật', email: 'minh.luat@example.vn', password: 'Chuyên-gia-2026!' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let baseUrl: string;
let expert: Page;
let admin: Page;
let visitor: Page;
let expertId = '';

const journey = browserJourney('experts', { seed: true, pages: ['expert', 'admin', 'visitor'] });

async function api<T>(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data: T } };
}

beforeAll(async () => {
  baseUrl = journey.baseUrl;
  expert = journey.page('expert');
  admin = journey.page('admin');
  visitor = journey.page('visitor');
  const login = await api<{ accessToken: string }>('POST', '/api/v1/auth/login', TEST_ADMIN);
  const adminToken = login.body.data.accessToken;
  const registered = await api<{ userId: string }>('POST', '/api/v1/auth/register', { ...EXPERT, role: 'expert' });
  expect(registered.status).toBe(201);
  expertId = registered.body.data.userId;
  const mail = await api<{ text: string }[]>(
    'GET',
    `/api/v1/admin/mail-outbox?to=${EXPERT.email}`,
    undefined,
    adminToken,
  );
  const code = /\b(\d{6})\b/.exec(mail.body.data[0]?.text ?? '')?.[1];
  expect((await api('POST', '/api/v1/auth/verify-email', { email: EXPERT.email, code })).status).toBe(200);
  await eventually(async () => {
    const answer = await api('POST', '/api/v1/auth/login', { email: EXPERT.email, password: EXPERT.password });
    expect(answer.status).toBe(200);
  });
}, 60_000);

describe('experts in the browser', () => {
  it('the expert fills the profile and uploads a certificate', async () => {
    await signIn(expert, baseUrl, EXPERT.email, EXPERT.password);
    await expert.getByTestId('nav-expert-profile').click();
    await seeText(expert.getByTestId('expert-status')).toBe('Bản nháp');
    await expert.getByTestId('expert-headline').fill('Luật sư tư vấn hợp đồng thuê nhà');
    await expert.getByTestId('expert-bio').fill('Mười năm giải quyết tranh chấp giữa chủ nhà và người thuê.');
    await expert.getByTestId('expert-years').fill('10');
    await expert.locator('[data-testid="expert-specialty"][data-id="phap-ly-thue-nha"]').check();
    await expert.getByTestId('expert-profile-save').click();
    await seeText(expert.getByTestId('expert-profile-notice')).toContain('Đã lưu');

    // Submitting without a credential is refused with the reason.
    await expert.getByTestId('expert-submit').click();
    await seeText(expert.getByTestId('expert-submit-error')).toContain('bằng cấp');

    await expert.getByTestId('expert-doc-title').fill('Chứng chỉ hành nghề luật sư');
    await expert.getByTestId('expert-doc-issuer').fill('Bộ Tư pháp');
    await expert.getByTestId('expert-doc-year').fill('2015');
    await expert
      .getByTestId('expert-doc-file')
      .setInputFiles({ name: 'chung-chi.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expert.getByTestId('expert-doc-add').click();
    await seeText(expert.getByTestId('expert-document').first()).toContain('Bộ Tư pháp');
  });

  it('the expert adds a service and weekly hours, then submits', async () => {
    await expert.getByTestId('nav-expert-services').click();
    await expert.getByTestId('services-empty').waitFor();
    await expert.getByTestId('service-name').fill('Rà soát hợp đồng thuê');
    await expert.getByTestId('service-duration').fill('62');
    await expert.getByTestId('service-fee').fill('500.000');
    await expert.getByTestId('service-save').click();
    await seeText(expert.getByTestId('svc-new-error-summary')).toBeTruthy();
    await expert.getByTestId('service-duration').fill('60');
    await expert.getByTestId('service-save').click();
    await seeText(expert.getByTestId('service-row').first()).toContain('500.000');

    await expert.getByTestId('nav-expert-availability').click();
    await expert.getByTestId('rule-add').click();
    await expert.getByTestId('rules-save').click();
    await seeText(expert.getByTestId('weekly-rules-notice')).toContain('Đã lưu');
    const rules = await journey.app.services.commands.experts.expert(expertId);
    expect(rules.schedule.rules.map((r) => r.rrule)).toEqual(['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR']);

    await expert.getByTestId('recurring-day').fill('2');
    await expert.getByTestId('recurring-month').fill('9');
    await expert.getByTestId('recurring-add').click();
    await seeText(expert.getByTestId('recurring-off-time').first()).toContain('FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2');

    await expert.getByTestId('nav-expert-profile').click();
    await expert.getByTestId('expert-submit').click();
    await seeText(expert.getByTestId('expert-status')).toBe('Chờ duyệt');
  });

  it('the admin verifies the expert from the review queue', async () => {
    await signIn(admin, baseUrl, TEST_ADMIN.email, TEST_ADMIN.password);
    await admin.goto(`${baseUrl}/admin/experts`);
    const item = admin.locator(`[data-testid="expert-review"][data-email="${EXPERT.email}"]`);
    await seeText(item).toContain('Chứng chỉ hành nghề luật sư');
    await item.getByTestId('review-verify').click();
    await seeText(admin.getByTestId('review-notice')).toContain(EXPERT.name);
  });

  it('a visitor finds the expert by specialty, then by soonest free slot, and opens the profile', async () => {
    await visitor.goto(`${baseUrl}/experts`);
    await visitor.getByTestId('experts-specialty').selectOption('phap-ly-thue-nha');
    await visitor.getByTestId('experts-maxFee').fill('600.000');
    await visitor.getByTestId('experts-search').click();
    const card = visitor.locator(`[data-testid="expert-card"][data-id="${expertId}"]`);
    await seeText(card).toContain(EXPERT.name);
    await visitor.getByTestId('experts-sort').selectOption('soonest');
    await visitor.getByTestId('experts-search').click();
    await seeText(card.getByTestId('expert-soonest')).toContain('Lịch trống sớm nhất');
    await card.getByRole('link').click();
    await seeText(visitor.getByTestId('expert-services')).toContain('Rà soát hợp đồng thuê');
    await visitor.getByTestId('slot-picker-slot').waitFor();
    expect(journey.pageErrors).toEqual([]);
  });
});
