/**
 * Listing search benchmark: on BENCH_LISTINGS (default 1,000,000; `--listings N`) seeded listings,
 * a fixed mix of 20 realistic searches (keywords, filters, sorts, later pages, facets), each
 * answered by the search read model and by a naive baseline (ILIKE '%…%' over the
 * raw text with the same filters, OFFSET pages) → p50/p95/p99 and ratios. The seeded database is
 * kept (`bench_search_<N>` on BENCH_DATABASE_URL, or an embedded server under DATA_DIR/bench-search)
 * and reused by later runs; `--fresh` seeds it again. Prints figures; never asserts.
 */
import path from 'node:path';
import { Kysely, PostgresDialect, type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { currentState } from '../../commands/handler.js';
import { areaCatalog } from '../../domain/catalog/area-catalog.js';
import { AREA_CATALOG_STREAM } from '../../domain/catalog/area-events.js';
import type { ListingImage } from '../../domain/catalog/listing-images.js';
import { foldVietnamese } from '../../domain/shared/text.js';
import { type ListingSearchRequest, searchListings } from '../../projections/catalog/listing-search-queries.js';
import { startEmbeddedPostgres } from '../embedded-postgres.js';
import { createLogger } from '../logger.js';
import { migrate } from '../migrations.js';
import { seedListings } from '../seed/listing-seeder.js';
import { createServices } from '../services.js';
import { envInt, fmt, loadAvg, printTable, summarize } from './support.js';

const argument = (name: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const LISTINGS = Number((argument('--listings') ?? String(envInt('BENCH_LISTINGS', 1_000_000))).replaceAll('_', ''));
const ROUNDS = envInt('BENCH_SEARCH_ROUNDS', 10);
const FRESH = process.argv.includes('--fresh');
const DB_NAME = `bench_search_${LISTINGS}`;

/** Keys only: the bench never serves the pictures. */
const IMAGES: ListingImage[] = Array.from({ length: 9 }, (_, i) => ({
  key: `listings/seed-samples/sample-${i}.jpg`,
  thumbnailKey: `listings/seed-samples/sample-${i}-thumb.webp`,
  contentType: 'image/jpeg',
  width: 960,
  height: 640,
  size: 60_000,
}));

async function openServer(): Promise<{ adminUrl: string; where: string; stop(): Promise<void> }> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given)
    return { adminUrl: given, where: `BENCH_DATABASE_URL ${new URL(given).host}`, stop: async () => undefined };
  const dataDir = path.join(process.env.DATA_DIR ?? './data', 'bench-search', 'pg');
  const server = await startEmbeddedPostgres({ dataDir, persistent: true });
  return { adminUrl: server.adminUrl, where: `embedded, data kept in ${dataDir}`, stop: server.stop };
}

/** The kept database, seeded with LISTINGS listings (again when it is missing, incomplete or --fresh). */
async function seededDatabase(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const url = new URL(adminUrl);
  url.pathname = `/${DB_NAME}`;
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [DB_NAME])).rowCount === 1;
    if (exists && !FRESH) {
      const probe = new pg.Client({ connectionString: url.toString() });
      await probe.connect();
      const seeded = await probe
        .query<{ listings: number }>('select listings from ops.bench_search_seeded')
        .then((r) => r.rows[0]?.listings === LISTINGS)
        .catch(() => false);
      await probe.end();
      if (seeded) {
        console.log(`Reusing database ${DB_NAME} (seeded by an earlier run; --fresh seeds it again).`);
        return url.toString();
      }
    }
    await admin.query(`drop database if exists ${DB_NAME} with (force)`);
    await admin.query(`create database ${DB_NAME}`);
  } finally {
    await admin.end();
  }
  const services = createServices({
    databaseUrl: url.toString(),
    logger: createLogger('warn'),
    publicUrl: () => 'http://127.0.0.1',
    dataDir: path.join(process.env.DATA_DIR ?? './data', 'bench-search', 'files'),
  });
  try {
    await migrate(services.pool);
    console.log(`Seeding ${LISTINGS.toLocaleString('en-US')} listings into ${DB_NAME}…`);
    const result = await seedListings(services, {
      listings: LISTINGS,
      mode: 'bulk',
      images: IMAGES,
      seed: 42,
      log: (line) => console.log(line),
    });
    await services.pool.query('vacuum analyze');
    await services.pool.query('create table ops.bench_search_seeded as select $1::int as listings', [LISTINGS]);
    console.log(
      `Seeded ${result.events.toLocaleString('en-US')} events: decide + COPY ${fmt(result.seconds.load)} s ` +
        `(COPY ${fmt(result.seconds.copy)} s), rebuild ${fmt(result.seconds.rebuild)} s.`,
    );
  } finally {
    await services.close();
  }
  return url.toString();
}

