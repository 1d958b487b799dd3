import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../domain/identity/roles.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';

const me = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  roles: z.array(z.enum(ROLES)),
  activeRole: z.enum(ROLES),
  status: z.string(),
  twoFactorEnabled: z.boolean(),
  actingAs: z.string().nullable(),
});

/** The signed-in person: profile, sessions and devices, role switch (UC-GEN-03). */
export function meRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { sessions } = services.identity;
  const signedIn = { onRequest: app.requires() };

  api.get(
    '/api/v1/me',
    { ...signedIn, schema: { tags: ['me'], response: { 200: envelopeOf(me) } } },
    async (request) => {
      const actor = request.actor;
      const { rows } = await services.pool.query('select id, email, name, phone, status from rm.users where id = $1', [
        actor?.id,
      ]);
      if (!rows[0] || !actor) throw notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
      const twoFactorEnabled = await services.identity.twoFactor.isEnabled(actor.id);
      return ok({
        ...rows[0],
        roles: actor.roles,
        activeRole: actor.activeRole,
        twoFactorEnabled,
        actingAs: actor.actAsId,
      });
    },
  );

  api.get(
    '/api/v1/me/sessions',
    {
      ...signedIn,
      schema: {
        tags: ['me'],
        summary: 'Signed-in devices',
        response: {
          200: envelopeOf(
            z.array(
              z.object({
                id: z.string(),
                device: z.string(),
                ip: z.string().nullable(),
                userAgent: z.string().nullable(),
                activeRole: z.string(),
                createdAt: z.date(),
                lastSeenAt: z.date(),
                current: z.boolean(),
              }),
            ),
          ),
        },
      },
    },
    async (request) => {
      const list = await sessions.listSessions(request.actor?.id ?? '');
      return ok(list.map((session) => ({ ...session, current: session.id === request.actor?.sessionId })));
    },
  );

  api.delete(
    '/api/v1/me/sessions/:id',
    {
      ...signedIn,
      schema: { tags: ['me'], params: z.object({ id: z.uuid() }), response: { 200: envelopeOf(z.null()) } },
    },
    async (request) => {
      const ended = await sessions.endSession(
        request.actor?.id ?? '',
        request.params.id,
        'revoked',
        commandMetadataOf(request),
      );
      if (!ended) throw notFound('SESSION_NOT_FOUND', 'Không tìm thấy phiên đăng nhập');
      return ok(null, 'Đã đăng xuất thiết bị');
    },
  );

  api.post(
    '/api/v1/me/sessions/revoke-others',
    { ...signedIn, schema: { tags: ['me'], response: { 200: envelopeOf(z.object({ revoked: z.number() })) } } },
    async (request) => {
      const actor = request.actor;
      let revoked = 0;
      for (const session of await sessions.listSessions(actor?.id ?? '')) {
        if (session.id === actor?.sessionId) continue;
        if (await sessions.endSession(actor?.id ?? '', session.id, 'revoked', commandMetadataOf(request))) revoked += 1;
      }
      return ok({ revoked }, 'Đã đăng xuất các thiết bị khác');
    },
  );

  api.post(
    '/api/v1/me/active-role',
    {
      ...signedIn,
      schema: {
        tags: ['me'],
        summary: 'Switch the active role without signing out; answers a new access token',
        body: z.object({ role: z.enum(ROLES) }),
        response: { 200: envelopeOf(z.object({ accessToken: z.string(), activeRole: z.enum(ROLES) })) },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (!actor?.sessionId) throw notFound('SESSION_NOT_FOUND', 'Không có phiên đăng nhập');
      await sessions.switchRole(actor.id, actor.sessionId, request.body.role);
      const accessToken = app.signAccessToken({ sub: actor.id, sid: actor.sessionId, role: request.body.role });
      return ok({ accessToken, activeRole: request.body.role }, 'Đã chuyển vai trò');
    },
  );
}
