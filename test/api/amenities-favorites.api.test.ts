import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { viewCounts } from '../../commands/catalog/listing-views.js';
import { favoritesStream } from '../../domain/catalog/favorite-events.js';
import { DEFAULT_AMENITIES, seedAmenities } from '../../ops/seed/seed-amenities.js';
import type { AmenityView } from '../../projections/catalog/amenities-queries.js';
import type { FavoritePage } from '../../projections/catalog/favorites-queries.js';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/app.js';
import { bearer, people } from '../support/people.js';

const PUBLISHED = new Set(['listing-a', 'listing-b', 'listing-c']);
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ listingLookup: { isPublished: async (id) => PUBLISHED.has(id) } });
});
afterAll(async () => {
  await t.close();
});

const { person } = people(() => t);
const amenities = () => t.call<AmenityView[]>('GET', '/api/v1/amenities');
const adminList = () => t.call<AmenityView[]>('GET', '/api/v1/admin/amenities', undefined, ADMIN);

describe('amenities over HTTP', () => {
  test('an admin adds, renames, disables and reorders; the public list shows active ones in order', async () => {
    const pool = { id: 'swimming_pool', nameVi: 'Hồ bơi', nameEn: 'Swimming pool', icon: 'waves' };
    const added = await t.call<AmenityView>('POST', '/api/v1/admin/amenities', pool, ADMIN);
    expect(added.status).toBe(201);
    expect(added.body.data).toEqual({ ...pool, active: true, position: 0 });
    const gym = { id: 'gym', nameVi: 'Phòng gym', nameEn: 'Gym' };
    expect((await t.call('POST', '/api/v1/admin/amenities', gym, ADMIN)).status).toBe(201);

    const renamed = await t.call<AmenityView>(
      'PATCH',
      '/api/v1/admin/amenities/gym',
      { nameEn: 'Fitness room', icon: 'dumbbell' },
      ADMIN,
    );
    expect(renamed.body.data).toMatchObject({ nameVi: 'Phòng gym', nameEn: 'Fitness room', icon: 'dumbbell' });

    const reordered = await t.call<AmenityView[]>(
      'PUT',
      '/api/v1/admin/amenities/order',
      { order: ['gym', 'swimming_pool'] },
      ADMIN,
    );
    expect(reordered.body.data.map((a) => [a.id, a.position])).toEqual([
      ['gym', 0],
      ['swimming_pool', 1],
    ]);

    const off = await t.call<AmenityView>('POST', '/api/v1/admin/amenities/swimming_pool/disable', undefined, ADMIN);
    expect(off.body.data.active).toBe(false);
    expect((await amenities()).body.data.map((a) => a.id)).toEqual(['gym']);
    expect((await adminList()).body.data.map((a) => [a.id, a.active])).toEqual([
      ['gym', true],
      ['swimming_pool', false],
    ]);
    const on = await t.call<AmenityView>('POST', '/api/v1/admin/amenities/swimming_pool/enable', undefined, ADMIN);
    expect(on.body.data.active).toBe(true);
    expect((await amenities()).body.data.map((a) => a.id)).toEqual(['gym', 'swimming_pool']);
  });

  test('bad or clashing input: 400 or 409 naming the field, unknown id 404, stale order 409', async () => {
    const post = (body: Record<string, unknown>) => t.call('POST', '/api/v1/admin/amenities', body, ADMIN);
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ id: 'Bad Id', nameVi: 'X', nameEn: 'X' }, 400, 'AMENITY_ID_INVALID', 'id'],
      [{ id: 'sauna', nameVi: ' ', nameEn: 'Sauna' }, 400, 'AMENITY_NAME_INVALID', 'nameVi'],
      [{ id: 'sauna', nameVi: 'Xông hơi', nameEn: 42 }, 400, 'VALIDATION_FAILED', 'nameEn'],
      [{ id: 'ho_boi', nameVi: 'HO BOI', nameEn: 'Pool' }, 409, 'AMENITY_NAME_TAKEN', 'nameVi'],
    ];
    await eventually(async () => expect((await adminList()).body.data.length).toBeGreaterThan(0));
    for (const [body, status, code, field] of cases) {
      const answer = await post(body);
      expect({ status: answer.status, ...answer.body.error }).toMatchObject({ status, code, field });
    }
    const missing = await t.call('POST', '/api/v1/admin/amenities/sauna/disable', undefined, ADMIN);
    expect({ status: missing.status, code: missing.body.error?.code }).toEqual({
      status: 404,
      code: 'AMENITY_NOT_FOUND',
    });
    const stale = await t.call('PUT', '/api/v1/admin/amenities/order', { order: ['gym'] }, ADMIN);
    expect({ status: stale.status, code: stale.body.error?.code }).toEqual({
      status: 409,
      code: 'AMENITY_ORDER_STALE',
    });
  });

  test('customers cannot change the catalog (403); anonymous callers must sign in (401)', async () => {
    const customer = await person('khach.tienich@example.vn', 'customer');
    const body = { id: 'rooftop', nameVi: 'Sân thượng', nameEn: 'Rooftop' };
    const refused = await t.call('POST', '/api/v1/admin/amenities', body, bearer(customer.token));
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const hidden = await t.call('POST', '/api/v1/admin/amenities/gym/disable', undefined, bearer(customer.token));
    expect(hidden.status).toBe(403);
    expect((await t.call('POST', '/api/v1/admin/amenities', body)).status).toBe(401);
    expect((await adminList()).body.data.map((a) => a.id)).not.toContain('rooftop');
  });

  test('the default list is seeded once: a second run adds nothing and keeps an admin’s changes', async () => {
    await seedAmenities(t.app.services);
    const first = await eventually(async () => {
      const list = (await adminList()).body.data;
      expect(list.length).toBe(2 + DEFAULT_AMENITIES.length);
      return list;
    });
    expect(first.find((a) => a.id === 'security_guard')).toMatchObject({ nameVi: 'Bảo vệ 24/7', active: true });
    await t.call('POST', '/api/v1/admin/amenities/wifi/disable', undefined, ADMIN);
    await seedAmenities(t.app.services);
    const again = (await adminList()).body.data;
    expect(again).toHaveLength(first.length);
    expect(again.find((a) => a.id === 'wifi')?.active).toBe(false);
  });
});

