import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { canonicalJson } from '../../projections/audit/canonical.js';
import { failure } from '../envelope.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { scope: string; key: string; hash: string } | null;
  }
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * `Idempotency-Key` on a write: the first answer is stored and a retry with the same key gets it
 * back (header `Idempotent-Replayed: true`) without running the command again; the same key with
 * a different request is refused with 422. Event ids derive from the key as well (commands/metadata),
 * so even a retry racing the first request appends nothing twice.
 */
export function registerIdempotency(app: FastifyInstance, pool: pg.Pool): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (request.method === 'GET' || typeof key !== 'string') return;
    if (!KEY_PATTERN.test(key)) {
      return reply.status(400).send(
        failure('VALIDATION_FAILED', 'Idempotency-Key must be 8–128 letters, digits or _.:-', {
          field: 'Idempotency-Key',
        }),
      );
    }
    const scope = request.actor?.id ?? 'anonymous';
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    const { rows } = await pool.query<{ request_hash: string; status_code: number; response: unknown }>(
      'select request_hash, status_code, response from ops.idempotency_records where scope = $1 and key = $2',
      [scope, key],
    );
    const stored = rows[0];
    if (stored && stored.request_hash !== hash) {
      return reply
        .status(422)
        .send(failure('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request'));
    }
    if (stored) {
      return reply.status(stored.status_code).header('idempotent-replayed', 'true').send(stored.response);
    }
    request.idempotency = { scope, key, hash };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const record = request.idempotency;
    // Conflicts and rate limits are transient: a retry should run again.
    const transient = reply.statusCode >= 500 || reply.statusCode === 409 || reply.statusCode === 429;
    if (!record || transient || typeof payload !== 'string') return payload;
    await pool.query(
      `insert into ops.idempotency_records (scope, key, request_hash, status_code, response)
       values ($1, $2, $3, $4, $5) on conflict do nothing`,
      [record.scope, record.key, record.hash, reply.statusCode, payload],
    );
    return payload;
  });
}
