import ExcelJS from 'exceljs';
import {
  assertWholeVnd,
  type CellFormat,
  type CellValue,
  type ExportColumn,
  type ExportRow,
  type ExportTotals,
  excelWallClock,
  formatCell,
  toDate,
} from './format.js';

export type WorkbookSheet = { name: string; columns: ExportColumn[]; rows: ExportRow[]; totals?: ExportTotals };
export type WorkbookMeta = { title: string; generatedAt: Date };

const VND_FORMAT = '#,##0 "₫"';
const DATE_FORMAT = 'dd/mm/yyyy';
const DATETIME_FORMAT = 'dd/mm/yyyy hh:mm';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF1F5' } };
const MIN_COLUMN_CHARS = 8;
const MAX_COLUMN_CHARS = 50;

export async function renderWorkbook(sheets: WorkbookSheet[], meta: WorkbookMeta): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.title = meta.title;
  workbook.creator = 'Rental marketplace exports';
  workbook.created = meta.generatedAt;
  workbook.modified = meta.generatedAt;

  for (const sheet of sheets) addSheet(workbook, sheet, meta.title);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addSheet(workbook: ExcelJS.Workbook, sheet: WorkbookSheet, title: string) {
  const worksheet = workbook.addWorksheet(sheetName(sheet.name), {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    // '&' starts a header/footer code in Excel, so a literal one is doubled.
    headerFooter: { oddHeader: `&C${title.replaceAll('&', '&&')}`, oddFooter: '&RTrang &P/&N' },
  });
  const numberFormats = sheet.columns.map((column) => numberFormat(column, sheet.rows));
  worksheet.columns = sheet.columns.map((column) => ({
    key: column.key,
    width: columnChars(column, sheet.rows, sheet.totals),
  }));

  const header = worksheet.addRow(sheet.columns.map((column) => column.header));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });

  for (const row of sheet.rows) {
    const added = worksheet.addRow(sheet.columns.map((column) => excelValue(row[column.key], column.format)));
    styleCells(added, sheet.columns, numberFormats);
  }

  if (sheet.totals) {
    const totals = sheet.totals;
    const values = sheet.columns.map((column, index) => {
      const total = totals[column.key];
      if (total === undefined) return index === 0 ? 'Tổng cộng' : null;
      return excelValue(total, column.format);
    });
    const added = worksheet.addRow(values);
    styleCells(added, sheet.columns, numberFormats);
    added.font = { bold: true };
    added.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = { top: { style: 'thin' } };
    });
  }
  worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
}

function styleCells(row: ExcelJS.Row, columns: ExportColumn[], numberFormats: (string | undefined)[]) {
  columns.forEach((column, index) => {
    const cell = row.getCell(index + 1);
    const format = numberFormats[index];
    if (format && typeof cell.value !== 'string') cell.numFmt = format;
    if (column.align) cell.alignment = { horizontal: column.align };
  });
}

/** Numbers and dates stay real values (so Excel can sum and sort them); only text is text. */
function excelValue(value: CellValue | undefined, format: CellFormat = 'text'): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  switch (format) {
    case 'vnd':
      if (typeof value === 'number') assertWholeVnd(value);
      return typeof value === 'number' ? value : String(value);
    case 'number':
      return typeof value === 'number' ? value : String(value);
    case 'date':
    case 'datetime': {
      if (typeof value === 'number') return value;
      const date = toDate(value);
      return Number.isNaN(date.getTime()) ? String(value) : excelWallClock(date, format);
    }
    default:
      return value instanceof Date ? excelWallClock(value, 'datetime') : String(value);
  }
}

function numberFormat(column: ExportColumn, rows: ExportRow[]): string | undefined {
  switch (column.format) {
    case 'vnd':
      return VND_FORMAT;
    case 'date':
      return DATE_FORMAT;
    case 'datetime':
      return DATETIME_FORMAT;
    case 'number': {
      const wholeOnly = rows.every((row) => typeof row[column.key] !== 'number' || Number.isInteger(row[column.key]));
      return wholeOnly ? '#,##0' : '#,##0.00';
    }
    default:
      return undefined;
  }
}

/** Width in characters, from the longest shown text (header, cells, total) within sensible bounds. */
function columnChars(column: ExportColumn, rows: ExportRow[], totals?: ExportTotals): number {
  const texts = [column.header, ...rows.map((row) => formatCell(row[column.key], column.format))];
  const total = totals?.[column.key];
  if (total !== undefined) texts.push(formatCell(total, column.format));
  const longest = Math.max(...texts.map((text) => text.length));
  return Math.min(Math.max(longest + 2, MIN_COLUMN_CHARS), MAX_COLUMN_CHARS);
}

/** Excel refuses names over 31 characters or with any of : \ / ? * [ ]. */
function sheetName(name: string): string {
  const cleaned = name.replace(/[:\\/?*[\]]/g, '-').trim();
  return (cleaned || 'Sheet').slice(0, 31);
}
