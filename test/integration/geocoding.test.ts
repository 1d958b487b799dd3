import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createGeocoder, type GeocodingConfig } from '../../commands/geo/geocoder.js';
import { GeocodingUnavailable } from '../../commands/geo/port.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

type Reply = { status?: number; body: unknown; delayMs?: number; headers?: Record<string, string> };
type Received = { url: URL; headers: IncomingHttpHeaders; at: number };

/** A real HTTP server on a free port answering with whatever the test sets; it keeps what it receives. */
async function fakeProvider() {
  const requests: Received[] = [];
  let answer: (url: URL) => Reply = () => ({ status: 500, body: 'not set' });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    requests.push({ url, headers: request.headers, at: performance.now() });
    const reply = answer(url);
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    setTimeout(() => {
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      response.end(body);
    }, reply.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answers(fn: (url: URL) => Reply) {
      answer = fn;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Answers as documented: Google Geocoding API JSON and Nominatim `format=jsonv2`.
const googleOk = (
  formatted = 'Số 12 Hàng Bè, Hàng Bạc, Hoàn Kiếm, Hà Nội, Việt Nam',
  lat = 21.0336,
  lng = 105.852,
) => ({
  body: {
    results: [
      {
        formatted_address: formatted,
        geometry: { location: { lat, lng }, location_type: 'ROOFTOP' },
        place_id: 'ChIJ-test',
        types: ['street_address'],
      },
    ],
    status: 'OK',
  },
});
const googleStatus = (status: string, message?: string) => ({
  body: { ...(message && { error_message: message }), results: [], status },
});
const nominatimPlace = (lat = '10.7769', lon = '106.7009') => ({
  body: [
    {
      place_id: 1234,
      licence: 'Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright',
      osm_type: 'way',
      osm_id: 5678,
      lat,
      lon,
      category: 'highway',
      type: 'residential',
      place_rank: 26,
      importance: 0.1,
      addresstype: 'road',
      name: 'Lê Lợi',
      display_name: 'Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh, 70000, Việt Nam',
      boundingbox: ['10.77', '10.78', '106.70', '106.71'],
    },
  ],
});

const ADDRESS = 'Số 12 Hàng Bè, Hoàn Kiếm, Hà Nội';

let db: TestDatabase;
let google: Awaited<ReturnType<typeof fakeProvider>>;
let nominatim: Awaited<ReturnType<typeof fakeProvider>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
// Fresh servers per test: Nominatim's 1 req/s spacing is per server, so tests do not wait on each other.
beforeEach(async () => {
  [google, nominatim] = await Promise.all([fakeProvider(), fakeProvider()]);
  await db.pool.query('truncate catalog.geocode_cache');
});
afterEach(async () => {
  await Promise.all([google.close(), nominatim.close()]);
});

const geocoder = (config: GeocodingConfig & { clock?: () => Date } = {}) =>
  createGeocoder({
    pool: db.pool,
    googleKey: 'test-key',
    googleUrl: google.url,
    nominatimUrl: nominatim.url,
    ...config,
  });

describe('Google first, Nominatim when Google fails', () => {
  test('Google answers when a key is configured, asked with the documented parameters', async () => {
    google.answers(() => googleOk());
    const found = await geocoder().geocode(`  ${ADDRESS}  `, { region: 'vn' });
    expect(found).toEqual({
      lat: 21.0336,
      lng: 105.852,
      formattedAddress: 'Số 12 Hàng Bè, Hàng Bạc, Hoàn Kiếm, Hà Nội, Việt Nam',
      provider: 'google',
      cached: false,
    });
    const [request] = google.requests;
    expect(request?.url.pathname).toBe('/maps/api/geocode/json');
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({
      address: ADDRESS,
      key: 'test-key',
      region: 'vn',
      language: 'vi',
    });
    expect(nominatim.requests).toHaveLength(0);
  });

  test('ZERO_RESULTS is an answer: not found, Nominatim not asked, the miss is cached', async () => {
    google.answers(() => googleStatus('ZERO_RESULTS'));
    const g = geocoder();
    expect(await g.geocode('Ngõ không tồn tại 999, Hà Nội')).toBeNull();
    expect(await g.geocode('Ngõ không tồn tại 999, Hà Nội')).toBeNull();
    expect(google.requests).toHaveLength(1);
    expect(nominatim.requests).toHaveLength(0);
    const { rows } = await db.pool.query('select found, provider from catalog.geocode_cache');
    expect(rows).toEqual([{ found: false, provider: null }]);
  });

  test.each([
    ['OVER_QUERY_LIMIT', 'You have exceeded your daily request quota for this API.'],
    ['OVER_DAILY_LIMIT', 'This API project is not authorized to use this API.'],
    ['REQUEST_DENIED', 'The provided API key is invalid.'],
    ['INVALID_REQUEST', 'Invalid request. Missing the address parameter.'],
    ['UNKNOWN_ERROR', undefined],
  ])('Google %s → Nominatim answers, asked as its usage policy requires', async (status, message) => {
    google.answers(() => googleStatus(status, message));
    nominatim.answers(() => nominatimPlace());
    const found = await geocoder().geocode('Lê Lợi, Quận 1, TP. Hồ Chí Minh');
    expect(found).toEqual({
      lat: 10.7769,
      lng: 106.7009,
      formattedAddress: 'Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh, 70000, Việt Nam',
      provider: 'nominatim',
      cached: false,
    });
    expect(google.requests).toHaveLength(1);
    const [request] = nominatim.requests;
    expect(request?.url.pathname).toBe('/search');
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({
      format: 'jsonv2',
      q: 'Lê Lợi, Quận 1, TP. Hồ Chí Minh',
      countrycodes: 'vn',
      limit: '1',
    });
    // A descriptive User-Agent naming the application, not a library default such as "node".
    expect(request?.headers['user-agent']).toMatch(/^rental-marketplace\/[\d.]+ \(.*geocoding.*\)$/);
  });

  test('a Google timeout or network error → Nominatim', async () => {
    google.answers(() => ({ ...googleOk(), delayMs: 1500 }));
    nominatim.answers(() => nominatimPlace());
    const slow = await geocoder({ timeoutMs: 300 }).geocode('Đường Lê Lợi, Quận 1');
    expect(slow?.provider).toBe('nominatim');
    expect(google.requests).toHaveLength(1);

    const closed = await fakeProvider();
    await closed.close(); // nothing listens on its port any more
    const unreachable = await geocoder({ googleUrl: closed.url }).geocode('Đường Nguyễn Huệ, Quận 1');
    expect(unreachable?.provider).toBe('nominatim');
  });

  test('without a key Google is never asked', async () => {
    nominatim.answers(() => nominatimPlace());
    const found = await geocoder({ googleKey: undefined }).geocode(ADDRESS);
    expect(found?.provider).toBe('nominatim');
    expect(google.requests).toHaveLength(0);
  });

  test('Nominatim’s empty array is "not found", and cached', async () => {
    nominatim.answers(() => ({ body: [] }));
    const g = geocoder({ googleKey: undefined });
    expect(await g.geocode('Không có địa chỉ này')).toBeNull();
    expect(await g.geocode('Không có địa chỉ này')).toBeNull();
    expect(nominatim.requests).toHaveLength(1);
  });

  test('every provider failed (Google over quota, Nominatim 429): GeocodingUnavailable, nothing cached', async () => {
    google.answers(() => googleStatus('OVER_QUERY_LIMIT', 'You have exceeded your rate-limit for this API.'));
    nominatim.answers(() => ({ status: 429, body: '<html><body>Too Many Requests</body></html>' }));
    const g = geocoder();
    const failed = await g.geocode(ADDRESS).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(GeocodingUnavailable);
    expect((failed as GeocodingUnavailable).failures.map((f) => [f.provider, f.reason])).toEqual([
      ['google', 'OVER_QUERY_LIMIT'],
      ['nominatim', 'HTTP_429'],
    ]);
    expect((await db.pool.query('select 1 from catalog.geocode_cache')).rowCount).toBe(0);

    google.answers(() => googleOk());
    expect((await g.geocode(ADDRESS))?.provider).toBe('google'); // asked again, not served a cached failure
    expect(google.requests).toHaveLength(2);
  });
});

describe('cache', () => {
  test('the second call does not reach the server; the key ignores accents, case and spacing; 30 days', async () => {
    google.answers(() => googleOk());
    let now = new Date('2026-03-01T03:00:00Z');
    const g = geocoder({ clock: () => now });
    const first = await g.geocode(ADDRESS);
    const again = await g.geocode('so 12 HANG BE ,hoan kiem,   ha noi');
    expect(again).toEqual({ ...first, cached: true });
    expect(google.requests).toHaveLength(1);

    now = new Date('2026-03-30T03:00:00Z'); // 29 days later: still cached
    expect((await g.geocode(ADDRESS))?.cached).toBe(true);
    now = new Date('2026-04-01T03:00:01Z'); // past 30 days: asked again
    expect((await g.geocode(ADDRESS))?.cached).toBe(false);
    expect(google.requests).toHaveLength(2);
  });

  test('concurrent asks for one address make one request; another instance reads the same table', async () => {
    google.answers(() => ({ ...googleOk(), delayMs: 100 }));
    const g = geocoder();
    const together = await Promise.all([g.geocode(ADDRESS), g.geocode(ADDRESS.toUpperCase())]);
    expect(together.map((a) => a?.provider)).toEqual(['google', 'google']);
    expect(google.requests).toHaveLength(1);
    expect((await geocoder().geocode(ADDRESS))?.cached).toBe(true);
    expect(google.requests).toHaveLength(1);
  });
});

describe('Nominatim usage policy', () => {
  test('at most one request per second per server from this process', async () => {
    nominatim.answers(() => nominatimPlace());
    const g = geocoder({ googleKey: undefined });
    const found = await Promise.all(['Quận 1', 'Quận 3', 'Quận 5'].map((district) => g.geocode(`Lê Lợi, ${district}`)));
    expect(found.every((f) => f?.provider === 'nominatim')).toBe(true);
    const at = nominatim.requests.map((r) => r.at);
    expect(at).toHaveLength(3);
    for (let i = 1; i < at.length; i++) expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  test('after a 429 with Retry-After, it stops asking instead of queueing callers', async () => {
    nominatim.answers(() => ({ status: 429, body: '', headers: { 'retry-after': '60' } }));
    const g = geocoder({ googleKey: undefined });
    await expect(g.geocode('Lê Lợi, Quận 1')).rejects.toBeInstanceOf(GeocodingUnavailable);
    const started = performance.now();
    const busy = await g.geocode('Lê Lợi, Quận 3').catch((error: unknown) => error);
    expect((busy as GeocodingUnavailable).failures.map((f) => f.reason)).toEqual(['BUSY']);
    expect(performance.now() - started).toBeLessThan(500);
    expect(nominatim.requests).toHaveLength(1);
  });
});
