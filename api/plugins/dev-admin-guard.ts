import type { FastifyReply, FastifyRequest } from 'fastify';
import { failure } from '../envelope.js';

export const DEV_ADMIN_ACTOR_ID = 'dev-admin';

/**
 * DEV ONLY, replaced by the identity issue's bearer-token auth and RBAC: lets a request act as
 * admin by sending `X-Dev-Role: admin`. Off in production unless DEV_ADMIN_HEADER=on.
 */
export function devAdminGuard(enabled: boolean) {
  return async function requireDevAdmin(request: FastifyRequest, reply: FastifyReply) {
    if (!enabled) {
      return reply.status(401).send(failure('AUTH_REQUIRED', 'Sign-in is required for this action'));
    }
    if (request.headers['x-dev-role'] !== 'admin') {
      return reply.status(403).send(failure('FORBIDDEN', 'This action needs the admin role (dev: X-Dev-Role: admin)'));
    }
    request.actor = { id: DEV_ADMIN_ACTOR_ID, roles: ['admin'], actAsId: null };
  };
}
