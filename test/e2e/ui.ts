// Shared steps of the browser tests: the test admin and signing in through the login page.
import type { Page } from 'playwright-core';

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
