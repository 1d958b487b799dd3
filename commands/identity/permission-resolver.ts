import type pg from 'pg';
import type { Permission } from '../../domain/identity/permissions.js';
import { matrixWith, type PermissionChange } from '../../domain/identity/role-catalog.js';
import type { RoleLabel } from '../../domain/identity/role-catalog-events.js';

/**
 * How long a process keeps the role–permission matrix in memory. A change an admin makes is
 * visible to every request that starts at most this long after the `roles` read model shows it
 * (the admin's own answer waits for the read model, and the process that served it drops its
 * copy at once): no restart, no new sign-in. Each API process has its own copy, same bound.
 */
export const PERMISSION_CACHE_MS = 1000;

export interface PermissionSnapshot {
  /** Every role (built-in and custom) with the permissions in force. */
  matrix: Map<string, Set<Permission>>;
  customRoles: Map<string, { label: RoleLabel }>;
  /** Custom roles assigned to each user (add-on permission sets, see role-catalog-events.ts). */
  assignments: Map<string, Set<string>>;
  /** Clock time (ms) when the read started. */
  loadedAt: number;
}

export interface PermissionResolver {
  /** May a holder of `role` (built-in or custom) do `permission`? */
  may(role: string, permission: Permission): Promise<boolean>;
  /** May this signed-in person: their active role, or any custom role assigned to them, grants it. */
  mayActor(actor: { id: string; activeRole: string }, permission: Permission): Promise<boolean>;
  /** Which of `heldRoles` and of the user's custom roles grant `permission` ("may user X do Y"). */
  rolesGranting(userId: string, heldRoles: readonly string[], permission: Permission): Promise<string[]>;
  snapshot(): Promise<PermissionSnapshot>;
  /** Drops this process's copy (after a change it made itself). */
  invalidate(): void;
}

const UNDEFINED_TABLE = '42P01';

/** Reads `rm.custom_roles`, `rm.role_permission_changes` and `rm.role_assignments` in one statement. */
const SNAPSHOT_SQL = `
  select 'role' as kind, role, label_vi as a, label_en as b from rm.custom_roles
  union all select 'change', role, permission, granted::text from rm.role_permission_changes
  union all select 'member', role, user_id::text, null from rm.role_assignments`;

/**
 * The permission check every guarded request makes. Falls back to the default matrix while the
 * read model is empty or not created yet (first start, an API process ahead of its projector).
 */
export function permissionResolver(deps: { pool: pg.Pool; now?: () => number; maxAgeMs?: number }): PermissionResolver {
  const now = deps.now ?? Date.now;
  const maxAgeMs = deps.maxAgeMs ?? PERMISSION_CACHE_MS;
  let current: PermissionSnapshot | null = null;
  let loading: Promise<PermissionSnapshot> | null = null;
  let generation = 0;

  async function load(loadedAt: number): Promise<PermissionSnapshot> {
    let rows: { kind: string; role: string; a: string; b: string | null }[] = [];
    try {
      rows = (await deps.pool.query(SNAPSHOT_SQL)).rows;
    } catch (error) {
      if ((error as { code?: string }).code !== UNDEFINED_TABLE) throw error;
    }
    const customRoles = new Map<string, { label: RoleLabel }>();
    const changes: PermissionChange[] = [];
    const assignments = new Map<string, Set<string>>();
    for (const row of rows) {
      if (row.kind === 'role') customRoles.set(row.role, { label: { vi: row.a, en: row.b ?? '' } });
      else if (row.kind === 'change') changes.push({ role: row.role, permission: row.a, granted: row.b === 'true' });
      else {
        const roles = assignments.get(row.a) ?? new Set<string>();
        roles.add(row.role);
        assignments.set(row.a, roles);
      }
    }
    return { matrix: matrixWith(customRoles.keys(), changes), customRoles, assignments, loadedAt };
  }

  async function snapshot(): Promise<PermissionSnapshot> {
    const at = now();
    if (current && at - current.loadedAt < maxAgeMs) return current;
    if (!loading) {
      const started = generation;
      const promise = load(at)
        .then((fresh) => {
          if (started === generation) current = fresh;
          return fresh;
        })
        .finally(() => {
          if (loading === promise) loading = null;
        });
      loading = promise;
    }
    return loading;
  }

  const grants = (s: PermissionSnapshot, role: string, permission: Permission) =>
    s.matrix.get(role)?.has(permission) ?? false;

  return {
    async may(role, permission) {
      return grants(await snapshot(), role, permission);
    },
    async mayActor(actor, permission) {
      const s = await snapshot();
      if (grants(s, actor.activeRole, permission)) return true;
      return [...(s.assignments.get(actor.id) ?? [])].some((role) => grants(s, role, permission));
    },
    async rolesGranting(userId, heldRoles, permission) {
      const s = await snapshot();
      const roles = new Set([...heldRoles, ...(s.assignments.get(userId) ?? [])]);
      return [...roles].filter((role) => grants(s, role, permission));
    },
    snapshot,
    invalidate() {
      generation++;
      current = null;
      loading = null;
    },
  };
}
