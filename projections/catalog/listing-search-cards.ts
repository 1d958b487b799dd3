import { type Kysely, sql } from 'kysely';
import { LIVE_SCHEMA } from '../projection.js';
import { searchTables } from './listing-search-schema.js';

/** One search result: what a result card (search page, favorites) shows. */
export interface ListingSearchItem {
  listingId: string;
  title: string;
  roomType: string;
  priceMin: number | null;
  priceMax: number | null;
  areaMin: number | null;
  areaMax: number | null;
  availableRooms: number;
  roomCount: number;
  wardName: string | null;
  districtName: string | null;
  provinceName: string | null;
  street: string | null;
  lat: number | null;
  lng: number | null;
  distanceKm: number | null;
  coverThumbnailUrl: string | null;
  publishedAt: Date | null;
}

export const PAGE_COLUMNS = sql`s.listing_id, s.title, s.room_type, s.price_min, s.price_max, s.area_min, s.area_max,
  s.available_rooms, s.room_count, s.ward_name, s.district_name, s.province_name, s.street, s.lat, s.lng,
  s.cover_thumbnail_key, s.published_at,
  to_char(s.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as published_key`;

export interface Row {
  listing_id: string;
  title: string;
  room_type: string;
  price_min: string | null;
  price_max: string | null;
  area_min: number | null;
  area_max: number | null;
  available_rooms: number;
  room_count: number;
  ward_name: string | null;
  district_name: string | null;
  province_name: string | null;
  street: string | null;
  lat: number | null;
  lng: number | null;
  cover_thumbnail_key: string | null;
  published_at: Date | null;
  published_key: string;
  chord: number | null;
  rank: number | null;
}

const numberOrNull = (value: string | null) => (value === null ? null : Number(value));

export const itemOf = (row: Row): ListingSearchItem => ({
  listingId: row.listing_id,
  title: row.title,
  roomType: row.room_type,
  priceMin: numberOrNull(row.price_min),
  priceMax: numberOrNull(row.price_max),
  areaMin: row.area_min,
  areaMax: row.area_max,
  availableRooms: row.available_rooms,
  roomCount: row.room_count,
  wardName: row.ward_name,
  districtName: row.district_name,
  provinceName: row.province_name,
  street: row.street,
  lat: row.lat,
  lng: row.lng,
  // The chord through the earth (what the index orders by) turned into the distance along its surface.
  distanceKm: row.chord === null ? null : Math.round(2 * 6378.168 * Math.asin(row.chord / 2 / 6_378_168) * 1000) / 1000,
  coverThumbnailUrl: row.cover_thumbnail_key === null ? null : `/api/v1/images/${row.cover_thumbnail_key}`,
  publishedAt: row.published_at,
});

// biome-ignore lint/suspicious/noExplicitAny: the projection's own tables
type Db = Kysely<any>;

/** Search cards of the listings among `ids` the public can see now (favorites show them). */
export async function visibleListingCards(db: Db, ids: readonly string[]): Promise<Map<string, ListingSearchItem>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<Row>`select ${PAGE_COLUMNS}, null as chord, null as rank
    from ${searchTables(LIVE_SCHEMA).listing_search} s
    where s.visible and s.listing_id = any(${[...ids]}::text[])`.execute(db);
  return new Map(rows.map((row) => [row.listing_id, itemOf(row)]));
}
