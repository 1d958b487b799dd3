import type { DomainEvent } from '../shared/decider.js';
import type { Permission } from './permissions.js';

export interface RoleLabel {
  vi: string;
  en: string;
}

/**
 * Facts about roles and their permissions (UC-ADMIN-07), all in one stream so that "a role in
 * use cannot be deleted" and "system roles keep their core permissions" hold by optimistic
 * concurrency. The six built-in roles exist implicitly with the default matrix of
 * `permissions.ts`; events record what admins changed on top of it.
 *
 * Custom roles are add-on permission sets: a user keeps their built-in roles (on the user's own
 * stream) and may also be assigned custom roles here, whose permissions apply whatever role is
 * active (see `commands/identity/permission-resolver.ts`).
 */
export type RoleCatalogEvent =
  | DomainEvent<'RoleCreated', { role: string; label: RoleLabel }>
  | DomainEvent<'RolePermissionGranted', { role: string; permission: Permission }>
  | DomainEvent<'RolePermissionRevoked', { role: string; permission: Permission }>
  | DomainEvent<'RoleDeleted', { role: string }>
  | DomainEvent<'CustomRoleAssigned', { role: string; userId: string }>
  | DomainEvent<'CustomRoleUnassigned', { role: string; userId: string }>;

export const ROLE_CATALOG_EVENT_TYPES: RoleCatalogEvent['type'][] = [
  'RoleCreated',
  'RolePermissionGranted',
  'RolePermissionRevoked',
  'RoleDeleted',
  'CustomRoleAssigned',
  'CustomRoleUnassigned',
];

export const ROLE_CATALOG_STREAM = 'rolecatalog';
