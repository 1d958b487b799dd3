import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import type { RealtimeMessage } from '../../api/realtime/hub.js';
import { type RunningApp, startApp } from '../../ops/app.js';
import { TEST_ADMIN } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { newEvent } from './support.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A channel prefix of this run only: parallel runs on one Redis do not see each other. */
const PREFIX = `test-rt-${randomBytes(4).toString('hex')}:`;
const JWT_SECRET = randomBytes(32).toString('hex');

let db: TestDatabase;
let a: RunningApp; // api + projector + worker
let b: RunningApp; // api only, its log captured
let solo: RunningApp; // api without Redis: in-process hub
const logOfB: string[] = [];
let token: string;
let userId: string;

const quiet = () => pino({ level: 'silent' });
const common = (databaseUrl: string) => ({ databaseUrl, port: 0, jwtSecret: JWT_SECRET, admin: TEST_ADMIN });

beforeAll(async () => {
  db = await createTestDatabase();
  a = await startApp({
    ...common(db.url),
    roles: ['api', 'projector', 'worker'],
    redisUrl: REDIS_URL,
    redisPrefix: PREFIX,
    logger: quiet(),
  });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logOfB.push(String(chunk));
      done();
    },
  });
  b = await startApp({
    ...common(db.url),
    roles: ['api'],
    redisUrl: REDIS_URL,
    redisPrefix: PREFIX,
    logger: pino({ level: 'info' }, sink),
  });
  solo = await startApp({ ...common(db.url), roles: ['api'], logger: quiet() });
  const response = await fetch(`${a.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password, device: 'realtime-test' }),
  });
  const body = (await response.json()) as { data: { accessToken: string; user: { id: string } } };
  expect(response.status).toBe(200);
  token = body.data.accessToken;
  userId = body.data.user.id;
});

afterAll(async () => {
  for (const app of [solo, b, a]) await app?.close();
  await db?.drop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${PREFIX}*`); // the rate limiter's counters of this run
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

interface Client {
  socket: WebSocket;
  next(timeoutMs?: number): Promise<RealtimeMessage>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A `ws` client that queues what it receives. */
function connect(baseUrl: string | null, options: { query?: string; protocols?: string[] } = {}): Client {
  const url = `${(baseUrl ?? '').replace(/^http/, 'ws')}/ws${options.query ? `?${options.query}` : ''}`;
  const socket = new WebSocket(url, options.protocols);
  const received: RealtimeMessage[] = [];
  const waiting: ((m: RealtimeMessage) => void)[] = [];
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as RealtimeMessage;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else received.push(message);
  });
  socket.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const next = (timeoutMs = 5000) => {
    const queued = received.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise<RealtimeMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
      waiting.push((m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
  };
  return { socket, next, closed };
}

describe('realtime across API processes (Redis pub/sub)', () => {
  test("a client of instance B receives what instance A's hub publishes for its user, and only that", async () => {
    const client = connect(b.url, { query: `token=${token}` });
    const ready = await client.next();
    expect(ready).toMatchObject({ type: 'ready', data: { userId } });

    await a.realtime.publish('someone-else', { type: 'notification', data: { text: 'không phải của bạn' } });
    await a.realtime.publish(userId, { type: 'notification', data: { text: 'Có lịch hẹn xem phòng mới' } });
    const message = await client.next();
    expect(message).toMatchObject({ type: 'notification', data: { text: 'Có lịch hẹn xem phòng mới' } });
    expect(new Date(message.at).toISOString()).toBe(message.at);

    client.socket.send(JSON.stringify({ type: 'ping' }));
    expect((await client.next()).type).toBe('pong');
    client.socket.close();
    await client.closed;
  });

  test('the token can come as the sub-protocol `bearer, <token>`; every socket of the user gets the message', async () => {
    const first = connect(a.url, { protocols: ['bearer', token] });
    const second = connect(b.url, { query: `token=${token}` });
    expect((await first.next()).type).toBe('ready');
    expect((await second.next()).type).toBe('ready');
    expect(first.socket.protocol).toBe('bearer');

    await b.realtime.publish(userId, { type: 'booking.confirmed', data: { bookingId: 'bk-1' } });
    expect(await first.next()).toMatchObject({ type: 'booking.confirmed', data: { bookingId: 'bk-1' } });
    expect(await second.next()).toMatchObject({ type: 'booking.confirmed', data: { bookingId: 'bk-1' } });
    first.socket.close();
    second.socket.close();
  });

  test('a missing or bad token, or a revoked session, closes the socket with 4401', async () => {
    expect((await connect(b.url).closed).code).toBe(4401);
    expect((await connect(b.url, { query: 'token=not-a-jwt' }).closed).code).toBe(4401);
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${Buffer.from('forged').toString('base64url')}`;
    expect((await connect(b.url, { protocols: ['bearer', forged] }).closed).code).toBe(4401);

    const login = await fetch(`${a.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password, device: 'to-revoke' }),
    });
    const revoked = ((await login.json()) as { data: { accessToken: string } }).data.accessToken;
    const logout = await fetch(`${a.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${revoked}` },
      body: '{}',
    });
    expect(logout.status).toBe(200);
    const closed = await connect(b.url, { query: `token=${revoked}` }).closed;
    expect(closed).toEqual({ code: 4401, reason: 'AUTH_REQUIRED' });
  });

  test('the token in the query string never reaches the log', async () => {
    const client = connect(b.url, { query: `token=${token}` });
    await client.next();
    client.socket.close();
    const log = logOfB.join('');
    expect(log).toContain('/ws?token=[redacted]');
    expect(log).not.toContain(token);
  });
});

