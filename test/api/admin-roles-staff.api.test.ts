import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { permissionResolver } from '../../commands/identity/permission-resolver.js';
import { eventually, startTestApp, TEST_ADMIN, type TestApp } from '../support/app.js';
import { bearer, STRONG, type StaffTestAccounts, staffTestAccounts } from '../support/staff-accounts.js';

let t: TestApp;
let admin: Record<string, string>;
let signIn: StaffTestAccounts['signIn'];
let inviteToken: StaffTestAccounts['inviteToken'];
let signedInCustomer: StaffTestAccounts['signedInCustomer'];
let invitedUser: StaffTestAccounts['invitedUser'];

beforeAll(async () => {
  t = await startTestApp();
  ({ signIn, inviteToken, signedInCustomer, invitedUser } = staffTestAccounts(t, () => admin));
  admin = bearer((await signIn(TEST_ADMIN.email, TEST_ADMIN.password)).accessToken);
});
afterAll(async () => {
  await t.close();
});

describe('roles and permissions (UC-ADMIN-07)', () => {
  test('lists the matrix and the permissions; "may user X do Y" follows a grant', async () => {
    const roles = await t.call<{ role: string; system: boolean; permissions: string[] }[]>(
      'GET',
      '/api/v1/admin/roles',
      undefined,
      admin,
    );
    expect(roles.status).toBe(200);
    expect(roles.body.data.map((r) => r.role)).toEqual(['customer', 'owner', 'sales', 'operator', 'admin', 'expert']);
    expect(roles.body.data.find((r) => r.role === 'admin')?.system).toBe(true);
    expect(roles.body.data.find((r) => r.role === 'sales')?.permissions).toEqual([
      'shift:manage_own',
      'deposit:confirm_offline',
      'handover:create',
    ]);
    const names = await t.call<string[]>('GET', '/api/v1/admin/permissions', undefined, admin);
    expect(names.body.data).toContain('listing:approve');

    const sales = await invitedUser('sales.check@example.vn', ['sales']);
    const check = () =>
      t.call<{ allowed: boolean; viaRoles: string[] }>(
        'GET',
        `/api/v1/admin/authz/check?userId=${sales.id}&permission=listing:approve`,
        undefined,
        admin,
      );
    expect((await check()).body.data).toMatchObject({ allowed: false, viaRoles: [] });
    const grant = await t.call(
      'POST',
      '/api/v1/admin/roles/sales/permissions',
      { permission: 'listing:approve' },
      admin,
    );
    expect(grant.status).toBe(200);
    expect((await check()).body.data).toMatchObject({ allowed: true, viaRoles: ['sales'] });
    const unknown = await t.call('POST', '/api/v1/admin/roles/sales/permissions', { permission: 'listing:fly' }, admin);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'PERMISSION_UNKNOWN', field: 'permission' });
  });

  test('a grant takes effect for a signed-in user within about a second, without signing in again', async () => {
    const customer = await signedInCustomer('live.grant@example.vn');
    const list = () => t.call('GET', '/api/v1/admin/users', undefined, bearer(customer.token));
    expect((await list()).status).toBe(403);

    const granted = await t.call(
      'POST',
      '/api/v1/admin/roles/customer/permissions',
      { permission: 'user:read' },
      admin,
    );
    expect(granted.status).toBe(200);
    const since = Date.now();
    await eventually(async () => expect((await list()).status).toBe(200), 5000);
    expect(Date.now() - since).toBeLessThan(2000);

    await t.call('DELETE', '/api/v1/admin/roles/customer/permissions/user:read', undefined, admin);
    await eventually(async () => expect((await list()).status).toBe(403), 5000);
  });

  test('another API process sees a change after at most one second of caching', async () => {
    let now = 0;
    const otherProcess = permissionResolver({ pool: t.db.pool, now: () => now });
    expect(await otherProcess.may('expert', 'audit:read')).toBe(false);
    expect(
      (await t.call('POST', '/api/v1/admin/roles/expert/permissions', { permission: 'audit:read' }, admin)).status,
    ).toBe(200);
    now = 999;
    expect(await otherProcess.may('expert', 'audit:read')).toBe(false);
    now = 1000;
    expect(await otherProcess.may('expert', 'audit:read')).toBe(true);
    await t.call('DELETE', '/api/v1/admin/roles/expert/permissions/audit:read', undefined, admin);
  });

  test('system roles keep their core permissions and cannot be deleted', async () => {
    const strip = await t.call('DELETE', '/api/v1/admin/roles/admin/permissions/role:manage', undefined, admin);
    expect(strip.status).toBe(409);
    expect(strip.body.error?.code).toBe('SYSTEM_ROLE_CORE_PERMISSION');
    const operator = await t.call('DELETE', '/api/v1/admin/roles/operator/permissions/user:act_as', undefined, admin);
    expect(operator.body.error?.code).toBe('SYSTEM_ROLE_CORE_PERMISSION');
    const remove = await t.call('DELETE', '/api/v1/admin/roles/admin', undefined, admin);
    expect(remove.status).toBe(409);
    expect(remove.body.error?.code).toBe('SYSTEM_ROLE');
  });

  test('a custom role adds its permissions to its members and is deleted only when nobody holds it', async () => {
    const created = await t.call(
      'POST',
      '/api/v1/admin/roles',
      { role: 'user_auditor', label: { vi: 'Kiểm tra người dùng', en: 'User auditor' }, permissions: ['user:read'] },
      admin,
    );
    expect(created.status).toBe(201);
    expect(
      (await t.call('POST', '/api/v1/admin/roles', { role: 'Bad Name', label: { vi: 'x', en: 'x' } }, admin)).body
        .error,
    ).toMatchObject({ code: 'ROLE_NAME_INVALID', field: 'role' });
    const member = await signedInCustomer('custom.role@example.vn');
    expect((await t.call('GET', '/api/v1/admin/users', undefined, bearer(member.token))).status).toBe(403);
    const assigned = await t.call('POST', '/api/v1/admin/roles/user_auditor/members', { userId: member.id }, admin);
    expect(assigned.status).toBe(200);
    await eventually(async () =>
      expect((await t.call('GET', '/api/v1/admin/users', undefined, bearer(member.token))).status).toBe(200),
    );
    const check = await t.call<{ viaRoles: string[] }>(
      'GET',
      `/api/v1/admin/authz/check?userId=${member.id}&permission=user:read`,
      undefined,
      admin,
    );
    expect(check.body.data.viaRoles).toEqual(['user_auditor']);

    const inUse = await t.call('DELETE', '/api/v1/admin/roles/user_auditor', undefined, admin);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'ROLE_IN_USE', details: { members: 1 } });
    await t.call('DELETE', `/api/v1/admin/roles/user_auditor/members/${member.id}`, undefined, admin);
    expect((await t.call('DELETE', '/api/v1/admin/roles/user_auditor', undefined, admin)).status).toBe(200);
    const roles = await t.call<{ role: string }[]>('GET', '/api/v1/admin/roles', undefined, admin);
    expect(roles.body.data.map((r) => r.role)).not.toContain('user_auditor');
  });
});

