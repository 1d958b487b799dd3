import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { LISTING_SEARCH_EVENT_TYPES } from '../../projections/catalog/listing-search-fold.js';
import { listingSearchProjection } from '../../projections/catalog/listing-search-projection.js';
import {
  type ListingSearchPage,
  type ListingSearchRequest,
  searchListings,
} from '../../projections/catalog/listing-search-queries.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { type RunningProjection, runProjection } from '../../projections/runner.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type ListingWorld, listingWorld } from '../support/listing-world.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
let db: TestDatabase;
let store: PostgresEventStore;
// biome-ignore lint/suspicious/noExplicitAny: read-model tables
let kysely: Kysely<any>;
let running: RunningProjection;
let w: ListingWorld;

/** Waits until the projection has applied every event it listens to. */
async function settle() {
  const { rows } = await db.pool.query<{ last: string | null }>(
    'select max(position)::text as last from es.events where event_type = any($1)',
    [LISTING_SEARCH_EVENT_TYPES],
  );
  await running.waitFor(BigInt(rows[0]?.last ?? '0'), 20_000);
}

const search = async (request: ListingSearchRequest) => {
  await settle();
  return searchListings(kysely, request);
};
const ids = (page: ListingSearchPage) => page.items.map((item) => item.listingId);

const BEN_THANH = { lat: 10.7725, lng: 106.698 };
const BACH_KHOA = { lat: 10.7727, lng: 106.658 };
const geo = {} as Record<'hcm' | 'q1' | 'benThanh' | 'q10' | 'hanoi' | 'hoanKiem', string>;
const L = {} as Record<'benThanh' | 'bachKhoa' | 'hoanKiem', string>;
let owner: string;
let rooms: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  kysely = new Kysely({ dialect: new PostgresDialect({ pool: db.pool }) });
  running = runProjection({ store, db: kysely, pool: db.pool, logger }, listingSearchProjection);
  w = listingWorld(store);

  geo.hcm = await w.area('Thành phố Hồ Chí Minh', 'province');
  geo.q1 = await w.area('Quận 1', 'district', geo.hcm);
  geo.benThanh = await w.area('Phường Bến Thành', 'ward', geo.q1);
  geo.q10 = await w.area('Quận 10', 'district', geo.hcm);
  geo.hanoi = await w.area('Thành phố Hà Nội', 'province');
  geo.hoanKiem = await w.area('Quận Hoàn Kiếm', 'district', geo.hanoi);

  owner = await w.newOwner();
  const hcm = await w.project(owner, [
    { price: 3_500_000, areaM2: 25 },
    { price: 4_200_000, areaM2: 30 },
    { price: 2_500_000, areaM2: 18 },
  ]);
  rooms = hcm.roomIds;
  const hanoi = await w.project(owner, [{ price: 9_000_000, areaM2: 45 }]);
  L.benThanh = await w.listing({
    ...{ projectId: hcm.projectId, ownerId: owner, areaId: geo.benThanh, street: '12 Lê Lợi', ...BEN_THANH },
    title: 'Phòng trọ 25m² gần chợ Bến Thành, Quận 1',
    amenities: ['wifi', 'air_conditioner'],
    rooms: [{ roomId: rooms[0] as string }, { roomId: rooms[1] as string }],
  });
  L.bachKhoa = await w.listing({
    ...{ projectId: hcm.projectId, ownerId: owner, areaId: geo.q10, street: '268 Lý Thường Kiệt', ...BACH_KHOA },
    title: 'Phòng trọ giá rẻ gần ĐH Bách Khoa',
    description: 'Gần trường, có 1 phòng ngủ riêng, khu yên tĩnh, giờ giấc tự do.',
    amenities: ['wifi'],
    rooms: [{ roomId: rooms[2] as string, price: 2_200_000, areaM2: 16 }],
  });
  L.hoanKiem = await w.listing({
    ...{ projectId: hanoi.projectId, ownerId: owner, areaId: geo.hoanKiem, lat: 21.0287, lng: 105.8523 },
    title: 'Căn hộ mini view Hồ Gươm',
    description: 'Gần chợ Hàng Da và phố cổ, yên tĩnh, thích hợp người đi làm.',
    roomType: 'apartment',
    amenities: ['wifi', 'kitchen', 'air_conditioner'],
    rooms: hanoi.roomIds.map((roomId) => ({ roomId })),
  });
}, 60_000);