describe('realtime without Redis', () => {
  test('a publish on the in-process hub reaches a client of the same instance', async () => {
    const client = connect(solo.url, { query: `token=${token}` });
    expect((await client.next()).type).toBe('ready');
    await solo.realtime.publish(userId, { type: 'notification', data: { n: 1 } });
    expect(await client.next()).toMatchObject({ type: 'notification', data: { n: 1 } });
    // Nothing of it went through Redis: the Redis-backed instances do not see it.
    const other = connect(a.url, { query: `token=${token}` });
    await other.next();
    await solo.realtime.publish(userId, { type: 'only-local', data: null });
    await expect(other.next(300)).rejects.toThrow('no message');
    client.socket.close();
    other.socket.close();
  });

  test('channels are per user under the run prefix: `<prefix>rt:user:<id>`', async () => {
    const probe = new Redis(REDIS_URL);
    const heard: string[] = [];
    await probe.psubscribe(`${PREFIX}rt:user:*`);
    probe.on('pmessage', (_pattern, channel) => heard.push(channel));
    await a.realtime.publish(userId, { type: 'x', data: null });
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toEqual([`${PREFIX}rt:user:${userId}`]);
    await probe.quit();
  });
});

describe('pushes driven by events', () => {
  test('a burst of payment and calendar events reaches the sockets: one message per event, none twice', async () => {
    const client = connect(b.url, { query: `token=${token}` });
    expect((await client.next()).type).toBe('ready');
    const providerId = crypto.randomUUID();
    client.socket.send(JSON.stringify({ type: 'watch', data: { calendar: providerId } }));
    client.socket.send(JSON.stringify({ type: 'ping' }));
    expect((await client.next()).type).toBe('pong');
    await new Promise((r) => setTimeout(r, 300)); // the watch's Redis subscription

    const paymentIds = Array.from({ length: 12 }, () => crypto.randomUUID());
    const days = ['2030-03-01', '2030-03-02', '2030-03-03'];
    await Promise.all([
      ...paymentIds.map((paymentId, i) =>
        a.services.store.appendToStream(
          `payment-${paymentId}`,
          [
            newEvent('PaymentInitiated', {
              paymentId,
              payerId: userId,
              purpose: { kind: 'wallet_topup' },
              principalVnd: 100_000 + i,
              feeVnd: 0,
              gateway: 'manual',
              gatewayRef: `RT-${i}`,
              expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
            }),
          ],
          { expectedRevision: 'no_stream' },
        ),
      ),
      ...days.map((date) =>
        a.services.store.appendToStream(
          `calendar-${providerId}-${date}`,
          [
            newEvent('SlotHeld', {
              providerId,
              date,
              holdId: crypto.randomUUID(),
              customerId: crypto.randomUUID(),
              start: `${date}T03:00:00.000Z`,
              end: `${date}T04:00:00.000Z`,
              bufferBeforeMinutes: 0,
              bufferAfterMinutes: 0,
              expiresAt: new Date(Date.now() + 300_000).toISOString(),
            }),
          ],
          { expectedRevision: 'no_stream' },
        ),
      ),
    ]);

    const payments: unknown[] = [];
    const slots: unknown[] = [];
    while (payments.length < paymentIds.length || slots.length < days.length) {
      const message = await client.next(10_000);
      if (message.type === 'payment.changed') payments.push(message.data);
      if (message.type === 'slots.changed') slots.push(message.data);
    }
    expect(new Set(payments.map((p) => (p as { paymentId: string }).paymentId))).toEqual(new Set(paymentIds));
    expect(payments).toContainEqual({
      paymentId: paymentIds[0],
      depositId: null,
      status: expect.any(String),
      event: 'PaymentInitiated',
    });
    expect(slots.map((s) => (s as { days: string[] }).days[0]).sort()).toEqual(days);
    expect(slots).toContainEqual({ providerId, days: [days[0]] });
    await expect(client.next(300)).rejects.toThrow('no message'); // nothing twice
    client.socket.close();
  });
});
