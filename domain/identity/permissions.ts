import type { Role } from './roles.js';

/**
 * Permissions are `resource:action`. This is the default role–permission matrix (the identity
 * issue lets admins edit it; system roles keep their core permissions). Routes declare the one
 * permission they need; see README "Roles and permissions".
 */
export const PERMISSIONS = [
  'area:manage',
  'amenity:manage',
  'user:read',
  'user:manage',
  'user:act_as',
  'role:manage',
  'staff:manage',
  'kyc:review',
  'mail:outbox_read',
  'audit:read',
  'policy:manage',
  'project:create',
  'project:moderate',
  'listing:create',
  'listing:approve',
  'booking:create',
  'booking:confirm',
  'booking:assign',
  'shift:manage_own',
  'shift:manage_all',
  'deposit:confirm_offline',
  'payment:refund',
  'contract:sign',
  'contract:template_manage',
  'handover:create',
  'expert:manage_own',
  'expert:verify',
  'specialty:manage',
  'report:finance_read',
  'notification:manage',
  'job:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const DEFAULT_ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  customer: ['booking:create', 'contract:sign'],
  owner: ['project:create', 'listing:create', 'booking:confirm', 'contract:sign'],
  sales: ['shift:manage_own', 'deposit:confirm_offline', 'handover:create'],
  expert: ['expert:manage_own', 'booking:confirm'],
  operator: [
    'user:read',
    'user:act_as',
    'staff:manage',
    'kyc:review',
    'project:moderate',
    'listing:approve',
    'booking:assign',
    'shift:manage_all',
    'handover:create',
    'expert:verify',
    'audit:read',
  ],
  admin: [...PERMISSIONS],
};

/** May a holder of `role` do `permission`? */
export const roleMay = (role: Role, permission: Permission, matrix = DEFAULT_ROLE_PERMISSIONS): boolean =>
  matrix[role].includes(permission);
