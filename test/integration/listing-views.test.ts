import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { purgeListingViewHours, recordView, viewCounts, viewerKeyOf } from '../../commands/catalog/listing-views.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const at = (iso: string) => new Date(iso);

describe('listing views on real Postgres', () => {
  test('50 simultaneous views by one viewer in one hour count once', async () => {
    const viewer = viewerKeyOf({ userId: null, ip: '203.0.113.7', userAgent: 'Mozilla/5.0' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        recordView(db.pool, 'l-burst', viewer, at(`2026-11-22T03:${String(i).padStart(2, '0')}:00Z`)),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await viewCounts(db.pool, ['l-burst'])).toEqual({ 'l-burst': 1 });
  });

  test('different viewers count each, also when simultaneous', async () => {
    const viewers = Array.from({ length: 30 }, (_, i) =>
      viewerKeyOf({ userId: `user-${i}`, ip: '::1', userAgent: null }),
    );
    await Promise.all(viewers.map((key) => recordView(db.pool, 'l-many', key, at('2026-11-22T03:10:00Z'))));
    const anonymous = viewerKeyOf({ userId: null, ip: '198.51.100.1', userAgent: 'Safari' });
    await recordView(db.pool, 'l-many', anonymous, at('2026-11-22T03:11:00Z'));
    expect(await viewCounts(db.pool, ['l-many', 'l-none'])).toEqual({ 'l-many': 31, 'l-none': 0 });
  });

  test('the next hour counts again; hour rows older than 48 h are purged, totals kept', async () => {
    const key = viewerKeyOf({ userId: 'user-hourly', ip: '::1', userAgent: null });
    expect(await recordView(db.pool, 'l-hourly', key, at('2026-11-20T05:59:59Z'))).toBe(true);
    expect(await recordView(db.pool, 'l-hourly', key, at('2026-11-20T05:00:00Z'))).toBe(false);
    expect(await recordView(db.pool, 'l-hourly', key, at('2026-11-20T06:00:00Z'))).toBe(true);
    expect(await viewCounts(db.pool, ['l-hourly'])).toEqual({ 'l-hourly': 2 });

    const outcome = await purgeListingViewHours.run({ pool: db.pool, now: at('2026-11-22T05:30:00Z') });
    expect(outcome).toMatch(/^deleted 1 /);
    const { rows } = await db.pool.query<{ hour: Date }>(
      "select hour from catalog.listing_view_hours where listing_id = 'l-hourly'",
    );
    expect(rows.map((r) => r.hour.toISOString())).toEqual(['2026-11-20T06:00:00.000Z']);
    expect(await viewCounts(db.pool, ['l-hourly'])).toEqual({ 'l-hourly': 2 });
  });

  test('anonymous viewers are a hash, never the raw IP or user agent', () => {
    const key = viewerKeyOf({ userId: null, ip: '203.0.113.7', userAgent: 'Mozilla/5.0' });
    expect(key).toMatch(/^anon:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('203.0.113.7');
    expect(viewerKeyOf({ userId: null, ip: '203.0.113.7', userAgent: 'Chrome' })).not.toBe(key);
    expect(viewerKeyOf({ userId: 'u-1', ip: '203.0.113.7', userAgent: 'Chrome' })).toBe('user:u-1');
  });
});
