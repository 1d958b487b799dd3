import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commandHandler } from '../../commands/handler.js';
import { systemMetadata } from '../../commands/metadata.js';
import { depositDecider } from '../../domain/payments/deposit.js';
import { depositStream, type PolicySnapshot } from '../../domain/payments/deposit-events.js';
import { paymentDecider } from '../../domain/payments/payment.js';
import { paymentStream } from '../../domain/payments/payment-events.js';
import type { DepositView, PaymentView } from '../../projections/payments/payments-queries.js';
import { eventually, startTestApp, TEST_ADMIN, type TestApp } from '../support/app.js';
import { bearer, type StaffTestAccounts, staffTestAccounts } from '../support/staff-accounts.js';

/**
 * The money read routes over HTTP (money-queries.ts, finance-reports.ts). Deposits and payments are
 * seeded through the real deciders into the app's store; the app's projector builds the read models.
 */
let t: TestApp;
let accounts: StaffTestAccounts;
let admin: Record<string, string>;
let customer: { id: string; auth: Record<string, string> };
let stranger: { id: string; auth: Record<string, string> };
let sales: { id: string; auth: Record<string, string> };
const paid = { depositId: randomUUID(), paymentId: randomUUID() };
const waiting = { depositId: randomUUID(), paymentId: randomUUID() };

const policy: PolicySnapshot = {
  policyId: randomUUID(),
  version: 1,
  terms: {
    allowedDepositTypes: ['reservation'],
    reservationTtlHours: 48,
    reservationAmount: { kind: 'fixed', amount: 1_000_000 },
    securityAmount: null,
    refundRules: [],
    convertReservationToSecurity: false,
    releaseRequiresHandover: true,
    commission: { kind: 'percent_of_deposit', percent: 10 },
  },
};

