import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../domain/identity/roles.js';
import type { Services } from '../../ops/services.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';
import { vietnamesePhone } from './admin-staff.js';

const locale = z.enum(['vi', 'en']).default('vi');

/**
 * Accounts created by staff (UC-ADMIN-01 "create with any role") and the invite that lets the
 * person set their first password (shared with staff accounts, UC-OPER-05).
 */
export function adminCreateUserRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { invitations } = services.identity;

  api.post(
    '/api/v1/admin/users',
    {
      onRequest: app.requires('user:manage'),
      schema: {
        tags: ['admin'],
        summary: 'Create a user with any roles; they get an invite to set a password',
        body: z.object({
          email: z.email('Email không hợp lệ').max(254),
          name: z.string().trim().min(1, 'Vui lòng nhập họ tên').max(120),
          phone: vietnamesePhone.nullable().default(null),
          roles: z.array(z.enum(ROLES)).min(1, 'Chọn ít nhất một vai trò').max(ROLES.length),
          locale,
        }),
        response: { 201: envelopeOf(z.object({ userId: z.string() })) },
      },
    },
    async (request, reply) => {
      const { userId, position } = await invitations.createUser(
        { userId: newIdFor(request), ...request.body, roles: [...new Set(request.body.roles)] },
        commandMetadataOf(request),
      );
      if (position !== null) await waitForProjection(services.pool, 'users', position, 2000);
      return reply.status(201).send(ok({ userId }, 'Đã tạo người dùng và gửi lời mời'));
    },
  );

  api.post(
    '/api/v1/admin/users/:id/invite',
    {
      onRequest: app.requires('user:manage'),
      schema: {
        tags: ['admin'],
        summary: 'Mail a new invite link (the previous one stops working)',
        params: z.object({ id: z.uuid() }),
        body: z.object({ locale }).nullish(),
        response: { 200: envelopeOf(z.null()) },
      },
    },
    async (request) => {
      await invitations.resend(request.params.id, request.body?.locale ?? 'vi');
      return ok(null, 'Đã gửi lại lời mời');
    },
  );

  api.post(
    '/api/v1/auth/accept-invite',
    {
      schema: {
        tags: ['auth'],
        summary: "Set the first password with the invite link's token (72 h, once)",
        body: z.object({ token: z.string().min(16).max(200), password: z.string().min(1).max(128) }),
        response: { 200: envelopeOf(z.object({ userId: z.string(), email: z.string() })) },
      },
    },
    async (request) => {
      const result = await invitations.accept(request.body, commandMetadataOf(request));
      return ok(result, 'Đã đặt mật khẩu; bạn có thể đăng nhập');
    },
  );
}
