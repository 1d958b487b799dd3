// Roles and the few permissions the UI needs to decide what to show. The server is the authority
// (domain/identity/permissions.ts); this mirror only hides links and buttons a role cannot use.

export const ROLES = ['customer', 'owner', 'sales', 'operator', 'admin', 'expert'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a person may choose when signing up. */
export const SELF_SERVICE_ROLES = ['customer', 'owner', 'expert'] as const satisfies readonly Role[];
export type SelfServiceRole = (typeof SELF_SERVICE_ROLES)[number];

export const USER_STATUSES = ['unverified', 'active', 'locked'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export type UiPermission =
  | 'area:manage'
  | 'amenity:manage'
  | 'user:read'
  | 'user:manage'
  | 'user:act_as'
  | 'mail:outbox_read'
  | 'system:health'
  | 'kyc:review'
  | 'staff:manage'
  | 'role:manage'
  | 'policy:manage'
  | 'listing:create'
  | 'project:create'
  | 'project:moderate'
  | 'listing:approve'
  | 'shift:manage_own'
  | 'shift:manage_all'
  | 'expert:manage_own'
  | 'expert:verify'
  | 'specialty:manage'
  | 'deposit:confirm_offline'
  | 'payment:refund'
  | 'report:finance_read'
  | 'job:manage'
  | 'notification:manage'
  | 'contract:template_manage';

const OPERATOR: readonly UiPermission[] = [
  'user:read',
  'user:act_as',
  'kyc:review',
  'staff:manage',
  'project:moderate',
  'listing:approve',
  'shift:manage_all',
  'expert:verify',
];
const OWNER: readonly UiPermission[] = ['listing:create', 'project:create'];
const SALES: readonly UiPermission[] = ['shift:manage_own', 'deposit:confirm_offline'];
const EXPERT: readonly UiPermission[] = ['expert:manage_own'];

/** Admin holds every permission; operator reads users, acts as them, reviews KYC and manages staff. */
export function roleMay(role: Role | null | undefined, permission: UiPermission): boolean {
  if (role === 'admin') return true;
  if (role === 'operator') return OPERATOR.includes(permission);
  if (role === 'owner') return OWNER.includes(permission);
  if (role === 'sales') return SALES.includes(permission);
  if (role === 'expert') return EXPERT.includes(permission);
  return false;
}

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/** Roles that must verify their identity (KYC) before they can publish or be booked. */
export const KYC_ROLES: readonly Role[] = ['owner', 'expert'];
export const needsKyc = (roles: readonly string[] | undefined) => !!roles?.some((r) => KYC_ROLES.includes(r as Role));