describe('staff accounts (UC-OPER-04/05)', () => {
  const newStaff = (email: string, code: string) => ({
    email,
    name: 'Phạm Minh Đức',
    phone: '0912345678',
    role: 'sales',
    profile: { code, title: 'Nhân viên kinh doanh', department: 'Kinh doanh', startDate: '2026-12-01', areaIds: [] },
  });

  test('an operator creates a sales member who accepts the invite, signs in, and is locked out on leaving', async () => {
    const operator = await invitedUser('operator.one@example.vn', ['operator']);
    const asOperator = bearer(operator.token);
    const created = await t.call<{ userId: string }>(
      'POST',
      '/api/v1/admin/staff',
      newStaff('sales.one@example.vn', 'nv-001'),
      asOperator,
    );
    expect(created.status).toBe(201);
    const salesId = created.body.data.userId;

    const firstToken = await inviteToken('sales.one@example.vn');
    expect((await t.call('POST', `/api/v1/admin/staff/${salesId}/invite`, undefined, asOperator)).status).toBe(200);
    const token = await inviteToken('sales.one@example.vn');
    expect(token).not.toBe(firstToken);
    const stale = await t.call('POST', '/api/v1/auth/accept-invite', { token: firstToken, password: STRONG });
    expect(stale.body.error?.code).toBe('INVITE_INVALID');
    const weak = await t.call('POST', '/api/v1/auth/accept-invite', { token, password: 'password' });
    expect(weak.body.error).toMatchObject({ code: 'PASSWORD_WEAK', field: 'password' });
    expect((await t.call('POST', '/api/v1/auth/accept-invite', { token, password: STRONG })).status).toBe(200);
    const again = await t.call('POST', '/api/v1/auth/accept-invite', { token, password: STRONG });
    expect(again.body.error).toMatchObject({ code: 'INVITE_INVALID', field: 'token' });
    const sales = await signIn('sales.one@example.vn');
    expect(sales.user.roles).toEqual(['sales']);

    const duplicate = await t.call(
      'POST',
      '/api/v1/admin/staff',
      newStaff('sales.two@example.vn', 'NV-001'),
      asOperator,
    );
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: 'STAFF_CODE_TAKEN', field: 'profile.code' });
    // Nothing half-written: the refused request left no account behind, so the address is still free.
    const second = await t.call('POST', '/api/v1/admin/staff', newStaff('sales.two@example.vn', 'NV-002'), asOperator);
    expect(second.status).toBe(201);

    const patched = await t.call<{ title: string }>(
      'PATCH',
      `/api/v1/admin/staff/${salesId}`,
      { title: 'Trưởng nhóm' },
      asOperator,
    );
    expect(patched.body.data.title).toBe('Trưởng nhóm');
    const onLeave = await t.call<{ status: string }>(
      'POST',
      `/api/v1/admin/staff/${salesId}/status`,
      { status: 'on_leave' },
      asOperator,
    );
    expect(onLeave.body.data.status).toBe('on_leave');
    const noReason = await t.call('POST', `/api/v1/admin/staff/${salesId}/status`, { status: 'left' }, asOperator);
    expect(noReason.body.error).toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });
    const left = await t.call<{ status: string; locked: boolean }>(
      'POST',
      `/api/v1/admin/staff/${salesId}/status`,
      { status: 'left', reason: 'Chuyển công tác' },
      asOperator,
    );
    expect(left.status).toBe(200);
    expect(left.body.data.status).toBe('left');
    expect((await t.call('GET', '/api/v1/me', undefined, bearer(sales.accessToken))).status).toBe(401);
    const login = await t.call('POST', '/api/v1/auth/login', { email: 'sales.one@example.vn', password: STRONG });
    expect(login.body.error?.code).toBe('ACCOUNT_LOCKED');
    const back = await t.call('POST', `/api/v1/admin/staff/${salesId}/status`, { status: 'active' }, asOperator);
    expect(back.status).toBe(409);
    expect(back.body.error?.code).toBe('STAFF_LEFT');

    const list = await t.call<{ userId: string; code: string; locked: boolean }[]>(
      'GET',
      '/api/v1/admin/staff?status=left&role=sales',
      undefined,
      asOperator,
    );
    expect(list.body.data).toEqual([expect.objectContaining({ userId: salesId, code: 'NV-001' })]);
    await eventually(async () => {
      const again = await t.call<{ locked: boolean }>('GET', `/api/v1/admin/staff/${salesId}`, undefined, asOperator);
      expect(again.body.data.locked).toBe(true);
    });

    await eventually(async () => {
      const { rows } = await t.db.pool.query<{ event_type: string; actor_id: string }>(
        `select event_type, actor_id from rm.audit_trail where target_id = $1 or stream_name = 'staffcode-NV-001'`,
        [salesId],
      );
      const byType = new Map(rows.map((row) => [row.event_type, row.actor_id]));
      for (const type of [
        'StaffCodeClaimed',
        'UserRegistered',
        'StaffProfileCreated',
        'StaffProfileUpdated',
        'StaffStatusChanged',
        'UserLocked',
      ]) {
        expect(byType.get(type), type).toBe(operator.id);
      }
      expect(byType.get('PasswordChanged')).toBe(salesId);
    });
  });

  test('a customer cannot create staff or users; bad input names its field', async () => {
    const customer = await signedInCustomer('not.staff@example.vn');
    const asCustomer = bearer(customer.token);
    expect((await t.call('POST', '/api/v1/admin/staff', newStaff('x1@example.vn', 'NV-100'), asCustomer)).status).toBe(
      403,
    );
    expect((await t.call('GET', '/api/v1/admin/staff', undefined, asCustomer)).status).toBe(403);
    const asUser = { email: 'x2@example.vn', name: 'X', roles: ['admin'] };
    expect((await t.call('POST', '/api/v1/admin/users', asUser, asCustomer)).status).toBe(403);
    const badDate = newStaff('x3@example.vn', 'NV-101');
    badDate.profile.startDate = '2026-13-01';
    const answer = await t.call('POST', '/api/v1/admin/staff', badDate, admin);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.field).toBe('profile.startDate');
  });

  test('role changes are in the audit trail with their actor', async () => {
    await eventually(async () => {
      const { rows } = await t.db.pool.query<{ event_type: string; actor_id: string | null }>(
        `select event_type, actor_id from rm.audit_trail where stream_name = 'rolecatalog'`,
      );
      const types = new Set(rows.map((row) => row.event_type));
      for (const type of [
        'RoleCreated',
        'RolePermissionGranted',
        'RolePermissionRevoked',
        'RoleDeleted',
        'CustomRoleAssigned',
      ]) {
        expect(types, type).toContain(type);
      }
      expect(rows.every((row) => row.actor_id !== null)).toBe(true);
    });
  });
});
