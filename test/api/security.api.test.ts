import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { listOutbox } from '../../commands/mail/outbox.js';
import { startApp } from '../../ops/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const PASSWORD = 'Bí-mật-không-lộ-2026';
let db: TestDatabase;
let app: Awaited<ReturnType<typeof startApp>>;
let url: string;
const logLines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  // Everything the server logs, at the most verbose level.
  app = await startApp({ databaseUrl: db.url, port: 0, logger: pino({ level: 'trace' }, sink), devAdminHeader: false });
  url = app.url ?? '';
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { data: Record<string, string> },
  };
};

test('passwords, codes and tokens never reach the logs', async () => {
  const email = 'secret@example.vn';
  await post('/api/v1/auth/register', { email, password: PASSWORD, name: 'Người Dùng' });
  const [mail] = await listOutbox(db.pool, { to: email, limit: 1 });
  const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';
  await post('/api/v1/auth/verify-email', { email, code });
  let login = await post('/api/v1/auth/login', { email, password: PASSWORD });
  for (let i = 0; i < 50 && login.status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    login = await post('/api/v1/auth/login', { email, password: PASSWORD });
  }
  const { accessToken = '', refreshToken = '' } = login.body.data;
  expect(accessToken).not.toBe('');
  await post('/api/v1/auth/login', { email, password: `${PASSWORD}-sai` });
  const refreshed = await post('/api/v1/auth/refresh', { refreshToken });
  await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  await fetch(`${url}/ws?token=${accessToken}`);

  const logs = logLines.join('');
  expect(logs.length).toBeGreaterThan(1000); // requests were logged
  for (const secret of [
    PASSWORD,
    code,
    accessToken,
    refreshToken,
    refreshed.body.data.refreshToken ?? 'x'.repeat(40),
  ]) {
    expect(logs).not.toContain(secret);
  }
});

test('a refresh through the cookie needs the CSRF header; through the body it does not', async () => {
  const email = 'csrf@example.vn';
  await post('/api/v1/auth/register', { email, password: PASSWORD, name: 'Csrf' });
  const [mail] = await listOutbox(db.pool, { to: email, limit: 1 });
  await post('/api/v1/auth/verify-email', { email, code: /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '' });
  let login = await post('/api/v1/auth/login', { email, password: PASSWORD });
  for (let i = 0; i < 50 && login.status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    login = await post('/api/v1/auth/login', { email, password: PASSWORD });
  }
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^refresh_token=/);
  expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);
  expect(login.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);

  const forged = await post('/api/v1/auth/refresh', {}, { cookie });
  expect(forged.status).toBe(403);
  const allowed = await post('/api/v1/auth/refresh', {}, { cookie, 'x-csrf-protection': '1' });
  expect(allowed.status).toBe(200);
});

test('one user cannot end another user’s session', async () => {
  const accounts = [];
  for (const email of ['a-owner@example.vn', 'b-other@example.vn']) {
    await post('/api/v1/auth/register', { email, password: PASSWORD, name: 'X' });
    const [mail] = await listOutbox(db.pool, { to: email, limit: 1 });
    await post('/api/v1/auth/verify-email', { email, code: /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '' });
    let login = await post('/api/v1/auth/login', { email, password: PASSWORD });
    for (let i = 0; i < 50 && login.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      login = await post('/api/v1/auth/login', { email, password: PASSWORD });
    }
    accounts.push(login.body.data.accessToken ?? '');
  }
  const [a, b] = accounts as [string, string];
  const sessionsOfA = (await (
    await fetch(`${url}/api/v1/me/sessions`, { headers: { authorization: `Bearer ${a}` } })
  ).json()) as {
    data: { id: string }[];
  };
  const target = sessionsOfA.data[0]?.id ?? '';
  const attempt = await fetch(`${url}/api/v1/me/sessions/${target}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${b}` },
  });
  expect(attempt.status).toBe(404);
  expect((await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${a}` } })).status).toBe(200);
});
