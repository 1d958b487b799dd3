import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  financeReportSheets,
  financeReportTable,
  receiptOf,
  salesIncomeSheets,
  salesIncomeTable,
} from '../../api/routes/money-documents.js';
import { renderReceiptPdf, renderTablePdf } from '../../commands/exports/pdf.js';
import { renderWorkbook } from '../../commands/exports/xlsx.js';
import { financeReport, reportRange, salesIncome } from '../../projections/payments/finance-reports.js';
import * as q from '../../projections/payments/payments-queries.js';
import { D, K, NOW, openPaymentsWorld, P1, P2, type PaymentsWorld, S1, S2 } from '../support/payments-world.js';

const march = () => reportRange({ from: '2026-03-01', to: '2026-03-31' }, NOW);
const sheetOf = (book: ExcelJS.Workbook, name: string) => {
  const sheet = book.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet;
};
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

let w: PaymentsWorld;
beforeAll(async () => {
  w = await openPaymentsWorld();
});
afterAll(async () => {
  await w.close();
});

describe('sales income', () => {
  test('by day in Vietnamese days; this month, last month, totals', async () => {
    const report = await salesIncome(w.db.pool, S1, { ...march(), groupBy: 'day', now: NOW });
    expect(report).toMatchObject({
      thisMonthVnd: 400_000,
      lastMonthVnd: 50_000,
      totalVnd: 400_000,
      allTimeVnd: 450_000,
    });
    expect(report.series).toHaveLength(31);
    expect(report.series.filter((p) => p.amountVnd > 0)).toEqual([
      { period: '2026-03-02', amountVnd: 100_000 },
      { period: '2026-03-09', amountVnd: 300_000 },
    ]);
    expect(report.rows).toEqual([
      {
        at: '2026-03-02T03:00:00.000Z',
        depositId: D.d1.depositId,
        listingTitle: 'Phòng trọ gần chợ Bà Chiểu',
        customerName: 'Nguyễn Văn Khách',
        kind: 'reservation',
        depositVnd: 1_000_000,
        commissionVnd: 100_000,
        status: 'held',
      },
      expect.objectContaining({
        depositId: D.d2.depositId,
        kind: 'security',
        depositVnd: 3_000_000,
        commissionVnd: 300_000,
      }),
    ]);
    expect(sum(report.series.map((p) => p.amountVnd))).toBe(report.totalVnd);
  });

  test('by week (Monday, Vietnam) and by month', async () => {
    const weeks = await salesIncome(w.db.pool, S1, { ...march(), groupBy: 'week', now: NOW });
    expect(weeks.series).toEqual([
      { period: '2026-02-23', amountVnd: 0 },
      { period: '2026-03-02', amountVnd: 100_000 },
      { period: '2026-03-09', amountVnd: 300_000 },
      { period: '2026-03-16', amountVnd: 0 },
      { period: '2026-03-23', amountVnd: 0 },
      { period: '2026-03-30', amountVnd: 0 },
    ]);
    const months = await salesIncome(w.db.pool, S1, {
      ...reportRange({ from: '2026-01-01', to: '2026-03-31' }, NOW),
      groupBy: 'month',
      now: NOW,
    });
    expect(months.series).toEqual([
      { period: '2026-01', amountVnd: 0 },
      { period: '2026-02', amountVnd: 50_000 },
      { period: '2026-03', amountVnd: 400_000 },
    ]);
    expect(months.totalVnd).toBe(450_000);
    const s2 = await salesIncome(w.db.pool, S2, { ...march(), groupBy: 'month', now: NOW });
    expect(s2).toMatchObject({ totalVnd: 200_000, rows: [expect.objectContaining({ status: 'refunded' })] });
  });

  test('the Excel export shows the JSON figures; the PDF renders', async () => {
    const report = await salesIncome(w.db.pool, S1, { ...march(), groupBy: 'day', now: NOW });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(
      (await renderWorkbook(salesIncomeSheets(report), {
        title: 'Thu nhập',
        generatedAt: NOW,
      })) as unknown as ExcelJS.Buffer,
    );
    const deals = sheetOf(book, 'Thu nhập');
    const cells = (row: number) => (deals.getRow(row).values as unknown[]).slice(1);
    expect(cells(2)[4]).toBe(1_000_000);
    expect(report.rows.map((_, i) => cells(i + 2)[5])).toEqual(report.rows.map((r) => r.commissionVnd));
    expect(cells(report.rows.length + 2)[5]).toBe(report.totalVnd);
    const periods = sheetOf(book, 'Theo kỳ');
    const amounts = report.series.map((_, i) => periods.getRow(i + 2).getCell(2).value);
    expect(amounts).toEqual(report.series.map((p) => p.amountVnd));
    const pdf = await renderTablePdf(salesIncomeTable(report, 'Lê Bán Hàng', NOW));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('finance report', () => {
  const zero = {
    depositsVnd: 0,
    consultationsVnd: 0,
    feesVnd: 0,
    refundsVnd: 0,
    forfeitsVnd: 0,
    commissionsVnd: 0,
    count: 0,
  };
  const expectedTotals = {
    depositsVnd: 6_000_000,
    consultationsVnd: 500_000,
    feesVnd: 60_000,
    refundsVnd: 1_200_000,
    forfeitsVnd: 1_000_000,
    commissionsVnd: 600_000,
    count: 4,
  };

  test('by project, staff, area and type: groups, and totals equal to their sum', async () => {
    const byProject = await financeReport(w.db.pool, { ...march(), by: 'project' });
    expect(byProject.groups).toEqual([
      {
        ...zero,
        key: P1,
        label: 'Dự án Bình Thạnh',
        depositsVnd: 3_000_000,
        feesVnd: 60_000,
        refundsVnd: 1_000_000,
        forfeitsVnd: 1_000_000,
        commissionsVnd: 300_000,
        count: 2,
      },
      { ...zero, key: P2, label: 'Dự án Thủ Đức', depositsVnd: 3_000_000, commissionsVnd: 300_000, count: 1 },
      { ...zero, key: null, label: 'Không thuộc dự án', consultationsVnd: 500_000, refundsVnd: 200_000, count: 1 },
    ]);
    const byStaff = await financeReport(w.db.pool, { ...march(), by: 'staff' });
    expect(byStaff.groups.map((g) => [g.label, g.depositsVnd, g.commissionsVnd, g.count])).toEqual([
      ['Lê Bán Hàng', 4_000_000, 400_000, 2],
      ['Phạm Kinh Doanh', 2_000_000, 200_000, 1],
      ['Không có NVBH', 0, 0, 1],
    ]);
    const byArea = await financeReport(w.db.pool, { ...march(), by: 'area' });
    expect(byArea.groups.map((g) => [g.key, g.label, g.feesVnd])).toEqual([
      ['A1', 'Quận Bình Thạnh', 60_000],
      ['A2', 'Thành phố Thủ Đức', 0],
      [null, 'Không rõ khu vực', 0],
    ]);
    const byType = await financeReport(w.db.pool, { ...march(), by: 'type' });
    expect(byType.groups.map((g) => [g.key, g.label, g.depositsVnd + g.consultationsVnd, g.refundsVnd])).toEqual([
      ['consultation', 'Phí tư vấn', 500_000, 200_000],
      ['reservation', 'Cọc giữ chỗ', 3_000_000, 1_000_000],
      ['security', 'Cọc an ninh', 3_000_000, 0],
    ]);
    for (const report of [byProject, byStaff, byArea, byType]) {
      expect(report.totals).toEqual(expectedTotals);
      for (const field of Object.keys(zero) as (keyof typeof zero)[]) {
        expect(sum(report.groups.map((g) => g[field]))).toBe(report.totals[field]);
      }
    }
    expect(byType.series.filter((p) => p.amountVnd > 0)).toEqual([
      { period: '2026-03-02', amountVnd: 1_020_000 },
      { period: '2026-03-05', amountVnd: 500_000 },
      { period: '2026-03-09', amountVnd: 3_000_000 },
      { period: '2026-03-12', amountVnd: 2_040_000 },
    ]);
    const february = await financeReport(w.db.pool, {
      ...reportRange({ from: '2026-02-01', to: '2026-02-28' }, NOW),
      by: 'type',
    });
    expect(february.totals).toEqual({ ...zero, depositsVnd: 500_000, commissionsVnd: 50_000, count: 1 });
  });

  test('the Excel export shows the JSON figures; the PDF and a receipt render', async () => {
    const report = await financeReport(w.db.pool, { ...march(), by: 'project' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(
      (await renderWorkbook(financeReportSheets(report), {
        title: 'Tài chính',
        generatedAt: NOW,
      })) as unknown as ExcelJS.Buffer,
    );
    const sheet = sheetOf(book, 'Tổng hợp');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = (name: string) => header.indexOf(name) + 1;
    report.groups.forEach((group, i) => {
      const row = sheet.getRow(i + 2);
      expect(row?.getCell(column('Dự án')).value).toBe(group.label);
      expect(row?.getCell(column('Tiền cọc')).value).toBe(group.depositsVnd);
      expect(row?.getCell(column('Hoàn tiền')).value).toBe(group.refundsVnd);
      expect(row?.getCell(column('Hoa hồng')).value).toBe(group.commissionsVnd);
      expect(row?.getCell(column('Số giao dịch')).value).toBe(group.count);
    });
    const totals = sheet.getRow(report.groups.length + 2);
    expect(totals?.getCell(column('Tiền cọc')).value).toBe(report.totals.depositsVnd);
    expect(totals?.getCell(column('Mất cọc')).value).toBe(report.totals.forfeitsVnd);
    expect((await renderTablePdf(financeReportTable(report, NOW))).subarray(0, 5).toString()).toBe('%PDF-');

    const payment = await q.getPayment(w.db.pool, D.d3.paymentId);
    const receipt = receiptOf(
      payment as q.PaymentView,
      await q.payerContact(w.db.pool, K),
      await q.getDeposit(w.db.pool, D.d3.depositId),
    );
    expect(receipt).toMatchObject({ payerName: 'Nguyễn Văn Khách', totalVnd: 2_040_000, status: 'Đã hoàn tiền' });
    expect(receipt.lines.map((l) => l.amountVnd)).toEqual([2_000_000, 40_000]);
    expect((await renderReceiptPdf(receipt)).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
