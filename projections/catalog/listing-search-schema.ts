import { type Kysely, type RawBuilder, sql } from 'kysely';

/**
 * Tables of the `listing-search` projection. The `search_*` tables hold the facts of other streams
 * it needs (areas with parents, projects with owner and status, owners' KYC, rooms, each listing's
 * own facts and rooms); `listing_search` is the derived row per listing that queries read.
 */
export const LISTING_SEARCH_TABLES = [
  'search_areas',
  'search_projects',
  'search_owners',
  'search_rooms',
  'search_listing_facts',
  'search_listing_rooms',
  'search_lexicon',
  'search_stats',
  'search_facet_counts',
  'listing_search',
] as const;

export type ListingSearchTable = (typeof LISTING_SEARCH_TABLES)[number];

/** Qualified table names in `schema` (the live `rm`, or a rebuild's schema). */
export const searchTables = (schema: string) =>
  Object.fromEntries(LISTING_SEARCH_TABLES.map((name) => [name, sql.id(schema, name)])) as Record<
    ListingSearchTable,
    RawBuilder<unknown>
  >;

// biome-ignore lint/suspicious/noExplicitAny: DDL only
export async function setupListingSearch(db: Kysely<any>, schema: string): Promise<void> {
  const t = searchTables(schema);
  const ddl = [
    sql`create table if not exists ${t.search_areas} (
      area_id text primary key, parent_id text, level text not null, name text not null, name_folded text not null)`,
    sql`create index if not exists search_areas_parent on ${t.search_areas} (parent_id)`,
    sql`create table if not exists ${t.search_projects} (
      project_id text primary key, owner_id text not null, status text not null)`,
    sql`create index if not exists search_projects_owner on ${t.search_projects} (owner_id)`,
    sql`create table if not exists ${t.search_owners} (user_id text primary key, verified boolean not null)`,
    sql`create table if not exists ${t.search_rooms} (
      room_id text primary key, project_id text not null, standard_price bigint not null,
      area_m2 double precision not null, status text not null)`,
    sql`create table if not exists ${t.search_listing_facts} (
      listing_id text primary key,
      project_id text not null,
      status text not null,
      title text not null,
      title_folded text not null,
      description text not null,
      description_folded text not null,
      room_type text not null,
      amenities text[] not null default '{}',
      area_id text,
      street text,
      street_folded text,
      lat double precision,
      lng double precision,
      images jsonb not null default '[]',
      published_at timestamptz,
      created_at timestamptz not null)`,
    sql`create index if not exists search_listing_facts_project on ${t.search_listing_facts} (project_id)`,
    sql`create index if not exists search_listing_facts_area on ${t.search_listing_facts} (area_id)`,
    sql`create table if not exists ${t.search_listing_rooms} (
      listing_id text not null, room_id text not null, price bigint, area_m2 double precision,
      primary key (listing_id, room_id))`,
    sql`create index if not exists search_listing_rooms_room on ${t.search_listing_rooms} (room_id)`,
    // Folded words of visible listings with how many contain them: a query word absent here is a
    // likely typo and is widened to its near neighbours (trigram index for the longer words).
    sql`create table if not exists ${t.search_lexicon} (word text collate "C" primary key, documents integer not null)`,
    sql`create index if not exists search_lexicon_trgm on ${t.search_lexicon} using gist (word gist_trgm_ops)`,
    sql`create table if not exists ${t.search_stats} (
      id boolean primary key default true check (id), visible bigint not null)`,
    sql`insert into ${t.search_stats} (visible) values (0) on conflict do nothing`,
    // Visible listings per area, room type, price bucket and availability: facets of searches
    // filtered by nothing else are sums over a few hundred rows instead of counts over the listings.
    sql`create table if not exists ${t.search_facet_counts} (
      province_id text not null, district_id text not null, room_type text not null, bucket integer not null,
      available boolean not null, listings integer not null,
      primary key (province_id, district_id, room_type, bucket, available))`,
    sql`create table if not exists ${t.listing_search} (
      listing_id text collate "C" primary key,
      project_id text not null,
      status text not null,
      visible boolean not null,
      title text not null,
      room_type text not null,
      price_min bigint,
      price_max bigint,
      area_min double precision,
      area_max double precision,
      room_count integer not null,
      available_rooms integer not null,
      area_id text,
      ward_id text,
      district_id text,
      province_id text,
      ward_name text,
      district_name text,
      province_name text,
      street text,
      lat double precision,
      lng double precision,
      geo cube,
      amenities text[] not null,
      cover_thumbnail_key text,
      published_at timestamptz,
      search_text text not null,
      tsv tsvector not null)`,
    // Only visible rows are ever searched: every search index is partial.
    sql`create index if not exists listing_search_newest on ${t.listing_search} (published_at, listing_id) where visible`,
    sql`create index if not exists listing_search_price on ${t.listing_search} (price_min, listing_id) where visible`,
    sql`create index if not exists listing_search_province on ${t.listing_search} (province_id, published_at) where visible`,
    sql`create index if not exists listing_search_district on ${t.listing_search} (district_id, published_at) where visible`,
    sql`create index if not exists listing_search_ward on ${t.listing_search} (ward_id) where visible`,
    // An area sorted by price: without these, the price index is walked past every cheaper listing elsewhere.
    sql`create index if not exists listing_search_province_price on ${t.listing_search} (province_id, price_min) where visible`,
    sql`create index if not exists listing_search_district_price on ${t.listing_search} (district_id, price_min) where visible`,
    // A room type sorted by price: cheap rooms would otherwise be walked past to reach apartments.
    sql`create index if not exists listing_search_type_price on ${t.listing_search} (room_type, price_min) where visible`,
    sql`create index if not exists listing_search_text on ${t.listing_search} using gin (tsv) where visible`,
    sql`create index if not exists listing_search_amenities on ${t.listing_search} using gin (amenities) where visible`,
    sql`create index if not exists listing_search_geo on ${t.listing_search} using gist (geo) where visible`,
  ];
  for (const statement of ddl) await statement.execute(db);
}
