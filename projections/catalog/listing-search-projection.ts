import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { RecordedEvent } from '../../commands/eventstore/port.js';
import type { RoomType } from '../../domain/catalog/listing-events.js';
import { foldVietnamese } from '../../domain/shared/text.js';
import type { Projection } from '../projection.js';
import {
  type AreaFacts,
  foldSearchEvents,
  idsToLoad,
  LISTING_SEARCH_EVENT_TYPES,
  type ListingFacts,
  type ProjectFacts,
  type RoomFacts,
  type SearchChanges,
} from './listing-search-fold.js';
import { LISTING_SEARCH_TABLES, searchTables, setupListingSearch } from './listing-search-schema.js';

/** Vietnamese labels of room types; their folded form is searchable ("phong tro" finds every `room`). */
export const ROOM_TYPE_LABELS: Record<RoomType, string> = {
  room: 'Phòng trọ',
  apartment: 'Căn hộ',
  house: 'Nhà nguyên căn',
  dormitory: 'Ký túc xá',
};

type Tables = ReturnType<typeof searchTables>;
// biome-ignore lint/suspicious/noExplicitAny: raw SQL over the projection's own tables
type Trx = Transaction<any>;

const json = (rows: unknown[]) => JSON.stringify(rows);

async function loadFacts(trx: Trx, t: Tables, ids: ReturnType<typeof idsToLoad>): Promise<SearchChanges> {
  const select = async <Row>(table: RawBuilder<unknown>, key: string, wanted: Set<string>): Promise<Row[]> =>
    wanted.size === 0
      ? []
      : (await sql<Row>`select * from ${table} where ${sql.ref(key)} = any(${[...wanted]}::text[])`.execute(trx)).rows;
  const areas = await select<AreaFacts>(t.search_areas, 'area_id', ids.areas);
  const projects = await select<ProjectFacts>(t.search_projects, 'project_id', ids.projects);
  const rooms = await select<RoomFacts & { standard_price: string }>(t.search_rooms, 'room_id', ids.rooms);
  const listings = await select<ListingFacts & { published_at: Date | null; created_at: Date }>(
    t.search_listing_facts,
    'listing_id',
    ids.listings,
  );
  return {
    areas: new Map(areas.map((a) => [a.area_id, a])),
    projects: new Map(projects.map((p) => [p.project_id, p])),
    owners: new Map(),
    rooms: new Map(rooms.map((r) => [r.room_id, { ...r, standard_price: Number(r.standard_price) }])),
    listings: new Map(
      listings.map((l) => [
        l.listing_id,
        { ...l, published_at: l.published_at?.toISOString() ?? null, created_at: l.created_at.toISOString() },
      ]),
    ),
    listingRooms: new Map(),
  };
}

