import type { Decider, Decision } from '../shared/decider.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { DEFAULT_ROLE_PERMISSIONS, PERMISSIONS, type Permission } from './permissions.js';
import type { RoleCatalogEvent, RoleLabel } from './role-catalog-events.js';
import { isRole, ROLES, type Role } from './roles.js';

export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9_]{2,31}$/;

/** System roles cannot be deleted nor lose these permissions (issue 3, UC-ADMIN-07). */
export const SYSTEM_ROLE_CORE: Partial<Record<Role, readonly Permission[]>> = {
  admin: ['role:manage', 'user:manage'],
  operator: ['user:read', 'user:act_as'],
};

export const BUILTIN_ROLE_LABELS: Record<Role, RoleLabel> = {
  customer: { vi: 'Khách hàng', en: 'Customer' },
  owner: { vi: 'Chủ dự án', en: 'Owner' },
  sales: { vi: 'Nhân viên bán hàng', en: 'Sales' },
  operator: { vi: 'Nhân viên điều hành', en: 'Operator' },
  admin: { vi: 'Quản trị viên', en: 'Administrator' },
  expert: { vi: 'Chuyên gia', en: 'Expert' },
};

export const isPermission = (value: string): value is Permission => (PERMISSIONS as readonly string[]).includes(value);
export const isSystemRole = (role: string): boolean => isRole(role) && SYSTEM_ROLE_CORE[role] !== undefined;
export const corePermissionsOf = (role: string): readonly Permission[] =>
  (isRole(role) ? SYSTEM_ROLE_CORE[role] : []) ?? [];

export interface CatalogRole {
  builtin: boolean;
  label: RoleLabel;
  permissions: Set<Permission>;
  /** Users assigned this custom role (built-in roles are held on the user's own stream). */
  members: Set<string>;
}

export interface RoleCatalogState {
  roles: Map<string, CatalogRole>;
}

export type RoleCatalogCommand =
  | { type: 'CreateRole'; role: string; label: RoleLabel; permissions: string[] }
  | { type: 'GrantPermission'; role: string; permission: string }
  | { type: 'RevokePermission'; role: string; permission: string }
  | { type: 'DeleteRole'; role: string }
  | { type: 'AssignCustomRole'; role: string; userId: string }
  | { type: 'UnassignCustomRole'; role: string; userId: string };

/** One recorded grant (true) or revoke (false) of a permission, on top of the default matrix. */
export interface PermissionChange {
  role: string;
  permission: string;
  granted: boolean;
}

/**
 * The matrix in force: the code's default matrix for built-in roles, nothing for custom roles,
 * then the recorded changes (the last one per role and permission). Unknown roles and permissions
 * in `changes` (a permission dropped from the code, a deleted role) are ignored.
 */
export function matrixWith(
  customRoles: Iterable<string>,
  changes: Iterable<PermissionChange>,
): Map<string, Set<Permission>> {
  const matrix = new Map<string, Set<Permission>>();
  for (const role of ROLES) matrix.set(role, new Set(DEFAULT_ROLE_PERMISSIONS[role]));
  for (const role of customRoles) if (!matrix.has(role)) matrix.set(role, new Set());
  for (const change of changes) {
    const permissions = matrix.get(change.role);
    if (!permissions || !isPermission(change.permission)) continue;
    if (change.granted) permissions.add(change.permission);
    else permissions.delete(change.permission);
  }
  return matrix;
}

const roleNotFound = () => notFound('ROLE_NOT_FOUND', 'Không tìm thấy vai trò');
const unknownPermission = (permission: string) =>
  invalid('PERMISSION_UNKNOWN', `Quyền không tồn tại: ${permission}`, 'permission');

function createRole(
  command: Extract<RoleCatalogCommand, { type: 'CreateRole' }>,
  state: RoleCatalogState,
): Decision<RoleCatalogEvent> {
  const { role } = command;
  if (!ROLE_NAME_PATTERN.test(role)) {
    return invalid('ROLE_NAME_INVALID', 'Tên vai trò: 3–32 ký tự a-z, 0-9, _ và bắt đầu bằng chữ cái', 'role');
  }
  if (state.roles.has(role)) return conflict('ROLE_EXISTS', `Vai trò ${role} đã tồn tại`, { role });
  const label = { vi: command.label.vi.trim(), en: command.label.en.trim() };
  if (!label.vi) return invalid('LABEL_REQUIRED', 'Nhập tên hiển thị tiếng Việt', 'label.vi');
  if (!label.en) return invalid('LABEL_REQUIRED', 'Nhập tên hiển thị tiếng Anh', 'label.en');
  const unknown = command.permissions.find((permission) => !isPermission(permission));
  if (unknown !== undefined) return unknownPermission(unknown);
  const permissions = [...new Set(command.permissions as Permission[])];
  return [
    { type: 'RoleCreated' as const, data: { role, label } },
    ...permissions.map((permission) => ({ type: 'RolePermissionGranted' as const, data: { role, permission } })),
  ];
}

