import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEPOSIT_TYPES } from '../../domain/catalog/deposit-policy-events.js';
import { GATEWAYS } from '../../domain/payments/payment-events.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getDeposit, getPayment } from '../../projections/payments/payments-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { ok } from '../envelope.js';
import { commandMetadataOf, idempotencyKeyOf, newIdFor } from '../request-metadata.js';

const uuid = z.uuid();
const idParams = z.object({ id: uuid });
const newDepositBody = z.object({
  listingId: uuid,
  roomId: uuid,
  kind: z.enum(DEPOSIT_TYPES),
  gateway: z.enum(GATEWAYS),
});
const convertBody = z.object({ gateway: z.enum(GATEWAYS) });

/**
 * Deposits (UC-CUST-04): the options a listing's policy gives, a new deposit with its payment and
 * checkout, conversion of a held reservation into a security deposit, cancellation by the customer.
 */
export function depositRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool, money } = services;
  const tags = ['payments'];
  const me = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';
  const depositRateLimit = { rateLimit: { max: app.rateLimitPolicy.depositsPerMinute, timeWindow: 60_000 } };

  /** The answer after a command: the read models once they hold it (waited for up to 2 s). */
  const created = async (
    ids: { depositId: string; paymentId: string | null; position: bigint | null },
    checkout: unknown,
  ) => {
    if (ids.position !== null) await waitForProjection(pool, 'payments', ids.position, 2000);
    const deposit = await getDeposit(pool, ids.depositId);
    const payment = ids.paymentId === null ? null : await getPayment(pool, ids.paymentId);
    // The ids too: under load the read models may not hold the new rows within the 2 s waited.
    return { depositId: ids.depositId, paymentId: ids.paymentId, deposit, payment, checkout };
  };

  api.get(
    '/api/v1/listings/:id/deposit-options',
    {
      schema: {
        tags,
        summary: 'Deposit kinds, amounts, fees and gateways a listing offers, per room',
        params: idParams,
      },
    },
    async (request) => ok(await money.deposits.options(request.params.id)),
  );

  api.post(
    '/api/v1/deposits',
    {
      onRequest: app.requires('booking:create'),
      config: depositRateLimit,
      schema: {
        tags,
        summary: 'Pay a reservation or security deposit (Idempotency-Key required): returns the checkout',
        body: newDepositBody,
      },
    },
    async (request, reply) => {
      idempotencyKeyOf(request);
      const result = await money.deposits.create(
        { ...request.body, depositId: newIdFor(request, 0), paymentId: newIdFor(request, 1) },
        me(request),
        request.ip,
        commandMetadataOf(request),
      );
      return reply.status(201).send(ok(await created(result, result.checkout), 'Đã tạo giao dịch đặt cọc'));
    },
  );

  api.post(
    '/api/v1/deposits/:id/convert',
    {
      onRequest: app.requires('booking:create'),
      config: depositRateLimit,
      schema: {
        tags,
        summary: 'Convert a held reservation deposit into a security deposit (Idempotency-Key required)',
        params: idParams,
        body: convertBody,
      },
    },
    async (request, reply) => {
      idempotencyKeyOf(request);
      const result = await money.deposits.convert(
        {
          reservationId: request.params.id,
          depositId: newIdFor(request, 0),
          paymentId: newIdFor(request, 1),
          gateway: request.body.gateway,
        },
        me(request),
        request.ip,
        commandMetadataOf(request),
      );
      return reply.status(201).send(ok(await created(result, result.checkout), 'Đã chuyển thành cọc an ninh'));
    },
  );

  api.post(
    '/api/v1/deposits/:id/cancel',
    {
      onRequest: app.requires('booking:create'),
      schema: {
        tags,
        summary: 'Cancel a held deposit: refund by the policy’s rules, the rest forfeited',
        params: idParams,
      },
    },
    async (request) => {
      const { id } = request.params;
      const position = await money.deposits.cancel(id, { customerId: me(request) }, commandMetadataOf(request));
      const { deposit } = await created({ depositId: id, paymentId: null, position }, null);
      if (!deposit) throw notFound('DEPOSIT_NOT_FOUND', 'Không tìm thấy khoản cọc');
      return ok(deposit, 'Đã hủy cọc');
    },
  );
}