async function saveFacts(trx: Trx, t: Tables, changes: SearchChanges): Promise<void> {
  const areas = [...changes.areas.values()].filter((a): a is AreaFacts => a !== null);
  const deleted = [...changes.areas].filter(([, a]) => a === null).map(([id]) => id);
  if (deleted.length) await sql`delete from ${t.search_areas} where area_id = any(${deleted}::text[])`.execute(trx);
  if (areas.length) {
    await sql`insert into ${t.search_areas} select * from jsonb_to_recordset(${json(areas)}::jsonb)
        as x(area_id text, parent_id text, level text, name text, name_folded text)
      on conflict (area_id) do update set parent_id = excluded.parent_id, level = excluded.level,
        name = excluded.name, name_folded = excluded.name_folded`.execute(trx);
  }
  if (changes.projects.size) {
    await sql`insert into ${t.search_projects} select * from jsonb_to_recordset(${json([...changes.projects.values()])}::jsonb)
        as x(project_id text, owner_id text, status text)
      on conflict (project_id) do update set owner_id = excluded.owner_id, status = excluded.status`.execute(trx);
  }
  if (changes.owners.size) {
    await sql`insert into ${t.search_owners} select * from unnest(${[...changes.owners.keys()]}::text[], ${[...changes.owners.values()]}::boolean[])
      on conflict (user_id) do update set verified = excluded.verified`.execute(trx);
  }
  if (changes.rooms.size) {
    await sql`insert into ${t.search_rooms} select * from jsonb_to_recordset(${json([...changes.rooms.values()])}::jsonb)
        as x(room_id text, project_id text, standard_price bigint, area_m2 double precision, status text)
      on conflict (room_id) do update set project_id = excluded.project_id, standard_price = excluded.standard_price,
        area_m2 = excluded.area_m2, status = excluded.status`.execute(trx);
  }
  if (changes.listings.size) {
    await sql`insert into ${t.search_listing_facts} select * from jsonb_to_recordset(${json([...changes.listings.values()])}::jsonb)
        as x(listing_id text, project_id text, status text, title text, title_folded text, description text, description_folded text,
             room_type text, amenities text[], area_id text, street text, street_folded text, lat double precision,
             lng double precision, images jsonb, published_at timestamptz, created_at timestamptz)
      on conflict (listing_id) do update set project_id = excluded.project_id, status = excluded.status,
        title = excluded.title, title_folded = excluded.title_folded, description = excluded.description,
        description_folded = excluded.description_folded,
        room_type = excluded.room_type, amenities = excluded.amenities, area_id = excluded.area_id,
        street = excluded.street, street_folded = excluded.street_folded, lat = excluded.lat, lng = excluded.lng,
        images = excluded.images, published_at = excluded.published_at`.execute(trx);
  }
  if (changes.listingRooms.size) {
    const rows = [...changes.listingRooms].flatMap(([listingId, rooms]) =>
      rooms.map((room) => ({ listing_id: listingId, room_id: room.roomId, price: room.price, area_m2: room.areaM2 })),
    );
    await sql`delete from ${t.search_listing_rooms} where listing_id = any(${[...changes.listingRooms.keys()]}::text[])`.execute(
      trx,
    );
    if (rows.length) {
      await sql`insert into ${t.search_listing_rooms} select * from jsonb_to_recordset(${json(rows)}::jsonb)
          as x(listing_id text, room_id text, price bigint, area_m2 double precision)
        on conflict do nothing`.execute(trx);
    }
  }
}

const roomTypeLabel = sql.raw(
  `case f.room_type ${Object.entries(ROOM_TYPE_LABELS)
    .map(([type, label]) => `when '${type}' then '${foldVietnamese(label)}'`)
    .join(' ')} else '' end`,
);

/** Listings whose row may change: touched directly, or through a room, project, owner or area (and its subtree). */
async function dirtyListings(trx: Trx, t: Tables, changes: SearchChanges): Promise<string[]> {
  const ids = (map: Map<string, unknown>) => [...map.keys()];
  const dirty = new Set(changes.listings.keys());
  const through: RawBuilder<unknown>[] = [];
  if (changes.rooms.size) {
    through.push(
      sql`select listing_id from ${t.search_listing_rooms} where room_id = any(${ids(changes.rooms)}::text[])`,
    );
  }
  if (changes.projects.size) {
    through.push(
      sql`select listing_id from ${t.search_listing_facts} where project_id = any(${ids(changes.projects)}::text[])`,
    );
  }
  if (changes.owners.size) {
    // offset 0 keeps the owners' projects the outer side (the planner's guess for owner_id reverses it).
    through.push(sql`select f.listing_id
      from (select project_id from ${t.search_projects} where owner_id = any(${ids(changes.owners)}::text[]) offset 0) p
      cross join lateral (select listing_id from ${t.search_listing_facts} where project_id = p.project_id) f`);
  }
  if (changes.areas.size) {
    through.push(sql`select f.listing_id from (
        with recursive subtree(area_id) as (
          select unnest(${ids(changes.areas)}::text[])
          union select a.area_id from ${t.search_areas} a join subtree s on a.parent_id = s.area_id)
        select area_id from subtree) s
      join ${t.search_listing_facts} f on f.area_id = s.area_id`);
  }
  if (through.length) {
    const { rows } = await sql<{ listing_id: string }>`${sql.join(through, sql` union `)}`.execute(trx);
    for (const row of rows) dirty.add(row.listing_id);
  }
  return [...dirty];
}

/**
 * Recomputes, in one statement, the search row of every dirty listing, and keeps the lexicon's
 * document counts and the visible total in step with the rows it replaces.
 */
/**
 * The text plus its "word number" pairs as single tokens ("quan 1" → also "quan1"), which a keyword
 * "quận 1" looks for: an exact token instead of a phrase, so it needs no positions to recheck.
 */
