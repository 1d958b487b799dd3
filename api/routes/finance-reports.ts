import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCOUNT_CODES } from '../../domain/ledger/journal.js';
import { invalid } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { accountBalances, postingsOf, trialBalance } from '../../projections/ledger/ledger-queries.js';
import {
  financeReport,
  reportRange,
  salesIncome,
  vietnamDayStart,
} from '../../projections/payments/finance-reports.js';
import { payerContact } from '../../projections/payments/payments-queries.js';
import { envelopeOf, ok } from '../envelope.js';
import {
  financeReportSheets,
  financeReportTable,
  rangeName,
  salesIncomeSheets,
  salesIncomeTable,
  sendReport,
} from './money-documents.js';
import { exportFormat, financeReportView, isoDate, salesIncomeView } from './money-schemas.js';

const rangeQuery = { from: isoDate.optional(), to: isoDate.optional(), format: exportFormat };
/** A subject as posted (`user:<id>`, `deposit:<id>`); `none` asks for the account's unsplit line. */
const subject = z.string().min(1).max(200).optional();
const subjectOf = (value: string | undefined) => (value === 'none' ? null : value);
const account = z.enum(ACCOUNT_CODES as [string, ...string[]]).optional();

const accountBalance = z.object({
  account: z.string(),
  subject: z.string().nullable(),
  debitVnd: z.number().int(),
  creditVnd: z.number().int(),
  balanceVnd: z.number().int(),
  postingCount: z.number().int(),
  updatedAt: z.date(),
});
const trialBalanceView = z.object({
  accounts: z.array(
    z.object({
      account: z.string(),
      name: z.string().nullable(),
      normal: z.enum(['debit', 'credit']),
      debitsVnd: z.number().int(),
      creditsVnd: z.number().int(),
      balanceVnd: z.number().int(),
    }),
  ),
  totals: z.object({ debitsVnd: z.number().int(), creditsVnd: z.number().int() }),
  balanced: z.boolean(),
});
const posting = z.object({
  position: z.string(),
  eventId: z.string(),
  lineNo: z.number().int(),
  stream: z.string(),
  eventType: z.string(),
  account: z.string(),
  subject: z.string().nullable(),
  side: z.enum(['debit', 'credit']),
  amountVnd: z.number().int(),
  memo: z.string(),
  occurredAt: z.date(),
  actorId: z.string().nullable(),
});

/** `<position>:<lineNo>`, the postings' keyset cursor on the wire. */
const postingCursor = z
  .string()
  .regex(/^\d{1,19}:\d{1,6}$/, 'expected <position>:<lineNo>')
  .optional();

/**
 * Income and finance reports (UC-SALE-06, UC-ADMIN-04) as JSON, Excel or PDF from the same figures,
 * and the ledger's read models (balances, trial balance, postings).
 */
export function financeReportRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;
  const finance = { onRequest: app.requires('report:finance_read') };
  const me = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';

  api.get(
    '/api/v1/sales/income',
    {
      onRequest: app.requires('deposit:confirm_offline'),
      schema: {
        tags: ['sales', 'reports'],
        summary:
          'My income (UC-SALE-06): commissions on my deposits; from/to are Vietnamese dates (default: this month)',
        querystring: z.object({ ...rangeQuery, groupBy: z.enum(['day', 'week', 'month']).default('day') }),
        response: { 200: envelopeOf(salesIncomeView) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const now = services.clock();
      const report = await salesIncome(pool, me(request), { ...reportRange(q, now), groupBy: q.groupBy, now });
      if (q.format === 'json') return ok(report);
      const staffName = (await payerContact(pool, me(request)))?.name ?? '';
      return sendReport(reply, q.format, `thu-nhap_${rangeName(report)}`, {
        title: 'Báo cáo thu nhập nhân viên bán hàng',
        sheets: () => salesIncomeSheets(report),
        table: () => salesIncomeTable(report, staffName, now),
        generatedAt: now,
      });
    },
  );

  api.get(
    '/api/v1/admin/finance/report',
    {
      ...finance,
      schema: {
        tags: ['admin', 'reports'],
        summary: 'Finance report (UC-ADMIN-04) by type, project, sales staff or area; from/to are Vietnamese dates',
        querystring: z.object({ ...rangeQuery, by: z.enum(['type', 'project', 'staff', 'area']).default('type') }),
        response: { 200: envelopeOf(financeReportView) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const now = services.clock();
      const report = await financeReport(pool, { ...reportRange(q, now), by: q.by });
      if (q.format === 'json') return ok(report);
      return sendReport(reply, q.format, `bao-cao-tai-chinh_${q.by}_${rangeName(report)}`, {
        title: 'Báo cáo tài chính',
        sheets: () => financeReportSheets(report),
        table: () => financeReportTable(report, now),
        generatedAt: now,
      });
    },
  );

  api.get(
    '/api/v1/admin/ledger/balances',
    {
      ...finance,
      schema: {
        tags: ['admin', 'ledger'],
        summary: 'Ledger balances per account and subject (`subject=none`: the unsplit line)',
        querystring: z.object({ account, subject }),
        response: { 200: envelopeOf(z.array(accountBalance)) },
      },
    },
    async (request) => {
      const { account: code, subject: who } = request.query;
      return ok(
        await accountBalances(pool, {
          ...(code !== undefined && { account: code }),
          ...(who !== undefined && { subject: subjectOf(who) }),
        }),
      );
    },
  );

  api.get(
    '/api/v1/admin/ledger/trial-balance',
    {
      ...finance,
      schema: {
        tags: ['admin', 'ledger'],
        summary: 'Trial balance: debits and credits per account; balanced when they are equal',
        response: { 200: envelopeOf(trialBalanceView) },
      },
    },
    async () => ok(await trialBalance(pool)),
  );

  api.get(
    '/api/v1/admin/ledger/postings',
    {
      ...finance,
      schema: {
        tags: ['admin', 'ledger'],
        summary: 'Ledger postings, newest first (pass `next` as `before`); from/to are Vietnamese dates',
        querystring: z.object({
          account,
          subject,
          from: isoDate.optional(),
          to: isoDate.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: postingCursor,
        }),
        response: { 200: envelopeOf(z.object({ postings: z.array(posting), next: z.string().nullable() })) },
      },
    },
    async (request) => {
      const q = request.query;
      const [position, lineNo] = q.before?.split(':') ?? [];
      if (position !== undefined && BigInt(position) > 9_223_372_036_854_775_807n) {
        throw invalid('CURSOR_INVALID', 'before: con trỏ trang không hợp lệ', 'before');
      }
      const page = await postingsOf(pool, {
        ...(q.account !== undefined && { account: q.account }),
        ...(q.subject !== undefined && { subject: subjectOf(q.subject) }),
        ...(q.from && { from: vietnamDayStart(q.from, 'from') }),
        ...(q.to && { to: vietnamDayStart(q.to, 'to', 1) }),
        limit: q.limit,
        ...(position !== undefined && { before: { position, lineNo: Number(lineNo) } }),
      });
      return ok({ postings: page.postings, next: page.next && `${page.next.position}:${page.next.lineNo}` });
    },
  );
}
