import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ContractActor } from '../../commands/contracts/contracts.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import type { ContractViewer } from '../../projections/contracts/contracts-queries.js';
import { waitForProjection } from '../../projections/status.js';

/**
 * Who sees and does what with contracts and handover reports: the parties (customer, owner) their
 * own; staff — operators (`user:read`) and those who write handover reports (`handover:create`) —
 * every one. Someone acting for a user (act-as) is that user, never staff.
 */
export function contractAccess(services: Services) {
  const { permissions } = services.identity;
  const me = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';

  async function isStaff(request: FastifyRequest): Promise<boolean> {
    const actor = request.actor;
    if (!actor || actor.actAsId !== null) return false;
    return (await permissions.mayActor(actor, 'user:read')) || (await permissions.mayActor(actor, 'handover:create'));
  }

  const actorOf = async (request: FastifyRequest): Promise<ContractActor> => ({
    userId: me(request),
    operator: await isStaff(request),
  });

  /** Staff see all; an owner (active role) their projects' contracts; anyone else their own as customer. */
  async function viewerOf(request: FastifyRequest): Promise<ContractViewer> {
    if (await isStaff(request)) return { id: me(request), scope: 'all' };
    const actor = request.actor;
    if (actor?.actAsId) {
      const { rows } = await services.pool.query<{ roles: string[] }>(
        'select roles from rm.users where id::text = $1',
        [actor.actAsId],
      );
      const roles = rows[0]?.roles ?? [];
      return {
        id: actor.actAsId,
        scope: roles.includes('owner') && !roles.includes('customer') ? 'owner' : 'customer',
      };
    }
    return { id: me(request), scope: actor?.activeRole === 'owner' ? 'owner' : 'customer' };
  }

  /** A signature is personal: the signer signs in as themselves (no act-as). */
  function signerOf(request: FastifyRequest): string {
    if (request.actor?.actAsId) {
      throw new DomainError('forbidden', 'SIGNATURE_IS_PERSONAL', 'Chữ ký là của riêng người ký; không ký thay được');
    }
    return request.actor?.id ?? '';
  }

  const originOf = (request: FastifyRequest) => ({
    ip: request.ip,
    userAgent: (typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : '').slice(0, 500),
  });

  /** Read-your-writes: the answer waits (≤ 2 s) for the contracts read model to hold the change. */
  const caughtUp = async (position: bigint | null) => {
    if (position !== null) await waitForProjection(services.pool, 'contracts', position, 2000);
  };

  return { me, isStaff, actorOf, viewerOf, signerOf, originOf, caughtUp };
}

export type ContractAccess = ReturnType<typeof contractAccess>;

/** A stored file sent inline with its type and a safe name. */
export function sendFile(reply: FastifyReply, file: { bytes: Buffer; contentType: string }, name: string) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `inline; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(file.bytes);
}
