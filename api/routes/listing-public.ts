import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getListing } from '../../projections/catalog/catalog-queries.js';
import { getDepositPolicy } from '../../projections/catalog/deposit-policies-queries.js';
import { ok } from '../envelope.js';
import { idParams } from './catalog-schemas.js';

/**
 * A published listing as the public sees it: rooms with their live status, images and the deposit
 * policy in force (its own or its project's default). Anything not visible answers 404.
 */
export function listingPublicRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/listings/:id',
    {
      schema: { tags: ['catalog'], summary: 'A published listing with its rooms and deposit policy', params: idParams },
    },
    async (request) => {
      const listing = await getListing(services.pool, request.params.id);
      if (!listing?.visible) throw notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
      const policy = listing.depositPolicyInForce
        ? await getDepositPolicy(services.pool, listing.depositPolicyInForce)
        : null;
      const { reason: _reason, checklist: _checklist, returnedFields: _fields, stepsSaved: _steps, ...shown } = listing;
      return ok({ ...shown, depositPolicy: policy && policy.status !== 'deleted' ? policy : null });
    },
  );
}
