import { sql } from 'kysely';
import { ROLE_CATALOG_EVENT_TYPES, type RoleCatalogEvent } from '../../domain/identity/role-catalog-events.js';
import type { Projection } from '../projection.js';

export interface RolesTables {
  custom_roles: { role: string; label_vi: string; label_en: string; created_at: Date };
  role_permission_changes: { role: string; permission: string; granted: boolean; changed_at: Date };
  role_assignments: { role: string; user_id: string; assigned_at: Date };
}

/**
 * The role–permission matrix as changed by admins (UC-ADMIN-07). Built-in roles and their
 * default permissions live in code (`DEFAULT_ROLE_PERMISSIONS`); this keeps what was changed on
 * top: custom roles, the last grant (true) or revoke (false) per role and permission, and custom
 * roles assigned to users. Keeping changes rather than a seeded copy of the defaults means a
 * default added to the code applies at once, as it does for the decider. The matrix in force is
 * `matrixWith(custom roles, changes)`; `commands/identity/permission-resolver.ts` reads it.
 */
export const rolesProjection: Projection<RolesTables> = {
  name: 'roles',
  version: 1,
  filter: { eventTypes: ROLE_CATALOG_EVENT_TYPES },
  tables: ['custom_roles', 'role_permission_changes', 'role_assignments'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'custom_roles')} (
      role text primary key,
      label_vi text not null,
      label_en text not null,
      created_at timestamptz not null
    )`.execute(db);
    await sql`create table if not exists ${sql.id(schema, 'role_permission_changes')} (
      role text not null,
      permission text not null,
      granted boolean not null,
      changed_at timestamptz not null,
      primary key (role, permission)
    )`.execute(db);
    await sql`create table if not exists ${sql.id(schema, 'role_assignments')} (
      role text not null,
      user_id uuid not null,
      assigned_at timestamptz not null,
      primary key (role, user_id)
    )`.execute(db);
    await sql`create index if not exists role_assignments_user on ${sql.id(schema, 'role_assignments')} (user_id)`.execute(
      db,
    );
  },

  async apply(events, { db }) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as RoleCatalogEvent;
      const at = new Date(recorded.metadata.occurredAt);
      const { role } = event.data;
      switch (event.type) {
        case 'RoleCreated':
          await db
            .insertInto('custom_roles')
            .values({ role, label_vi: event.data.label.vi, label_en: event.data.label.en, created_at: at })
            .onConflict((c) =>
              c.column('role').doUpdateSet({ label_vi: event.data.label.vi, label_en: event.data.label.en }),
            )
            .execute();
          break;
        case 'RolePermissionGranted':
        case 'RolePermissionRevoked': {
          const granted = event.type === 'RolePermissionGranted';
          await db
            .insertInto('role_permission_changes')
            .values({ role, permission: event.data.permission, granted, changed_at: at })
            .onConflict((c) => c.columns(['role', 'permission']).doUpdateSet({ granted, changed_at: at }))
            .execute();
          break;
        }
        case 'RoleDeleted':
          await db.deleteFrom('role_assignments').where('role', '=', role).execute();
          await db.deleteFrom('role_permission_changes').where('role', '=', role).execute();
          await db.deleteFrom('custom_roles').where('role', '=', role).execute();
          break;
        case 'CustomRoleAssigned':
          await db
            .insertInto('role_assignments')
            .values({ role, user_id: event.data.userId, assigned_at: at })
            .onConflict((c) => c.doNothing())
            .execute();
          break;
        case 'CustomRoleUnassigned':
          await db
            .deleteFrom('role_assignments')
            .where('role', '=', role)
            .where('user_id', '=', event.data.userId)
            .execute();
          break;
      }
    }
  },
};
