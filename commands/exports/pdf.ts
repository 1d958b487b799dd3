import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import {
  type CellValue,
  columnAlign,
  type ExportColumn,
  type ExportTotals,
  formatCell,
  formatDateTime,
  formatVnd,
} from './format.js';

export type TableDocument = {
  title: string;
  subtitle?: string;
  meta?: [label: string, value: string][];
  columns: ExportColumn[];
  rows: Record<string, CellValue>[];
  totals?: ExportTotals;
  generatedAt: Date;
  footer?: string;
};

export type Receipt = {
  receiptNo: string;
  issuedAt: Date;
  payerName: string;
  payerEmail: string;
  description: string;
  lines: { label: string; amountVnd: number }[];
  totalVnd: number;
  method: string;
  gatewayRef: string | null;
  status: string;
  companyName: string;
  notes?: string[];
};

// Be Vietnam Pro: full Latin + Vietnamese + ₫ TTFs shipped in an npm package. Not Noto Sans: its ccmp feature
// splits ẹ ị ọ ụ into base + dot below, and pdfkit then maps the base glyph to the wrong text ("Thị" reads "Thi ").
const packageRequire = createRequire(import.meta.url);
const REGULAR_FONT = packageRequire.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf');
const BOLD_FONT = packageRequire.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf');

const CREATOR = 'Rental marketplace exports';
const MARGIN = 40;
const FOOTER_SPACE = 28;
const CELL_PADDING = 4;
const BODY_SIZE = 9;
const COLOR = { text: '#101828', muted: '#667085', rule: '#d0d5dd', headerFill: '#eef1f5' };

type Pdf = PDFKit.PDFDocument;
type Cell = { text: string; align: 'left' | 'right' | 'center' };
type TableLayout = { widths: number[]; header: Cell[] };

export async function renderTablePdf(table: TableDocument): Promise<Buffer> {
  const doc = createPdf(table.title, table.generatedAt);
  return collectBytes(doc, () => {
    writeText(doc, table.title, { font: BOLD_FONT, size: 16 });
    if (table.subtitle) writeText(doc, table.subtitle, { size: 11, color: COLOR.muted });
    for (const [label, value] of table.meta ?? []) writeText(doc, `${label}: ${value}`, { size: BODY_SIZE });
    doc.moveDown(0.8);

    const layout: TableLayout = {
      widths: columnWidths(table.columns, contentWidth(doc)),
      header: table.columns.map((column) => ({ text: column.header, align: columnAlign(column) })),
    };
    const rows = table.rows.map((row) =>
      table.columns.map((column) => ({ text: formatCell(row[column.key], column.format), align: columnAlign(column) })),
    );
    const totals = table.totals ? totalsRow(table.columns, table.totals) : undefined;
    drawTable(doc, layout, rows, totals);

    const generated = `Xuất lúc ${formatDateTime(table.generatedAt)}`;
    stampFooters(doc, table.footer ? `${table.footer} · ${generated}` : generated);
  });
}

export async function renderReceiptPdf(receipt: Receipt): Promise<Buffer> {
  const linesSum = receipt.lines.reduce((sum, line) => sum + line.amountVnd, 0);
  if (linesSum !== receipt.totalVnd) {
    throw new Error(`Receipt ${receipt.receiptNo}: lines add up to ${linesSum}, total says ${receipt.totalVnd}`);
  }
  const title = `Biên lai thanh toán ${receipt.receiptNo}`;
  const doc = createPdf(title, receipt.issuedAt, receipt.companyName);
  return collectBytes(doc, () => {
    writeText(doc, receipt.companyName, { font: BOLD_FONT, size: 12 });
    doc.moveDown(1.2);
    writeText(doc, 'Biên lai thanh toán', { font: BOLD_FONT, size: 20, align: 'center' });
    const numberAndDate = `Số: ${receipt.receiptNo} · Ngày lập: ${formatDateTime(receipt.issuedAt)}`;
    writeText(doc, numberAndDate, { size: 10, color: COLOR.muted, align: 'center' });
    doc.moveDown(1.5);

    const fields: [string, string][] = [
      ['Người nộp tiền', receipt.payerName],
      ['Email', receipt.payerEmail],
      ['Nội dung', receipt.description],
      ['Phương thức', receipt.method],
      ['Mã giao dịch', receipt.gatewayRef ?? '—'],
      ['Trạng thái', receipt.status],
    ];
    const labelWidth = 110;
    for (const [label, value] of fields) {
      const y = doc.y;
      writeText(doc, label, { size: 10, color: COLOR.muted, x: MARGIN, y, width: labelWidth });
      const labelBottom = doc.y;
      writeText(doc, value, { size: 10, x: MARGIN + labelWidth, y, width: contentWidth(doc) - labelWidth });
      doc.y = Math.max(doc.y, labelBottom) + 3;
    }
    doc.moveDown(1);

    const amountWidth = 140;
    const labelAndAmount = (label: string, amountVnd: number): Cell[] => [
      { text: label, align: 'left' },
      { text: formatVnd(amountVnd), align: 'right' },
    ];
    const widths = [contentWidth(doc) - amountWidth, amountWidth];
    const header: Cell[] = [
      { text: 'Khoản mục', align: 'left' },
      { text: 'Số tiền', align: 'right' },
    ];
    const rows = receipt.lines.map((line) => labelAndAmount(line.label, line.amountVnd));
    drawTable(doc, { widths, header }, rows, labelAndAmount('Tổng cộng', receipt.totalVnd));

    if (receipt.notes?.length) {
      doc.moveDown(1);
      writeText(doc, 'Ghi chú', { font: BOLD_FONT, size: 10, x: MARGIN });
      for (const note of receipt.notes) writeText(doc, `• ${note}`, { size: 9, color: COLOR.muted });
    }
    stampFooters(doc, `Biên lai được lập tự động lúc ${formatDateTime(receipt.issuedAt)}, không cần chữ ký.`);
  });
}

