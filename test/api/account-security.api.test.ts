import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { currentTotp } from '../../commands/identity/totp.js';
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
type Login = {
  accessToken?: string;
  refreshToken?: string;
  twoFactorRequired?: true;
  challengeToken?: string;
  user?: { id: string };
};
const lastCode = (email: string) => mailedCode(t, email);
const signedIn = async (email: string) => {
  const user = await signedInUser(t, email, 'Lê Minh');
  return { id: user.id, token: user.accessToken };
};

describe('two-factor sign-in', () => {
  test('enrol, sign in with password + TOTP, reject a replayed code, use a recovery code once, disable', async () => {
    const email = 'totp@example.vn';
    const { token } = await signedIn(email);
    const setup = await t.call<{ secret: string; otpauthUri: string; qrDataUrl: string }>(
      'POST',
      '/api/v1/me/2fa/setup',
      {},
      bearer(token),
    );
    expect(setup.body.data.otpauthUri).toContain('otpauth://totp/');
    expect(setup.body.data.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const { secret } = setup.body.data;

    expect((await t.call('POST', '/api/v1/me/2fa/confirm', { code: '000000' }, bearer(token))).body.error?.code).toBe(
      'CODE_INVALID',
    );
    const confirmingCode = currentTotp(secret);
    const confirmed = await t.call<{ recoveryCodes: string[] }>(
      'POST',
      '/api/v1/me/2fa/confirm',
      { code: confirmingCode },
      bearer(token),
    );
    expect(confirmed.body.data.recoveryCodes).toHaveLength(10);

    const first = await t.call<Login>('POST', '/api/v1/auth/login', { email, password: STRONG });
    expect(first.body.data).toEqual({ twoFactorRequired: true, challengeToken: expect.any(String) });
    const wrong = await t.call('POST', '/api/v1/auth/login/2fa', {
      challengeToken: first.body.data.challengeToken,
      code: '123456',
    });
    expect(wrong.body.error).toMatchObject({ code: 'CODE_INVALID', field: 'code' });

    // The confirming code's time step is spent: the same code cannot sign in (no replay).
    const replay = await t.call('POST', '/api/v1/auth/login/2fa', {
      challengeToken: first.body.data.challengeToken,
      code: confirmingCode,
    });
    expect(replay.status).toBe(400);

    const recovery = confirmed.body.data.recoveryCodes[0] ?? '';
    const withRecovery = await t.call<Login>('POST', '/api/v1/auth/login/2fa', {
      challengeToken: first.body.data.challengeToken,
      code: recovery.toUpperCase(),
    });
    expect(withRecovery.status).toBe(200);
    expect(withRecovery.body.data.accessToken).toBeTruthy();

    const again = await t.call<Login>('POST', '/api/v1/auth/login', { email, password: STRONG });
    const reused = await t.call('POST', '/api/v1/auth/login/2fa', {
      challengeToken: again.body.data.challengeToken,
      code: recovery,
    });
    expect(reused.body.error?.code).toBe('CODE_INVALID');

    const me = await t.call<{ twoFactorEnabled: boolean }>(
      'GET',
      '/api/v1/me',
      undefined,
      bearer(withRecovery.body.data.accessToken ?? ''),
    );
    expect(me.body.data.twoFactorEnabled).toBe(true);
    const noPassword = await t.call(
      'POST',
      '/api/v1/me/2fa/disable',
      { password: 'Sai-mật-khẩu-1', code: confirmed.body.data.recoveryCodes[1] },
      bearer(token),
    );
    expect(noPassword.body.error).toMatchObject({ code: 'PASSWORD_INCORRECT', field: 'password' });
    const disabled = await t.call(
      'POST',
      '/api/v1/me/2fa/disable',
      { password: STRONG, code: confirmed.body.data.recoveryCodes[1] },
      bearer(token),
    );
    expect(disabled.status).toBe(200);
    expect(
      (await t.call<Login>('POST', '/api/v1/auth/login', { email, password: STRONG })).body.data.accessToken,
    ).toBeTruthy();
  });
});

describe('passwords', () => {
  test('changing the password keeps this device and signs out the others', async () => {
    const email = 'change@example.vn';
    const { token: here } = await signedIn(email);
    const other =
      (await t.call<Login>('POST', '/api/v1/auth/login', { email, password: STRONG })).body.data.accessToken ?? '';
    const wrong = await t.call(
      'POST',
      '/api/v1/me/password',
      { currentPassword: 'nope', newPassword: 'Mật-khẩu-mới-99' },
      bearer(here),
    );
    expect(wrong.body.error).toMatchObject({ code: 'PASSWORD_INCORRECT', field: 'currentPassword' });
    const weak = await t.call(
      'POST',
      '/api/v1/me/password',
      { currentPassword: STRONG, newPassword: 'short' },
      bearer(here),
    );
    expect(weak.body.error).toMatchObject({ code: 'PASSWORD_WEAK', field: 'newPassword' });
    expect(
      (
        await t.call(
          'POST',
          '/api/v1/me/password',
          { currentPassword: STRONG, newPassword: 'Mật-khẩu-mới-99' },
          bearer(here),
        )
      ).status,
    ).toBe(200);
    expect((await t.call('GET', '/api/v1/me', undefined, bearer(here))).status).toBe(200);
    expect((await t.call('GET', '/api/v1/me', undefined, bearer(other))).status).toBe(401);
    expect((await t.call('POST', '/api/v1/auth/login', { email, password: 'Mật-khẩu-mới-99' })).status).toBe(200);
  });

  test('forgot password: same answer for unknown emails; a mailed code resets it once; wrong codes are limited', async () => {
    const email = 'forgot@example.vn';
    const { token } = await signedIn(email);
    const unknown = await t.call('POST', '/api/v1/auth/forgot-password', { email: 'nobody@example.vn' });
    const known = await t.call('POST', '/api/v1/auth/forgot-password', { email });
    expect(unknown.status).toBe(200);
    expect(unknown.body.message).toBe(known.body.message);
    const code = await lastCode(email);
    const bad = await t.call('POST', '/api/v1/auth/reset-password', {
      email,
      code: code === '111111' ? '222222' : '111111',
      newPassword: 'Đặt-lại-2026!',
    });
    expect(bad.body.error).toMatchObject({ code: 'CODE_INVALID', field: 'code' });
    expect(
      (await t.call('POST', '/api/v1/auth/reset-password', { email, code, newPassword: 'Đặt-lại-2026!' })).status,
    ).toBe(200);
    expect(
      (await t.call('POST', '/api/v1/auth/reset-password', { email, code, newPassword: 'Đặt-lại-2027!' })).status,
    ).toBe(400);
    expect((await t.call('GET', '/api/v1/me', undefined, bearer(token))).status).toBe(401);
    expect((await t.call('POST', '/api/v1/auth/login', { email, password: 'Đặt-lại-2026!' })).status).toBe(200);
  });
});

describe('admin user management', () => {
  test('list, lock (signs the user out at once), unlock, grant a role, read the history; customers may not', async () => {
    const user = await signedIn('managed@example.vn');
    const admin = (await t.call<Login>('POST', '/api/v1/auth/login', TEST_ADMIN)).body.data.accessToken ?? '';
    expect((await t.call('GET', '/api/v1/admin/users', undefined, bearer(user.token))).status).toBe(403);

    const list = await t.call<{ id: string; status: string }[]>(
      'GET',
      '/api/v1/admin/users?q=managed',
      undefined,
      bearer(admin),
    );
    expect(list.body.data).toEqual([expect.objectContaining({ id: user.id, status: 'active' })]);
    const since = (at: number) => encodeURIComponent(new Date(at).toISOString());
    const later = await t.call<unknown[]>(
      'GET',
      `/api/v1/admin/users?q=managed&createdFrom=${since(Date.now() + 60_000)}`,
      undefined,
      bearer(admin),
    );
    expect(later.body.data).toEqual([]);
    const earlier = await t.call<unknown[]>(
      'GET',
      `/api/v1/admin/users?q=managed&createdFrom=${since(Date.now() - 600_000)}`,
      undefined,
      bearer(admin),
    );
    expect(earlier.body.data).toHaveLength(1);
    const badDate = await t.call('GET', '/api/v1/admin/users?createdFrom=yesterday', undefined, bearer(admin));
    expect(badDate.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'createdFrom' });

    const noReason = await t.call('POST', `/api/v1/admin/users/${user.id}/lock`, { reason: ' ' }, bearer(admin));
    expect(noReason.body.error?.field).toBe('reason');
    expect(
      (await t.call('POST', `/api/v1/admin/users/${user.id}/lock`, { reason: 'Đăng tin lừa đảo' }, bearer(admin)))
        .status,
    ).toBe(200);
    expect((await t.call('GET', '/api/v1/me', undefined, bearer(user.token))).status).toBe(401);
    await eventually(async () => {
      const locked = await t.call('POST', '/api/v1/auth/login', { email: 'managed@example.vn', password: STRONG });
      expect(locked.body.error?.code).toBe('ACCOUNT_LOCKED');
    });
    expect((await t.call('POST', `/api/v1/admin/users/${user.id}/unlock`, {}, bearer(admin))).status).toBe(200);
    expect(
      (await t.call('POST', `/api/v1/admin/users/${user.id}/roles`, { role: 'owner' }, bearer(admin))).status,
    ).toBe(200);

    await eventually(async () => {
      const history = await t.call<{ type: string; summary: string }[]>(
        'GET',
        `/api/v1/admin/users/${user.id}/history`,
        undefined,
        bearer(admin),
      );
      expect(history.body.data.map((h) => h.type)).toEqual(
        expect.arrayContaining(['UserLocked', 'UserUnlocked', 'RoleGranted', 'UserRegistered']),
      );
      expect(history.body.data.find((h) => h.type === 'UserLocked')?.summary).toContain('Đăng tin lừa đảo');
    });
  });

  test('the outbox is readable by admins only', async () => {
    const admin = (await t.call<Login>('POST', '/api/v1/auth/login', TEST_ADMIN)).body.data.accessToken ?? '';
    const { token } = await signedIn('outbox-reader@example.vn');
    expect((await t.call('GET', '/api/v1/admin/mail-outbox', undefined, bearer(token))).status).toBe(403);
    const mails = await t.call<{ to: string; subject: string }[]>(
      'GET',
      '/api/v1/admin/mail-outbox?to=outbox-reader@example.vn',
      undefined,
      bearer(admin),
    );
    expect(mails.body.data[0]?.subject).toContain('Mã xác minh');
  });
});
