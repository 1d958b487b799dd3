import { invalid } from '../../domain/shared/errors.js';
import { isUuid } from '../identity/profiles-queries.js';

/** A page of a newest-first list; `nextBefore` is passed back as `before` for the next page. */
export type Page<T> = { items: T[]; nextBefore: string | null };

// biome-ignore lint/suspicious/noExplicitAny: rows straight from pg
type Row = any;

/** `before` cursors: the last row's time and id, opaque to callers. */
export const cursorOf = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

export function parseCursor(cursor: string | undefined, uuidIds = true): { at: Date; id: string } | null {
  if (cursor === undefined) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const time = new Date(at ?? '');
  if (!id || Number.isNaN(time.getTime()) || (uuidIds && !isUuid(id)))
    throw invalid('CURSOR_INVALID', 'Con trỏ trang không hợp lệ', 'before');
  return { at: time, id };
}

/** `limit` rows of `rows` (which has up to limit + 1) and the cursor after them. */
export function pageOf<T>(rows: Row[], limit: number, view: (row: Row) => T, at = 'created_at'): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextBefore = rows.length > limit && last ? cursorOf(last[at], String(last.id)) : null;
  return { items: items.map(view), nextBefore };
}
