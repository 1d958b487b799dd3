import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, test } from 'vitest';
import {
  type ExportColumn,
  excelWallClock,
  formatDate,
  formatDateTime,
  formatNumber,
  formatVnd,
} from '../../commands/exports/format.js';
import { type Receipt, renderReceiptPdf, renderTablePdf, type TableDocument } from '../../commands/exports/pdf.js';
import { renderWorkbook } from '../../commands/exports/xlsx.js';

const generatedAt = new Date('2026-03-31T18:30:00Z'); // 01/04/2026 01:30 in Vietnam

const receipt: Receipt = {
  receiptNo: 'BL-2026-000123',
  issuedAt: generatedAt,
  payerName: 'Nguyễn Văn Đức',
  payerEmail: 'duc.nguyen@example.vn',
  description: 'Tiền cọc giữ chỗ phòng 302, Quận Bình Thạnh',
  lines: [
    { label: 'Tiền cọc giữ chỗ', amountVnd: 1_250_000 },
    { label: 'Phí dịch vụ', amountVnd: 50_000 },
  ],
  totalVnd: 1_300_000,
  method: 'Chuyển khoản ngân hàng',
  gatewayRef: 'VNP-88123',
  status: 'Đã thanh toán',
  companyName: 'Công ty TNHH Phòng Trọ Việt',
  notes: ['Tiền cọc được hoàn lại theo chính sách đặt cọc.'],
};

const paymentColumns: ExportColumn[] = [
  { key: 'paidAt', header: 'Ngày thanh toán', format: 'datetime', width: 95 },
  { key: 'tenant', header: 'Khách thuê' },
  { key: 'room', header: 'Phòng', width: 60 },
  { key: 'nights', header: 'Số đêm', format: 'number', width: 50 },
  { key: 'amount', header: 'Số tiền', format: 'vnd', width: 95 },
];

const tenants = ['Nguyễn Văn Đức', 'Trần Thị Hương', 'Lê Hoàng Yến', 'Phạm Quốc Việt'];
const paymentRows = Array.from({ length: 500 }, (_, i) => ({
  paidAt: new Date(Date.UTC(2026, 2, 1 + (i % 28), i % 24, 15)),
  tenant: tenants[i % tenants.length] ?? '',
  room: `P.${100 + (i % 40)}`,
  nights: 1 + (i % 7),
  amount: 150_000 + i * 1_000,
}));
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const paymentTotals = {
  nights: sum(paymentRows.map((row) => row.nights)),
  amount: sum(paymentRows.map((row) => row.amount)),
};

const paymentTable: TableDocument = {
  title: 'Báo cáo thanh toán tháng 3/2026',
  subtitle: 'Tiền cọc giữ chỗ và tiền phòng',
  meta: [['Chi nhánh', 'Thành phố Hồ Chí Minh']],
  columns: paymentColumns,
  rows: paymentRows,
  totals: paymentTotals,
  generatedAt,
  footer: 'Phòng Trọ Việt',
};