const withJoinedNumbers = (text: RawBuilder<unknown>) =>
  sql`${text} || ' ' || array_to_string(array(select m[1] || m[2]
    from regexp_matches(${text}, '([[:alpha:]]+) ([0-9]+)(?![[:alnum:]])', 'g') m), ' ')`;

/** Price buckets of the facets (by the lowest price): 0 below the first bound … 5 from the last. */
export const PRICE_BUCKET_BOUNDS = [2_000_000, 3_000_000, 5_000_000, 8_000_000, 12_000_000] as const;
export const priceBucketOf = (column: string) =>
  sql.raw(`width_bucket(${column}, array[${PRICE_BUCKET_BOUNDS.join(',')}]::bigint[])`);

/** What a visible row counts under in `search_facet_counts` ('' for an unknown area). */
const FACET_KEY = sql`coalesce(s.province_id, '') as province_id, coalesce(s.district_id, '') as district_id,
  s.room_type, ${priceBucketOf('s.price_min')} as bucket, s.available_rooms > 0 as available`;

/**
 * A word for each area a listing lies in (ward, district, province): a keyword search within an
 * area is then one intersection in the text index instead of a filter over every keyword match.
 * The same as `areaTokenOf` in listing-search-terms.ts (a word the parser keeps whole).
 */
const areaToken = (column: string) => sql.raw(`'zzarea' || md5(${column})`);

async function recompute(trx: Trx, t: Tables, dirty: string[]): Promise<void> {
  const areaNames = sql`concat_ws(' ', ${roomTypeLabel}, a0.name_folded, a1.name_folded, a2.name_folded)`;
  const levelId = (level: string) =>
    sql`case ${sql.lit(level)} when a0.level then a0.area_id when a1.level then a1.area_id when a2.level then a2.area_id end`;
  const levelName = (level: string) =>
    sql`case ${sql.lit(level)} when a0.level then a0.name when a1.level then a1.name when a2.level then a2.name end`;
  await sql`
    with fresh as (
      select f.listing_id, f.project_id, f.status,
        f.status = 'published' and p.status = 'active' and coalesce(o.verified, false)
          and rs.room_count > 0 as visible,
        f.title, f.room_type, rs.price_min, rs.price_max, rs.area_min, rs.area_max,
        rs.room_count, rs.available_rooms,
        f.area_id, ids.ward_id, ids.district_id, ids.province_id, ${levelName('ward')} as ward_name,
        ${levelName('district')} as district_name, ${levelName('province')} as province_name,
        f.street, f.lat, f.lng,
        case when f.lat is not null and f.lng is not null then ll_to_earth(f.lat, f.lng)::cube end as geo,
        f.amenities, f.images -> 0 ->> 'thumbnailKey' as cover_thumbnail_key, f.published_at,
        concat_ws(' ', f.title_folded, ${areaNames}, f.street_folded, f.description_folded) as search_text,
        setweight(to_tsvector('simple', ${withJoinedNumbers(sql`f.title_folded`)}), 'A')
          || setweight(to_tsvector('simple', ${withJoinedNumbers(areaNames)}), 'B')
          || setweight(to_tsvector('simple', ${withJoinedNumbers(sql`coalesce(f.street_folded, '')`)}), 'C')
          || setweight(to_tsvector('simple', f.description_folded), 'D')
          || array_to_tsvector(array_remove(array[${areaToken('ids.ward_id')}, ${areaToken('ids.district_id')},
               ${areaToken('ids.province_id')}], null)) as tsv
      from unnest(${dirty}::text[]) d(listing_id)
        join ${t.search_listing_facts} f on f.listing_id = d.listing_id
        left join ${t.search_projects} p on p.project_id = f.project_id
        left join ${t.search_owners} o on o.user_id = p.owner_id
        cross join lateral (
          select min(coalesce(lr.price, r.standard_price)) as price_min, max(coalesce(lr.price, r.standard_price)) as price_max,
            min(coalesce(lr.area_m2, r.area_m2)) as area_min, max(coalesce(lr.area_m2, r.area_m2)) as area_max,
            count(*)::int as room_count, (count(*) filter (where r.status = 'available'))::int as available_rooms
          from ${t.search_listing_rooms} lr join ${t.search_rooms} r on r.room_id = lr.room_id
          where lr.listing_id = f.listing_id) rs
        left join ${t.search_areas} a0 on a0.area_id = f.area_id
        left join ${t.search_areas} a1 on a1.area_id = a0.parent_id
        left join ${t.search_areas} a2 on a2.area_id = a1.parent_id
        cross join lateral (select ${levelId('ward')} as ward_id, ${levelId('district')} as district_id,
          ${levelId('province')} as province_id) ids
    ),
    old as (
      select ${FACET_KEY}, s.visible, s.tsv from ${t.listing_search} s where s.listing_id = any(${dirty}::text[])
    ),
    saved as (
      insert into ${t.listing_search} as s (listing_id, project_id, status, visible, title, room_type, price_min, price_max,
        area_min, area_max, room_count, available_rooms, area_id, ward_id, district_id, province_id, ward_name,
        district_name, province_name, street, lat, lng, geo, amenities, cover_thumbnail_key, published_at,
        search_text, tsv)
      select * from fresh
      on conflict (listing_id) do update set project_id = excluded.project_id, status = excluded.status,
        visible = excluded.visible, title = excluded.title, room_type = excluded.room_type,
        price_min = excluded.price_min, price_max = excluded.price_max, area_min = excluded.area_min,
        area_max = excluded.area_max, room_count = excluded.room_count, available_rooms = excluded.available_rooms,
        area_id = excluded.area_id, ward_id = excluded.ward_id, district_id = excluded.district_id,
        province_id = excluded.province_id, ward_name = excluded.ward_name, district_name = excluded.district_name,
        province_name = excluded.province_name, street = excluded.street, lat = excluded.lat, lng = excluded.lng,
        geo = excluded.geo, amenities = excluded.amenities, cover_thumbnail_key = excluded.cover_thumbnail_key,
        published_at = excluded.published_at, search_text = excluded.search_text, tsv = excluded.tsv
      returning ${FACET_KEY}, s.visible, s.tsv
    ),
    word_deltas as (
      select word, -1 as delta from old cross join unnest(tsvector_to_array(old.tsv)) word where old.visible
      union all
      select word, 1 from saved cross join unnest(tsvector_to_array(saved.tsv)) word where saved.visible
    ),
    lexicon as (
      insert into ${t.search_lexicon} as l (word, documents)
      select word, sum(delta)::int from word_deltas group by word having sum(delta) <> 0
      on conflict (word) do update set documents = l.documents + excluded.documents
    ),
    facet_deltas as (
      select province_id, district_id, room_type, bucket, available, -1 as delta from old where old.visible
      union all
      select province_id, district_id, room_type, bucket, available, 1 from saved where saved.visible
    ),
    facets as (
      insert into ${t.search_facet_counts} as c (province_id, district_id, room_type, bucket, available, listings)
      select province_id, district_id, room_type, bucket, available, sum(delta)::int from facet_deltas
       group by 1, 2, 3, 4, 5 having sum(delta) <> 0
      on conflict (province_id, district_id, room_type, bucket, available)
        do update set listings = c.listings + excluded.listings
    )
    update ${t.search_stats} set visible = visible
      + (select count(*) from saved where saved.visible) - (select count(*) from old where old.visible)`.execute(trx);
}

