import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CommandResult } from '../../commands/handler.js';
import { PERMISSIONS, type Permission } from '../../domain/identity/permissions.js';
import { BUILTIN_ROLE_LABELS, corePermissionsOf, isSystemRole } from '../../domain/identity/role-catalog.js';
import { isRole, ROLES } from '../../domain/identity/roles.js';
import type { DomainEvent } from '../../domain/shared/decider.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';

const label = z.object({ vi: z.string().trim().min(1).max(80), en: z.string().trim().min(1).max(80) });
const roleView = z.object({
  role: z.string(),
  label,
  builtin: z.boolean(),
  system: z.boolean(),
  corePermissions: z.array(z.string()),
  permissions: z.array(z.string()),
  members: z.number().int(),
});
const roleParams = z.object({ role: z.string().min(1).max(64) });
const done = envelopeOf(z.null());

/**
 * Roles and permissions (UC-ADMIN-07). Built-in roles can be edited; custom roles are add-on
 * permission sets assigned to users beside their built-in roles. A change applies to requests
 * within about a second (`PERMISSION_CACHE_MS`), with no restart and no new sign-in.
 */
export function adminRoleRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const roles = services.commands.roles;
  const { permissions } = services.identity;
  const manage = app.requires('role:manage');
  const tags = ['admin'];

  /** Read-your-writes: answer once the read model shows the change; this process re-reads it at once. */
  const settled = async (result: CommandResult<DomainEvent>) => {
    if (result.position !== null) await waitForProjection(services.pool, 'roles', result.position, 2000);
    permissions.invalidate();
  };

  const heldRoles = async (userId: string) => {
    const { rows } = await services.pool.query<{ roles: string[] }>('select roles from rm.users where id = $1', [
      userId,
    ]);
    if (!rows[0]) throw notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
    return rows[0].roles;
  };

  api.get(
    '/api/v1/admin/roles',
    {
      onRequest: manage,
      schema: { tags, summary: 'The role–permission matrix', response: { 200: envelopeOf(z.array(roleView)) } },
    },
    async () => {
      const snapshot = await permissions.snapshot();
      const { rows } = await services.pool.query<{ role: string; n: number }>(
        'select r as role, count(*)::int as n from rm.users, unnest(roles) r group by r',
      );
      const holders = new Map(rows.map((row) => [row.role, row.n]));
      for (const roleSet of snapshot.assignments.values()) {
        for (const role of roleSet) holders.set(role, (holders.get(role) ?? 0) + 1);
      }
      const custom = [...snapshot.customRoles.keys()].sort();
      return ok(
        [...ROLES, ...custom].map((role) => ({
          role,
          label: isRole(role)
            ? BUILTIN_ROLE_LABELS[role]
            : (snapshot.customRoles.get(role)?.label ?? { vi: role, en: role }),
          builtin: isRole(role),
          system: isSystemRole(role),
          corePermissions: [...corePermissionsOf(role)],
          permissions: PERMISSIONS.filter((p) => snapshot.matrix.get(role)?.has(p)),
          members: holders.get(role) ?? 0,
        })),
      );
    },
  );

  api.get(
    '/api/v1/admin/permissions',
    {
      onRequest: manage,
      schema: {
        tags,
        summary: 'Every permission name (resource:action)',
        response: { 200: envelopeOf(z.array(z.string())) },
      },
    },
    async () => ok([...PERMISSIONS]),
  );

  api.post(
    '/api/v1/admin/roles',
    {
      onRequest: manage,
      schema: {
        tags,
        summary: 'Create a custom role (an add-on permission set)',
        body: z.object({
          role: z.string().min(1).max(64),
          label,
          permissions: z.array(z.string().max(64)).max(PERMISSIONS.length).default([]),
        }),
        response: { 201: envelopeOf(z.object({ role: z.string() })) },
      },
    },
    async (request, reply) => {
      const { role, label: names, permissions: granted } = request.body;
      await settled(
        await roles({ type: 'CreateRole', role, label: names, permissions: granted }, commandMetadataOf(request)),
      );
      return reply.status(201).send(ok({ role }, 'Đã tạo vai trò'));
    },
  );

  api.post(
    '/api/v1/admin/roles/:role/permissions',
    {
      onRequest: manage,
      schema: { tags, params: roleParams, body: z.object({ permission: z.string().max(64) }), response: { 200: done } },
    },
    async (request) => {
      const { role } = request.params;
      const { permission } = request.body;
      await settled(await roles({ type: 'GrantPermission', role, permission }, commandMetadataOf(request)));
      return ok(null, 'Đã cấp quyền');
    },
  );

  api.delete(
    '/api/v1/admin/roles/:role/permissions/:permission',
    {
      onRequest: manage,
      schema: { tags, params: roleParams.extend({ permission: z.string().max(64) }), response: { 200: done } },
    },
    async (request) => {
      const { role, permission } = request.params;
      await settled(await roles({ type: 'RevokePermission', role, permission }, commandMetadataOf(request)));
      return ok(null, 'Đã thu hồi quyền');
    },
  );

  api.delete(
    '/api/v1/admin/roles/:role',
    { onRequest: manage, schema: { tags, params: roleParams, response: { 200: done } } },
    async (request) => {
      await settled(await roles({ type: 'DeleteRole', role: request.params.role }, commandMetadataOf(request)));
      return ok(null, 'Đã xóa vai trò');
    },
  );

  api.post(
    '/api/v1/admin/roles/:role/members',
    {
      onRequest: manage,
      schema: {
        tags,
        summary: 'Assign a custom role to a user (built-in roles: /admin/users/:id/roles)',
        params: roleParams,
        body: z.object({ userId: z.uuid() }),
        response: { 200: done },
      },
    },
    async (request) => {
      const { userId } = request.body;
      await heldRoles(userId);
      const role = request.params.role;
      await settled(await roles({ type: 'AssignCustomRole', role, userId }, commandMetadataOf(request)));
      return ok(null, 'Đã gán vai trò');
    },
  );

  api.delete(
    '/api/v1/admin/roles/:role/members/:userId',
    { onRequest: manage, schema: { tags, params: roleParams.extend({ userId: z.uuid() }), response: { 200: done } } },
    async (request) => {
      const { role, userId } = request.params;
      await settled(await roles({ type: 'UnassignCustomRole', role, userId }, commandMetadataOf(request)));
      return ok(null, 'Đã gỡ vai trò');
    },
  );

  api.get(
    '/api/v1/admin/authz/check',
    {
      onRequest: manage,
      schema: {
        tags,
        summary: 'May user X do Y: through which of their roles (built-in held, or custom assigned)',
        querystring: z.object({ userId: z.uuid(), permission: z.enum(PERMISSIONS) }),
        response: {
          200: envelopeOf(
            z.object({
              userId: z.string(),
              permission: z.string(),
              allowed: z.boolean(),
              viaRoles: z.array(z.string()),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { userId } = request.query;
      const permission: Permission = request.query.permission;
      const viaRoles = await permissions.rolesGranting(userId, await heldRoles(userId), permission);
      return ok({ userId, permission, allowed: viaRoles.length > 0, viaRoles });
    },
  );
}
