// Links of the top bar. Admin links show only to an active role that has the permission.
import type { MessageKey } from './i18n';
import { type Role, roleMay, type UiPermission } from './roles';

export type NavLink = { href: string; label: MessageKey; permission?: UiPermission; roles?: readonly Role[] };

export const MAIN_LINKS: readonly NavLink[] = [
  { href: '/', label: 'nav.home' },
  { href: '/search', label: 'nav.search' },
  { href: '/areas', label: 'nav.areas' },
  { href: '/experts', label: 'nav.experts' },
];

/** Work pages of the signed-in person's active role (favorites for everyone signed in). */
export const ROLE_LINKS: readonly NavLink[] = [
  { href: '/favorites', label: 'nav.favorites' },
  { href: '/owner/projects', label: 'nav.ownerProjects', permission: 'project:create', roles: ['owner'] },
  { href: '/owner/listings', label: 'nav.ownerListings', permission: 'listing:create', roles: ['owner'] },
  {
    href: '/operator/moderation',
    label: 'nav.moderation',
    permission: 'listing:approve',
    roles: ['operator', 'admin'],
  },
  {
    href: '/operator/projects',
    label: 'nav.operatorProjects',
    permission: 'project:moderate',
    roles: ['operator', 'admin'],
  },
  { href: '/sales/shifts', label: 'nav.salesShifts', permission: 'shift:manage_own', roles: ['sales'] },
  {
    href: '/operator/shifts',
    label: 'nav.operatorShifts',
    permission: 'shift:manage_all',
    roles: ['operator', 'admin'],
  },
  { href: '/expert/profile', label: 'nav.expertProfile', permission: 'expert:manage_own', roles: ['expert'] },
  { href: '/expert/services', label: 'nav.expertServices', permission: 'expert:manage_own', roles: ['expert'] },
  { href: '/expert/availability', label: 'nav.expertAvailability', permission: 'expert:manage_own', roles: ['expert'] },
  { href: '/bookings', label: 'nav.bookings', roles: ['customer'] },
  { href: '/transactions', label: 'nav.transactions', roles: ['customer'] },
  { href: '/deposits', label: 'nav.myDeposits', roles: ['customer'] },
  { href: '/rentals', label: 'nav.rentals', roles: ['customer'] },
  { href: '/contracts', label: 'nav.contracts', roles: ['owner', 'sales', 'operator', 'admin'] },
  { href: '/wallet', label: 'nav.wallet', roles: ['customer'] },
  { href: '/sales/deposits', label: 'nav.salesDeposits', permission: 'deposit:confirm_offline', roles: ['sales'] },
  { href: '/sales/income', label: 'nav.salesIncome', roles: ['sales'] },
  { href: '/sales/bookings', label: 'nav.salesBookings', roles: ['sales'] },
  { href: '/owner/bookings', label: 'nav.ownerBookings', roles: ['owner'] },
  { href: '/operator/bookings', label: 'nav.operatorBookings', roles: ['operator', 'admin'] },
  { href: '/expert/bookings', label: 'nav.expertBookings', roles: ['expert'] },
];

export function roleLinks(activeRole: Role | null | undefined): NavLink[] {
  if (!activeRole) return [];
  return ROLE_LINKS.filter(
    (l) => (!l.roles || l.roles.includes(activeRole)) && (!l.permission || roleMay(activeRole, l.permission)),
  );
}

export const ADMIN_LINKS: readonly NavLink[] = [
  { href: '/admin/areas', label: 'nav.adminAreas', permission: 'area:manage' },
  { href: '/admin/amenities', label: 'nav.amenities', permission: 'amenity:manage' },
  { href: '/admin/deposit-policies', label: 'nav.depositPolicyTemplates', permission: 'policy:manage' },
  { href: '/owner/deposit-policies', label: 'nav.ownerDepositPolicies', permission: 'listing:create' },
  { href: '/admin/users', label: 'nav.users', permission: 'user:read' },
  { href: '/admin/staff', label: 'nav.staff', permission: 'staff:manage' },
  { href: '/admin/kyc', label: 'nav.kyc', permission: 'kyc:review' },
  { href: '/admin/experts', label: 'nav.adminExperts', permission: 'expert:verify' },
  { href: '/admin/specialties', label: 'nav.specialties', permission: 'specialty:manage' },
  { href: '/admin/roles', label: 'nav.roles', permission: 'role:manage' },
  { href: '/admin/finance', label: 'nav.finance', permission: 'report:finance_read' },
  { href: '/admin/outbox', label: 'nav.outbox', permission: 'mail:outbox_read' },
  {
    href: '/admin/notification-templates',
    label: 'nav.notificationTemplates',
    permission: 'notification:manage',
  },
  {
    href: '/admin/notification-deliveries',
    label: 'nav.notificationDeliveries',
    permission: 'notification:manage',
  },
  { href: '/admin/campaigns', label: 'nav.campaigns', permission: 'notification:manage' },
  { href: '/admin/contract-templates', label: 'nav.contractTemplates', permission: 'contract:template_manage' },
  { href: '/admin/jobs', label: 'nav.jobs', permission: 'job:manage' },
  { href: '/admin/health', label: 'nav.healthShort', permission: 'system:health' },
];

/** The permission an admin page needs (its link's), or undefined for pages open to every signed-in user. */
export function permissionForPath(path: string): UiPermission | undefined {
  return ADMIN_LINKS.find((l) => path === l.href || path.startsWith(`${l.href}/`))?.permission;
}
