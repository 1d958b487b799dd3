import type { FastifyReply } from 'fastify';
import type { ExportColumn } from '../../commands/exports/format.js';
import { formatDate, formatVnd } from '../../commands/exports/format.js';
import { type Receipt, renderTablePdf, type TableDocument } from '../../commands/exports/pdf.js';
import { renderWorkbook, type WorkbookSheet } from '../../commands/exports/xlsx.js';
import {
  type FinanceDimension,
  type FinanceReport,
  type SalesIncome,
  TYPE_LABELS,
} from '../../projections/payments/finance-reports.js';
import type { DepositView, PaymentView } from '../../projections/payments/payments-queries.js';

/** Receipts and the finance exports: the same figures as the JSON answers, laid out for people. */

export const COMPANY_NAME = 'Phòng Trọ Việt';

const GATEWAY_LABELS: Record<PaymentView['gateway'], string> = {
  vnpay: 'VNPay',
  momo: 'MoMo',
  zalopay: 'ZaloPay',
  sepay: 'Chuyển khoản ngân hàng (SePay)',
  manual: 'Chuyển khoản ngân hàng',
  wallet: 'Ví',
};

export const DEPOSIT_STATUS_LABELS: Record<DepositView['status'], string> = {
  awaiting_payment: 'Chờ thanh toán',
  held: 'Đang giữ',
  converted: 'Đã chuyển thành cọc an ninh',
  released: 'Đã giải tỏa',
  refunded: 'Đã hoàn',
  forfeited: 'Mất cọc',
  cancelled: 'Đã hủy',
};

/** Payments a receipt may be issued for: money that arrived and was applied (and maybe given back). */
export const RECEIPT_STATUSES: readonly PaymentView['status'][] = ['captured', 'refunded', 'reversed'];

export function receiptOf(
  payment: PaymentView,
  payer: { name: string; email: string } | null,
  deposit: DepositView | null,
): Receipt {
  const principalLabel =
    payment.purpose.kind === 'consultation'
      ? 'Phí tư vấn chuyên gia'
      : (TYPE_LABELS[deposit?.kind ?? ''] ?? 'Tiền cọc');
  const place = deposit ? [deposit.listingTitle, deposit.roomName].filter(Boolean).join(' · ') : '';
  const lines = [{ label: principalLabel, amountVnd: payment.principalVnd }];
  if (payment.feeVnd > 0) lines.push({ label: 'Phí dịch vụ nền tảng', amountVnd: payment.feeVnd });
  const notes: string[] = [];
  if (payment.status === 'refunded') notes.push(`Đã hoàn lại ${formatVnd(payment.refundedVnd)} cho khách hàng.`);
  if (payment.status === 'reversed') {
    notes.push(`Giao dịch đã được trả lại toàn bộ${payment.reason ? ` (lý do: ${payment.reason})` : ''}.`);
  }
  return {
    receiptNo: `BL-${payment.createdAt.slice(0, 10).replaceAll('-', '')}-${payment.id.slice(0, 8).toUpperCase()}`,
    issuedAt: new Date(payment.updatedAt),
    payerName: payer?.name ?? payment.payerName ?? '',
    payerEmail: payer?.email ?? '',
    description: place ? `${principalLabel} — ${place}` : principalLabel,
    lines,
    totalVnd: payment.totalVnd,
    method: GATEWAY_LABELS[payment.gateway],
    gatewayRef: payment.gatewayRef,
    status:
      { captured: 'Đã thanh toán', refunded: 'Đã hoàn tiền', reversed: 'Đã trả lại' }[payment.status as string] ?? '',
    companyName: COMPANY_NAME,
    notes,
  };
}

const period = (report: { from: string; to: string }) =>
  `${formatDate(new Date(report.from))} – ${formatDate(new Date(new Date(report.to).getTime() - 1))}`;

const incomeColumns: ExportColumn[] = [
  { key: 'at', header: 'Thời điểm', format: 'datetime', width: 90 },
  { key: 'listingTitle', header: 'Tin đăng' },
  { key: 'customerName', header: 'Khách hàng', width: 100 },
  { key: 'kind', header: 'Loại cọc', width: 70 },
  { key: 'depositVnd', header: 'Tiền cọc', format: 'vnd', width: 85 },
  { key: 'commissionVnd', header: 'Hoa hồng', format: 'vnd', width: 80 },
  { key: 'status', header: 'Trạng thái', width: 80 },
];
const seriesColumns: ExportColumn[] = [
  { key: 'period', header: 'Kỳ' },
  { key: 'amountVnd', header: 'Số tiền', format: 'vnd' },
];

