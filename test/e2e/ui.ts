// Shared parts of the browser tests: the journey set-up, the test admin, signing in.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type AppOptions, type RunningApp, startApp } from '../../ops/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { launchBrowser } from './browser.js';

/** The admin the test app creates on start (`startApp({ admin })`). */
export const TEST_ADMIN = { email: 'admin@test.local', password: 'Quản-trị-2026!' };

/** Signs in through /login (no 2FA) and waits until the top bar shows the signed-in user. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-name').waitFor();
}

export const UI_TIMEOUT = 5_000;
const UI_INDEX = fileURLToPath(new URL('../../ui/build/index.html', import.meta.url));

/** Polls a locator's text until it matches (the UI updates after the read models do). */
export const seeText = (locator: Locator) =>
  expect.poll(() => locator.textContent({ timeout: UI_TIMEOUT }), { timeout: UI_TIMEOUT, interval: 100 });

export interface Journey {
  baseUrl: string;
  /** The journey's own database (for the ops CLIs run against it). */
  databaseUrl: string;
  /** The running app (its services: event store, pool) once `beforeAll` has run. */
  app: RunningApp;
  browser: Browser;
  /** Uncaught errors of every page: a journey ends by expecting none. */
  pageErrors: string[];
  page(name: string): Page;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
}

/**
 * A browser journey: the real app in-process on a fresh database (dev header off, the test admin
 * created), Chromium with one context per named page, a screenshot of each page when a step fails
 * (/tmp/<name>-failure-<page>.png), everything stopped at the end. Needs `npm run build:ui` first.
 */
export function browserJourney(
  name: string,
  options: { seed: boolean; pages: string[]; clock?: () => Date; app?: Partial<AppOptions> },
): Journey {
  let app: RunningApp | undefined;
  let db: TestDatabase | undefined;
  const pages = new Map<string, Page>();
  const journey: Journey = {
    baseUrl: '',
    databaseUrl: '',
    app: undefined as unknown as RunningApp,
    browser: undefined as unknown as Browser,
    pageErrors: [],
    page(pageName) {
      const page = pages.get(pageName);
      if (!page) throw new Error(`no page ${pageName} in this journey`);
      return page;
    },
    async newPage(viewport = { width: 1280, height: 900 }) {
      const context = await journey.browser.newContext({ locale: 'vi-VN', viewport });
      const page = await context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT);
      page.on('pageerror', (error) => journey.pageErrors.push(error.message));
      return page;
    },
  };

  beforeAll(async () => {
    if (!existsSync(UI_INDEX)) throw new Error('ui/build is missing: run `npm run build:ui` before the browser test');
    db = await createTestDatabase();
    app = await startApp({
      databaseUrl: db.url,
      port: 0,
      seed: options.seed,
      admin: TEST_ADMIN,
      devAdminHeader: false,
      ...(options.clock && { clock: options.clock }),
      ...options.app,
    });
    if (!app.url) throw new Error('startApp did not start the HTTP server');
    journey.baseUrl = app.url;
    journey.databaseUrl = db.url;
    journey.app = app;
    journey.browser = await launchBrowser();
    for (const pageName of options.pages) pages.set(pageName, await journey.newPage());
  }, 60_000);

  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    for (const [pageName, page] of pages)
      await page.screenshot({ path: `/tmp/${name}-failure-${pageName}.png`, fullPage: true });
  });

  afterAll(async () => {
    await journey.browser?.close();
    await app?.close();
    await db?.drop();
  }, 60_000);

  return journey;
}
