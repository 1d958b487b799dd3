import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { viewerKeyOf } from '../../commands/catalog/listing-views.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { listingId } from './favorites.js';

/** The signed-in user of a bearer token, if any; a public route does not insist on one. */
async function tokenUserOf(request: FastifyRequest): Promise<string | null> {
  if (!request.headers.authorization) return null;
  const claims = await request.jwtVerify<{ sub?: string }>({ algorithms: ['HS256'] }).catch(() => null);
  return typeof claims?.sub === 'string' ? claims.sub : null;
}

/** A listing page was shown: counted once per viewer per hour (analytics, not events). */
export function listingViewRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/v1/listings/:id/views',
    {
      schema: {
        tags: ['listings'],
        summary: 'Count a view of a published listing (once per viewer per hour); 204',
        params: z.object({ id: listingId }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await services.listingLookup.isPublished(id)))
        throw notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
      const viewer = {
        userId: await tokenUserOf(request),
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      };
      await services.listingViews.recordView(id, viewerKeyOf(viewer), services.clock());
      return reply.status(204).send();
    },
  );
}
