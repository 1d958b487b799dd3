import { describe, expect, test } from 'vitest';
import { DEFAULT_ROLE_PERMISSIONS } from '../../domain/identity/permissions.js';
import { matrixWith, roleCatalogDecider } from '../../domain/identity/role-catalog.js';
import type { RoleCatalogEvent } from '../../domain/identity/role-catalog-events.js';
import { scenario } from '../support/given-when-then.js';

const catalog = () => scenario(roleCatalogDecider);
const label = { vi: 'Kiểm duyệt viên', en: 'Moderator' };
const created: RoleCatalogEvent = { type: 'RoleCreated', data: { role: 'moderator', label } };
const granted = (role: string, permission: 'listing:approve' | 'user:read'): RoleCatalogEvent => ({
  type: 'RolePermissionGranted',
  data: { role, permission },
});
const assigned: RoleCatalogEvent = { type: 'CustomRoleAssigned', data: { role: 'moderator', userId: 'u1' } };

describe('role catalog', () => {
  test('creates a custom role with a valid, new name, labels and known permissions', () => {
    catalog()
      .given([])
      .when({ type: 'CreateRole', role: 'moderator', label, permissions: ['listing:approve', 'listing:approve'] })
      .thenEmits([created, granted('moderator', 'listing:approve')]);
    catalog()
      .given([])
      .when({ type: 'CreateRole', role: 'Mod', label, permissions: [] })
      .thenFails('ROLE_NAME_INVALID', 'role');
    catalog().given([]).when({ type: 'CreateRole', role: 'ab', label, permissions: [] }).thenFails('ROLE_NAME_INVALID');
    catalog().given([]).when({ type: 'CreateRole', role: 'sales', label, permissions: [] }).thenFails('ROLE_EXISTS');
    catalog()
      .given([created])
      .when({ type: 'CreateRole', role: 'moderator', label, permissions: [] })
      .thenFails('ROLE_EXISTS');
    catalog()
      .given([])
      .when({ type: 'CreateRole', role: 'moderator', label: { vi: ' ', en: 'x' }, permissions: [] })
      .thenFails('LABEL_REQUIRED', 'label.vi');
    catalog()
      .given([])
      .when({ type: 'CreateRole', role: 'moderator', label, permissions: ['listing:fly'] })
      .thenFails('PERMISSION_UNKNOWN', 'permission');
  });

  test('grants and revokes known permissions on built-in and custom roles; repeats change nothing', () => {
    catalog()
      .given([])
      .when({ type: 'GrantPermission', role: 'sales', permission: 'listing:approve' })
      .thenEmits([granted('sales', 'listing:approve')]);
    catalog()
      .given([])
      .when({ type: 'GrantPermission', role: 'operator', permission: 'listing:approve' })
      .thenEmits([]);
    catalog()
      .given([])
      .when({ type: 'RevokePermission', role: 'operator', permission: 'listing:approve' })
      .thenEmits([{ type: 'RolePermissionRevoked', data: { role: 'operator', permission: 'listing:approve' } }]);
    catalog()
      .given([created])
      .when({ type: 'RevokePermission', role: 'moderator', permission: 'user:read' })
      .thenEmits([]);
    catalog()
      .given([])
      .when({ type: 'GrantPermission', role: 'sales', permission: 'sales:everything' })
      .thenFails('PERMISSION_UNKNOWN', 'permission');
    catalog()
      .given([])
      .when({ type: 'GrantPermission', role: 'ghost', permission: 'user:read' })
      .thenFails('ROLE_NOT_FOUND');
  });

  test('system roles keep their core permissions and cannot be deleted', () => {
    for (const [role, permission] of [
      ['admin', 'role:manage'],
      ['admin', 'user:manage'],
      ['operator', 'user:read'],
      ['operator', 'user:act_as'],
    ] as const) {
      const error = catalog()
        .given([])
        .when({ type: 'RevokePermission', role, permission })
        .thenFails('SYSTEM_ROLE_CORE_PERMISSION');
      expect(error.status).toBe(409);
    }
    catalog()
      .given([])
      .when({ type: 'RevokePermission', role: 'admin', permission: 'area:manage' })
      .thenEmits([{ type: 'RolePermissionRevoked', data: { role: 'admin', permission: 'area:manage' } }]);
    catalog().given([]).when({ type: 'DeleteRole', role: 'admin' }).thenFails('SYSTEM_ROLE');
    catalog().given([]).when({ type: 'DeleteRole', role: 'operator' }).thenFails('SYSTEM_ROLE');
    catalog().given([]).when({ type: 'DeleteRole', role: 'customer' }).thenFails('ROLE_BUILTIN');
  });

  test('a custom role is deleted only while nobody holds it', () => {
    catalog().given([created, assigned]).when({ type: 'DeleteRole', role: 'moderator' }).thenFails('ROLE_IN_USE');
    const unassigned: RoleCatalogEvent = { type: 'CustomRoleUnassigned', data: { role: 'moderator', userId: 'u1' } };
    catalog()
      .given([created, assigned, unassigned])
      .when({ type: 'DeleteRole', role: 'moderator' })
      .thenEmits([{ type: 'RoleDeleted', data: { role: 'moderator' } }]);
    const deleted: RoleCatalogEvent = { type: 'RoleDeleted', data: { role: 'moderator' } };
    catalog().given([created, deleted]).when({ type: 'DeleteRole', role: 'moderator' }).thenFails('ROLE_NOT_FOUND');
    catalog()
      .given([created, granted('moderator', 'user:read'), deleted])
      .when({ type: 'CreateRole', role: 'moderator', label, permissions: [] })
      .thenEmits([created]);
  });

  test('only custom roles are assigned here, once per user', () => {
    catalog()
      .given([created])
      .when({ type: 'AssignCustomRole', role: 'moderator', userId: 'u1' })
      .thenEmits([assigned]);
    catalog()
      .given([created, assigned])
      .when({ type: 'AssignCustomRole', role: 'moderator', userId: 'u1' })
      .thenEmits([]);
    catalog()
      .given([])
      .when({ type: 'AssignCustomRole', role: 'sales', userId: 'u1' })
      .thenFails('ROLE_NOT_CUSTOM', 'role');
    catalog().given([created]).when({ type: 'UnassignCustomRole', role: 'moderator', userId: 'u1' }).thenEmits([]);
  });

  test('the matrix in force is the defaults plus the last change per role and permission', () => {
    const matrix = matrixWith(
      ['moderator'],
      [
        { role: 'sales', permission: 'listing:approve', granted: true },
        { role: 'operator', permission: 'audit:read', granted: false },
        { role: 'moderator', permission: 'user:read', granted: true },
        { role: 'ghost', permission: 'user:read', granted: true },
        { role: 'sales', permission: 'no:such', granted: true },
      ],
    );
    expect([...(matrix.get('sales') ?? [])]).toEqual([...DEFAULT_ROLE_PERMISSIONS.sales, 'listing:approve']);
    expect(matrix.get('operator')?.has('audit:read')).toBe(false);
    expect([...(matrix.get('moderator') ?? [])]).toEqual(['user:read']);
    expect(matrix.has('ghost')).toBe(false);
    expect(matrixWith([], []).get('admin')?.size).toBe(DEFAULT_ROLE_PERMISSIONS.admin.length);
  });
});
