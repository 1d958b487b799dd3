import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listOutbox } from '../../commands/mail/outbox.js';
import { systemMetadata } from '../../commands/metadata.js';
import { bearer, mailedCode, STRONG_PASSWORD, signedInUser } from '../support/accounts.js';
import { eventually, startTestApp, TEST_ADMIN, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const STRONG = STRONG_PASSWORD;
type SessionData = {
  accessToken: string;
  refreshToken: string;
  user: { id: string; roles: string[]; activeRole: string };
};
const codeMailedTo = (email: string) => mailedCode(t, email);
const verifiedUser = async (email: string) => (await signedInUser(t, email)).id;
const login = (email: string, password = STRONG, device = 'test-device', headers: Record<string, string> = {}) =>
  t.call<SessionData>('POST', '/api/v1/auth/login', { email, password, device }, headers);

describe('sign-up and verification', () => {
  test('a new account is unverified, gets a mailed code, and cannot sign in before verifying', async () => {
    const email = 'lan@example.vn';
    const answer = await t.call('POST', '/api/v1/auth/register', {
      email: 'Lan@Example.vn',
      password: STRONG,
      name: 'Trần Thị Lan',
      phone: '0912345678',
      role: 'owner',
    });
    expect(answer.status).toBe(201);
    expect((await login(email)).body.error?.code).toBe('EMAIL_NOT_VERIFIED');

    const wrong = await t.call('POST', '/api/v1/auth/verify-email', { email, code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'CODE_INVALID', field: 'code' });
    expect((await t.call('POST', '/api/v1/auth/verify-email', { email, code: await codeMailedTo(email) })).status).toBe(
      200,
    );
    await eventually(async () => expect((await login(email)).status).toBe(200));
  });

  test('bad input names the field: weak password (with the rule), email taken, Vietnamese phone', async () => {
    const weak = await t.call('POST', '/api/v1/auth/register', {
      email: 'w@example.vn',
      password: 'password1',
      name: 'W',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatchObject({ code: 'PASSWORD_WEAK', field: 'password' });
    expect(weak.body.message).toContain('từ 10 đến 128 ký tự');

    await t.call('POST', '/api/v1/auth/register', { email: 'dup@example.vn', password: STRONG, name: 'A' });
    const taken = await t.call('POST', '/api/v1/auth/register', {
      email: 'DUP@example.vn',
      password: STRONG,
      name: 'B',
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'EMAIL_TAKEN', field: 'email' });

    const phone = await t.call('POST', '/api/v1/auth/register', {
      email: 'p@example.vn',
      password: STRONG,
      name: 'P',
      phone: '12345',
    });
    expect(phone.status).toBe(400);
    expect(phone.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'phone' });
  });

  test('twenty simultaneous sign-ups with one email: exactly one account', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.call('POST', '/api/v1/auth/register', { email: 'race@example.vn', password: STRONG, name: 'R' }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
  });
});

describe('sessions and tokens', () => {
  test('refresh rotates; presenting a spent token revokes the whole session and is audited', async () => {
    const userId = await verifiedUser('rotate@example.vn');
    const first = (await login('rotate@example.vn')).body.data;
    const second = await t.call<SessionData>('POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.data.refreshToken).not.toBe(first.refreshToken);

    const reused = await t.call('POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(reused.status).toBe(401);
    expect(reused.body.error?.code).toBe('REFRESH_REUSED');
    expect((await t.call('POST', '/api/v1/auth/refresh', { refreshToken: second.body.data.refreshToken })).status).toBe(
      401,
    );
    expect((await t.call('GET', '/api/v1/me', undefined, bearer(second.body.data.accessToken))).status).toBe(401);
    const { rows } = await t.db.pool.query(
      "select count(*)::int as n from es.events where stream_name = $1 and event_type = 'RefreshTokenReuseDetected'",
      [`user-${userId}`],
    );
    expect(rows[0].n).toBe(1);
  });

  test('devices are listed and the others can be signed out', async () => {
    await verifiedUser('devices@example.vn');
    const phone = (await login('devices@example.vn', STRONG, 'Điện thoại')).body.data;
    const laptop = (await login('devices@example.vn', STRONG, 'Máy tính')).body.data;
    const list = await t.call<{ device: string; current: boolean }[]>(
      'GET',
      '/api/v1/me/sessions',
      undefined,
      bearer(laptop.accessToken),
    );
    expect(list.body.data.map((s) => [s.device, s.current]).sort()).toEqual([
      ['Máy tính', true],
      ['test-device', false], // the helper's own sign-in
      ['Điện thoại', false],
    ]);
    const mails = await listOutbox(t.db.pool, { to: 'devices@example.vn', limit: 10 });
    const deviceMails = mails.filter((m) => m.category === 'account.new_device_login');
    expect(deviceMails).toHaveLength(2); // the first sign-in ever is not a "new device"
    expect(deviceMails.map((m) => m.text).join(' ')).toContain('Điện thoại');
    const revoked = await t.call<{ revoked: number }>(
      'POST',
      '/api/v1/me/sessions/revoke-others',
      {},
      bearer(laptop.accessToken),
    );
    expect(revoked.body.data.revoked).toBe(2);
    expect((await t.call('GET', '/api/v1/me', undefined, bearer(phone.accessToken))).status).toBe(401);
    expect((await t.call('GET', '/api/v1/me', undefined, bearer(laptop.accessToken))).status).toBe(200);
    expect((await t.call('POST', '/api/v1/auth/logout', {}, bearer(laptop.accessToken))).status).toBe(200);
    expect((await t.call('GET', '/api/v1/me', undefined, bearer(laptop.accessToken))).status).toBe(401);
  });

  test('five failed sign-ins a minute, per account or per IP, answer 429 with Retry-After', async () => {
    await verifiedUser('brute@example.vn');
    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 5; i++) {
      expect((await login('brute@example.vn', 'Sai-mật-khẩu-1', 'x', attacker)).status).toBe(401);
    }
    const blocked = await login('brute@example.vn', STRONG, 'x', { 'x-forwarded-for': '198.51.100.1' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);

    await verifiedUser('bystander@example.vn');
    const sameIp = await login('bystander@example.vn', STRONG, 'x', attacker);
    expect(sameIp.status).toBe(429);
  });

  test('tampered, unsigned and expired tokens are refused', async () => {
    await verifiedUser('tokens@example.vn');
    const { accessToken } = (await login('tokens@example.vn')).body.data;
    const [header, payload] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const expired = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })).toString(
      'base64url',
    );
    const resigned = `${header}.${expired}.${createHmac('sha256', 'wrong-secret').update(`${header}.${expired}`).digest('base64url')}`;
    for (const token of [`${header}.${forged}.${accessToken.split('.')[2]}`, `${none}.${payload}.`, resigned]) {
      const answer = await t.call('GET', '/api/v1/me', undefined, bearer(token));
      expect(answer.status).toBe(401);
    }
  });
});

describe('roles and permissions', () => {
  test('a customer may not manage areas; the admin may', async () => {
    await verifiedUser('customer@example.vn');
    const customer = (await login('customer@example.vn')).body.data;
    const refused = await t.call(
      'POST',
      '/api/v1/areas',
      { name: 'Huế', level: 'province' },
      bearer(customer.accessToken),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('FORBIDDEN');

    const admin = (await login(TEST_ADMIN.email, TEST_ADMIN.password)).body.data;
    expect(admin.user.activeRole).toBe('admin');
    expect(
      (await t.call('POST', '/api/v1/areas', { name: 'Huế', level: 'province' }, bearer(admin.accessToken))).status,
    ).toBe(201);
  });

  test('a user with two roles switches without signing out; a revoked role stops working on the next request', async () => {
    const userId = await verifiedUser('two-roles@example.vn');
    await t.app.services.commands.users({ type: 'GrantRole', userId, role: 'owner' }, systemMetadata('test'));
    await eventually(async () => {
      const { rows } = await t.db.pool.query('select roles from rm.users where id = $1', [userId]);
      expect(rows[0].roles).toEqual(['customer', 'owner']);
    });
    const session = (await login('two-roles@example.vn')).body.data;
    const switched = await t.call<{ accessToken: string }>(
      'POST',
      '/api/v1/me/active-role',
      { role: 'owner' },
      bearer(session.accessToken),
    );
    expect(switched.status).toBe(200);
    const me = await t.call<{ activeRole: string }>(
      'GET',
      '/api/v1/me',
      undefined,
      bearer(switched.body.data.accessToken),
    );
    expect(me.body.data.activeRole).toBe('owner');
    const notHeld = await t.call('POST', '/api/v1/me/active-role', { role: 'admin' }, bearer(session.accessToken));
    expect(notHeld.body.error).toMatchObject({ code: 'ROLE_NOT_HELD', field: 'role' });

    await t.app.services.commands.users({ type: 'RevokeRole', userId, role: 'owner' }, systemMetadata('test'));
    await eventually(async () => {
      const answer = await t.call('GET', '/api/v1/me', undefined, bearer(switched.body.data.accessToken));
      expect(answer.status).toBe(403);
    });
  });

  test('acting as another user needs user:act_as, and events record both people', async () => {
    const customerId = await verifiedUser('helped@example.vn');
    const customer = (await login('helped@example.vn')).body.data;
    const selfHelp = await t.call('GET', '/api/v1/me', undefined, {
      ...bearer(customer.accessToken),
      'x-act-as': customerId,
    });
    expect(selfHelp.status).toBe(403);

    const admin = (await login(TEST_ADMIN.email, TEST_ADMIN.password)).body.data;
    const created = await t.call<{ id: string }>(
      'POST',
      '/api/v1/areas',
      { name: 'Cần Thơ', level: 'province' },
      {
        ...bearer(admin.accessToken),
        'x-act-as': customerId,
      },
    );
    expect(created.status).toBe(201);
    const { rows } = await t.db.pool.query("select metadata from es.events where data->>'areaId' = $1", [
      created.body.data.id,
    ]);
    expect(rows[0].metadata).toMatchObject({ actorId: admin.user.id, actAsId: customerId });
  });
});