/** The text of each page, lines joined by newlines, as a PDF reader would copy it. */
async function pdfPages(bytes: Buffer): Promise<string[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const content = await (await pdf.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  await pdf.destroy();
  return pages;
}

async function pdfInfo(bytes: Buffer): Promise<Record<string, unknown>> {
  const pdf = await getDocument({ data: new Uint8Array(bytes) }).promise;
  const { info } = await pdf.getMetadata();
  await pdf.destroy();
  return info as Record<string, unknown>;
}

describe('export formatting', () => {
  test('VND uses vi-VN grouping with dots and a trailing ₫', () => {
    expect(formatVnd(0)).toBe('0 ₫');
    expect(formatVnd(999)).toBe('999 ₫');
    expect(formatVnd(1_000)).toBe('1.000 ₫');
    expect(formatVnd(1_250_000)).toBe('1.250.000 ₫');
    expect(formatVnd(12_345_678_901)).toBe('12.345.678.901 ₫');
  });

  test('negative VND amounts keep the sign in front', () => {
    expect(formatVnd(-50_000)).toBe('-50.000 ₫');
    expect(formatVnd(-1_250_000)).toBe('-1.250.000 ₫');
  });

  test('VND refuses fractions instead of rounding them away', () => {
    expect(() => formatVnd(1_000.5)).toThrow(RangeError);
    expect(() => formatVnd(Number.NaN)).toThrow(RangeError);
  });

  test('plain numbers use a decimal comma', () => {
    expect(formatNumber(1_234.5)).toBe('1.234,5');
    expect(formatNumber(-1_000)).toBe('-1.000');
    expect(formatNumber(0.004)).toBe('0');
  });

  test('dates are shown in Vietnam time', () => {
    expect(formatDate(generatedAt)).toBe('01/04/2026');
    expect(formatDateTime(generatedAt)).toBe('01/04/2026 01:30');
    expect(excelWallClock(generatedAt, 'datetime').toISOString()).toBe('2026-04-01T01:30:00.000Z');
    expect(excelWallClock(generatedAt, 'date').toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });
});

describe('receipt PDF', () => {
  test('text reads back with Vietnamese diacritics and formatted amounts', async () => {
    const [page, ...rest] = await pdfPages(await renderReceiptPdf(receipt));
    expect(rest).toHaveLength(0);
    for (const expected of [
      'Biên lai',
      'Nguyễn Văn Đức',
      'Tiền cọc giữ chỗ',
      'Công ty TNHH Phòng Trọ Việt',
      'Đã thanh toán',
      '1.250.000 ₫',
      '50.000 ₫',
      '1.300.000 ₫',
      'Tổng cộng',
      '01/04/2026 01:30',
      'Trang 1/1',
    ]) {
      expect(page).toContain(expected);
    }
  });

  test('embeds the Be Vietnam Pro subset and never falls back to a standard font', async () => {
    const bytes = (await renderReceiptPdf(receipt)).toString('latin1');
    expect(bytes).toContain('/FontFile2');
    expect(bytes).toMatch(/\/BaseFont \/[A-Z]{6}\+BeVietnamPro-Regular/);
    expect(bytes).toMatch(/\/BaseFont \/[A-Z]{6}\+BeVietnamPro-Bold/);
    expect(bytes).not.toContain('Helvetica');
  });

  test('carries title and creator metadata, and the same receipt gives the same bytes', async () => {
    const first = await renderReceiptPdf(receipt);
    const info = await pdfInfo(first);
    expect(info.Title).toBe('Biên lai thanh toán BL-2026-000123');
    expect(info.Creator).toBe('Rental marketplace exports');
    expect(String(info.CreationDate)).toContain('20260331183000');
    expect((await renderReceiptPdf(receipt)).equals(first)).toBe(true);
  });

  test('every Vietnamese letter reads back exactly, in regular and bold', async () => {
    const letters = 'ăâđêôơư àảãáạ ằẳẵắặ ầẩẫấậ èẻẽéẹ ềểễếệ ìỉĩíị òỏõóọ ồổỗốộ ờởỡớợ ùủũúụ ừửữứự ỳỷỹýỵ';
    const alphabet = `${letters} ${letters.toUpperCase()}`;
    const bytes = await renderReceiptPdf({
      ...receipt,
      companyName: alphabet, // bold
      description: alphabet,
      lines: [{ label: alphabet, amountVnd: receipt.totalVnd }],
    });
    // Long lines wrap, so compare without any whitespace.
    const [page = ''] = await pdfPages(bytes);
    const squeeze = (text: string) => text.replace(/\s+/g, '');
    expect(squeeze(page).split(squeeze(alphabet)).length - 1).toBe(3);
  });

  test('refuses a receipt whose lines do not add up to its total', async () => {
    await expect(renderReceiptPdf({ ...receipt, totalVnd: 1_250_000 })).rejects.toThrow(/add up/);
  });
});

describe('table PDF', () => {
  test('500 rows span several pages, each with the header row and "Trang i/n"', async () => {
    const pages = await pdfPages(await renderTablePdf(paymentTable));
    expect(pages.length).toBeGreaterThanOrEqual(5);
    pages.forEach((page, index) => {
      expect(page).toContain(`Trang ${index + 1}/${pages.length}`);
      expect(page).toContain('Khách thuê');
      expect(page).toContain('Ngày thanh toán');
    });
    const all = pages.join('\n');
    expect(pages[0]).toContain('Báo cáo thanh toán tháng 3/2026');
    expect(pages[0]).toContain('Thành phố Hồ Chí Minh');
    expect(all).toContain('Trần Thị Hương');
    expect(all).toContain('150.000 ₫');
    expect(all).toContain(formatVnd(150_000 + 499 * 1_000));
    expect(pages.at(-1)).toContain('Tổng cộng');
    expect(pages.at(-1)).toContain(formatVnd(paymentTotals.amount));
    expect(all).toContain('01/03/2026 07:15'); // row 0: 00:15 UTC
  });

  test('the same table gives the same bytes', async () => {
    const small = { ...paymentTable, rows: paymentRows.slice(0, 10) };
    expect((await renderTablePdf(small)).equals(await renderTablePdf(small))).toBe(true);
  });
});

describe('workbook', () => {
  async function readBack() {
    const bytes = await renderWorkbook([{ name: 'Thanh toán 03/2026', ...paymentTable }], {
      title: paymentTable.title,
      generatedAt,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('Thanh toán 03-2026');
    if (!sheet) throw new Error('sheet missing');
    return { workbook, sheet };
  }

  test('header row is bold and frozen', async () => {
    const { workbook, sheet } = await readBack();
    expect(workbook.title).toBe(paymentTable.title);
    expect(sheet.getRow(1).values).toEqual([undefined, ...paymentColumns.map((column) => column.header)]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  test('cells hold the same numbers and real dates, with VND as integers', async () => {
    const { sheet } = await readBack();
    paymentRows.forEach((row, index) => {
      const cells = sheet.getRow(index + 2);
      expect(cells.getCell(2).value).toBe(row.tenant);
      expect(cells.getCell(4).value).toBe(row.nights);
      expect(cells.getCell(5).value).toBe(row.amount);
      expect((cells.getCell(1).value as Date).getTime()).toBe(excelWallClock(row.paidAt, 'datetime').getTime());
    });
    expect(sheet.getRow(2).getCell(5).numFmt).toBe('#,##0 "₫"');
    expect(sheet.getRow(2).getCell(1).numFmt).toBe('dd/mm/yyyy hh:mm');
  });

  test('totals row equals the sum of the rows', async () => {
    const { sheet } = await readBack();
    const totals = sheet.getRow(paymentRows.length + 2);
    const amounts = Array.from(
      { length: paymentRows.length },
      (_, i) => sheet.getRow(i + 2).getCell(5).value as number,
    );
    expect(totals.getCell(1).value).toBe('Tổng cộng');
    expect(totals.getCell(5).value).toBe(sum(amounts));
    expect(totals.getCell(5).value).toBe(paymentTotals.amount);
    expect(totals.getCell(4).value).toBe(paymentTotals.nights);
    expect(totals.font?.bold).toBe(true);
  });
});
