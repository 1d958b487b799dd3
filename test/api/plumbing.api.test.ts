import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, TEST_ADMIN, type TestApp } from '../support/app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `test-plumbing-${randomBytes(4).toString('hex')}:`;
const ALLOWED_ORIGIN = 'https://app.example.vn';
const ANONYMOUS_LIMIT = 5;

let t: TestApp;
let redis: Redis;
beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  t = await startTestApp({
    redisUrl: REDIS_URL,
    redisPrefix: PREFIX,
    corsOrigins: [ALLOWED_ORIGIN],
    rateLimit: { anonymous: ANONYMOUS_LIMIT, authenticated: 50 },
    bodyLimit: 64 * 1024,
  });
});
afterAll(async () => {
  await t?.close();
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

/** Every test speaks from its own address (the test app trusts X-Forwarded-For), so limits do not leak. */
const from = (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}` });
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}${path}`, { headers, redirect: 'manual' });

/** The CSP as directive → sources. */
function cspOf(response: Response): Map<string, string[]> {
  const header = response.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

describe('security headers', () => {
  test('the UI and the API answer with a strict CSP, X-Frame-Options DENY and nosniff', async () => {
    for (const path of ['/', '/api/v1/areas']) {
      const response = await get(path, from(1));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = cspOf(response);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('script-src-attr')).toEqual(["'none'"]);
      expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
      expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
      expect(csp.get('style-src')).toEqual(["'self'"]);
    }
  });

  test("the UI's inline bootstrap scripts are allowed by hash, nothing else inline", async () => {
    const response = await get('/', from(1));
    const html = await response.text();
    const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1] ?? '');
    expect(inline.length).toBeGreaterThan(0); // SvelteKit hydrates with one
    const scriptSrc = cspOf(response).get('script-src') ?? [];
    for (const body of inline) {
      expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
    }
    expect(scriptSrc).toHaveLength(1 + new Set(inline).size);
  });

  test('Swagger UI keeps working: /docs allows inline styles on its own pages only', async () => {
    const page = await get('/docs', from(1));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    const csp = cspOf(page);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect((await get('/docs/json', from(1))).status).toBe(200);
  });
});

describe('CORS allowlist', () => {
  test('an allowed origin gets the allow headers, any other origin gets none', async () => {
    const allowed = await get('/api/v1/areas', { ...from(2), origin: ALLOWED_ORIGIN });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('vary')).toMatch(/origin/i);

    const denied = await get('/api/v1/areas', { ...from(2), origin: 'https://evil.example.com' });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    expect(denied.headers.get('access-control-allow-credentials')).toBeNull();
  });

  test('a preflight from an allowed origin is answered; from another origin it allows nothing', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.url}/api/v1/auth/login`, {
        method: 'OPTIONS',
        headers: {
          ...from(3),
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    const denied = await preflight('https://evil.example.com');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('body size', () => {
  test('a JSON body over the limit is refused with 413 PAYLOAD_TOO_LARGE in the envelope', async () => {
    const big = { email: 'big@example.vn', password: 'Phòng-trọ-2026', name: 'x'.repeat(100 * 1024) };
    const answer = await t.call('POST', '/api/v1/auth/register', big, from(4));
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ success: false, data: null, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});

describe('rate limit (SRS 3.5.10)', () => {
  test('the (limit+1)th anonymous request is 429 RATE_LIMITED with Retry-After; a signed-in user still passes', async () => {
    const ip = from(5);
    const login = await t.call<{ accessToken: string }>(
      'POST',
      '/api/v1/auth/login',
      { email: TEST_ADMIN.email, password: TEST_ADMIN.password, device: 'plumbing-test' },
      from(6),
    );
    expect(login.status).toBe(200);

    for (let i = 1; i <= ANONYMOUS_LIMIT; i++) {
      const answer = await t.call('GET', '/api/v1/areas', undefined, ip);
      expect(answer.status, `request ${i}`).toBe(200);
      expect(answer.headers.get('x-ratelimit-remaining')).toBe(String(ANONYMOUS_LIMIT - i));
    }
    const limited = await t.call('GET', '/api/v1/areas', undefined, ip);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ success: false, data: null, error: { code: 'RATE_LIMITED' } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // Same address, but a valid bearer token: counted for the user, with the higher limit.
    const signedIn = await t.call('GET', '/api/v1/me', undefined, {
      ...ip,
      authorization: `Bearer ${login.body.data.accessToken}`,
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('x-ratelimit-limit')).toBe('50');
    // A forged token does not buy the higher limit.
    const forged = await t.call('GET', '/api/v1/areas', undefined, { ...ip, authorization: 'Bearer a.b.c' });
    expect(forged.status).toBe(429);
    // Health and metrics are never limited.
    expect((await get('/health', ip)).status).not.toBe(429);
    expect((await get('/metrics', ip)).status).toBe(200);
    // The counters live in Redis (shared by every API process).
    expect(await redis.exists(`${PREFIX}rate-limit:ip:198.51.100.5`)).toBe(1);
  });
});

describe('/metrics', () => {
  test('exposes request counts and latency by route pattern, projection lag and the event store head', async () => {
    await t.call('GET', '/api/v1/areas', undefined, from(7));
    const response = await get('/metrics', from(7));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/areas",status_code="200"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/api\/v1\/areas"/);
    for (const projection of t.app.services.projections) {
      expect(text).toMatch(new RegExp(`projection_lag_events\\{projection="${projection.name}"\\} \\d+`));
      expect(text).toMatch(new RegExp(`projection_lag_seconds\\{projection="${projection.name}"\\} [\\d.]+`));
    }
    expect(text).toMatch(/es_events_total \d+/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
