import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';

/** Password change and the optional TOTP second factor of the signed-in person. */
export function meSecurityRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { twoFactor, passwords } = services.identity;
  const signedIn = { onRequest: app.requires() };
  const actorOf = (request: { actor: { id: string; sessionId?: string } | null }) => {
    if (!request.actor) throw notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
    return request.actor;
  };

  api.post(
    '/api/v1/me/password',
    {
      ...signedIn,
      schema: {
        tags: ['me'],
        summary: 'Change password; other devices are signed out',
        body: z.object({ currentPassword: z.string().min(1).max(128), newPassword: z.string().min(1).max(128) }),
        response: { 200: envelopeOf(z.null()) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await passwords.change(
        { userId: actor.id, sessionId: actor.sessionId ?? null, ...request.body },
        commandMetadataOf(request),
      );
      return ok(null, 'Đã đổi mật khẩu; các thiết bị khác đã được đăng xuất');
    },
  );

  api.post(
    '/api/v1/me/2fa/setup',
    {
      ...signedIn,
      schema: {
        tags: ['me'],
        summary: 'Start TOTP enrolment: a secret, its otpauth URI and a QR code',
        response: { 200: envelopeOf(z.object({ secret: z.string(), otpauthUri: z.string(), qrDataUrl: z.string() })) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { rows } = await services.pool.query<{ email: string }>(
        'select email from identity.credentials where user_id = $1',
        [actor.id],
      );
      return ok(await twoFactor.setup(actor.id, rows[0]?.email ?? actor.id));
    },
  );

  api.post(
    '/api/v1/me/2fa/confirm',
    {
      ...signedIn,
      schema: {
        tags: ['me'],
        summary: 'Confirm with a code from the app; answers the recovery codes, shown once',
        body: z.object({ code: z.string().regex(/^\d{6}$/, 'Mã gồm 6 chữ số') }),
        response: { 200: envelopeOf(z.object({ recoveryCodes: z.array(z.string()) })) },
      },
    },
    async (request) =>
      ok(
        await twoFactor.confirm(actorOf(request).id, request.body.code, commandMetadataOf(request)),
        'Đã bật xác thực hai lớp',
      ),
  );

  api.post(
    '/api/v1/me/2fa/disable',
    {
      ...signedIn,
      schema: {
        tags: ['me'],
        summary: 'Turn 2FA off with the password and a current code',
        body: z.object({ password: z.string().min(1).max(128), code: z.string().trim().min(6).max(20) }),
        response: { 200: envelopeOf(z.null()) },
      },
    },
    async (request) => {
      const { password, code } = request.body;
      await twoFactor.disable(actorOf(request).id, password, code, commandMetadataOf(request));
      return ok(null, 'Đã tắt xác thực hai lớp');
    },
  );
}
