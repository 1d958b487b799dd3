import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PermissionResolver } from '../../commands/identity/permission-resolver.js';
import type { SessionService } from '../../commands/identity/sessions.js';
import type { Permission } from '../../domain/identity/permissions.js';
import { isRole, type Role } from '../../domain/identity/roles.js';
import { DomainError } from '../../domain/shared/errors.js';

export const ACCESS_TOKEN_TTL = '15m';

/** DEV ONLY (DEV_ADMIN_HEADER): `X-Dev-Role: admin` without a token acts as this admin. */
export const DEV_ADMIN_ACTOR_ID = 'dev-admin';

/** Claims of an access token: the user, the session (checked live) and the active role. */
export interface AccessClaims {
  sub: string;
  sid: string;
  role: Role;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Route guard: `{ onRequest: app.requires('area:manage') }`; `app.requires()` only signs in. */
    requires(permission?: Permission): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    signAccessToken(claims: AccessClaims): string;
  }
}

const unauthenticated = (message = 'Vui lòng đăng nhập') =>
  new DomainError('unauthenticated', 'AUTH_REQUIRED', message);
const forbidden = (message: string) => new DomainError('forbidden', 'FORBIDDEN', message);

export async function registerAuth(
  app: FastifyInstance,
  options: { secret: string; sessions: SessionService; devAdminHeader: boolean; permissions: PermissionResolver },
) {
  await app.register(fastifyJwt, { secret: options.secret, sign: { expiresIn: ACCESS_TOKEN_TTL, algorithm: 'HS256' } });
  app.decorate('signAccessToken', (claims: AccessClaims) => app.jwt.sign(claims));

  /**
   * Who is calling, checked against live state on every request: the session must not be
   * revoked, the account not locked, and the active role still held, so a revoked role or a
   * locked account takes effect on the next request, not when the token expires.
   */
  async function authenticate(request: FastifyRequest): Promise<void> {
    if (!request.headers.authorization && options.devAdminHeader && request.headers['x-dev-role'] === 'admin') {
      request.actor = { id: DEV_ADMIN_ACTOR_ID, roles: ['admin'], activeRole: 'admin', actAsId: null };
      return;
    }
    let claims: AccessClaims;
    try {
      claims = await request.jwtVerify<AccessClaims>({ algorithms: ['HS256'] });
    } catch {
      throw unauthenticated('Phiên đăng nhập không hợp lệ hoặc đã hết hạn');
    }
    const session = await options.sessions.currentSession(claims.sid);
    if (!session || session.userId !== claims.sub) throw unauthenticated('Phiên đăng nhập đã kết thúc');
    if (session.locked) throw new DomainError('forbidden', 'ACCOUNT_LOCKED', 'Tài khoản đã bị khóa');
    const activeRole =
      isRole(session.activeRole) && session.roles.includes(session.activeRole) ? session.activeRole : null;
    if (!activeRole) throw forbidden('Vai trò hiện tại không còn hiệu lực; vui lòng chọn lại vai trò');
    request.actor = { id: claims.sub, roles: session.roles, activeRole, actAsId: null, sessionId: claims.sid };
  }

  /** `X-Act-As: <userId>`: an operator or admin acts for a user; events record both. */
  async function applyActAs(request: FastifyRequest) {
    const target = request.headers['x-act-as'];
    if (typeof target !== 'string' || target.length === 0 || !request.actor) return;
    if (!(await options.permissions.mayActor(request.actor, 'user:act_as')))
      throw forbidden('Bạn không có quyền thao tác thay người dùng khác');
    request.actor.actAsId = target;
  }

  app.decorate('requires', (permission?: Permission) => async (request: FastifyRequest) => {
    await authenticate(request);
    const actor = request.actor;
    if (!actor) throw unauthenticated();
    if (permission && !(await options.permissions.mayActor(actor, permission))) {
      throw forbidden(`Vai trò ${actor.activeRole} không có quyền ${permission}`);
    }
    await applyActAs(request);
  });
}
