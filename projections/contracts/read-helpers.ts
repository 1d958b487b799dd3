import { invalid } from '../../domain/shared/errors.js';
import { isUuid } from '../identity/profiles-queries.js';

// biome-ignore lint/suspicious/noExplicitAny: rows straight from pg
export type Row = any;

/** A page of a newest-first list; pass `nextCursor` back as `cursor` for the next page. */
export type Page<T> = { items: T[]; nextCursor: string | null };

export const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

/** A real calendar date written 'yyyy-mm-dd'. */
export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The opaque cursor: the last row's creation time and id. */
export const encodeCursor = (at: Date, id: string) =>
  Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(at));
    if (typeof at === 'string' && typeof id === 'string' && isUuid(id) && !Number.isNaN(date.getTime())) {
      return { at: date, id };
    }
  } catch {
    // falls through to the 400 below
  }
  throw invalid('CURSOR_INVALID', 'Con trỏ phân trang không hợp lệ', 'cursor');
}
