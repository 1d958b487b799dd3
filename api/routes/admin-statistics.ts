import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dailyStatistics, statisticsRange } from '../../commands/jobs/daily-statistics-queries.js';
import type { Services } from '../../ops/services.js';
import { envelopeOf, ok } from '../envelope.js';
import { isoDate } from './money-schemas.js';

const figures = {
  bookingsRequested: z.number().int(),
  bookingsConfirmed: z.number().int(),
  bookingsCompleted: z.number().int(),
  bookingsCancelled: z.number().int(),
  bookingsNoShow: z.number().int(),
  depositsHeld: z.number().int(),
  depositsHeldVnd: z.number().int(),
  listingsPublished: z.number().int(),
};
const statisticsView = z.object({
  from: z.string(),
  to: z.string(),
  projectId: z.string().nullable(),
  staffId: z.string().nullable(),
  days: z.array(z.object({ day: z.string(), ...figures })),
  totals: z.object(figures),
  computedAt: z.date().nullable(),
});

/** Daily dashboard figures per project and sales staff member, aggregated by the `daily-statistics` job. */
export function adminStatisticsRoutes(app: FastifyInstance, services: Services) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/admin/statistics/daily',
    {
      onRequest: app.requires('report:finance_read'),
      schema: {
        tags: ['admin', 'reports'],
        summary:
          'Daily counts (bookings requested/confirmed/completed/cancelled/no-show, deposits held, listings published); from/to are Vietnamese dates (default: the last 30 days)',
        querystring: z.object({
          from: isoDate.optional(),
          to: isoDate.optional(),
          projectId: z.uuid().optional(),
          staffId: z.uuid().optional(),
        }),
        response: { 200: envelopeOf(statisticsView) },
      },
    },
    async (request) => {
      const q = request.query;
      const range = statisticsRange(q, services.clock());
      return ok(
        await dailyStatistics(services.pool, { ...range, projectId: q.projectId ?? null, staffId: q.staffId ?? null }),
      );
    },
  );
}
