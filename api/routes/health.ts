import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../ops/services.js';
import { projectionStatus } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';

const LAG_DEGRADED_SECONDS = 30;

const check = async (probe: () => Promise<unknown>) => {
  try {
    await probe();
    return { ok: true, error: null };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
};

const healthData = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  eventStore: z.object({ ok: z.boolean(), error: z.string().nullable() }),
  database: z.object({ ok: z.boolean(), error: z.string().nullable() }),
  projections: z.array(
    z.object({
      name: z.string(),
      version: z.number(),
      position: z.string(),
      headPosition: z.string(),
      lag: z.number(),
      lagSeconds: z.number(),
      lastError: z.string().nullable(),
    }),
  ),
});

export function healthRoutes(app: FastifyInstance, services: Services) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        summary: 'Event store, database and projection lag',
        response: { 200: envelopeOf(healthData), 503: envelopeOf(healthData) },
      },
    },
    async (_request, reply) => {
      const [eventStore, database] = await Promise.all([
        check(() => services.store.headPosition()),
        check(() => services.pool.query('select 1')),
      ]);
      const projections =
        eventStore.ok && database.ok
          ? await projectionStatus(services.pool, services.store, services.projections, services.clock())
          : [];
      const lagging = projections.some((p) => p.lagSeconds > LAG_DEGRADED_SECONDS || p.lastError !== null);
      const status = !eventStore.ok || !database.ok ? 'down' : lagging ? 'degraded' : 'ok';
      return reply.status(status === 'down' ? 503 : 200).send(ok({ status, eventStore, database, projections }));
    },
  );
}