/**
 * Listing search (DESIGN §7): one row per listing ever drafted with a `visible` flag (published,
 * project active, current owner KYC-verified), prices and areas over its rooms, available rooms,
 * the area path, coordinates, cover thumbnail and accent-free full text. Each batch folds its
 * events onto the stored facts, saves them set-based, then recomputes the touched rows at once.
 */
export const listingSearchProjection: Projection = {
  name: 'listing-search',
  version: 1,
  filter: { eventTypes: [...LISTING_SEARCH_EVENT_TYPES] },
  tables: LISTING_SEARCH_TABLES,

  setup: setupListingSearch,

  async apply(events: RecordedEvent[], { trx, schema }) {
    const t = searchTables(schema);
    // Every statement here looks rows up by key sets; during a bulk rebuild the tables grow faster
    // than statistics follow, and a planner guessing "large" would scan whole tables per batch.
    // The costs this inflates would then trigger JIT compilation (half a second per statement).
    await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true),
      set_config('enable_mergejoin', 'off', true), set_config('jit', 'off', true)`.execute(trx);
    const changes = await loadFacts(trx, t, idsToLoad(events));
    foldSearchEvents(changes, events);
    await saveFacts(trx, t, changes);
    const dirty = await dirtyListings(trx, t, changes);
    if (dirty.length) await recompute(trx, t, dirty);
  },
};
