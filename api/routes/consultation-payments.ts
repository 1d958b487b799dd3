import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GATEWAYS } from '../../domain/payments/payment-events.js';
import type { Services } from '../../ops/services.js';
import { getPayment } from '../../projections/payments/payments-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { ok } from '../envelope.js';
import { commandMetadataOf, idempotencyKeyOf, newIdFor } from '../request-metadata.js';

/** Paying a consultation's fee (the booking waits `requested` with a payment deadline until then). */
export function consultationPaymentRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool, money } = services;
  const me = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';

  api.post(
    '/api/v1/bookings/:id/pay',
    {
      onRequest: app.requires('booking:create'),
      config: { rateLimit: { max: app.rateLimitPolicy.depositsPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['payments'],
        summary: 'Pay a consultation’s fee (Idempotency-Key required): returns the checkout',
        params: z.object({ id: z.uuid() }),
        body: z.object({ gateway: z.enum(GATEWAYS) }),
      },
    },
    async (request, reply) => {
      idempotencyKeyOf(request);
      const result = await money.consultations.pay(
        { bookingId: request.params.id, paymentId: newIdFor(request), gateway: request.body.gateway },
        me(request),
        request.ip,
        commandMetadataOf(request),
      );
      if (result.position !== null) await waitForProjection(pool, 'payments', result.position, 2000);
      const payment = await getPayment(pool, result.paymentId);
      return reply
        .status(201)
        .send(ok({ paymentId: result.paymentId, payment, checkout: result.checkout }, 'Đã tạo giao dịch thanh toán'));
    },
  );
}