function createPdf(title: string, createdAt: Date, author?: string): Pdf {
  return new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
    bufferPages: true, // page numbers need the page count, known only at the end
    lang: 'vi-VN',
    displayTitle: true,
    font: REGULAR_FONT, // never fall back to Helvetica, which has no Vietnamese glyphs
    // A fixed CreationDate also fixes the trailer /ID, which pdfkit derives from the info dictionary.
    info: { Title: title, Creator: CREATOR, CreationDate: createdAt, ...(author ? { Author: author } : {}) },
  });
}

function collectBytes(doc: Pdf, draw: () => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      draw();
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

type TextStyle = PDFKit.Mixins.TextOptions & { font?: string; size?: number; color?: string; x?: number; y?: number };

function writeText(
  doc: Pdf,
  text: string,
  { font = REGULAR_FONT, size = BODY_SIZE, color, x, y, ...options }: TextStyle,
) {
  doc.font(font, size).fillColor(color ?? COLOR.text);
  // NFC so that decomposed input (e + combining marks) still maps to the font's precomposed glyphs.
  doc.text(text.normalize('NFC'), x ?? MARGIN, y ?? doc.y, { width: contentWidth(doc), ...options });
}

function contentWidth(doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function columnWidths(columns: ExportColumn[], available: number): number[] {
  const fixed = columns.reduce((sum, column) => sum + (column.width ?? 0), 0);
  const flexibleCount = columns.filter((column) => column.width === undefined).length;
  const share = flexibleCount > 0 ? Math.max(available - fixed, 0) / flexibleCount : 0;
  const widths = columns.map((column) => column.width ?? share);
  const total = widths.reduce((sum, width) => sum + width, 0);
  return total > available ? widths.map((width) => (width * available) / total) : widths;
}

function totalsRow(columns: ExportColumn[], totals: ExportTotals): Cell[] {
  return columns.map((column, index) => {
    const total = totals[column.key];
    const text = total === undefined ? (index === 0 ? 'Tổng cộng' : '') : formatCell(total, column.format);
    return { text, align: columnAlign(column) };
  });
}

function drawTable(doc: Pdf, layout: TableLayout, rows: Cell[][], totals?: Cell[]) {
  let y = drawRow(doc, layout.widths, layout.header, doc.y, EMPHASIS);
  const place = (cells: Cell[], style: RowStyle) => {
    if (y + rowHeight(doc, layout.widths, cells, style) > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      y = drawRow(doc, layout.widths, layout.header, doc.page.margins.top, EMPHASIS);
    }
    y = drawRow(doc, layout.widths, cells, y, style);
  };
  for (const cells of rows) place(cells, {});
  if (totals) place(totals, EMPHASIS);
  doc.x = MARGIN;
  doc.y = y + 4;
}

type RowStyle = { bold?: boolean; fill?: string };
const EMPHASIS: RowStyle = { bold: true, fill: COLOR.headerFill }; // header and totals rows

function rowHeight(doc: Pdf, widths: number[], cells: Cell[], style: RowStyle): number {
  doc.font(style.bold ? BOLD_FONT : REGULAR_FONT).fontSize(BODY_SIZE);
  const heights = cells.map((cell, i) =>
    doc.heightOfString(cell.text.normalize('NFC') || ' ', { width: (widths[i] ?? 0) - 2 * CELL_PADDING }),
  );
  return Math.max(...heights) + 2 * CELL_PADDING;
}

/** Draws one row at `top` and returns where the next row starts. */
function drawRow(doc: Pdf, widths: number[], cells: Cell[], top: number, style: RowStyle): number {
  const height = rowHeight(doc, widths, cells, style);
  const width = widths.reduce((sum, w) => sum + w, 0);
  if (style.fill) doc.rect(MARGIN, top, width, height).fill(style.fill);
  let x = MARGIN;
  cells.forEach((cell, i) => {
    const cellWidth = widths[i] ?? 0;
    writeText(doc, cell.text, {
      font: style.bold ? BOLD_FONT : REGULAR_FONT,
      x: x + CELL_PADDING,
      y: top + CELL_PADDING,
      width: cellWidth - 2 * CELL_PADDING,
      align: cell.align,
    });
    x += cellWidth;
  });
  doc
    .moveTo(MARGIN, top + height)
    .lineTo(MARGIN + width, top + height)
    .lineWidth(0.5)
    .strokeColor(COLOR.rule)
    .stroke();
  return top + height;
}

function stampFooters(doc: Pdf, leftText: string) {
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    const reservedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin would otherwise add a page
    const y = doc.page.height - MARGIN - 10;
    const style = { size: 8, color: COLOR.muted, y };
    const labelWidth = 70;
    writeText(doc, leftText, { ...style, width: contentWidth(doc) - labelWidth, lineBreak: false });
    const pageLabel = `Trang ${index - start + 1}/${count}`;
    writeText(doc, pageLabel, {
      ...style,
      x: MARGIN + contentWidth(doc) - labelWidth,
      width: labelWidth,
      align: 'right',
    });
    doc.page.margins.bottom = reservedBottom;
  }
}
