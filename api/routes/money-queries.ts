import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderReceiptPdf } from '../../commands/exports/pdf.js';
import { DEPOSIT_TYPES } from '../../domain/catalog/deposit-policy-events.js';
import type { Permission } from '../../domain/identity/permissions.js';
import { DEPOSIT_STATUSES } from '../../domain/payments/deposit-events.js';
import { GATEWAYS, PAYMENT_STATUSES } from '../../domain/payments/payment-events.js';
import { conflict, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { vietnamDayStart } from '../../projections/payments/finance-reports.js';
import {
  adminPayments,
  type DepositView,
  depositsOfCustomer,
  getDeposit,
  getPayment,
  type PaymentView,
  payerContact,
  paymentsOfDeposit,
  salesDeposits,
  transactionHistory,
} from '../../projections/payments/payments-queries.js';
import { TRANSACTION_STATUSES } from '../../projections/payments/transaction-history.js';
import { envelopeOf, ok } from '../envelope.js';
import { RECEIPT_STATUSES, receiptOf } from './money-documents.js';
import {
  before,
  depositView,
  depositWithPayments,
  isoDate,
  limit,
  pageOf,
  paymentView,
  statusList,
  transactionRow,
} from './money-schemas.js';

const idParams = z.object({ id: z.uuid() });

/**
 * Deposits and payments as their parties see them (money.md, "API"): a deposit or payment that is
 * not the caller's answers 404, so ids cannot be probed.
 */
export function moneyQueryRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;
  const signedIn = { onRequest: app.requires() };
  const tags = ['payments'];
  const me = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';
  const may = async (request: FastifyRequest, permission: Permission) =>
    request.actor !== null && (await services.identity.permissions.mayActor(request.actor, permission));
  const isOperator = (request: FastifyRequest) =>
    request.actor?.roles.some((role) => role === 'operator' || role === 'admin') ?? false;
  const depositMissing = () => notFound('DEPOSIT_NOT_FOUND', 'Không tìm thấy khoản cọc');
  const paymentMissing = () => notFound('PAYMENT_NOT_FOUND', 'Không tìm thấy giao dịch');

  /** Its customer, its owner, its sales staff, operators, admins and finance readers. */
  const depositFor = async (request: FastifyRequest, id: string): Promise<DepositView> => {
    const deposit = await getDeposit(pool, id);
    if (!deposit) throw depositMissing();
    const party = [deposit.customerId, deposit.ownerId, deposit.salesStaffId].includes(me(request));
    if (party || isOperator(request) || (await may(request, 'report:finance_read'))) return deposit;
    throw depositMissing();
  };

  /** Its payer, and staff: operators, admins, finance readers, refunders, and sales (deposit payments). */
  const paymentFor = async (request: FastifyRequest, id: string): Promise<PaymentView> => {
    const payment = await getPayment(pool, id);
    if (!payment) throw paymentMissing();
    if (payment.payerId === me(request) || isOperator(request)) return payment;
    if ((await may(request, 'report:finance_read')) || (await may(request, 'payment:refund'))) return payment;
    if (payment.purpose.kind === 'deposit' && (await may(request, 'deposit:confirm_offline'))) return payment;
    throw paymentMissing();
  };

  api.get(
    '/api/v1/deposits/:id',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'A deposit with its payments (its customer, owner, sales staff; operators, admins, finance)',
        params: idParams,
        response: { 200: envelopeOf(depositWithPayments) },
      },
    },
    async (request) => {
      const deposit = await depositFor(request, request.params.id);
      return ok({ ...deposit, payments: await paymentsOfDeposit(pool, deposit.id) });
    },
  );

  api.get(
    '/api/v1/me/deposits',
    {
      ...signedIn,
      schema: {
        tags: ['me', ...tags],
        summary: 'My deposits, newest first (keyset pages: pass `nextBefore` as `before`)',
        querystring: z.object({
          status: statusList(DEPOSIT_STATUSES).optional(),
          kind: z.enum(DEPOSIT_TYPES).optional(),
          limit,
          before,
        }),
        response: { 200: envelopeOf(pageOf(depositView)) },
      },
    },
    async (request) => {
      const q = request.query;
      return ok(
        await depositsOfCustomer(pool, me(request), {
          ...(q.status && { status: q.status }),
          ...(q.kind && { kind: q.kind }),
          limit: q.limit,
          ...(q.before && { before: q.before }),
        }),
      );
    },
  );

  api.get(
    '/api/v1/payments/:id',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'A payment transaction (its payer, staff)',
        params: idParams,
        response: { 200: envelopeOf(paymentView) },
      },
    },
    async (request) => ok(await paymentFor(request, request.params.id)),
  );

  api.get(
    '/api/v1/payments/:id/receipt.pdf',
    {
      ...signedIn,
      schema: { tags, summary: 'Receipt (PDF) of a captured, refunded or reversed payment', params: idParams },
    },
    async (request, reply) => {
      const payment = await paymentFor(request, request.params.id);
      if (!RECEIPT_STATUSES.includes(payment.status)) {
        throw conflict('RECEIPT_NOT_AVAILABLE', 'Chỉ giao dịch đã thanh toán mới có biên lai', {
          status: payment.status,
        });
      }
      const deposit = payment.purpose.kind === 'deposit' ? await getDeposit(pool, payment.purpose.depositId) : null;
      const receipt = receiptOf(payment, await payerContact(pool, payment.payerId), deposit);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${receipt.receiptNo}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(await renderReceiptPdf(receipt));
    },
  );

  api.get(
    '/api/v1/me/transactions',
    {
      ...signedIn,
      schema: {
        tags: ['me', ...tags],
        summary:
          'My transaction history (UC-CUST-06): payments and refunds, newest first; from/to are Vietnamese dates',
        querystring: z.object({
          status: statusList(TRANSACTION_STATUSES).optional(),
          from: isoDate.optional(),
          to: isoDate.optional(),
          limit,
          before,
        }),
        response: { 200: envelopeOf(pageOf(transactionRow)) },
      },
    },
    async (request) => {
      const q = request.query;
      return ok(
        await transactionHistory(pool, me(request), {
          ...(q.status && { status: q.status }),
          ...(q.from && { from: vietnamDayStart(q.from, 'from') }),
          ...(q.to && { to: vietnamDayStart(q.to, 'to', 1) }),
          limit: q.limit,
          ...(q.before && { before: q.before }),
        }),
      );
    },
  );

  api.get(
    '/api/v1/sales/deposits',
    {
      onRequest: app.requires('deposit:confirm_offline'),
      schema: {
        tags: ['sales', ...tags],
        summary: 'Deposits credited to me, and bank transfers awaiting confirmation (UC-SALE-04)',
        response: {
          200: envelopeOf(z.object({ credited: z.array(depositView), awaitingTransfers: z.array(paymentView) })),
        },
      },
    },
    async (request) => ok(await salesDeposits(pool, me(request))),
  );

  api.get(
    '/api/v1/admin/payments',
    {
      onRequest: app.requires('report:finance_read'),
      schema: {
        tags: ['admin', ...tags],
        summary: 'Every payment, newest first',
        querystring: z.object({
          status: statusList(PAYMENT_STATUSES).optional(),
          gateway: z.enum(GATEWAYS).optional(),
          limit,
          before,
        }),
        response: { 200: envelopeOf(pageOf(paymentView)) },
      },
    },
    async (request) => {
      const q = request.query;
      return ok(
        await adminPayments(pool, {
          ...(q.status && { status: q.status }),
          ...(q.gateway && { gateway: q.gateway }),
          limit: q.limit,
          ...(q.before && { before: q.before }),
        }),
      );
    },
  );
}
