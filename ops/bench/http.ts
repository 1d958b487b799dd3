import autocannon from 'autocannon';
import { pino } from 'pino';
import { ARGON2_MEMORY_COST_KIB, ARGON2_PARALLELISM, ARGON2_TIME_COST } from '../../commands/identity/passwords.js';
import { listOutbox } from '../../commands/mail/outbox.js';
import { startApp } from '../app.js';
import { createScratchDatabase, startTemporaryPostgres } from '../scratch-database.js';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'Đo-hiệu-năng-2026';
const ADMIN = { email: 'bench-admin@example.vn', password: 'Quản-trị-đo-2026!' };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.BENCH_DATABASE_URL;
  const server = given ? null : await startTemporaryPostgres('bench-http-');
  const scratch = await createScratchDatabase(given ?? server?.adminUrl ?? '', 'bench_http');
  return {
    url: scratch.url,
    async stop() {
      await scratch.drop();
      await server?.stop();
    },
  };
}

async function json(url: string, method: string, body?: unknown, token?: string) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return (await response.json()) as { data: Record<string, unknown> | null; error: { code: string } | null };
}

async function run(name: string, options: autocannon.Options) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ ...options, connections: CONNECTIONS, duration: SECONDS }, (error, finished) =>
      error ? reject(error) : resolve(finished),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  const ok = result['2xx'];
  console.log(
    `${name.padEnd(34)} ${String(Math.round(ok / SECONDS)).padStart(6)} req/s  p50 ${ms(percentile(latencies, 50))}  ` +
      `p95 ${ms(percentile(latencies, 95))}  p99 ${ms(percentile(latencies, 99))}  non-2xx ${result.non2xx}  errors ${result.errors}`,
  );
}

async function main() {
  const db = await database();
  const app = await startApp({
    databaseUrl: db.url,
    port: 0,
    seed: true,
    admin: ADMIN,
    devAdminHeader: false,
    logger: pino({ level: 'silent' }),
    rateLimit: { anonymous: 10_000_000, authenticated: 10_000_000 },
  });
  const base = app.url ?? '';
  try {
    // One user per connection: the command appends to each user's own stream, as real traffic does.
    const tokens: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const email = `bench-user-${i}@example.vn`;
      await json(`${base}/api/v1/auth/register`, 'POST', { email, password: PASSWORD, name: 'Người Đo' });
      const [mail] = await listOutbox(app.services.pool, { to: email, limit: 1 });
      await json(`${base}/api/v1/auth/verify-email`, 'POST', {
        email,
        code: /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1],
      });
    }
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < CONNECTIONS; i++) {
      const session = await json(`${base}/api/v1/auth/login`, 'POST', {
        email: `bench-user-${i}@example.vn`,
        password: PASSWORD,
      });
      tokens.push(String(session.data?.accessToken));
    }
    const areas = (await json(`${base}/api/v1/areas?level=district`, 'GET')).data as unknown as { id: string }[];

    console.log(`HTTP benchmarks: ${CONNECTIONS} connections, ${SECONDS} s each, Node ${process.version}, one process`);
    await run('GET /api/v1/areas/:id (anonymous read)', { url: `${base}/api/v1/areas/${areas[0]?.id}` });
    await run('GET /api/v1/me (authenticated read)', {
      url: `${base}/api/v1/me`,
      headers: { authorization: `Bearer ${tokens[0]}` },
    });
    let n = 0;
    await run('PATCH /api/v1/me/profile (command)', {
      url: base,
      requests: [
        {
          method: 'PATCH',
          setupRequest: (request) => {
            n += 1;
            return {
              ...request,
              path: '/api/v1/me/profile',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n % tokens.length]}` },
              body: JSON.stringify({ bio: `Ghi chú số ${n}` }),
            };
          },
        },
      ],
    });

    const logins: number[] = [];
    for (let i = 0; i < 40; i++) {
      const started = performance.now();
      await json(`${base}/api/v1/auth/login`, 'POST', { email: 'bench-user-0@example.vn', password: PASSWORD });
      logins.push(performance.now() - started);
    }
    logins.sort((a, b) => a - b);
    console.log(
      `POST /api/v1/auth/login (sequential, 40)  p50 ${ms(percentile(logins, 50))}  p95 ${ms(percentile(logins, 95))}  ` +
        `argon2id m=${ARGON2_MEMORY_COST_KIB} KiB t=${ARGON2_TIME_COST} p=${ARGON2_PARALLELISM}`,
    );
  } finally {
    await app.close();
    await db.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
