import { type Kysely, type RawBuilder, sql } from 'kysely';
import { PRICE_BUCKET_BOUNDS, priceBucketOf } from './listing-search-projection.js';
import type { ListingSearchFacets, ListingSearchRequest } from './listing-search-queries.js';
import { searchTables } from './listing-search-schema.js';

// biome-ignore lint/suspicious/noExplicitAny: the projection's own tables
type Db = Kysely<any>;

export interface FacetRow {
  district_id: string | null;
  district_name: string | null;
  bucket: number | null;
  by_district: number;
  n: number;
}

/**
 * Facets are counted row by row up to this many matches; a larger set (a broad keyword or price
 * range: the UI asks facets with every first page) is estimated from a fixed 1 % sample of the
 * table instead, and the answer says `approximate`.
 */
export const FACETS_COUNTED_UP_TO = 10_000;
const SAMPLE_PERCENT = 1;

/** Counts per district and per price bucket in one pass, over the filtered set or a sample of the table. */
async function countFacets(db: Db, schema: string, where: RawBuilder<unknown>, sampled: boolean): Promise<FacetRow[]> {
  const bucket = priceBucketOf('s.price_min');
  // repeatable: the same pages every time, so the estimates do not flicker between requests.
  const sample = sampled ? sql`tablesample system (${sql.lit(SAMPLE_PERCENT)}) repeatable (7)` : sql``;
  const { rows } = await sql<FacetRow>`
    select s.district_id, s.district_name, ${bucket} as bucket, grouping(s.district_id) as by_district, count(*)::int as n
      from ${searchTables(schema).listing_search} s ${sample} where ${where}
     group by grouping sets ((s.district_id, s.district_name), (${bucket}))`.execute(db);
  return rows;
}

/** The same from the facet summary, when the search filters by area (province or district), room type, availability only. */
async function summedFacets(db: Db, schema: string, request: ListingSearchRequest, areaColumn: string | null) {
  const t = searchTables(schema);
  const where: RawBuilder<unknown>[] = [sql`true`];
  if (areaColumn && request.areaId !== undefined) where.push(sql`${sql.ref(`c.${areaColumn}`)} = ${request.areaId}`);
  if (request.roomType !== undefined) where.push(sql`c.room_type = ${request.roomType}`);
  if (request.available) where.push(sql`c.available`);
  const { rows } = await sql<FacetRow>`
    select nullif(c.district_id, '') as district_id, a.name as district_name, c.bucket,
      grouping(c.district_id) as by_district, sum(c.listings)::int as n
      from ${t.search_facet_counts} c left join ${t.search_areas} a on a.area_id = c.district_id
     where ${sql.join(where, sql` and `)}
     group by grouping sets ((c.district_id, a.name), (c.bucket))
    having sum(c.listings) > 0`.execute(db);
  return rows;
}

function facetsFrom(rows: FacetRow[]): ListingSearchFacets {
  const districts = rows
    .filter((row) => row.by_district === 0 && row.district_id !== null)
    .map((row) => ({ areaId: row.district_id as string, name: row.district_name ?? '', count: row.n }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'vi', { numeric: true }));
  const counts = new Map(rows.filter((row) => row.by_district === 1).map((row) => [row.bucket, row.n]));
  const bounds = [null, ...PRICE_BUCKET_BOUNDS, null];
  const priceBuckets = bounds.slice(0, -1).map((min, index) => ({
    min,
    max: bounds[index + 1] ?? null,
    count: counts.get(index) ?? 0,
  }));
  return { total: priceBuckets.reduce((sum, b) => sum + b.count, 0), districts, priceBuckets };
}

/**
 * Facets of a search: summed from the facet summary when it can answer (area, room type,
 * availability only), counted when the set is small, estimated from a sample when it is large.
 */
export async function facetsOf(
  db: Db,
  schema: string,
  request: ListingSearchRequest,
  filter: { where: RawBuilder<unknown>; areaColumn: string | null; keyword: boolean },
): Promise<ListingSearchFacets> {
  if (summable(request, filter.areaColumn, filter.keyword)) {
    return facetsFrom(await summedFacets(db, schema, request, filter.areaColumn));
  }
  const sample = await countFacets(db, schema, filter.where, true);
  const scale = 100 / SAMPLE_PERCENT;
  const estimate = sample.filter((row) => row.by_district === 1).reduce((sum, row) => sum + row.n, 0) * scale;
  if (estimate <= FACETS_COUNTED_UP_TO) return facetsFrom(await countFacets(db, schema, filter.where, false));
  return { ...facetsFrom(sample.map((row) => ({ ...row, n: row.n * scale }))), approximate: true };
}

/** Filters the facet summary can answer: none but a province or district, room type and availability. */
const summable = (request: ListingSearchRequest, areaColumn: string | null, keyword: boolean) =>
  !keyword &&
  areaColumn !== 'ward_id' &&
  request.priceMin === undefined &&
  request.priceMax === undefined &&
  request.areaMin === undefined &&
  request.areaMax === undefined &&
  !request.amenities?.length &&
  !request.near;