/** Sheet 1: the deals; sheet 2: the series. Totals are the report's. */
export function salesIncomeSheets(report: SalesIncome): WorkbookSheet[] {
  return [
    {
      name: 'Thu nhập',
      columns: incomeColumns,
      rows: report.rows.map((row) => ({
        ...row,
        at: new Date(row.at),
        kind: TYPE_LABELS[row.kind] ?? row.kind,
        status: DEPOSIT_STATUS_LABELS[row.status],
      })),
      totals: {
        depositVnd: report.rows.reduce((sum, row) => sum + row.depositVnd, 0),
        commissionVnd: report.totalVnd,
      },
    },
    { name: 'Theo kỳ', columns: seriesColumns, rows: report.series, totals: { amountVnd: report.totalVnd } },
  ];
}

export const DIMENSION_LABELS: Record<FinanceDimension, string> = {
  type: 'Loại giao dịch',
  project: 'Dự án',
  staff: 'Nhân viên bán hàng',
  area: 'Khu vực',
};

const financeColumns = (by: FinanceDimension): ExportColumn[] => [
  { key: 'label', header: DIMENSION_LABELS[by] },
  { key: 'count', header: 'Số giao dịch', format: 'number', width: 55 },
  { key: 'depositsVnd', header: 'Tiền cọc', format: 'vnd', width: 80 },
  { key: 'consultationsVnd', header: 'Phí tư vấn', format: 'vnd', width: 75 },
  { key: 'feesVnd', header: 'Phí nền tảng', format: 'vnd', width: 75 },
  { key: 'refundsVnd', header: 'Hoàn tiền', format: 'vnd', width: 75 },
  { key: 'forfeitsVnd', header: 'Mất cọc', format: 'vnd', width: 75 },
  { key: 'commissionsVnd', header: 'Hoa hồng', format: 'vnd', width: 75 },
];

export function financeReportSheets(report: FinanceReport): WorkbookSheet[] {
  return [
    {
      name: 'Tổng hợp',
      columns: financeColumns(report.by),
      rows: report.groups.map(({ key: _key, ...group }) => group),
      totals: { label: 'Tổng cộng', ...report.totals },
    },
    {
      name: 'Tiền thu theo ngày',
      columns: seriesColumns,
      rows: report.series,
      totals: { amountVnd: report.series.reduce((sum, point) => sum + point.amountVnd, 0) },
    },
  ];
}

export function salesIncomeTable(report: SalesIncome, staffName: string, generatedAt: Date): TableDocument {
  const [deals] = salesIncomeSheets(report);
  return {
    title: 'Báo cáo thu nhập nhân viên bán hàng',
    subtitle: `${staffName} · ${period(report)}`,
    meta: [
      ['Tháng này', formatVnd(report.thisMonthVnd)],
      ['Tháng trước', formatVnd(report.lastMonthVnd)],
      ['Trong kỳ', formatVnd(report.totalVnd)],
    ],
    columns: incomeColumns,
    rows: deals?.rows ?? [],
    ...(deals?.totals && { totals: deals.totals }),
    generatedAt,
    footer: COMPANY_NAME,
  };
}

export function financeReportTable(report: FinanceReport, generatedAt: Date): TableDocument {
  const [summary] = financeReportSheets(report);
  return {
    title: 'Báo cáo tài chính',
    subtitle: `Theo ${DIMENSION_LABELS[report.by].toLowerCase()} · ${period(report)}`,
    columns: financeColumns(report.by),
    rows: summary?.rows ?? [],
    totals: { label: 'Tổng cộng', ...report.totals },
    generatedAt,
    footer: COMPANY_NAME,
  };
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends a report as a download: `<name>.xlsx` or `<name>.pdf`. */
export async function sendReport(
  reply: FastifyReply,
  format: 'xlsx' | 'pdf',
  name: string,
  document: { title: string; sheets: () => WorkbookSheet[]; table: () => TableDocument; generatedAt: Date },
) {
  const bytes =
    format === 'xlsx'
      ? await renderWorkbook(document.sheets(), { title: document.title, generatedAt: document.generatedAt })
      : await renderTablePdf(document.table());
  return reply
    .type(format === 'xlsx' ? XLSX_TYPE : 'application/pdf')
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .header('cache-control', 'private, no-store')
    .send(bytes);
}

/** `2026-03-01_2026-03-31` for file names. */
export const rangeName = (report: { from: string; to: string }) => {
  const day = (date: Date) => date.toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' });
  return `${day(new Date(report.from))}_${day(new Date(new Date(report.to).getTime() - 1))}`;
};
