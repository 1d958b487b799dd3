import type pg from 'pg';
import { invalid } from '../../domain/shared/errors.js';

export interface FavoriteView {
  listingId: string;
  createdAt: Date;
}

export interface FavoritePage {
  items: FavoriteView[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const encodeCursor = (item: FavoriteView) =>
  Buffer.from(JSON.stringify([item.createdAt.toISOString(), item.listingId])).toString('base64url');

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(at));
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(date.getTime())) return [date, id];
  } catch {
    // falls through to the 400 below
  }
  throw invalid('CURSOR_INVALID', 'Con trỏ phân trang không hợp lệ', 'cursor');
}

/** A person's favorites, newest first, by keyset pagination on (created_at, listing_id). */
export async function listFavorites(
  pool: pg.Pool,
  userId: string,
  page: { limit: number; cursor?: string | null },
): Promise<FavoritePage> {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const { rows } = await pool.query<FavoriteView>(
    `select listing_id as "listingId", created_at as "createdAt" from rm.favorites
      where user_id = $1 and ($2::timestamptz is null or (created_at, listing_id) < ($2::timestamptz, $3::text))
      order by created_at desc, listing_id desc limit $4`,
    [userId, after?.[0] ?? null, after?.[1] ?? null, page.limit + 1],
  );
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null };
}

/** Which of `listingIds` this person has saved. */
export async function favoriteStatus(
  pool: pg.Pool,
  userId: string,
  listingIds: readonly string[],
): Promise<Record<string, boolean>> {
  const status: Record<string, boolean> = Object.fromEntries(listingIds.map((id) => [id, false]));
  if (listingIds.length === 0) return status;
  const { rows } = await pool.query<{ listing_id: string }>(
    'select listing_id from rm.favorites where user_id = $1 and listing_id = any($2::text[])',
    [userId, [...listingIds]],
  );
  for (const row of rows) status[row.listing_id] = true;
  return status;
}
