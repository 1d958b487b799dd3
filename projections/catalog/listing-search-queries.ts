import { type Kysely, type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import type { RoomType } from '../../domain/catalog/listing-events.js';
import { invalid } from '../../domain/shared/errors.js';
import { LIVE_SCHEMA } from '../projection.js';
import { itemOf, type ListingSearchItem, PAGE_COLUMNS, type Row } from './listing-search-cards.js';
import { facetsOf } from './listing-search-facets.js';
import { searchTables } from './listing-search-schema.js';
import { type KeywordSlots, resolveKeyword, tsqueryOf } from './listing-search-terms.js';

export const SEARCH_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'distance'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export const SEARCH_LIMITS = { keyword: 200, pageSize: 50, defaultPageSize: 20, radiusKm: 100, amenities: 20 } as const;

/**
 * Relevance ranks the matches only when the keyword probably narrows them to this many: scoring
 * means reading every match, and a broad keyword ("phòng trọ") scores all of them nearly alike.
 * Broader keywords order their matches newest first (decided on the first page, kept in the cursor).
 */
export const RANKED_MATCHES = 3000;
/** Up to this many possible matches (the rarest word's count) they are counted before choosing. */
const PROBED_MATCHES = 15_000;
/** Index entries a keyword walk reads at most before it turns to the text index instead. */
const WALK_ROWS = 20_000;

export interface ListingSearchFilter {
  q?: string;
  /** The area and all its descendants. */
  areaId?: string;
  /** A listing matches when its price (or area) range overlaps the wanted one. */
  priceMin?: number;
  priceMax?: number;
  areaMin?: number;
  areaMax?: number;
  /** All of these. */
  amenities?: string[];
  roomType?: RoomType;
  /** Only listings with at least one room available now. */
  available?: boolean;
  near?: { lat: number; lng: number; radiusKm: number };
}

export interface ListingSearchRequest extends ListingSearchFilter {
  sort?: SearchSort;
  limit?: number;
  cursor?: string;
  facets?: boolean;
}

export type { ListingSearchItem };

export interface ListingSearchFacets {
  /** Estimated from a sample: the filtered set is larger than FACETS_COUNTED_UP_TO. */
  approximate?: boolean;
  total: number;
  districts: { areaId: string; name: string; count: number }[];
  priceBuckets: { min: number | null; max: number | null; count: number }[];
}

export interface ListingSearchPage {
  items: ListingSearchItem[];
  nextCursor: string | null;
  facets?: ListingSearchFacets;
}

/** The opaque cursor: sort, the last row's sort key, and the keyword as resolved on the first page. */
const cursorSchema = z.object({
  s: z.enum(SEARCH_SORTS),
  k: z
    .array(z.union([z.string().max(200), z.number()]))
    .min(2)
    .max(3),
  t: z
    .array(z.array(z.string().min(1).max(100)).min(1).max(8))
    .max(32)
    .optional(),
  r: z.boolean().optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(text: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw invalid('CURSOR_INVALID', 'Con trỏ phân trang không hợp lệ', 'cursor');
  }
}

/** Rules across parameters (each alone was checked by the route's schema). */
export function checkSearchRequest(request: ListingSearchRequest): void {
  const { priceMin, priceMax, areaMin, areaMax, sort, near } = request;
  if (priceMin !== undefined && priceMax !== undefined && priceMin > priceMax) {
    throw invalid('RANGE_INVALID', 'Giá tối thiểu lớn hơn giá tối đa', 'priceMin');
  }
  if (areaMin !== undefined && areaMax !== undefined && areaMin > areaMax) {
    throw invalid('RANGE_INVALID', 'Diện tích tối thiểu lớn hơn diện tích tối đa', 'areaMin');
  }
  if (sort === 'distance' && !near)
    throw invalid('SORT_NEEDS_LOCATION', 'Sắp xếp theo khoảng cách cần lat, lng, radiusKm', 'sort');
}

// biome-ignore lint/suspicious/noExplicitAny: the projection's own tables
type Db = Kysely<any>;

/** The column an area filter compares (by the area's level); null when the area is unknown. */
async function areaOf(db: Db, schema: string, areaId: string): Promise<{ column: string } | null> {
  const { rows } = await sql<{ level: string }>`
    select level from ${searchTables(schema).search_areas} where area_id = ${areaId}`.execute(db);
  const level = rows[0]?.level;
  if (level === undefined) return null;
  return { column: level === 'province' ? 'province_id' : level === 'district' ? 'district_id' : 'ward_id' };
}

/** Filters shared by the page and its facets. */
function filtersOf(
  filter: ListingSearchFilter,
  area: { column: string } | null,
  tsquery: string | null,
  /** false for walks: the radius is then only tested, so the planner cannot trade the walk for the box. */
  radiusIndexed = true,
) {
  const where: RawBuilder<unknown>[] = [sql`s.visible`];
  if (area && filter.areaId !== undefined) where.push(sql`${sql.ref(`s.${area.column}`)} = ${filter.areaId}`);
  if (filter.priceMin !== undefined) where.push(sql`s.price_max >= ${filter.priceMin}`);
  if (filter.priceMax !== undefined) where.push(sql`s.price_min <= ${filter.priceMax}`);
  if (filter.areaMin !== undefined) where.push(sql`s.area_max >= ${filter.areaMin}`);
  if (filter.areaMax !== undefined) where.push(sql`s.area_min <= ${filter.areaMax}`);
  if (filter.amenities?.length) where.push(sql`s.amenities @> ${filter.amenities}::text[]`);
  if (filter.roomType !== undefined) where.push(sql`s.room_type = ${filter.roomType}`);
  if (filter.available) where.push(sql`s.available_rooms > 0`);
  if (tsquery !== null) where.push(sql`s.tsv @@ to_tsquery('simple', ${tsquery})`);
  const center = filter.near ? sql`ll_to_earth(${filter.near.lat}, ${filter.near.lng})` : null;
  if (filter.near && center) {
    const meters = filter.near.radiusKm * 1000;
    const box = radiusIndexed ? sql`earth_box(${center}, ${meters}) @> s.geo and ` : sql``;
    where.push(sql`${box}s.geo <-> ${center} <= gc_to_sec(${meters})`);
  }
  return { where: sql.join(where, sql` and `), center };
}

interface Ordering {
  /** Extra columns the sort needs. */
  columns: RawBuilder<unknown>;
  orderBy: RawBuilder<unknown>;
  /** The same order over a walk's output columns (sorts an index can walk: newest, price). */
  walkOrder?: RawBuilder<unknown>;
  after: (key: (string | number)[]) => RawBuilder<unknown>;
  keyOf: (row: Row) => (string | number)[];
}

function orderingOf(
  sort: SearchSort,
  tsquery: string | null,
  rank: boolean,
  center: RawBuilder<unknown> | null,
): Ordering {
  const chord = center ? sql`s.geo <-> ${center}` : sql`null::float8`;
  const base = sql`${chord} as chord`;
  const newest: Ordering = {
    columns: sql`${base}, null::real as rank`,
    orderBy: sql`s.published_at desc, s.listing_id desc`,
    walkOrder: sql`x.published_at desc, x.listing_id desc`,
    after: ([at, id]) => sql`(s.published_at, s.listing_id) < (${at}::timestamptz, ${id})`,
    keyOf: (row) => [row.published_key, row.listing_id],
  };
  switch (sort) {
    case 'newest':
      return newest;
    case 'price_asc':
    case 'price_desc': {
      const asc = sort === 'price_asc';
      return {
        columns: sql`${base}, null::real as rank`,
        orderBy: asc ? sql`s.price_min, s.listing_id` : sql`s.price_min desc, s.listing_id desc`,
        walkOrder: asc ? sql`x.price_min, x.listing_id` : sql`x.price_min desc, x.listing_id desc`,
        after: ([price, id]) =>
          asc
            ? sql`(s.price_min, s.listing_id) > (${price}::bigint, ${id})`
            : sql`(s.price_min, s.listing_id) < (${price}::bigint, ${id})`,
        keyOf: (row) => [Number(row.price_min), row.listing_id],
      };
    }
    case 'distance':
      return {
        columns: sql`${base}, null::real as rank`,
        // The distance alone, so the GiST index hands rows over nearest first; ties are ordered by id here.
        orderBy: chord,
        after: ([distance, id]) => sql`(${chord}, s.listing_id) > (${distance}::float8, ${id})`,
        keyOf: (row) => [row.chord ?? 0, row.listing_id],
      };
    case 'relevance': {
      if (tsquery === null || !rank) return newest;
      const score = sql`ts_rank(s.tsv, to_tsquery('simple', ${tsquery}))`;
      return {
        columns: sql`${base}, ${score} as rank`,
        orderBy: sql`${score} desc, s.published_at desc, s.listing_id desc`,
        after: ([r, at, id]) =>
          sql`(${score} < ${r}::real or (${score} = ${r}::real and (s.published_at, s.listing_id) < (${at}::timestamptz, ${id})))`,
        keyOf: (row) => [row.rank ?? 0, row.published_key, row.listing_id],
      };
    }
  }
}

/**
 * One page of visible listings (UC-CUST-01), keyset-paginated: the cursor is the last row's sort
 * key, so rows that do not change between pages are each returned exactly once. The keyword is
 * resolved on the first page and carried in the cursor, so later pages search the same words.
 */
export async function searchListings(
  db: Db,
  request: ListingSearchRequest,
  options: { schema?: string; rankedMatches?: number } = {},
): Promise<ListingSearchPage> {
  checkSearchRequest(request);
  // Short index-driven queries: JIT compilation would cost more than any of them runs.
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`.execute(trx);
    return searchIn(trx, request, options.schema ?? LIVE_SCHEMA, options.rankedMatches ?? RANKED_MATCHES);
  });
}

/** Rows in (distance, id) order: the index orders by distance only, so a tie at the page's end is fetched whole. */
async function nearestFirst(run: (rows: number) => Promise<Row[]>, wanted: number): Promise<Row[]> {
  for (let fetch = wanted + 20; ; fetch *= 2) {
    const rows = (await run(fetch)).sort(
      (a, b) =>
        (a.chord ?? 0) - (b.chord ?? 0) || (a.listing_id < b.listing_id ? -1 : a.listing_id > b.listing_id ? 1 : 0),
    );
    const boundary = rows[wanted - 1];
    if (rows.length < fetch || !boundary || rows.at(-1)?.chord !== boundary.chord) return rows.slice(0, wanted);
  }
}

async function searchIn(
  db: Db,
  request: ListingSearchRequest,
  schema: string,
  rankedMatches: number,
): Promise<ListingSearchPage> {
  const cursor = request.cursor === undefined ? null : decodeCursor(request.cursor);
  const keyword = request.q !== undefined && /[\p{L}\p{N}]/u.test(request.q) ? request.q : undefined;
  const sort = request.sort ?? (keyword ? 'relevance' : 'newest');
  if (cursor && (cursor.s !== sort || (cursor.t !== undefined) !== (keyword !== undefined))) {
    throw invalid('CURSOR_MISMATCH', 'Con trỏ phân trang thuộc về một tìm kiếm khác', 'cursor');
  }
  const area = request.areaId === undefined ? null : await areaOf(db, schema, request.areaId);
  if (request.areaId !== undefined && area === null) {
    return {
      items: [],
      nextCursor: null,
      ...(request.facets && { facets: { total: 0, districts: [], priceBuckets: [] } }),
    };
  }
  let slots: KeywordSlots | null = cursor?.t ?? null;
  let atMost = Number.POSITIVE_INFINITY;
  if (keyword && !cursor) {
    const resolved = await resolveKeyword(db, schema, keyword, area ? request.areaId : undefined);
    slots = resolved.slots;
    atMost = resolved.atMost;
  }
  const tsquery = slots && slots.length > 0 ? tsqueryOf(slots) : null;
  // The area is one of the keyword's words (one index intersection), and its column for walks.
  const plain = filtersOf(request, area, null, false);
  const filters = tsquery === null ? filtersOf(request, area, null) : filtersOf(request, null, tsquery);
  const limit = request.limit ?? SEARCH_LIMITS.defaultPageSize;
  const table = searchTables(schema).listing_search;
  const query = (ordering: Ordering, rows: number) => {
    const after = cursor ? sql` and ${ordering.after(cursor.k)}` : sql``;
    return sql<Row>`select ${PAGE_COLUMNS}, ${ordering.columns} from ${table} s
      where ${filters.where}${after} order by ${ordering.orderBy} limit ${rows}`.execute(db);
  };
  /**
   * A broad keyword's page: walk the sort's index (within the other filters) and test the keyword
   * on each row, reading at most WALK_ROWS; null when that finds too few, i.e. the matches are few
   * and their index intersection is cheap. (Planners guess such sets far too small: their words go together.)
   */
  const walk = async (ordering: Ordering): Promise<Row[] | null> => {
    if (!ordering.walkOrder || tsquery === null) return null;
    const after = cursor ? sql` and ${ordering.after(cursor.k)}` : sql``;
    const { rows } = await sql<Row>`select * from (
        select ${PAGE_COLUMNS}, ${ordering.columns}, s.tsv @@ to_tsquery('simple', ${tsquery}) as hit
          from ${table} s where ${plain.where}${after} order by ${ordering.orderBy} limit ${WALK_ROWS}) x
      where x.hit order by ${ordering.walkOrder} limit ${limit + 1}`.execute(db);
    return rows.length > limit ? rows : null;
  };

  let rank = cursor?.r ?? false;
  let rows: Row[] | null = null;
  if (sort === 'relevance' && tsquery !== null && !cursor) {
    rank = atMost <= rankedMatches;
    if (!rank && atMost <= PROBED_MATCHES) {
      // Between surely few and surely many: rank if the matches, counted up to the bound, stay within it.
      const ranked = orderingOf('relevance', tsquery, true, filters.center);
      const { rows: found } = await sql<Row & { matched: number }>`
        with matches as materialized (
          select ${PAGE_COLUMNS}, ${ranked.columns} from ${table} s where ${filters.where} limit ${rankedMatches + 1})
        select *, count(*) over ()::int as matched from matches
         order by rank desc, published_key desc, listing_id desc limit ${limit + 1}`.execute(db);
      rank = (found[0]?.matched ?? 0) <= rankedMatches;
      if (rank) rows = found;
    } else if (!rank) {
      rows = await walk(orderingOf(sort, tsquery, false, filters.center));
      rank = rows === null; // few matches after all: rank them
    }
  }
  const ordering = orderingOf(sort, tsquery, rank, filters.center);
  if (rows === null && sort === 'distance') {
    rows = await nearestFirst(async (n) => (await query(ordering, n)).rows, limit + 1);
  }
  rows ??= (await walk(ordering)) ?? (await query(ordering, limit + 1)).rows;

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({ s: sort, k: ordering.keyOf(last), ...(slots && { t: slots, r: rank }) })
      : null;
  const items = page.map(itemOf);
  if (!request.facets) return { items, nextCursor };
  const filter = { where: filters.where, areaColumn: area?.column ?? null, keyword: tsquery !== null };
  return { items, nextCursor, facets: await facetsOf(db, schema, request, filter) };
}
