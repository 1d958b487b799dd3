// Browser journey through the catalog: an owner (KYC verified through the API in the set-up)
// creates a project with a room, writes a listing through the 6-step wizard with one image and
// submits it; an operator approves it from the moderation queue; a visitor searches for it with
// an unaccented keyword and opens it. Needs `npm run build:ui` first; the steps run in order.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/app.js';
import { browserJourney, seeText, signIn, TEST_ADMIN, UI_TIMEOUT } from './ui.js';

const OWNER = { name: 'Nguyễn Thị Lan', email: 'lan.nguyen@example.vn', password: 'Chủ-nhà-tốt-2026!' };
const OPERATOR = { name: 'Đỗ Văn Hùng', email: 'van.hung@example.vn', password: 'Điều-hành-2026!' };
const PROJECT = 'Nhà trọ Hoa Sen';
const TITLE = 'Phòng trọ Hoa Sen gần chợ Bến Thành, có gác lửng';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let baseUrl: string;
let owner: Page;
let operator: Page;
let visitor: Page;
let wardId = '';

const journey = browserJourney('catalog', { seed: true, pages: ['owner', 'operator', 'visitor'] });

type Answer<T> = { status: number; body: { success: boolean; data: T; error: { code: string } | null } };

async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<Answer<T>> {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  return { status: response.status, body: (await response.json()) as Answer<T>['body'] };
}

const login = async (email: string, password: string) =>
  (await api<{ accessToken: string }>('POST', '/api/v1/auth/login', { email, password })).body.data.accessToken;

/** Signs up with `role`, verifies the email with the mailed code (read by the admin). */
async function register(person: typeof OWNER, role: 'owner' | 'customer', admin: string): Promise<string> {
  const registered = await api<{ userId: string }>('POST', '/api/v1/auth/register', { ...person, role });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const mail = await api<{ text: string }[]>('GET', `/api/v1/admin/mail-outbox?to=${person.email}`, undefined, admin);
  const code = /\b(\d{6})\b/.exec(mail.body.data[0]?.text ?? '')?.[1];
  expect((await api('POST', '/api/v1/auth/verify-email', { email: person.email, code })).status).toBe(200);
  return registered.body.data.userId;
}

beforeAll(async () => {
  baseUrl = journey.baseUrl;
  owner = journey.page('owner');
  operator = journey.page('operator');
  visitor = journey.page('visitor');
  const admin = await login(TEST_ADMIN.email, TEST_ADMIN.password);

  const ownerId = await register(OWNER, 'owner', admin);
  const ownerToken = await eventually(async () => {
    const token = await login(OWNER.email, OWNER.password);
    expect(token).toBeTruthy();
    return token;
  });
  const kyc = new FormData();
  kyc.append('kinds', 'id_front');
  kyc.append('documents', new Blob([PDF], { type: 'application/pdf' }), 'cccd.pdf');
  expect((await api('POST', '/api/v1/me/kyc', kyc, ownerToken)).status).toBe(200);
  expect((await api('POST', `/api/v1/admin/kyc/${ownerId}/verify`, undefined, admin)).status).toBe(200);

  const operatorId = await register(OPERATOR, 'customer', admin);
  await eventually(async () => {
    const granted = await api('POST', `/api/v1/admin/users/${operatorId}/roles`, { role: 'operator' }, admin);
    expect(granted.status).toBe(200);
  });

  const wards = await api<{ id: string; level: string }[]>('GET', `/api/v1/areas?q=${encodeURIComponent('Bến Nghé')}`);
  wardId = wards.body.data.find((a) => a.level === 'ward')?.id ?? '';
  expect(wardId).not.toBe('');
}, 60_000);

