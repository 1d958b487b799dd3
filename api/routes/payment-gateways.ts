import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { GatewayName } from '../../commands/payments/gateways/port.js';
import { newFileKey } from '../../commands/storage/port.js';
import { sniffFile } from '../../commands/storage/sniff.js';
import { GATEWAYS } from '../../domain/payments/payment-events.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { invalid } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getPayment } from '../../projections/payments/payments-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';
import { readUploads, registerUploads } from '../uploads.js';

const gatewayParams = z.object({ gateway: z.enum(GATEWAYS) });
const idParams = z.object({ id: z.uuid() });
const voidBody = z.object({ reason: z.string().trim().min(3).max(500) });
const PROOF_BYTES = 10 * 1024 * 1024;

const headersOf = (request: FastifyRequest) => request.headers as Record<string, string | string[] | undefined>;

/**
 * The gateways' side of a payment: server-to-server notices (IPN / callback / webhook, answered in
 * each provider's own format), the payer's browser return, staff confirming a bank transfer with
 * a proof (UC-SALE-04), and an admin giving back a flagged payment.
 */
export async function paymentGatewayRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { money, pool } = services;
  const tags = ['payments'];

  const answerNotice = async (request: FastifyRequest, gateway: GatewayName, body: unknown) => {
    const answer = await money.callbacks.handle(
      gateway,
      { query: request.query as Record<string, string | undefined>, body, headers: headersOf(request) },
      {
        ip: request.ip,
        userAgent: (request.headers['user-agent'] as string | undefined) ?? null,
        correlationId: String(request.id),
      },
    );
    return answer;
  };

  for (const method of ['GET', 'POST'] as const) {
    api.route({
      method,
      url: '/api/v1/payments/webhooks/:gateway',
      // Providers retry in bursts from few addresses; the signature, not the limiter, keeps strangers out.
      config: { rateLimit: { max: 1200, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: `Provider notice (${method}): VNPay IPN, MoMo IPN, ZaloPay callback, SePay webhook`,
        params: gatewayParams,
      },
      handler: async (request, reply) => {
        const answer = await answerNotice(request, request.params.gateway, request.body ?? null);
        return reply.status(answer.status).send(answer.body);
      },
    });
  }

  api.get(
    '/api/v1/payments/return/:gateway',
    {
      schema: {
        tags,
        summary: 'Where the gateway sends the payer back: on to the payment page',
        params: gatewayParams,
      },
    },
    async (request, reply) => {
      const gateway = money.gateways[request.params.gateway];
      const verified = gateway?.verifyReturn?.(request.query as Record<string, string | undefined>);
      if (!verified?.ok) return reply.redirect('/transactions?return=invalid');
      const paymentId = await money.checkouts.paymentOf(request.params.gateway, verified.notice.gatewayRef);
      return reply.redirect(paymentId ? `/payments/${paymentId}` : '/transactions?return=unknown');
    },
  );

  await app.register(async (scope) => {
    await registerUploads(scope);
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/payments/:id/confirm-transfer',
      {
        onRequest: app.requires('deposit:confirm_offline'),
        schema: {
          tags,
          summary: 'Sales confirm a bank transfer arrived: field `amountVnd`, file `proof` (PDF/JPG/PNG ≤ 10 MB)',
          consumes: ['multipart/form-data'],
          params: idParams,
        },
      },
      async (request) => {
        const { files, fields } = await readUploads(request, {
          fileFields: ['proof'],
          maxFiles: 1,
          maxFileBytes: PROOF_BYTES,
        });
        const proof = files[0];
        if (!proof) throw invalid('PROOF_REQUIRED', 'Tải lên chứng từ chuyển khoản', 'proof');
        const amount = Number(fields.get('amountVnd')?.[0]);
        if (!Number.isSafeInteger(amount) || amount <= 0) {
          throw invalid('AMOUNT_INVALID', 'Số tiền là số nguyên VND dương', 'amountVnd');
        }
        const type = await sniffFile(proof.bytes, ['application/pdf', 'image/jpeg', 'image/png'], 'proof');
        if (isDomainError(type)) throw type;
        const staffId = request.actor?.actAsId ?? request.actor?.id ?? '';
        const key = newFileKey('payments', request.params.id, type);
        await services.storage.put(key, proof.bytes, type);
        const metadata = commandMetadataOf(request);
        const result = await money.handlers.payment(
          {
            type: 'ConfirmManualPayment',
            paymentId: request.params.id,
            confirmedBy: staffId,
            proofFileId: key,
            amountVnd: amount,
          },
          metadata,
        );
        await money.settlement.settle(request.params.id, metadata);
        if (result.position !== null) await waitForProjection(pool, 'payments', result.position, 2000);
        return ok(await getPayment(pool, request.params.id), 'Đã xác nhận đã nhận tiền cọc');
      },
    );
  });

  api.post(
    '/api/v1/admin/payments/:id/void',
    {
      onRequest: app.requires('payment:refund'),
      schema: {
        tags,
        summary: 'Give back a flagged (or stuck authorized) payment whole',
        params: idParams,
        body: voidBody,
      },
    },
    async (request) => {
      const metadata = commandMetadataOf(request);
      const { id } = request.params;
      await money.handlers.payment({ type: 'RequestVoid', paymentId: id, reason: request.body.reason }, metadata);
      await money.settlement.settle(id, metadata);
      const payment = await money.handlers.paymentState(id);
      return ok({ paymentId: id, status: payment.status }, 'Đã yêu cầu hoàn trả');
    },
  );
}