async function seed(ids: { depositId: string; paymentId: string }, pay: boolean) {
  const deps = { store: t.app.services.store, clock: t.app.services.clock };
  const payments = commandHandler(deps, { decider: paymentDecider, stream: (c) => paymentStream(c.paymentId) });
  const deposits = commandHandler(deps, { decider: depositDecider, stream: (c) => depositStream(c.depositId) });
  const meta = systemMetadata('finance-api-test');
  const { depositId, paymentId } = ids;
  const parties = {
    customerId: customer.id,
    ownerId: randomUUID(),
    listingId: randomUUID(),
    roomId: randomUUID(),
    projectId: randomUUID(),
    areaId: null,
    salesStaffId: sales.id,
  };
  await deposits(
    {
      type: 'RequestDeposit',
      depositId,
      kind: 'reservation',
      parties,
      amountVnd: 1_000_000,
      feeVnd: 20_000,
      policy,
      paymentId,
      convertedFrom: null,
      roomHoldId: depositId,
    },
    meta,
  );
  await payments(
    {
      type: 'InitiatePayment',
      paymentId,
      payerId: customer.id,
      purpose: { kind: 'deposit', depositId },
      principalVnd: 1_000_000,
      feeVnd: 20_000,
      gateway: pay ? 'vnpay' : 'manual',
      gatewayRef: `REF-${paymentId.slice(0, 8)}`,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
    meta,
  );
  if (!pay) return;
  const notice = {
    outcome: 'paid' as const,
    amountVnd: 1_020_000,
    currency: 'VND',
    gatewayTransactionId: `T-${paymentId}`,
    resultCode: '00',
    message: 'ok',
  };
  await payments({ type: 'RecordGatewayNotice', paymentId, notice }, meta);
  await payments({ type: 'CapturePayment', paymentId }, meta);
  await deposits({ type: 'MarkDepositPaid', depositId, paymentId }, meta);
}

beforeAll(async () => {
  t = await startTestApp();
  accounts = staffTestAccounts(t, () => admin);
  admin = bearer((await accounts.signIn(TEST_ADMIN.email, TEST_ADMIN.password)).accessToken);
  const signedUp = await accounts.signedInCustomer('money.customer@example.vn');
  customer = { id: signedUp.id, auth: bearer(signedUp.token) };
  const other = await accounts.signedInCustomer('money.stranger@example.vn');
  stranger = { id: other.id, auth: bearer(other.token) };
  const staff = await accounts.invitedUser('money.sales@example.vn', ['sales']);
  sales = { id: staff.id, auth: bearer(staff.token) };
  await seed(paid, true);
  await seed(waiting, false);
  await eventually(async () => {
    const answer = await t.call<DepositView>('GET', `/api/v1/deposits/${paid.depositId}`, undefined, customer.auth);
    expect(answer.body.data?.status).toBe('held');
  }, 20_000);
});
afterAll(async () => {
  await t.close();
});

describe('deposits and payments', () => {
  test('a deposit is seen by its customer, its sales staff and admins; 404 for anyone else', async () => {
    const path = `/api/v1/deposits/${paid.depositId}`;
    const mine = await t.call<DepositView & { payments: PaymentView[] }>('GET', path, undefined, customer.auth);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toMatchObject({ status: 'held', amountVnd: 1_000_000, salesStaffId: sales.id });
    expect(mine.body.data.payments.map((p) => [p.id, p.status, p.totalVnd])).toEqual([
      [paid.paymentId, 'captured', 1_020_000],
    ]);
    expect((await t.call('GET', path, undefined, sales.auth)).status).toBe(200);
    expect((await t.call('GET', path, undefined, admin)).status).toBe(200);
    expect((await t.call('GET', path, undefined, stranger.auth)).status).toBe(404);
    expect((await t.call('GET', path)).status).toBe(401);
  });

  test('my deposits, my transactions, a payment and its receipt', async () => {
    const deposits = await t.call<{ items: DepositView[] }>('GET', '/api/v1/me/deposits', undefined, customer.auth);
    expect(deposits.body.data.items.map((d) => d.id)).toEqual([waiting.depositId, paid.depositId]);
    const history = await t.call<{ items: { type: string; status: string }[]; nextBefore: string | null }>(
      'GET',
      '/api/v1/me/transactions?status=captured',
      undefined,
      customer.auth,
    );
    expect(history.body.data.items).toEqual([
      expect.objectContaining({ type: 'reservation_deposit', paymentId: paid.paymentId }),
    ]);
    const bad = await t.call('GET', '/api/v1/me/transactions?status=lost', undefined, customer.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.field).toBe('status.0');

    const payment = `/api/v1/payments/${paid.paymentId}`;
    expect((await t.call<PaymentView>('GET', payment, undefined, customer.auth)).body.data.status).toBe('captured');
    expect((await t.call('GET', payment, undefined, stranger.auth)).status).toBe(404);
    const receipt = await fetch(`${t.url}${payment}/receipt.pdf`, { headers: customer.auth });
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    expect(receipt.headers.get('content-disposition')).toMatch(/^attachment; filename="BL-\d{8}-[0-9A-F]{8}\.pdf"$/);
    expect(
      Buffer.from(await receipt.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const unpaid = await t.call('GET', `/api/v1/payments/${waiting.paymentId}/receipt.pdf`, undefined, customer.auth);
    expect(unpaid.status).toBe(409);
  });

  test('the sales desk and the admin list are guarded by their permissions', async () => {
    const desk = await t.call<{ credited: DepositView[]; awaitingTransfers: PaymentView[] }>(
      'GET',
      '/api/v1/sales/deposits',
      undefined,
      sales.auth,
    );
    expect(desk.status).toBe(200);
    expect(desk.body.data.awaitingTransfers.map((p) => p.id)).toEqual([waiting.paymentId]);
    expect((await t.call('GET', '/api/v1/sales/deposits', undefined, customer.auth)).status).toBe(403);
    const list = await t.call<{ items: PaymentView[] }>(
      'GET',
      '/api/v1/admin/payments?status=captured',
      undefined,
      admin,
    );
    expect(list.body.data.items.map((p) => p.id)).toEqual([paid.paymentId]);
    expect((await t.call('GET', '/api/v1/admin/payments', undefined, sales.auth)).status).toBe(403);
  });
});

describe('reports', () => {
  test('sales income as JSON and Excel with the same figures; bad input names the field', async () => {
    const json = await t.call<{ totalVnd: number; rows: { commissionVnd: number }[] }>(
      'GET',
      '/api/v1/sales/income?groupBy=week',
      undefined,
      sales.auth,
    );
    expect(json.status).toBe(200);
    expect(json.body.data.totalVnd).toBe(100_000);
    const xlsx = await fetch(`${t.url}/api/v1/sales/income?format=xlsx`, { headers: sales.auth });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.arrayBuffer()) as ExcelJS.Buffer);
    const sheet = book.getWorksheet('Thu nhập');
    expect(sheet?.getRow(2).getCell(6).value).toBe(json.body.data.rows[0]?.commissionVnd);
    const pdf = await fetch(`${t.url}/api/v1/sales/income?format=pdf`, { headers: sales.auth });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bad = await t.call('GET', '/api/v1/sales/income?groupBy=year', undefined, sales.auth);
    expect([bad.status, bad.body.error?.field]).toEqual([400, 'groupBy']);
    expect((await t.call('GET', '/api/v1/sales/income', undefined, customer.auth)).status).toBe(403);
  });

  test('the finance report and the ledger for finance readers', async () => {
    const report = await t.call<{ totals: { depositsVnd: number; feesVnd: number; commissionsVnd: number } }>(
      'GET',
      '/api/v1/admin/finance/report?by=staff',
      undefined,
      admin,
    );
    expect(report.status).toBe(200);
    expect(report.body.data.totals).toMatchObject({ depositsVnd: 1_000_000, feesVnd: 20_000, commissionsVnd: 100_000 });
    const xlsx = await fetch(`${t.url}/api/v1/admin/finance/report?format=xlsx&by=project`, { headers: admin });
    expect(xlsx.headers.get('content-disposition')).toMatch(/bao-cao-tai-chinh_project_.*\.xlsx/);
    const bad = await t.call('GET', '/api/v1/admin/finance/report?from=2026-13-01', undefined, admin);
    expect([bad.status, bad.body.error?.field]).toEqual([400, 'from']);
    expect((await t.call('GET', '/api/v1/admin/finance/report', undefined, sales.auth)).status).toBe(403);

    const trial = await eventually(async () => {
      const answer = await t.call<{ balanced: boolean; totals: { debitsVnd: number } }>(
        'GET',
        '/api/v1/admin/ledger/trial-balance',
        undefined,
        admin,
      );
      expect(answer.body.data.totals.debitsVnd).toBeGreaterThan(0);
      return answer;
    });
    expect(trial.body.data.balanced).toBe(true);
    const balances = await t.call<{ account: string }[]>(
      'GET',
      '/api/v1/admin/ledger/balances?account=escrow',
      undefined,
      admin,
    );
    expect(balances.body.data.every((b) => b.account === 'escrow')).toBe(true);
    const postings = await t.call<{ postings: unknown[]; next: string | null }>(
      'GET',
      '/api/v1/admin/ledger/postings?limit=2',
      undefined,
      admin,
    );
    expect(postings.body.data.postings).toHaveLength(2);
    const next = postings.body.data.next ?? '';
    expect((await t.call('GET', `/api/v1/admin/ledger/postings?before=${next}`, undefined, admin)).status).toBe(200);
    expect((await t.call('GET', '/api/v1/admin/ledger/postings?before=x', undefined, admin)).status).toBe(400);
  });
});
