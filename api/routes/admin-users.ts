import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOutbox } from '../../commands/mail/outbox.js';
import { ROLES } from '../../domain/identity/roles.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';

const userView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  roles: z.array(z.string()),
  status: z.string(),
  createdAt: z.date(),
});
const idParams = z.object({ id: z.uuid() });
const done = envelopeOf(z.null());

/** UC-ADMIN-01 user management and the dev mail outbox. */
export function adminUserRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const users = services.commands.users;
  const tags = ['admin'];

  const existing = async (id: string) => {
    const { rows } = await services.pool.query<{ email: string }>('select email from rm.users where id = $1', [id]);
    if (!rows[0]) throw notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
    return rows[0];
  };

  api.get(
    '/api/v1/admin/mail-outbox',
    {
      onRequest: app.requires('mail:outbox_read'),
      schema: {
        tags,
        summary: 'Mail stored instead of sent (no SMTP_URL)',
        querystring: z.object({
          to: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: z.uuid().optional(),
        }),
      },
    },
    async (request) => {
      const { to, limit, before } = request.query;
      return ok(await listOutbox(services.pool, { limit, ...(to && { to }), ...(before && { before }) }));
    },
  );

  api.get(
    '/api/v1/admin/users',
    {
      onRequest: app.requires('user:read'),
      schema: {
        tags,
        querystring: z.object({
          role: z.enum(ROLES).optional(),
          status: z.enum(['unverified', 'active', 'locked']).optional(),
          q: z.string().max(100).optional(),
          /** Registered on or after / before these instants (ISO 8601). */
          createdFrom: z.iso.datetime({ offset: true }).optional(),
          createdTo: z.iso.datetime({ offset: true }).optional(),
        }),
        response: { 200: envelopeOf(z.array(userView)) },
      },
    },
    async (request) => {
      const { role, status, q, createdFrom, createdTo } = request.query;
      const { rows } = await services.pool.query(
        `select id, email, name, phone, roles, status, created_at as "createdAt" from rm.users
          where ($1::text is null or $1 = any(roles)) and ($2::text is null or status = $2)
            and ($3::text is null or email ilike '%' || $3 || '%' or name ilike '%' || $3 || '%')
            and ($4::timestamptz is null or created_at >= $4) and ($5::timestamptz is null or created_at < $5)
          order by created_at desc limit 500`,
        [role ?? null, status ?? null, q?.replace(/[\\%_]/g, '\\$&') ?? null, createdFrom ?? null, createdTo ?? null],
      );
      return ok(rows);
    },
  );

  api.post(
    '/api/v1/admin/users/:id/roles',
    {
      onRequest: app.requires('user:manage'),
      schema: { tags, params: idParams, body: z.object({ role: z.enum(ROLES) }), response: { 200: done } },
    },
    async (request) => {
      await existing(request.params.id);
      await users(
        { type: 'GrantRole', userId: request.params.id, role: request.body.role },
        commandMetadataOf(request),
      );
      return ok(null, 'Đã cấp vai trò');
    },
  );

  api.delete(
    '/api/v1/admin/users/:id/roles/:role',
    {
      onRequest: app.requires('user:manage'),
      schema: { tags, params: idParams.extend({ role: z.enum(ROLES) }), response: { 200: done } },
    },
    async (request) => {
      await existing(request.params.id);
      await users(
        { type: 'RevokeRole', userId: request.params.id, role: request.params.role },
        commandMetadataOf(request),
      );
      return ok(null, 'Đã thu hồi vai trò');
    },
  );

  api.post(
    '/api/v1/admin/users/:id/lock',
    {
      onRequest: app.requires('user:manage'),
      schema: {
        tags,
        params: idParams,
        body: z.object({ reason: z.string().trim().min(1, 'Nhập lý do').max(500) }),
        response: { 200: done },
      },
    },
    async (request) => {
      await existing(request.params.id);
      await users(
        { type: 'LockUser', userId: request.params.id, reason: request.body.reason },
        commandMetadataOf(request),
      );
      // Signed-in devices stop at once, not when the read model catches up.
      await services.pool.query(
        `update identity.sessions set revoked_at = now(), revoked_reason = 'locked' where user_id = $1 and revoked_at is null`,
        [request.params.id],
      );
      return ok(null, 'Đã khóa tài khoản');
    },
  );

  api.post(
    '/api/v1/admin/users/:id/unlock',
    { onRequest: app.requires('user:manage'), schema: { tags, params: idParams, response: { 200: done } } },
    async (request) => {
      await existing(request.params.id);
      await users({ type: 'UnlockUser', userId: request.params.id }, commandMetadataOf(request));
      return ok(null, 'Đã mở khóa tài khoản');
    },
  );

  api.post(
    '/api/v1/admin/users/:id/password-reset',
    { onRequest: app.requires('user:manage'), schema: { tags, params: idParams, response: { 200: done } } },
    async (request) => {
      const { email } = await existing(request.params.id);
      await services.identity.passwords.forgot(email, 'vi', commandMetadataOf(request));
      return ok(null, 'Đã gửi mã đặt lại mật khẩu');
    },
  );

  api.get(
    '/api/v1/admin/users/:id/history',
    {
      onRequest: app.requires('user:read'),
      schema: {
        tags,
        summary: "The user's history from the audit trail: what happened to them and what they did",
        params: idParams,
      },
    },
    async (request) => {
      const { rows } = await services.pool.query(
        `select position::text, event_type as type, actor_id as "actorId", act_as_id as "actAsId", summary,
                occurred_at as "occurredAt", ip
           from rm.audit_trail where target_id = $1 or actor_id = $1 or act_as_id = $1
          order by position desc limit 200`,
        [request.params.id],
      );
      return ok(rows);
    },
  );
}
