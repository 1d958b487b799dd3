import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IssuedSession } from '../../commands/identity/sessions.js';
import { REFRESH_TTL_MS } from '../../commands/identity/sessions.js';
import { ROLES, SELF_SERVICE_ROLES } from '../../domain/identity/roles.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';

const REFRESH_COOKIE = 'refresh_token';
const cookiePath = '/api/v1/auth';

const sessionView = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number(),
  user: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    roles: z.array(z.enum(ROLES)),
    activeRole: z.enum(ROLES),
  }),
});
const challengeView = z.object({ twoFactorRequired: z.literal(true), challengeToken: z.string() });
const locale = z.enum(['vi', 'en']).default('vi');
const vietnamesePhone = z
  .string()
  .trim()
  .regex(/^(\+84|0)(3|5|7|8|9)\d{8}$/, 'Số điện thoại Việt Nam không hợp lệ (vd. 0912345678 hoặc +84912345678)');

/** Sign-up, email verification, sign-in, token refresh and sign-out (UC-GEN-01/02). */
export async function authRoutes(app: FastifyInstance, services: Services, options: { secureCookies: boolean }) {
  await app.register(fastifyCookie);
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { accounts, sessions } = services.identity;

  const answerWithSession = (reply: FastifyReply, session: IssuedSession, message: string) => {
    const accessToken = app.signAccessToken({ sub: session.userId, sid: session.sessionId, role: session.activeRole });
    // The browser keeps the refresh token in an httpOnly cookie; other clients use the body.
    reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookies,
      path: cookiePath,
      maxAge: REFRESH_TTL_MS / 1000,
    });
    return ok(
      {
        accessToken,
        refreshToken: session.refreshToken,
        expiresIn: 15 * 60,
        user: {
          id: session.userId,
          email: session.email,
          name: session.name,
          roles: session.roles,
          activeRole: session.activeRole,
        },
      },
      message,
    );
  };

  api.post(
    '/api/v1/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign up as customer, owner or expert; a verification code is mailed',
        body: z.object({
          email: z.email('Email không hợp lệ').max(254),
          password: z.string().min(1).max(128),
          name: z.string().trim().min(1, 'Vui lòng nhập họ tên').max(120),
          phone: vietnamesePhone.nullable().default(null),
          role: z.enum(SELF_SERVICE_ROLES).default('customer'),
          locale,
        }),
        response: { 201: envelopeOf(z.object({ userId: z.string() })) },
      },
    },
    async (request, reply) => {
      const result = await accounts.register(
        { userId: newIdFor(request), ...request.body },
        commandMetadataOf(request),
      );
      return reply.status(201).send(ok(result, 'Đăng ký thành công; vui lòng kiểm tra email để xác minh'));
    },
  );

  api.post(
    '/api/v1/auth/verify-email',
    {
      schema: {
        tags: ['auth'],
        summary: 'Verify with the mailed 6-digit code (and email) or the link token',
        body: z.union([
          z.object({ email: z.email(), code: z.string().regex(/^\d{6}$/, 'Mã gồm 6 chữ số') }),
          z.object({ token: z.string().min(16).max(200) }),
        ]),
        response: { 200: envelopeOf(z.object({ userId: z.string() })) },
      },
    },
    async (request) =>
      ok(await accounts.verifyEmail(request.body, commandMetadataOf(request)), 'Email đã được xác minh'),
  );

  api.post(
    '/api/v1/auth/resend-verification',
    {
      schema: { tags: ['auth'], body: z.object({ email: z.email(), locale }), response: { 200: envelopeOf(z.null()) } },
    },
    async (request) => {
      await accounts.resendVerification(request.body.email, request.body.locale, commandMetadataOf(request));
      return ok(null, 'Nếu email đã đăng ký và chưa xác minh, mã mới đã được gửi');
    },
  );

  api.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in; 5 failures a minute per IP or account answer 429 with Retry-After',
        body: z.object({
          email: z.email(),
          password: z.string().min(1).max(128),
          device: z.string().max(120).optional(),
        }),
        response: { 200: envelopeOf(z.union([sessionView, challengeView])) },
      },
    },
    async (request, reply) => {
      const device = request.body.device ?? String(request.headers['user-agent'] ?? 'unknown').slice(0, 120);
      const result = await sessions.login({ ...request.body, device }, commandMetadataOf(request));
      if ('twoFactorRequired' in result) return ok(result, 'Nhập mã xác thực hai lớp');
      return answerWithSession(reply, result, 'Đăng nhập thành công');
    },
  );

  api.post(
    '/api/v1/auth/login/2fa',
    {
      schema: {
        tags: ['auth'],
        summary: 'Second step of a sign-in with 2FA: a TOTP code or a recovery code',
        body: z.object({ challengeToken: z.string().min(16).max(200), code: z.string().trim().min(6).max(20) }),
        response: { 200: envelopeOf(sessionView) },
      },
    },
    async (request, reply) => {
      const { challengeToken, code } = request.body;
      const session = await sessions.completeTwoFactor(challengeToken, code, commandMetadataOf(request));
      return answerWithSession(reply, session, 'Đăng nhập thành công');
    },
  );

  api.post(
    '/api/v1/auth/forgot-password',
    {
      schema: { tags: ['auth'], body: z.object({ email: z.email(), locale }), response: { 200: envelopeOf(z.null()) } },
    },
    async (request) => {
      await services.identity.passwords.forgot(request.body.email, request.body.locale, commandMetadataOf(request));
      return ok(null, 'Nếu email đã đăng ký, mã đặt lại mật khẩu (hiệu lực 10 phút) đã được gửi');
    },
  );

  api.post(
    '/api/v1/auth/reset-password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the mailed code; signs out every device',
        body: z.object({
          email: z.email(),
          code: z.string().regex(/^\d{6}$/, 'Mã gồm 6 chữ số'),
          newPassword: z.string().min(1).max(128),
        }),
        response: { 200: envelopeOf(z.null()) },
      },
    },
    async (request) => {
      await services.identity.passwords.reset(request.body, commandMetadataOf(request));
      return ok(null, 'Đã đặt lại mật khẩu; vui lòng đăng nhập');
    },
  );

  api.post(
    '/api/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Rotate the refresh token (body, or the cookie with header X-CSRF-Protection: 1); reuse of a spent one revokes the session',
        body: z.object({ refreshToken: z.string().min(16).optional() }).default({}),
        response: { 200: envelopeOf(sessionView) },
      },
    },
    async (request, reply) => {
      const fromCookie = request.body.refreshToken === undefined;
      // CSRF: a cross-site page can make the browser send the cookie, but not a custom header.
      if (fromCookie && request.headers['x-csrf-protection'] === undefined) {
        throw new DomainError('forbidden', 'CSRF_HEADER_MISSING', 'Thiếu header X-CSRF-Protection');
      }
      const token = request.body.refreshToken ?? request.cookies[REFRESH_COOKIE];
      if (!token)
        throw new DomainError('unauthenticated', 'REFRESH_INVALID', 'Thiếu mã làm mới phiên', {
          field: 'refreshToken',
        });
      return answerWithSession(reply, await sessions.refresh(token, commandMetadataOf(request)), 'OK');
    },
  );

  api.post(
    '/api/v1/auth/logout',
    { onRequest: app.requires(), schema: { tags: ['auth'], response: { 200: envelopeOf(z.null()) } } },
    async (request, reply) => {
      const actor = request.actor;
      if (actor?.sessionId) await sessions.endSession(actor.id, actor.sessionId, 'logout', commandMetadataOf(request));
      reply.clearCookie(REFRESH_COOKIE, { path: cookiePath });
      return ok(null, 'Đã đăng xuất');
    },
  );
}
