import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../ops/services.js';
import { myRentals } from '../../projections/contracts/rentals-queries.js';
import { ok } from '../envelope.js';
import { contractAccess } from './contract-access.js';

/** The customer's "my rental" page: each deposit with its contract, handover and journey step. */
export function rentalRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const access = contractAccess(services);
  api.get(
    '/api/v1/rentals/mine',
    {
      onRequest: app.requires(),
      schema: {
        tags: ['contracts'],
        summary: 'The caller’s rentals as customer: deposit, contract, handover and the journey step of each',
      },
    },
    async (request) => ok(await myRentals(services.pool, access.me(request))),
  );
}
