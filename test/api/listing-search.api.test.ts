import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ListingSearchPage } from '../../projections/catalog/listing-search-queries.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import { listingWorld } from '../support/listing-world.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const SEARCH = '/api/v1/listings/search';

describe('GET /api/v1/listings/search', () => {
  test.each([
    ['priceMin=abc', 'priceMin'],
    ['priceMin=5000000&priceMax=2000000', 'priceMin'],
    ['areaMin=40&areaMax=20', 'areaMin'],
    ['lat=10.77&radiusKm=2', 'lng'],
    ['lat=10.77&lng=106.7', 'radiusKm'],
    ['lat=10.77&lng=106.7&radiusKm=500', 'radiusKm'],
    ['lat=95&lng=106.7&radiusKm=5', 'lat'],
    ['sort=distance', 'sort'],
    ['sort=cheapest', 'sort'],
    ['limit=0', 'limit'],
    ['limit=51', 'limit'],
    [`q=${'a'.repeat(201)}`, 'q'],
    ['roomType=castle', 'roomType'],
    ['amenities=wifi,Bad%20Id', 'amenities.1'],
    ['available=yes', 'available'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('?%s → 400 naming %s', async (params, field) => {
    const answer = await t.call('GET', `${SEARCH}?${params}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ success: false, error: { field } });
  });

  test('finds a published listing by an accent-free, misspelt keyword, with facets and a next page', async () => {
    const w = listingWorld(t.app.services.store);
    const hcm = await w.area('Thành phố Hồ Chí Minh', 'province');
    const q1 = await w.area('Quận 1', 'district', hcm);
    const owner = await w.newOwner();
    const { projectId, roomIds } = await w.project(owner, [
      { price: 3_500_000, areaM2: 25 },
      { price: 6_000_000, areaM2: 40 },
    ]);
    const base = { projectId, ownerId: owner, areaId: q1, lat: 10.7725, lng: 106.698 };
    const first = await w.listing({
      ...base,
      title: 'Phòng trọ 25m² gần chợ Bến Thành, Quận 1',
      rooms: [{ roomId: roomIds[0] as string }],
    });
    const second = await w.listing({
      ...base,
      title: 'Phòng trọ 40m² ban công, Quận 1',
      rooms: [{ roomId: roomIds[1] as string }],
    });

    const url = `${SEARCH}?q=${encodeURIComponent('phong tro qaun 1')}&sort=price_asc&limit=1&facets=true`;
    const page = await eventually(async () => {
      const answer = await t.call<ListingSearchPage>('GET', url);
      expect(answer.status).toBe(200);
      expect(answer.body.data.facets?.total).toBe(2);
      return answer.body.data;
    });
    expect(page.items).toEqual([
      expect.objectContaining({
        listingId: first,
        title: 'Phòng trọ 25m² gần chợ Bến Thành, Quận 1',
        roomType: 'room',
        priceMin: 3_500_000,
        districtName: 'Quận 1',
        provinceName: 'Thành phố Hồ Chí Minh',
        availableRooms: 1,
        distanceKm: null,
        coverThumbnailUrl: expect.stringMatching(/^\/api\/v1\/images\/listings\//),
        publishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
    expect(page.facets?.districts).toEqual([{ areaId: q1, name: 'Quận 1', count: 2 }]);
    expect(page.facets?.priceBuckets.map((bucket) => bucket.count)).toEqual([0, 0, 1, 1, 0, 0]);

    const next = await t.call<ListingSearchPage>('GET', `${url}&cursor=${page.nextCursor}`);
    expect(next.body.data.items.map((item) => item.listingId)).toEqual([second]);
    expect(next.body.data.nextCursor).toBeNull();

    const near = await t.call<ListingSearchPage>('GET', `${SEARCH}?lat=10.7726&lng=106.698&radiusKm=1&sort=distance`);
    expect(near.body.data.items).toHaveLength(2);
    expect(near.body.data.items[0]?.distanceKm).toBeLessThan(0.05);
  });
});