describe('the catalog in the browser', () => {
  it('the owner creates a project and adds a room', async () => {
    await signIn(owner, baseUrl, OWNER.email, OWNER.password);
    await owner.getByTestId('nav-owner-projects').click();
    await owner.getByTestId('projects-empty').waitFor();
    // A missing name is named next to the field before anything is sent.
    await owner.getByTestId('project-submit').click();
    await seeText(owner.getByTestId('project-name-error')).toContain('Không được để trống');
    await owner.getByTestId('project-name').fill(PROJECT);
    await owner.getByTestId('project-description').fill('Khu trọ yên tĩnh, có bảo vệ.');
    await owner.getByTestId('project-address-area').selectOption(wardId);
    await owner.getByTestId('project-address-street').fill('12 Nguyễn Trãi');
    await owner.getByTestId('project-address-lat').fill('10.7731');
    await owner.getByTestId('project-address-lng').fill('106.7030');
    await owner.getByTestId('project-submit').click();
    await seeText(owner.getByTestId('project-notice')).toContain(PROJECT);
    const row = owner.locator(`[data-testid="project-row"][data-project-name="${PROJECT}"]`);
    await seeText(row.getByTestId('project-status')).toBe('Hoạt động');

    await row.getByTestId('project-open').click();
    await seeText(owner.getByTestId('project-title')).toBe(PROJECT);
    await owner.getByTestId('room-add-name').fill('P101');
    await owner.getByTestId('room-add-standardPrice').fill('3.500.000');
    await owner.getByTestId('room-add-areaM2').fill('25');
    await owner.getByTestId('room-add-submit').click();
    const room = owner.locator('[data-testid="project-room"][data-room-name="P101"]');
    await seeText(room.getByTestId('project-room-status')).toBe('Trống');
  });

  it('the owner writes the listing through the wizard (one room, one image) and submits it', {
    timeout: 30_000,
  }, async () => {
    await owner.getByTestId('project-new-listing').click();
    await owner.getByTestId('wizard-step-basics').waitFor();
    // The project the owner came from is chosen once the projects are loaded.
    await expect.poll(() => owner.getByTestId('wizard-project').inputValue()).not.toBe('');
    await owner.getByTestId('wizard-title').fill(TITLE);
    await owner.getByTestId('wizard-description').fill('Ngắn quá');
    await owner.getByTestId('wizard-next').click();
    await seeText(owner.getByTestId('wizard-description-error')).toContain('20');
    await owner
      .getByTestId('wizard-description')
      .fill('Phòng 25 m² có gác lửng, cửa sổ thoáng, cách chợ Bến Thành 5 phút đi bộ. Điện nước giá nhà nước.');
    await owner.getByTestId('wizard-next').click();

    // Step 2: the draft exists now; the address starts as the project's.
    await owner.waitForURL(/\/owner\/listings\/[\w-]+\/edit$/);
    await owner.getByTestId('wizard-step-features').waitFor();
    await expect.poll(() => owner.getByTestId('wizard-address-street').inputValue()).toBe('12 Nguyễn Trãi');
    await owner.getByTestId('wizard-amenity-air_conditioner').check();
    await owner.getByTestId('wizard-amenity-wifi').check();
    await owner.getByTestId('wizard-next').click();

    // Step 3: the project's room, at its standard price.
    await owner.getByTestId('wizard-step-rooms').waitFor();
    await owner
      .locator('[data-testid="wizard-room"][data-room-name="P101"]')
      .getByTestId('wizard-room-include')
      .check();
    await owner.getByTestId('wizard-next').click();

    // Step 4: at least one image before continuing.
    await owner.getByTestId('wizard-step-images').waitFor();
    await owner.getByTestId('wizard-next').click();
    await seeText(owner.getByTestId('wizard-images-error')).toContain('ít nhất một');
    const photo = await sharp({ create: { width: 960, height: 640, channels: 3, background: '#d97706' } })
      .jpeg()
      .toBuffer();
    await owner
      .getByTestId('wizard-images-input')
      .setInputFiles({ name: 'phong.jpg', mimeType: 'image/jpeg', buffer: photo });
    await owner.getByTestId('wizard-images-upload').click();
    await expect.poll(() => owner.getByTestId('wizard-image').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await owner.getByTestId('wizard-next').click();

    // Step 5: the project's default (none) is kept as a draft.
    await owner.getByTestId('wizard-step-deposit').waitFor();
    await owner.getByTestId('wizard-save').click();
    await seeText(owner.getByTestId('wizard-deposit-notice')).toContain('Đã lưu nháp');

    // Reopening the draft from the list resumes at the first step not saved: review.
    await owner.getByTestId('nav-owner-listings').click();
    const draft = owner.locator(`[data-testid="listing-row"][data-title="${TITLE}"]`);
    await seeText(draft.getByTestId('listing-status')).toBe('Nháp');
    await draft.getByTestId('listing-edit').click();
    await owner.getByTestId('wizard-step-review').waitFor();
    expect(await owner.getByTestId('wizard').getAttribute('data-step')).toBe('6');
    await seeText(owner.getByTestId('review-rooms')).toContain('P101');
    await owner.getByTestId('wizard-submit').click();
    await seeText(owner.getByTestId('wizard-review-notice')).toContain('Đã gửi');
    await seeText(owner.getByTestId('wizard-status')).toBe('Chờ duyệt');
  });

  it('an operator approves it from the moderation queue', { timeout: 30_000 }, async () => {
    await signIn(operator, baseUrl, OPERATOR.email, OPERATOR.password);
    await operator.getByTestId('role-switcher').selectOption('operator');
    await operator.getByTestId('nav-operator-moderation').click();
    const item = operator.locator(`[data-testid="queue-item"][data-title="${TITLE}"]`);
    await item.click();
    const panel = operator.getByTestId('moderation-panel');
    await seeText(panel.getByTestId('moderation-title')).toBe(TITLE);
    await seeText(panel.getByTestId('moderation-kyc')).toBe('Đã xác minh danh tính');
    expect(await panel.getByTestId('check-ownerKycVerified').isChecked()).toBe(true);
    await panel.getByTestId('moderation-approve').click();
    await seeText(panel.getByTestId('moderation-checklist-error')).toContain('ba mục');
    for (const key of ['accurate', 'imagesClear', 'priceReasonable']) await panel.getByTestId(`check-${key}`).check();
    await panel.getByTestId('moderation-text').fill('Ảnh rõ, giá hợp lý.');
    await panel.getByTestId('moderation-approve').click();
    await seeText(operator.getByTestId('moderation-notice')).toContain(TITLE);
    await item.waitFor({ state: 'detached' });

    await owner.goto(`${baseUrl}/owner/listings`);
    const row = owner.locator(`[data-testid="listing-row"][data-title="${TITLE}"]`);
    await seeText(row.getByTestId('listing-status')).toBe('Đang đăng');
  });

  it('a visitor finds it with an unaccented keyword and opens it', { timeout: 30_000 }, async () => {
    await visitor.goto(baseUrl);
    await visitor.getByTestId('home-q').fill('phong tro hoa sen ben thanh');
    await visitor.getByTestId('home-search-submit').click();
    await visitor.waitForURL(/\/search\?q=phong/);
    const card = visitor.locator(`[data-testid="listing-card"]`).filter({ hasText: TITLE });
    // The search read model follows the approval shortly after: search again until it shows.
    await expect
      .poll(
        async () => {
          if ((await card.count()) > 0) return true;
          await visitor.getByTestId('search-submit').click();
          await visitor.waitForTimeout(300);
          return (await card.count()) > 0;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(true);
    await seeText(card.getByTestId('listing-card-price')).toContain('3.500.000');
    await seeText(card.getByTestId('listing-card-district')).toContain('Quận 1');
    expect(await card.getByTestId('favorite-toggle').count()).toBe(0); // hearts are for signed-in people

    await card.getByTestId('listing-card-title').click();
    await seeText(visitor.getByTestId('listing-title')).toBe(TITLE);
    await seeText(visitor.getByTestId('room-status')).toBe('Trống');
    await seeText(visitor.getByTestId('listing-amenities')).toContain('Điều hòa');
    expect(await visitor.getByTestId('listing-map').getAttribute('href')).toContain('mlat=10.7731');
    const image = visitor.getByTestId('gallery-large');
    await expect
      .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(960);
  });

  it('a signed-in person saves it from the results and finds it under Saved', async () => {
    await operator.goto(`${baseUrl}/search?q=hoa%20sen`);
    const card = operator.locator('[data-testid="listing-card"]').filter({ hasText: TITLE });
    const heart = card.getByTestId('favorite-toggle');
    await expect.poll(() => heart.getAttribute('aria-pressed')).toBe('false');
    await heart.click();
    await expect.poll(() => heart.getAttribute('aria-pressed')).toBe('true');

    await operator.getByTestId('nav-favorites').click();
    const saved = operator.getByTestId('favorites').locator('[data-testid="listing-card"]');
    await seeText(saved.getByTestId('listing-card-title')).toBe(TITLE);
    await saved.getByTestId('favorite-toggle').click();
    await operator.getByTestId('favorites-empty').waitFor();
    expect(journey.pageErrors).toEqual([]);
  });
});
