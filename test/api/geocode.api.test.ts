import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { bearer, people } from '../support/people.js';

/** A local server speaking the Google Geocoding API: "không có" → ZERO_RESULTS, "quá tải" → OVER_QUERY_LIMIT. */
async function fakeGoogle() {
  const server = createServer((request, response) => {
    const address = new URL(request.url ?? '/', 'http://fake').searchParams.get('address') ?? '';
    const body = address.includes('không có')
      ? { results: [], status: 'ZERO_RESULTS' }
      : address.includes('quá tải')
        ? {
            error_message: 'You have exceeded your daily request quota for this API.',
            results: [],
            status: 'OVER_QUERY_LIMIT',
          }
        : {
            results: [
              { formatted_address: `${address}, Việt Nam`, geometry: { location: { lat: 21.0285, lng: 105.8542 } } },
            ],
            status: 'OK',
          };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Nominatim over quota: every request is a 503. */
async function refusingNominatim() {
  const server = createServer((_request, response) => response.writeHead(503).end('Service Unavailable'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let t: TestApp;
let google: Awaited<ReturnType<typeof fakeGoogle>>;
let nominatim: Awaited<ReturnType<typeof refusingNominatim>>;
beforeAll(async () => {
  [google, nominatim] = await Promise.all([fakeGoogle(), refusingNominatim()]);
  t = await startTestApp({ geocoding: { googleKey: 'test-key', googleUrl: google.url, nominatimUrl: nominatim.url } });
});
afterAll(async () => {
  await t.close();
  await Promise.all([google.close(), nominatim.close()]);
});

const { person, operator } = people(() => t);
const geocode = (address: string | undefined, token?: string) =>
  t.call<{ lat: number; lng: number; formattedAddress: string; provider: string }>(
    'GET',
    `/api/v1/geocode${address === undefined ? '' : `?address=${encodeURIComponent(address)}`}`,
    undefined,
    token ? bearer(token) : {},
  );

describe('GET /api/v1/geocode', () => {
  test('owners and moderators geocode; customers may not; bad input names `address`', async () => {
    const [owner, customer, moderator] = await Promise.all([
      person('chu.du.an@example.vn', 'owner'),
      person('khach@example.vn', 'customer'),
      operator('dieu.hanh@example.vn'),
    ]);

    const found = await geocode('Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội', owner.token);
    expect(found.status).toBe(200);
    expect(found.body.data).toEqual({
      lat: 21.0285,
      lng: 105.8542,
      formattedAddress: 'Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội, Việt Nam',
      provider: 'google',
    });
    expect((await geocode('Số 2 Tràng Tiền, Hà Nội', moderator.token)).status).toBe(200);

    const refused = await geocode('Số 1 Tràng Tiền, Hà Nội', customer.token);
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await geocode('Số 1 Tràng Tiền, Hà Nội')).status).toBe(401);

    for (const bad of [undefined, '   ', 'x'.repeat(301)]) {
      const answer = await geocode(bad, owner.token);
      expect({ status: answer.status, field: answer.body.error?.field }).toEqual({ status: 400, field: 'address' });
    }

    const missing = await geocode('Ngõ không có thật, Hà Nội', owner.token);
    expect({ status: missing.status, code: missing.body.error?.code }).toEqual({
      status: 404,
      code: 'ADDRESS_NOT_FOUND',
    });
    const down = await geocode('Phố quá tải, Hà Nội', owner.token); // Google over quota, Nominatim 503
    expect({ status: down.status, code: down.body.error?.code }).toEqual({
      status: 503,
      code: 'GEOCODING_UNAVAILABLE',
    });
  });
});