interface Case {
  name: string;
  request: ListingSearchRequest;
  /** Measure this page (earlier pages are fetched untimed for the cursor). */
  page?: number;
}

function mix(area: (code: string) => string): Case[] {
  const hcm = area('79');
  const hanoi = area('01');
  return [
    { name: 'q "phòng trọ quận 1"', request: { q: 'phòng trọ quận 1' } },
    { name: 'q "phong tro gan cho ben thanh"', request: { q: 'phong tro gan cho ben thanh' } },
    { name: 'q "phong tro qaun 10" (typo)', request: { q: 'phong tro qaun 10' } },
    { name: 'q "căn hộ mini" Quận 7 ≤ 8M', request: { q: 'căn hộ mini', areaId: area('778'), priceMax: 8_000_000 } },
    { name: 'q "ký túc xá" + facets', request: { q: 'ký túc xá', facets: true } },
    { name: 'q "ban cong" Quận 10 price desc', request: { q: 'ban cong', areaId: area('771'), sort: 'price_desc' } },
    {
      name: 'q "nha nguyen can" HCMC ≥ 8M + facets',
      request: { q: 'nha nguyen can', areaId: hcm, priceMin: 8_000_000, facets: true },
    },
    { name: 'q "gan dh bach khoa" Hà Nội', request: { q: 'gan dh bach khoa', areaId: hanoi } },
    { name: 'HCMC newest', request: { areaId: hcm } },
    {
      name: 'Bình Thạnh 2–4M price asc',
      request: { areaId: area('765'), priceMin: 2_000_000, priceMax: 4_000_000, sort: 'price_asc' },
    },
    { name: 'Cầu Giấy available newest', request: { areaId: area('005'), available: true } },
    {
      name: 'Gò Vấp 20–35 m² ≤ 5M available',
      request: { areaId: area('764'), areaMin: 20, areaMax: 35, priceMax: 5_000_000, available: true },
    },
    {
      name: 'Quận 3 + 3 amenities',
      request: { areaId: area('770'), amenities: ['air_conditioner', 'wifi', 'private_bathroom'] },
    },
    {
      name: 'Thủ Đức apartments ≤ 10M asc',
      request: { areaId: area('769'), roomType: 'apartment', priceMax: 10_000_000, sort: 'price_asc' },
    },
    { name: 'Hà Nội + facets', request: { areaId: hanoi, facets: true } },
    { name: 'everything newest (home)', request: {} },
    {
      name: '2 km around Bến Thành nearest',
      request: { near: { lat: 10.7725, lng: 106.698, radiusKm: 2 }, sort: 'distance' },
    },
    {
      name: '3 km around Hồ Gươm q "phong tro"',
      request: { q: 'phong tro', near: { lat: 21.0287, lng: 105.8523, radiusKm: 3 } },
    },
    { name: 'page 3: HCMC newest', request: { areaId: hcm }, page: 3 },
    { name: 'page 2: q "phòng trọ quận 1"', request: { q: 'phòng trọ quận 1' }, page: 2 },
  ];
}

