import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GATEWAYS } from '../../domain/payments/payment-events.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getPayment } from '../../projections/payments/payments-queries.js';
import { getWallet, getWithdrawal, listWithdrawals } from '../../projections/payments/wallets-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { ok } from '../envelope.js';
import { commandMetadataOf, idempotencyKeyOf, newIdFor } from '../request-metadata.js';

const vnd = z.number().int().positive().max(10_000_000_000);
const text = z.string().trim().min(1).max(200);

/** The customer's wallet (system policy): balance, top-ups, withdrawals; staff pay withdrawals out. */
export function walletRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool, money } = services;
  const tags = ['payments'];
  const me = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';
  const settled = async (readModel: string, position: bigint | null) => {
    if (position !== null) await waitForProjection(pool, readModel, position, 2000);
  };
  const withdrawalMissing = () => notFound('WITHDRAWAL_NOT_FOUND', 'Không tìm thấy yêu cầu rút tiền');

  api.get(
    '/api/v1/me/wallet',
    { onRequest: app.requires(), schema: { tags: ['me', ...tags], summary: 'My wallet: balance and withdrawals' } },
    async (request) => ok({ enabled: money.wallets.enabled, ...(await getWallet(pool, me(request))) }),
  );

  api.post(
    '/api/v1/me/wallet/top-ups',
    {
      onRequest: app.requires('booking:create'),
      schema: {
        tags,
        summary: 'Top the wallet up through a gateway (Idempotency-Key required): returns the checkout',
        body: z.object({ amountVnd: vnd, gateway: z.enum(GATEWAYS) }),
      },
    },
    async (request, reply) => {
      idempotencyKeyOf(request);
      const result = await money.wallets.topUp(
        { paymentId: newIdFor(request), ...request.body },
        me(request),
        request.ip,
        commandMetadataOf(request),
      );
      await settled('payments', result.position);
      const payment = await getPayment(pool, result.paymentId);
      return reply.status(201).send(ok({ paymentId: result.paymentId, payment, checkout: result.checkout }));
    },
  );

  api.post(
    '/api/v1/me/wallet/withdrawals',
    {
      onRequest: app.requires('booking:create'),
      schema: {
        tags,
        summary: 'Ask for money from the wallet to a bank account (Idempotency-Key required)',
        body: z.object({
          amountVnd: vnd,
          bank: text,
          accountNumber: z.string().regex(/^[0-9]{6,20}$/),
          accountName: text,
        }),
      },
    },
    async (request, reply) => {
      idempotencyKeyOf(request);
      const { amountVnd, bank, accountNumber, accountName } = request.body;
      const withdrawalId = newIdFor(request);
      const result = await money.wallets.withdraw(
        { withdrawalId, amountVnd, bankAccount: { bank, accountNumber, accountName } },
        me(request),
        commandMetadataOf(request),
      );
      await settled('wallets', result.position);
      return reply.status(201).send(ok(await getWithdrawal(pool, withdrawalId), 'Đã gửi yêu cầu rút tiền'));
    },
  );

  api.get(
    '/api/v1/admin/wallet-withdrawals',
    {
      onRequest: app.requires('payment:refund'),
      schema: {
        tags,
        summary: 'Wallet withdrawals to pay out (status requested or paid)',
        querystring: z.object({ status: z.enum(['requested', 'paid']).optional() }),
      },
    },
    async (request) =>
      ok(await listWithdrawals(pool, { ...(request.query.status && { status: request.query.status }), limit: 200 })),
  );

  api.post(
    '/api/v1/admin/wallet-withdrawals/:id/paid',
    {
      onRequest: app.requires('payment:refund'),
      schema: {
        tags,
        summary: 'Record that a withdrawal was paid to the bank account (with the transfer reference)',
        params: z.object({ id: z.uuid() }),
        body: z.object({ reference: text }),
      },
    },
    async (request) => {
      const withdrawal = await getWithdrawal(pool, request.params.id);
      if (!withdrawal) throw withdrawalMissing();
      const result = await money.wallets.markWithdrawalPaid(
        withdrawal.userId,
        withdrawal.id,
        request.body.reference,
        commandMetadataOf(request),
      );
      await settled('wallets', result.position);
      return ok(await getWithdrawal(pool, withdrawal.id), 'Đã ghi nhận chi trả');
    },
  );
}
