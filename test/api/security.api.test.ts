import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bearer, mailedCode, STRONG_PASSWORD, signedInUser, signIn } from '../support/accounts.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  // Everything the server logs, at the most verbose level.
  t = await startTestApp({ logger: pino({ level: 'trace' }, sink), devAdminHeader: false });
});
afterAll(async () => {
  await t.close();
});

test('passwords, codes and tokens never reach the logs', async () => {
  const email = 'secret@example.vn';
  const registered = await t.call('POST', '/api/v1/auth/register', { email, password: STRONG_PASSWORD, name: 'Bí Ẩn' });
  expect(registered.status).toBe(201);
  const code = await mailedCode(t, email);
  await t.call('POST', '/api/v1/auth/verify-email', { email, code });
  const user = await eventually(async () => {
    const answer = await signIn(t, email);
    expect(answer.status).toBe(200);
    return answer.body.data;
  });
  await t.call('POST', '/api/v1/auth/login', { email, password: `${STRONG_PASSWORD}-sai` });
  const refreshed = await t.call<{ refreshToken: string }>('POST', '/api/v1/auth/refresh', {
    refreshToken: user.refreshToken,
  });
  await t.call('GET', '/api/v1/me', undefined, bearer(user.accessToken));
  await fetch(`${t.url}/ws?token=${user.accessToken}`);

  const logs = logLines.join('');
  expect(logs.length).toBeGreaterThan(1000); // requests were logged
  for (const secret of [STRONG_PASSWORD, code, user.accessToken, user.refreshToken, refreshed.body.data.refreshToken]) {
    expect(logs).not.toContain(secret);
  }
});

test('a refresh through the cookie needs the CSRF header; through the body it does not', async () => {
  const email = 'csrf@example.vn';
  await signedInUser(t, email);
  const login = await fetch(`${t.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: STRONG_PASSWORD }),
  });
  const setCookie = login.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/^refresh_token=/);
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Strict/i);
  const cookie = setCookie.split(';')[0] ?? '';

  const forged = await t.call('POST', '/api/v1/auth/refresh', {}, { cookie });
  expect(forged.status).toBe(403);
  expect(forged.body.error?.code).toBe('CSRF_HEADER_MISSING');
  const allowed = await t.call('POST', '/api/v1/auth/refresh', {}, { cookie, 'x-csrf-protection': '1' });
  expect(allowed.status).toBe(200);
});

test('one user cannot end another user’s session', async () => {
  const a = await signedInUser(t, 'a-owner@example.vn');
  const b = await signedInUser(t, 'b-other@example.vn');
  const sessionsOfA = await t.call<{ id: string }[]>('GET', '/api/v1/me/sessions', undefined, bearer(a.accessToken));
  const target = sessionsOfA.body.data[0]?.id ?? '';
  const attempt = await t.call('DELETE', `/api/v1/me/sessions/${target}`, undefined, bearer(b.accessToken));
  expect(attempt.status).toBe(404);
  expect((await t.call('GET', '/api/v1/me', undefined, bearer(a.accessToken))).status).toBe(200);
});
