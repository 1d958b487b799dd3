import { DateTime } from 'luxon';

/** Shared by the PDF and Excel renderers so both show the same money, dates and column model. */

export const REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export type CellFormat = 'vnd' | 'date' | 'datetime' | 'text' | 'number';
export type CellValue = string | number | Date | null;

export type ExportColumn = {
  key: string;
  header: string;
  align?: 'left' | 'right';
  /** PDF column width in points; columns without one share the remaining page width. */
  width?: number;
  format?: CellFormat;
};

export type ExportRow = Record<string, CellValue>;
export type ExportTotals = Record<string, number | string>;

const THOUSANDS_SEPARATOR = '.';

function groupThousands(nonNegativeInteger: number): string {
  return String(nonNegativeInteger).replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS_SEPARATOR);
}

export function assertWholeVnd(amount: number): void {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`VND amounts must be whole numbers, got ${amount}`);
  }
}

/**
 * `1250000` → `1.250.000 ₫`, `-50000` → `-50.000 ₫`.
 * VND has no minor unit: a fractional amount is a bug upstream, so it throws rather than rounds.
 */
export function formatVnd(amount: number): string {
  assertWholeVnd(amount);
  const sign = amount < 0 ? '-' : '';
  return `${sign}${groupThousands(Math.abs(amount))} ₫`;
}

/** vi-VN grouping with a decimal comma and at most two decimals: `1234.5` → `1.234,5`. */
export function formatNumber(value: number): string {
  const [whole = '0', fraction] = Math.abs(value)
    .toFixed(2)
    .replace(/\.?0+$/, '')
    .split('.');
  const sign = value < 0 && (whole !== '0' || fraction) ? '-' : '';
  return `${sign}${groupThousands(Number(whole))}${fraction ? `,${fraction}` : ''}`;
}

function inVietnam(date: Date): DateTime {
  return DateTime.fromJSDate(date, { zone: REPORT_TIME_ZONE });
}

/** `dd/MM/yyyy` as the calendar date in Vietnam. */
export function formatDate(date: Date): string {
  return inVietnam(date).toFormat('dd/MM/yyyy');
}

/** `dd/MM/yyyy HH:mm` in Vietnam time. */
export function formatDateTime(date: Date): string {
  return inVietnam(date).toFormat('dd/MM/yyyy HH:mm');
}

/**
 * Excel dates carry no time zone and exceljs writes a Date's UTC fields, so the cell must get a Date
 * whose UTC fields are the Vietnamese wall-clock time (and midnight for a date-only cell).
 */
export function excelWallClock(date: Date, format: 'date' | 'datetime'): Date {
  const local = inVietnam(date);
  const shown = format === 'date' ? local.startOf('day') : local.startOf('second');
  return new Date(shown.setZone('UTC', { keepLocalTime: true }).toMillis());
}

export function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** The text a cell shows in the PDF; an empty string for null. */
export function formatCell(value: CellValue | undefined, format: CellFormat = 'text'): string {
  if (value === null || value === undefined || value === '') return '';
  switch (format) {
    case 'vnd':
      return typeof value === 'number' ? formatVnd(value) : String(value);
    case 'number':
      return typeof value === 'number' ? formatNumber(value) : String(value);
    case 'date':
      return typeof value === 'number' ? String(value) : formatDate(toDate(value));
    case 'datetime':
      return typeof value === 'number' ? String(value) : formatDateTime(toDate(value));
    default:
      return value instanceof Date ? formatDateTime(value) : String(value);
  }
}

/** Number columns read best right-aligned unless the caller says otherwise. */
export function columnAlign(column: ExportColumn): 'left' | 'right' {
  if (column.align) return column.align;
  return column.format === 'vnd' || column.format === 'number' ? 'right' : 'left';
}