afterAll(async () => {
  await running.stop();
  await store.close();
  await db.drop();
});

describe('keywords', () => {
  test('accents, case and a typo do not matter; "quận 1" is not "quận 10"', async () => {
    for (const q of ['phong tro quan 1', 'Phòng trọ Quận 1', 'PHÒNG TRỌ QUẬN 1', 'phong tro qaun 1']) {
      expect(ids(await search({ q })), q).toEqual([L.benThanh]);
    }
    expect(ids(await search({ q: 'bach khao' }))).toEqual([L.bachKhoa]);
    expect(ids(await search({ q: 'ho guom' }))).toEqual([L.hoanKiem]);
    expect(ids(await search({ q: 'căn hộ hà nội' }))).toEqual([L.hoanKiem]);
    expect(ids(await search({ q: 'xyzzy' }))).toEqual([]);
  });

  test('relevance puts a title match before a newer description match', async () => {
    expect(ids(await search({ q: 'chợ' }))).toEqual([L.benThanh, L.hoanKiem]);
    expect(ids(await search({ q: 'chợ', sort: 'newest' }))).toEqual([L.hoanKiem, L.benThanh]);
  });

  test('relevance ranks only as many matches as it may read; more are ordered newest first', async () => {
    await settle();
    const ranked = (rankedMatches: number, request: ListingSearchRequest) =>
      searchListings(kysely, request, { rankedMatches });
    expect(ids(await ranked(2, { q: 'chợ' }))).toEqual([L.benThanh, L.hoanKiem]); // surely few
    expect(ids(await ranked(1, { q: 'chợ' }))).toEqual([L.hoanKiem, L.benThanh]); // counted: too many
    expect(ids(await ranked(1, { q: 'chợ', areaId: geo.hcm }))).toEqual([L.benThanh]); // counted: few enough
    const first = await ranked(1, { q: 'chợ', limit: 1 });
    const next = await ranked(1000, { q: 'chợ', limit: 1, cursor: first.nextCursor ?? '' });
    expect([...ids(first), ...ids(next)]).toEqual([L.hoanKiem, L.benThanh]); // later pages keep the first page's choice
  });

  test('a keyword page is found by walking the sort order as well as through the text index', async () => {
    for (const sort of ['newest', 'price_asc'] as const) {
      const first = await search({ q: 'chợ', sort, limit: 1 }); // two matches: the walk fills the page
      const next = await search({ q: 'chợ', sort, limit: 1, cursor: first.nextCursor ?? '' }); // one left: index
      const expected = sort === 'newest' ? [L.hoanKiem, L.benThanh] : [L.benThanh, L.hoanKiem];
      expect([...ids(first), ...ids(next)]).toEqual(expected);
      expect(next.nextCursor).toBeNull();
    }
  });
});

