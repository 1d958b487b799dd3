// Browser journey through area management: the real app (API, projections, built UI) in-process,
// driven by Chromium. Needs `npm run build:ui` first (the server serves ui/build). The admin signs in
// first; the dev header is off, so every admin call carries the signed-in user's token.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../ops/app.js';
import { createTestDatabase } from '../support/database.js';
import { launchBrowser } from './browser.js';
import { signIn, TEST_ADMIN } from './ui.js';

const PROVINCE = 'Thành phố Hồ Chí Minh';
const DISTRICT = 'Quận 1';
const RENAMED = 'Quận Một';
const UI_TIMEOUT = 5_000;
const UI_INDEX = fileURLToPath(new URL('../../ui/build/index.html', import.meta.url));

let db: { url: string; drop(): Promise<void> };
let app: { url: string | null; close(): Promise<void> };
let baseUrl: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(UI_INDEX)) throw new Error('ui/build is missing: run `npm run build:ui` before the browser test');
  db = await createTestDatabase();
  app = await startApp({ databaseUrl: db.url, port: 0, seed: false, admin: TEST_ADMIN, devAdminHeader: false });
  if (!app.url) throw new Error('startApp did not start the HTTP server');
  baseUrl = app.url;
  browser = await launchBrowser();
  const context = await browser.newContext({ acceptDownloads: true, locale: 'vi-VN' });
  page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 60_000);

// On failure, keep a picture of what the page showed.
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await page?.screenshot({ path: '/tmp/areas-failure.png', fullPage: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
}, 60_000);

/** The tree row (name, badges, actions) of the area with exactly this name. */
function row(name: string): Locator {
  return page
    .getByTestId('area-row')
    .filter({ has: page.getByTestId('area-name').and(page.getByText(name, { exact: true })) });
}

async function createArea(name: string, level: 'province' | 'district', parentLabel?: string) {
  await page.getByTestId('create-name').fill(name);
  await page.getByTestId('create-level').selectOption(level);
  if (parentLabel) await page.getByTestId('create-parent').selectOption({ label: parentLabel });
  await page.getByTestId('create-submit').click();
}

/** Polls a locator's text for up to UI_TIMEOUT (writes show once the read model catches up). */
const seeText = (locator: Locator) =>
  expect.poll(() => locator.textContent({ timeout: UI_TIMEOUT }), { timeout: UI_TIMEOUT, interval: 100 });

describe('areas in the browser', () => {
  it('an admin manages areas and the public tree shows them', { timeout: 60_000 }, async () => {
    await signIn(page, baseUrl, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.goto(`${baseUrl}/admin/areas`); // a fresh page load: the session comes back from the refresh cookie
    await page.getByRole('heading', { name: 'Quản lý khu vực' }).waitFor();

    // Create a province, then a district under it.
    await createArea(PROVINCE, 'province');
    await seeText(page.getByTestId('create-notice')).toContain(PROVINCE);
    await row(PROVINCE).waitFor();

    await createArea(DISTRICT, 'district', `${PROVINCE} (Tỉnh/Thành phố)`);
    await seeText(page.getByTestId('create-notice')).toContain(DISTRICT);
    await row(DISTRICT).waitFor(); // the tree opens down to the new area

    // Mark the district hot.
    await row(DISTRICT).getByTestId('toggle-hot').click();
    await row(DISTRICT).getByTestId('hot-badge').waitFor();
    await page.screenshot({ path: '/tmp/areas.png', fullPage: true });

    // The public tree shows it with the hot badge.
    await page.goto(`${baseUrl}/areas`);
    await row(PROVINCE).getByTestId('area-toggle').click();
    expect(await row(DISTRICT).getByTestId('hot-badge').textContent()).toBe('Nổi bật');

    // Accent-insensitive search.
    await page.getByTestId('area-search').fill('quan 1');
    const result = page.getByTestId('search-result').filter({ hasText: DISTRICT });
    await seeText(result).toContain(`${PROVINCE} › ${DISTRICT}`);
    expect(await result.getByText('Nổi bật').count()).toBe(1);

    // A second "Quận 1" under the same province is refused next to the name field.
    await page.goto(`${baseUrl}/admin/areas`);
    await row(PROVINCE).waitFor();
    await createArea(DISTRICT, 'district', `${PROVINCE} (Tỉnh/Thành phố)`);
    await seeText(page.getByTestId('create-name-error')).toContain('đã tồn tại');

    // The province is in use (it has a district), so deleting it is refused.
    await row(PROVINCE).getByTestId('delete').click();
    await row(PROVINCE).getByTestId('delete-confirm').click();
    await seeText(row(PROVINCE).getByTestId('row-error')).toContain('Không thể xoá');

    // Rename the district (open the province first if it is collapsed).
    if (!(await row(DISTRICT).isVisible())) await row(PROVINCE).getByTestId('area-toggle').click();
    await row(DISTRICT).getByTestId('rename').click();
    await row(DISTRICT).getByTestId('rename-input').fill(RENAMED);
    await row(DISTRICT).getByTestId('rename-save').click();
    await row(RENAMED).waitFor();
    expect(await row(DISTRICT).count()).toBe(0);

    // Delete the district.
    await row(RENAMED).getByTestId('delete').click();
    await row(RENAMED).getByTestId('delete-confirm').click();
    await row(RENAMED).waitFor({ state: 'detached' });
    await row(PROVINCE).waitFor();

    // Export CSV: the download holds the province.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csvPath = await download.path();
    const csv = (await readFile(csvPath, 'utf8')).replace(/^\uFEFF/, ''); // a BOM is allowed
    expect(csv.split(/\r?\n/)[0]).toBe('id,code,name,level,parent_id,hot');
    expect(csv).toContain(PROVINCE);
    expect(csv).not.toContain(RENAMED);

    expect(pageErrors).toEqual([]);
  });
});
