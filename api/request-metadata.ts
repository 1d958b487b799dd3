import type { FastifyRequest } from 'fastify';
import type { CommandMetadata } from '../commands/metadata.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting; set by the auth guard. Until sign-in exists only the dev admin guard sets it. */
    actor: { id: string; roles: string[]; actAsId: string | null } | null;
  }
}

const header = (request: FastifyRequest, name: string): string | null => {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
};

/** Metadata for every event a request causes: who, as whom, from where, and why. */
export function commandMetadataOf(request: FastifyRequest): CommandMetadata {
  return {
    actorId: request.actor?.id ?? null,
    actAsId: request.actor?.actAsId ?? null,
    roles: request.actor?.roles ?? [],
    correlationId: header(request, 'x-correlation-id') ?? String(request.id),
    causationId: null,
    idempotencyKey: header(request, 'idempotency-key'),
    ip: request.ip,
    userAgent: header(request, 'user-agent'),
  };
}