describe('filters', () => {
  test('an area matches its descendants', async () => {
    expect(ids(await search({ areaId: geo.hcm })).sort()).toEqual([L.benThanh, L.bachKhoa].sort());
    expect(ids(await search({ areaId: geo.q1 }))).toEqual([L.benThanh]);
    expect(ids(await search({ areaId: geo.benThanh }))).toEqual([L.benThanh]);
    expect(ids(await search({ areaId: geo.hanoi }))).toEqual([L.hoanKiem]);
    expect(ids(await search({ areaId: 'no-such-area' }))).toEqual([]);
    const [item] = (await search({ areaId: geo.benThanh })).items;
    expect(item).toMatchObject({
      wardName: 'Phường Bến Thành',
      districtName: 'Quận 1',
      provinceName: 'Thành phố Hồ Chí Minh',
    });
  });

  test('radius keeps what is near and says how far', async () => {
    const near = await search({ near: { ...BEN_THANH, radiusKm: 2 } });
    expect(ids(near)).toEqual([L.benThanh]);
    expect(near.items[0]?.distanceKm).toBeLessThan(0.01);
    const wider = await search({ near: { ...BEN_THANH, radiusKm: 10 }, sort: 'distance' });
    expect(ids(wider)).toEqual([L.benThanh, L.bachKhoa]);
    expect(wider.items[1]?.distanceKm).toBeGreaterThan(4);
    expect(wider.items[1]?.distanceKm).toBeLessThan(4.8);
  });

  test('price and area ranges overlap, amenities are all required, room type', async () => {
    const item = (await search({ areaId: geo.q1 })).items[0];
    expect(item).toMatchObject({
      priceMin: 3_500_000,
      priceMax: 4_200_000,
      areaMin: 25,
      areaMax: 30,
      roomCount: 2,
      availableRooms: 2,
    });
    expect(item?.coverThumbnailUrl).toMatch(/^\/api\/v1\/images\/listings\/.+-thumb\.webp$/);
    expect(ids(await search({ priceMin: 4_000_000, priceMax: 5_000_000 }))).toEqual([L.benThanh]);
    expect(ids(await search({ priceMax: 3_000_000 }))).toEqual([L.bachKhoa]);
    expect(ids(await search({ areaMin: 40 }))).toEqual([L.hoanKiem]);
    expect(ids(await search({ areaMax: 20 }))).toEqual([L.bachKhoa]);
    expect(ids(await search({ amenities: ['wifi', 'air_conditioner'] })).sort()).toEqual(
      [L.benThanh, L.hoanKiem].sort(),
    );
    expect(ids(await search({ amenities: ['wifi', 'kitchen'] }))).toEqual([L.hoanKiem]);
    expect(ids(await search({ roomType: 'apartment' }))).toEqual([L.hoanKiem]);
  });

  test('each sort orders the page', async () => {
    expect(ids(await search({}))).toEqual([L.hoanKiem, L.bachKhoa, L.benThanh]);
    expect(ids(await search({ sort: 'price_asc' }))).toEqual([L.bachKhoa, L.benThanh, L.hoanKiem]);
    expect(ids(await search({ sort: 'price_desc' }))).toEqual([L.hoanKiem, L.benThanh, L.bachKhoa]);
    const fromHanoi = await search({ near: { lat: 21.0287, lng: 105.8523, radiusKm: 100 }, sort: 'distance' });
    expect(ids(fromHanoi)).toEqual([L.hoanKiem]);
  });

  test('facets count districts and price buckets over the whole filtered set', async () => {
    const page = await search({ areaId: geo.hcm, limit: 1, facets: true });
    expect(page.items).toHaveLength(1);
    expect(page.facets?.total).toBe(2);
    expect(page.facets?.districts).toEqual(
      expect.arrayContaining([
        { areaId: geo.q1, name: 'Quận 1', count: 1 },
        { areaId: geo.q10, name: 'Quận 10', count: 1 },
      ]),
    );
    expect(page.facets?.priceBuckets.map((b) => b.count)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(page.facets?.priceBuckets[1]).toMatchObject({ min: 2_000_000, max: 3_000_000 });
  });

  test('facets from the summary (area, room type, availability only) equal counting the rows', async () => {
    const requests: ListingSearchRequest[] = [
      {},
      { areaId: geo.hcm },
      { areaId: geo.q1, available: true },
      { roomType: 'room' },
    ];
    for (const request of requests) {
      const summed = (await search({ ...request, facets: true })).facets;
      const counted = (await search({ ...request, priceMin: 0, facets: true })).facets;
      expect(summed, JSON.stringify(request)).toEqual(counted);
      expect(summed?.total).toBeGreaterThan(0);
    }
  });
});

const sorted = (list: (string | undefined)[]) => [...list].sort();
const staff = () => w.staff();

describe('visibility', () => {
  test('a suspended project hides all its listings at once until it is reactivated', async () => {
    const o = await w.newOwner();
    const { projectId, roomIds } = await w.project(o, [
      { price: 3_000_000, areaM2: 20 },
      { price: 3_100_000, areaM2: 21 },
    ]);
    const listed = (title: string, roomId: string | undefined) =>
      w.listing({ projectId, ownerId: o, areaId: geo.q10, title, rooms: [{ roomId: roomId as string }] });
    const both = [
      await listed('Phòng trọ Sư Vạn Hạnh số một', roomIds[0]),
      await listed('Phòng trọ Sư Vạn Hạnh số hai', roomIds[1]),
    ];
    expect(sorted(ids(await search({ q: 'su van hanh' })))).toEqual(sorted(both));
    await w.commands.project({ type: 'SuspendProject', projectId, by: 'staff', reason: 'Kiểm tra giấy phép' }, staff());
    expect(ids(await search({ q: 'su van hanh' }))).toEqual([]);
    await w.commands.project({ type: 'ReactivateProject', projectId, by: 'staff' }, staff());
    expect(sorted(ids(await search({ q: 'su van hanh' })))).toEqual(sorted(both));
  });

  test("only listings whose project's current owner is KYC-verified show", async () => {
    const o = await w.newOwner(false);
    const { projectId, roomIds } = await w.project(o, [{ price: 2_800_000, areaM2: 19 }]);
    const listingId = await w.listing({
      ...{ projectId, ownerId: o, areaId: geo.q10, rooms: [{ roomId: roomIds[0] as string }] },
      title: 'Phòng trọ Nguyễn Tri Phương',
    });
    const q = 'nguyen tri phuong';
    expect(ids(await search({ q }))).toEqual([]); // approved, waiting for KYC
    await w.commands.kyc({ type: 'VerifyKyc', userId: o }, staff());
    await w.commands.listing({ listingId, by: 'staff', type: 'PublishApprovedListing' }, staff());
    expect(ids(await search({ q }))).toEqual([listingId]);

    const next = await w.newOwner(false);
    await w.commands.project({ type: 'ReassignProjectOwner', projectId, by: 'staff', toOwnerId: next }, staff());
    expect(ids(await search({ q }))).toEqual([]);
    await w.commands.kyc({ type: 'VerifyKyc', userId: next }, staff());
    expect(ids(await search({ q }))).toEqual([listingId]);
  });

  test('an edit that sends a published listing back to review hides it; approval shows it again', async () => {
    const o = await w.newOwner();
    const { projectId, roomIds } = await w.project(o, [{ price: 3_300_000, areaM2: 22 }]);
    const listingId = await w.listing({
      ...{ projectId, ownerId: o, areaId: geo.q10, rooms: [{ roomId: roomIds[0] as string }] },
      title: 'Phòng trọ Thành Thái có gác',
    });
    expect(ids(await search({ q: 'thanh thai' }))).toEqual([listingId]);
    const edit = { listingId, by: 'owner' as const, type: 'SaveListingBasics' as const, roomType: 'room' as const };
    const description = 'Phòng sạch sẽ, thoáng mát, giờ giấc tự do, an ninh tốt.';
    await w.commands.listing({ ...edit, title: 'Phòng trọ Thành Thái có gác lửng', description }, w.owner(o));
    // Words of hidden listings are widened to near words of others, so only this row is checked.
    expect(ids(await search({ q: 'thanh thai' }))).not.toContain(listingId);
    const checklist = { accurate: true, imagesClear: true, priceReasonable: true, ownerKycVerified: true };
    await w.commands.listing({ listingId, by: 'staff', type: 'ApproveListing', checklist, note: '' }, staff());
    expect((await search({ q: 'gac lung' })).items.map((i) => i.title)).toEqual(['Phòng trọ Thành Thái có gác lửng']);
  });

  test('reserved rooms lower the available count in every listing offering them; available=true needs one', async () => {
    const o = await w.newOwner();
    const { projectId, roomIds } = await w.project(o, [
      { price: 5_000_000, areaM2: 30 },
      { price: 5_500_000, areaM2: 32 },
    ]);
    const [r1, r2] = roomIds as [string, string];
    const base = { projectId, ownerId: o, areaId: geo.q1 };
    const a = await w.listing({ ...base, title: 'Phòng trọ Pasteur tầng 2', rooms: [{ roomId: r1 }, { roomId: r2 }] });
    const b = await w.listing({ ...base, title: 'Phòng trọ Pasteur ban công', rooms: [{ roomId: r2 }] });
    const counts = async (available?: boolean) =>
      Object.fromEntries((await search({ q: 'pasteur', available })).items.map((i) => [i.listingId, i.availableRooms]));
    expect(await counts()).toEqual({ [a]: 2, [b]: 1 });
    await w.commands.room({ type: 'ReserveRoom', roomId: r2, holdId: randomUUID() }, staff());
    expect(await counts()).toEqual({ [a]: 1, [b]: 0 });
    expect(await counts(true)).toEqual({ [a]: 1 });
    await w.commands.room({ type: 'ChangeRoomDetails', roomId: r1, standardPrice: 4_800_000 }, staff());
    expect((await search({ q: 'pasteur tang' })).items[0]).toMatchObject({ priceMin: 4_800_000, priceMax: 5_500_000 });
  });

  test('moving or renaming an area updates every listing below it', async () => {
    const district = await w.area('Quận Thử Nghiệm', 'district', geo.hcm);
    const ward = await w.area('Phường Một', 'ward', district);
    const o = await w.newOwner();
    const { projectId, roomIds } = await w.project(o, [{ price: 2_600_000, areaM2: 15 }]);
    const listingId = await w.listing({
      projectId,
      ownerId: o,
      areaId: ward,
      title: 'Phòng trọ sinh viên',
      rooms: [{ roomId: roomIds[0] as string }],
    });
    expect(ids(await search({ areaId: geo.hcm, q: 'thu nghiem' }))).toEqual([listingId]);
    await w.areas({ type: 'UpdateArea', areaId: district, parentId: geo.hanoi }, staff());
    expect(ids(await search({ areaId: geo.hcm, q: 'thu nghiem' }))).toEqual([]);
    const moved = await search({ areaId: geo.hanoi, q: 'thu nghiem ha noi' });
    expect(moved.items.map((i) => [i.listingId, i.provinceName])).toEqual([[listingId, 'Thành phố Hà Nội']]);
    await w.areas({ type: 'UpdateArea', areaId: district, name: 'Quận Đổi Tên' }, staff());
    expect((await search({ q: 'doi ten' })).items.map((i) => i.districtName)).toEqual(['Quận Đổi Tên']);
  });
});

describe('keyset pagination', () => {
  const PRICES = [2_000_000, 2_500_000, 3_000_000, 2_500_000, 2_000_000, 3_500_000];

  test.each(['newest', 'price_asc', 'price_desc', 'relevance', 'distance'] as const)(
    '%s: each row that does not change comes exactly once while others are published, hidden and re-priced',
    async (sort) => {
      const district = await w.area(`Quận Trang ${sort}`, 'district', geo.hcm);
      const o = await w.newOwner();
      const rooms = Array.from({ length: 22 }, (_, i) => ({ price: PRICES[i % PRICES.length] as number, areaM2: 20 }));
      const { projectId, roomIds } = await w.project(o, rooms);
      const add = (i: number) =>
        w.listing({
          ...{ projectId, ownerId: o, areaId: district, rooms: [{ roomId: roomIds[i] as string }] },
          ...{ lat: 10.8 + (i % 3) * 0.001, lng: 106.7 }, // many at one spot: ties broken by id
          title: i % 3 === 0 ? `Phòng trọ đẹp phòng trọ rẻ số ${i}` : `Phòng trọ số ${i}`,
        });
      for (let i = 0; i < 20; i++) await add(i);
      const request = {
        ...{ areaId: district, sort, limit: 4 },
        ...(sort === 'relevance' && { q: 'phong tro' }),
        ...(sort === 'distance' && { near: { lat: 10.8, lng: 106.7, radiusKm: 5 } }),
      };
      const everything = ids(await search({ ...request, limit: 50 }));
      expect(everything).toHaveLength(20);

      const seen: string[] = [];
      const changed = new Set<string>();
      const hidden = new Set<string>();
      const unseenTail = () => everything.filter((id) => !seen.includes(id) && !changed.has(id)).at(-1) as string;
      let page = await search(request);
      for (let round = 0; ; round++) {
        seen.push(...ids(page));
        if (!page.nextCursor) break;
        const target = unseenTail();
        if (round === 0 || round === 3) {
          await w.commands.listing(
            { listingId: target, by: 'staff', type: 'SuspendListing', reason: 'Sai ảnh' },
            staff(),
          );
          hidden.add(target);
        } else if (round === 1) {
          changed.add(await add(20)); // a new row, wherever it sorts
        } else if (round === 2) {
          const roomId = roomIds[everything.indexOf(target)] as string;
          await w.commands.room({ type: 'ChangeRoomDetails', roomId, standardPrice: 2_700_000 }, staff());
        }
        changed.add(target);
        page = await search({ ...request, cursor: page.nextCursor });
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of everything.filter((id) => !changed.has(id))) expect(seen).toContain(id);
      for (const id of hidden) expect(seen).not.toContain(id);
    },
  );

  test('a cursor belongs to its search', async () => {
    const page = await search({ limit: 1 });
    await expect(search({ limit: 1, sort: 'price_asc', cursor: page.nextCursor ?? '' })).rejects.toMatchObject({
      code: 'CURSOR_MISMATCH',
      field: 'cursor',
    });
    await expect(search({ cursor: 'bm90LWpzb24' })).rejects.toMatchObject({ code: 'CURSOR_INVALID', field: 'cursor' });
  });
});

describe('rebuild', () => {
  test('rebuilding from the history gives the rows and word counts the live batches built', async () => {
    await settle();
    const snapshot = async () => ({
      rows: (await db.pool.query('select * from rm.listing_search order by listing_id')).rows,
      lexicon: (await db.pool.query('select word, documents from rm.search_lexicon where documents > 0 order by word'))
        .rows,
      visible: (await db.pool.query('select visible::int from rm.search_stats')).rows,
      facets: (
        await db.pool.query(
          'select * from rm.search_facet_counts where listings <> 0 order by province_id, district_id, room_type, bucket, available',
        )
      ).rows,
    });
    const live = await snapshot();
    const counted = await db.pool.query(
      `select word, count(*)::int as documents from rm.listing_search, unnest(tsvector_to_array(tsv)) word
        where visible group by word order by word`,
    );
    expect(live.lexicon).toEqual(counted.rows);
    expect(live.visible).toEqual([{ visible: live.rows.filter((r) => r.visible).length }]);
    await running.stop();
    await rebuildProjection({ db: kysely, store, logger }, listingSearchProjection);
    running = runProjection({ store, db: kysely, pool: db.pool, logger }, listingSearchProjection);
    expect(await snapshot()).toEqual(live);
  });
});
