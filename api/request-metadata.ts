import type { FastifyRequest } from 'fastify';
import { v5 as uuidv5 } from 'uuid';
import type { CommandMetadata } from '../commands/metadata.js';
import type { Role } from '../domain/identity/roles.js';
import { invalid } from '../domain/shared/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting; set by the auth guard. Until sign-in exists only the dev admin guard sets it. */
    actor: { id: string; roles: Role[]; activeRole: Role; actAsId: string | null; sessionId?: string } | null;
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

const NEW_ID_NAMESPACE = 'b7d4a7f0-3c1e-4f55-8f0a-6d2a9e4c1b20';

/**
 * The id of an entity a request creates (`n` tells several apart). With an Idempotency-Key it
 * derives from the key, so racing retries decide the very same events and get the same answer.
 */
export function newIdFor(request: FastifyRequest, n = 0): string {
  const key = header(request, 'idempotency-key');
  if (key === null) return crypto.randomUUID();
  return uuidv5(`${request.actor?.id ?? 'anonymous'}\u0000${key}\u0000${n}`, NEW_ID_NAMESPACE);
}

/** The Idempotency-Key of a write that must carry one (bookings, deposits): 400 naming the header otherwise. */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const key = header(request, 'idempotency-key');
  if (key === null)
    throw invalid('IDEMPOTENCY_KEY_REQUIRED', 'Yêu cầu này cần header Idempotency-Key', 'Idempotency-Key');
  return key;
}
