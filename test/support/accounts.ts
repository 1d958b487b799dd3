import { expect } from 'vitest';
import { listOutbox } from '../../commands/mail/outbox.js';
import { eventually, type TestApp } from './app.js';

export const STRONG_PASSWORD = 'Phòng-trọ-2026';

export interface SignedIn {
  id: string;
  accessToken: string;
  refreshToken: string;
}

/** The 6-digit code of the newest mail to `email` in the local outbox. */
export async function mailedCode(t: TestApp, email: string): Promise<string> {
  const [mail] = await listOutbox(t.db.pool, { to: email, limit: 1 });
  const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
  if (!code) throw new Error(`no code mailed to ${email}`);
  return code;
}

export const signIn = (t: TestApp, email: string, password = STRONG_PASSWORD, headers: Record<string, string> = {}) =>
  t.call<{ accessToken: string; refreshToken: string; user: { id: string; roles: string[]; activeRole: string } }>(
    'POST',
    '/api/v1/auth/login',
    { email, password, device: 'test-device' },
    headers,
  );

/** Signs up, verifies through the outbox and signs in (retrying while the read model catches up). */
export async function signedInUser(t: TestApp, email: string, name = 'Nguyễn Văn An'): Promise<SignedIn> {
  const registered = await t.call<{ userId: string }>('POST', '/api/v1/auth/register', {
    email,
    password: STRONG_PASSWORD,
    name,
  });
  expect(registered.status).toBe(201);
  const verified = await t.call('POST', '/api/v1/auth/verify-email', { email, code: await mailedCode(t, email) });
  expect(verified.status).toBe(200);
  return eventually(async () => {
    const answer = await signIn(t, email);
    expect(answer.status).toBe(200);
    const { accessToken, refreshToken } = answer.body.data;
    return { id: registered.body.data.userId, accessToken, refreshToken };
  });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