// biome-ignore lint/suspicious/noExplicitAny: read-model tables
type Db = Kysely<any>;

/** The same search done naively: ILIKE over the raw text, the same filters, OFFSET for later pages. */
function naive(db: Db, request: ListingSearchRequest, page: number, areaLevel: string | null) {
  const where: RawBuilder<unknown>[] = [sql`s.visible`];
  if (request.areaId && areaLevel) where.push(sql`${sql.ref(`s.${areaLevel}_id`)} = ${request.areaId}`);
  if (request.priceMin !== undefined) where.push(sql`s.price_max >= ${request.priceMin}`);
  if (request.priceMax !== undefined) where.push(sql`s.price_min <= ${request.priceMax}`);
  if (request.areaMin !== undefined) where.push(sql`s.area_max >= ${request.areaMin}`);
  if (request.areaMax !== undefined) where.push(sql`s.area_min <= ${request.areaMax}`);
  if (request.amenities?.length) where.push(sql`s.amenities @> ${request.amenities}::text[]`);
  if (request.roomType) where.push(sql`s.room_type = ${request.roomType}`);
  if (request.available) where.push(sql`s.available_rooms > 0`);
  const near = request.near;
  const distance = near ? sql`earth_distance(ll_to_earth(s.lat, s.lng), ll_to_earth(${near.lat}, ${near.lng}))` : null;
  if (near && distance) where.push(sql`${distance} <= ${near.radiusKm * 1000}`);
  if (request.q) {
    const text = sql`concat_ws(' ', f.title, f.description, f.street, s.ward_name, s.district_name, s.province_name)`;
    where.push(sql`${text} ilike ${`%${request.q.replace(/[\\%_]/g, '\\$&')}%`}`);
  }
  const sort = request.sort ?? 'newest';
  const order =
    sort === 'price_asc'
      ? sql`s.price_min, s.listing_id`
      : sort === 'price_desc'
        ? sql`s.price_min desc, s.listing_id desc`
        : sort === 'distance' && distance
          ? sql`${distance}, s.listing_id`
          : sql`s.published_at desc, s.listing_id desc`;
  const filter = sql.join(where, sql` and `);
  const from = sql`rm.listing_search s join rm.search_listing_facts f on f.listing_id = s.listing_id`;
  return async () => {
    const rows = await sql`select s.listing_id, s.title, s.price_min, s.district_name from ${from} where ${filter}
      order by ${order} limit 21 offset ${(page - 1) * 20}`.execute(db);
    if (request.facets) {
      const bucket = sql.raw('width_bucket(s.price_min, array[2000000,3000000,5000000,8000000,12000000]::bigint[])');
      await sql`select s.district_id, ${bucket}, count(*) from ${from} where ${filter}
        group by grouping sets ((s.district_id), (${bucket}))`.execute(db);
    }
    return rows.rows.length;
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const server = await openServer();
  try {
    const url = await seededDatabase(server.adminUrl);
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    const { PostgresEventStore } = await import('../../commands/eventstore/postgres.js');
    const store = new PostgresEventStore(pool);
    const { areas } = await currentState(store, AREA_CATALOG_STREAM, areaCatalog);
    const byCode = new Map([...areas.values()].map((a) => [a.code, a]));
    const area = (code: string) => byCode.get(code)?.id ?? `missing-${code}`;
    const levelOf = (id: string | undefined) =>
      id ? ([...areas.values()].find((a) => a.id === id)?.level ?? null) : null;
    const counts = await pool.query<{ all: string; visible: string; size: string }>(
      `select count(*)::text as all, count(*) filter (where visible)::text as visible,
         pg_size_pretty(pg_total_relation_size('rm.listing_search')) as size from rm.listing_search`,
    );
    const settings = await pool.query<{ v: string; s: string }>(
      `select current_setting('server_version') as v, (select string_agg(name || '=' || setting || coalesce(unit, ''), ' ' order by name)
         from pg_settings where name in ('shared_buffers', 'work_mem', 'jit', 'max_parallel_workers_per_gather')) as s`,
    );
    console.log(`Server: PostgreSQL ${settings.rows[0]?.v} (${server.where}); ${settings.rows[0]?.s}`);
    console.log(
      `Listings: ${Number(counts.rows[0]?.all).toLocaleString('en-US')} rows, ${Number(counts.rows[0]?.visible).toLocaleString('en-US')} visible; ` +
        `listing_search with indexes ${counts.rows[0]?.size}. ${ROUNDS} rounds × 20 searches after one warm-up round.`,
    );

    const cases = mix(area);
    const ours = cases.map((c) => async () => {
      let cursor: string | undefined;
      for (let page = 1; page < (c.page ?? 1); page++)
        cursor = (await searchListings(db, { ...c.request, ...(cursor && { cursor }) })).nextCursor ?? undefined;
      const request = { ...c.request, ...(cursor && { cursor }) };
      return async () => (await searchListings(db, request)).items.length;
    });
    const prepared = await Promise.all(ours.map((prepare) => prepare()));
    const baseline = cases.map((c) => naive(db, c.request, c.page ?? 1, levelOf(c.request.areaId)));

    const time = async (run: () => Promise<number>) => {
      const at = process.hrtime.bigint();
      const rows = await run();
      return { ms: Number(process.hrtime.bigint() - at) / 1e6, rows };
    };
    const samples = { ours: cases.map(() => [] as number[]), naive: cases.map(() => [] as number[]) };
    const rows = { ours: cases.map(() => 0), naive: cases.map(() => 0) };
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [i] of cases.entries()) {
        const a = await time(prepared[i] as () => Promise<number>);
        const b = await time(baseline[i] as () => Promise<number>);
        if (round === 0) continue; // warm-up
        samples.ours[i]?.push(a.ms);
        samples.naive[i]?.push(b.ms);
        rows.ours[i] = a.rows;
        rows.naive[i] = b.rows;
      }
    }

    const table = cases.map((c, i) => {
      const a = summarize(samples.ours[i] ?? []);
      const b = summarize(samples.naive[i] ?? []);
      return [
        c.name,
        fmt(a.p50),
        fmt(a.p95),
        fmt(b.p50),
        `${fmt(b.p50 / a.p50, 1)}×`,
        `${rows.ours[i]}/${rows.naive[i]}`,
      ];
    });
    printTable(
      `Per search (ms; load avg ${loadAvg()})`,
      ['search', 'ours p50', 'ours p95', 'naive p50', 'naive/ours', 'rows ours/naive'],
      table,
    );
    const all = summarize(samples.ours.flat());
    const base = summarize(samples.naive.flat());
    printTable(
      `All ${all.count} searches of the mix over ${LISTINGS.toLocaleString('en-US')} listings`,
      ['', 'p50', 'p95', 'p99', 'max', 'target'],
      [
        ['search read model', fmt(all.p50), fmt(all.p95), fmt(all.p99), fmt(all.max), 'p95 < 50 ms'],
        ['naive ILIKE baseline', fmt(base.p50), fmt(base.p95), fmt(base.p99), fmt(base.max), ''],
        [
          'ratio naive / ours',
          `${fmt(base.p50 / all.p50)}×`,
          `${fmt(base.p95 / all.p95)}×`,
          `${fmt(base.p99 / all.p99)}×`,
          '',
          '',
        ],
      ],
    );
    console.log(
      `\nThe naive baseline matches raw text, so unaccented or misspelt keywords find less ("${foldVietnamese('Phòng')}" ≠ "Phòng").`,
    );
    await store.close();
    await pool.end();
  } finally {
    await server.stop();
  }
  console.log(`Total wall time ${fmt((performance.now() - started) / 1000)} s`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