describe('favorites over HTTP', () => {
  test('save twice = one event, list newest first with a cursor, check, remove', async () => {
    const an = await person('an.yeuthich@example.vn', 'customer');
    const save = (listingId: string) => t.call('POST', '/api/v1/me/favorites', { listingId }, bearer(an.token));
    expect((await save('listing-a')).status).toBe(201);
    const again = await save('listing-a');
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual({ listingId: 'listing-a', favorited: true });
    expect((await save('listing-b')).status).toBe(201);
    expect((await save('listing-c')).status).toBe(201);
    const events = [];
    for await (const event of t.app.services.store.readStream(favoritesStream(an.id))) events.push(event.type);
    expect(events).toEqual(['ListingFavorited', 'ListingFavorited', 'ListingFavorited']);

    const page1 = await t.call<FavoritePage>('GET', '/api/v1/me/favorites?limit=2', undefined, bearer(an.token));
    expect(page1.body.data.items.map((f) => f.listingId)).toEqual(['listing-c', 'listing-b']);
    const cursor = encodeURIComponent(String(page1.body.data.nextCursor));
    const page2 = await t.call<FavoritePage>(
      'GET',
      `/api/v1/me/favorites?limit=2&cursor=${cursor}`,
      undefined,
      bearer(an.token),
    );
    expect(page2.body.data).toMatchObject({ items: [{ listingId: 'listing-a' }], nextCursor: null });
    const badCursor = await t.call('GET', '/api/v1/me/favorites?cursor=nonsense', undefined, bearer(an.token));
    expect(badCursor.body.error).toMatchObject({ code: 'CURSOR_INVALID', field: 'cursor' });

    const removed = await t.call('DELETE', '/api/v1/me/favorites/listing-b', undefined, bearer(an.token));
    expect(removed.body.data).toEqual({ listingId: 'listing-b', favorited: false });
    const check = await t.call<Record<string, boolean>>(
      'GET',
      '/api/v1/me/favorites/check?ids=listing-a,listing-b,listing-x',
      undefined,
      bearer(an.token),
    );
    expect(check.body.data).toEqual({ 'listing-a': true, 'listing-b': false, 'listing-x': false });
    const all = await t.call<FavoritePage>('GET', '/api/v1/me/favorites', undefined, bearer(an.token));
    expect(all.body.data.items.map((f) => f.listingId)).toEqual(['listing-c', 'listing-a']);
  });

  test('only published listings; each person sees their own; sign-in required', async () => {
    const binh = await person('binh.yeuthich@example.vn', 'customer');
    const draft = await t.call('POST', '/api/v1/me/favorites', { listingId: 'listing-draft' }, bearer(binh.token));
    expect({ status: draft.status, code: draft.body.error?.code }).toEqual({ status: 404, code: 'LISTING_NOT_FOUND' });
    const bad = await t.call('POST', '/api/v1/me/favorites', { listingId: '../x' }, bearer(binh.token));
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'listingId' });
    const mine = await t.call<FavoritePage>('GET', '/api/v1/me/favorites', undefined, bearer(binh.token));
    expect(mine.body.data).toEqual({ items: [], nextCursor: null });
    expect((await t.call('GET', '/api/v1/me/favorites')).status).toBe(401);
    expect((await t.call('POST', '/api/v1/me/favorites', { listingId: 'listing-a' })).status).toBe(401);
  });
});

describe('listing views over HTTP', () => {
  test('204 once per viewer per hour; another browser counts again; unknown listings 404', async () => {
    const view = (id: string, agent: string) =>
      t.call('POST', `/api/v1/listings/${id}/views`, undefined, { 'user-agent': agent });
    expect((await view('listing-a', 'Firefox')).status).toBe(204);
    expect((await view('listing-a', 'Firefox')).status).toBe(204);
    expect(await viewCounts(t.db.pool, ['listing-a'])).toEqual({ 'listing-a': 1 });
    await view('listing-a', 'Safari');
    expect(await viewCounts(t.db.pool, ['listing-a', 'listing-b'])).toEqual({ 'listing-a': 2, 'listing-b': 0 });
    const unknown = await view('listing-draft', 'Firefox');
    expect({ status: unknown.status, code: unknown.body.error?.code }).toEqual({
      status: 404,
      code: 'LISTING_NOT_FOUND',
    });
  });
});