function decideOnRole(
  command: Exclude<RoleCatalogCommand, { type: 'CreateRole' }>,
  role: CatalogRole,
): Decision<RoleCatalogEvent> {
  const name = command.role;
  switch (command.type) {
    case 'GrantPermission': {
      const { permission } = command;
      if (!isPermission(permission)) return unknownPermission(permission);
      return role.permissions.has(permission)
        ? []
        : [{ type: 'RolePermissionGranted', data: { role: name, permission } }];
    }
    case 'RevokePermission': {
      const { permission } = command;
      if (!isPermission(permission)) return unknownPermission(permission);
      const core = corePermissionsOf(name);
      if (core.includes(permission)) {
        return conflict('SYSTEM_ROLE_CORE_PERMISSION', `Vai trò hệ thống ${name} luôn giữ quyền ${permission}`, {
          role: name,
          permission,
          core: [...core],
        });
      }
      return role.permissions.has(permission)
        ? [{ type: 'RolePermissionRevoked', data: { role: name, permission } }]
        : [];
    }
    case 'DeleteRole':
      if (isSystemRole(name)) return conflict('SYSTEM_ROLE', `Không thể xóa vai trò hệ thống ${name}`, { role: name });
      if (role.builtin) return conflict('ROLE_BUILTIN', `Không thể xóa vai trò có sẵn ${name}`, { role: name });
      if (role.members.size > 0) {
        return conflict('ROLE_IN_USE', `Vai trò ${name} đang được gán cho ${role.members.size} người dùng`, {
          role: name,
          members: role.members.size,
        });
      }
      return [{ type: 'RoleDeleted', data: { role: name } }];
    case 'AssignCustomRole':
    case 'UnassignCustomRole': {
      if (role.builtin) {
        return invalid('ROLE_NOT_CUSTOM', 'Vai trò có sẵn được cấp trên tài khoản người dùng', 'role');
      }
      const { userId } = command;
      if (command.type === 'AssignCustomRole') {
        return role.members.has(userId) ? [] : [{ type: 'CustomRoleAssigned', data: { role: name, userId } }];
      }
      return role.members.has(userId) ? [{ type: 'CustomRoleUnassigned', data: { role: name, userId } }] : [];
    }
  }
}

export const roleCatalogDecider: Decider<RoleCatalogCommand, RoleCatalogState, RoleCatalogEvent> = {
  initialState() {
    const roles = new Map<string, CatalogRole>();
    for (const role of ROLES) {
      roles.set(role, {
        builtin: true,
        label: BUILTIN_ROLE_LABELS[role],
        permissions: new Set(DEFAULT_ROLE_PERMISSIONS[role]),
        members: new Set(),
      });
    }
    return { roles };
  },

  evolve(state, event) {
    const role = state.roles.get(event.data.role);
    switch (event.type) {
      case 'RoleCreated':
        state.roles.set(event.data.role, {
          builtin: false,
          label: event.data.label,
          permissions: new Set(),
          members: new Set(),
        });
        break;
      case 'RolePermissionGranted':
        role?.permissions.add(event.data.permission);
        break;
      case 'RolePermissionRevoked':
        role?.permissions.delete(event.data.permission);
        break;
      case 'RoleDeleted':
        state.roles.delete(event.data.role);
        break;
      case 'CustomRoleAssigned':
        role?.members.add(event.data.userId);
        break;
      case 'CustomRoleUnassigned':
        role?.members.delete(event.data.userId);
        break;
    }
    return state;
  },

  decide(command, state) {
    if (command.type === 'CreateRole') return createRole(command, state);
    const role = state.roles.get(command.role);
    if (!role) return roleNotFound();
    return decideOnRole(command, role);
  },
};
