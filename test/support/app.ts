import { pino } from 'pino';
import { type AppOptions, type RunningApp, startApp } from '../../ops/app.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: {
    success: boolean;
    message: string;
    data: T;
    error: { code: string; field?: string; details?: unknown } | null;
  };
}

export interface TestApp {
  app: RunningApp;
  db: TestDatabase;
  url: string;
  call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiAnswer<T>>;
  close(): Promise<void>;
}

export const ADMIN = { 'x-dev-role': 'admin' };

export const TEST_ADMIN = { email: 'admin@test.local', password: 'Quản-trị-2026!' };

/** Options a test may set; rate limits default high so busy suites from 127.0.0.1 pass. */
type TestAppOptions = Pick<
  AppOptions,
  | 'seed'
  | 'redisUrl'
  | 'redisPrefix'
  | 'corsOrigins'
  | 'rateLimit'
  | 'bodyLimit'
  | 'logger'
  | 'devAdminHeader'
  | 'dataDir'
  | 'listingLookup'
  | 'geocoding'
  | 'clock'
  | 'channels'
  | 'jobs'
  | 'notifications'
>;

/** A clock tests move forward (the booking engine's deadlines, no-shows, reminders); it starts at now. */
export function testClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms: number) {
      offsetMs += ms;
    },
  };
}

/** The whole app (api, projector, worker) on a fresh database, over real HTTP on a free port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const app = await startApp({
    databaseUrl: db.url,
    port: 0,
    seed: options.seed ?? false,
    admin: TEST_ADMIN,
    trustProxy: true, // lets a test speak from another IP with X-Forwarded-For
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...options,
    rateLimit: options.rateLimit ?? { anonymous: 100_000, authenticated: 100_000, depositsPerMinute: 100_000 },
  });
  const url = app.url ?? '';
  return {
    app,
    db,
    url,
    async call(method, path, body, headers = {}) {
      const isText = typeof body === 'string';
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(body !== undefined && { 'content-type': isText ? 'text/csv' : 'application/json' }),
          ...headers,
        },
        ...(body !== undefined && { body: isText ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: ApiAnswer['body'];
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { success: response.ok, message: text, data: text, error: null } as ApiAnswer['body'];
      }
      return { status: response.status, headers: response.headers, body: parsed as ApiAnswer<never>['body'] };
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/**
 * Retries an assertion until it passes (read models are eventually consistent: the API waits
 * up to 2 s for them, but a busy shared test server can hold every subscriber back longer).
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
