/**
 * Realtime benchmark (issue 8): event appended → message on a connected `/ws` socket, at a paced
 * BENCH_RATE events/s (default 200) for BENCH_SECONDS (default 10) per path, with one signed-in
 * WebSocket client. Paths (BENCH_REALTIME_PATHS, comma list, default all three):
 *   notifications  BookingRequested (the bench user is the provider) → notification reaction writes
 *                  the inbox row → pg_notify → publisher → hub → `notification.created`;
 *   payments       PaymentInitiated (the bench user pays) → payments read model → payment notifier
 *                  → hub → `payment.changed`;
 *   slots          SlotHeld on a day calendar the socket watches → bookings read model → slot
 *                  change notifier → hub → `slots.changed`.
 * Baseline in the same run: hub.publish → the same socket, no event store (the ratio divides by it).
 * Latency runs from the append call to the socket message, so it includes the append's commit;
 * `checkpoint p95` is the part until the read model (or reaction) the message waits for has applied it.
 * BENCH_REDIS_URL fans out through Redis as across API processes (in-process hub otherwise).
 * Adding a path = one entry of PATHS (realtime-paths.ts): the event to append and how to recognise its message.
 * Prints figures; never asserts.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import type { RealtimeMessage } from '../../api/realtime/hub.js';
import type { AppendResult } from '../../commands/eventstore/port.js';
import { projectionStatus } from '../../projections/status.js';
import { type RunningApp, startApp } from '../app.js';
import { type Context, dayOf, PATHS, type RealtimePath } from './realtime-paths.js';
import { envInt, fmt, type Latencies, loadAvg, msSince, printTable, runBench, summarize } from './support.js';

const RATE = envInt('BENCH_RATE', 200);
const SECONDS = envInt('BENCH_SECONDS', 10);
const WARMUP = envInt('BENCH_WARMUP_EVENTS', 100);
const DRAIN_MS = 15_000;
const SETTLE_MS = 120_000;
const TARGET_P95_MS = 100;
const PATH_NAMES = (process.env.BENCH_REALTIME_PATHS ?? 'notifications,payments,slots').split(',').map((s) => s.trim());
const ADMIN = { email: 'bench.admin@example.vn', password: 'Bench-realtime-2026!' };

/** Samples keyed by what their message carries; `received` fills them in as messages arrive. */
function sampleBook() {
  const sentAt = new Map<string, bigint>();
  const latencies: number[] = [];
  return {
    sent(key: string, at: bigint) {
      sentAt.set(key, at);
    },
    received(key: string | null) {
      if (key === null) return;
      const at = sentAt.get(key);
      if (at === undefined) return;
      sentAt.delete(key);
      latencies.push(msSince(at));
    },
    get pending() {
      return sentAt.size;
    },
    latencies,
  };
}

/**
 * Append → checkpoint latency: polls one projection's checkpoint every 5 ms and times each
 * appended position from its append call until the checkpoint passes it.
 */
function checkpointWatch(app: RunningApp, name: string) {
  const pending: { position: bigint; at: bigint }[] = [];
  const latencies: number[] = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const { rows } = await app.services.pool.query<{ position: string }>(
        'select position::text from ops.projection_checkpoints where name = $1',
        [name],
      );
      const reached = BigInt(rows[0]?.position ?? '0');
      pending.sort((a, b) => (a.position < b.position ? -1 : 1));
      while (pending[0] && pending[0].position <= reached)
        latencies.push(msSince((pending.shift() as { at: bigint }).at));
      await sleep(5);
    }
  })();
  return {
    appended(position: bigint, at: bigint) {
      pending.push({ position, at });
    },
    /** Called after the drain: positions still not applied count as slower than everything else. */
    async stop() {
      stopped = true;
      await running;
      return summarize([...latencies, ...pending.map(() => Number.POSITIVE_INFINITY)]);
    },
  };
}

/**
 * Sends `count` samples at RATE per second (each at its own instant on the schedule, not after
 * the previous answer) and waits for their messages; appends that lag do not slow the schedule.
 */
async function paced(
  count: number,
  send: (i: number) => { key: string; done: Promise<unknown> },
  book: ReturnType<typeof sampleBook>,
  onAppended: (result: unknown, at: bigint) => void = () => {},
) {
  const started = process.hrtime.bigint();
  const appends: number[] = [];
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const due = (i * 1000) / RATE;
    const wait = due - msSince(started);
    if (wait > 1) await sleep(wait);
    const at = process.hrtime.bigint();
    const { key, done } = send(i);
    book.sent(key, at);
    inFlight.push(
      done.then((result) => {
        appends.push(msSince(at));
        onAppended(result, at);
      }),
    );
  }
  await Promise.all(inFlight);
  const sendSeconds = msSince(started) / 1000;
  const deadline = Date.now() + DRAIN_MS;
  while (book.pending > 0 && Date.now() < deadline) await sleep(20);
  // Messages later than the drain count as lost, and as slower than anything received in the percentiles.
  const lost = book.pending;
  const latency = summarize([...book.latencies, ...Array<number>(lost).fill(Number.POSITIVE_INFINITY)]);
  return { sendSeconds, appends: summarize(appends), lost, latency };
}

/** Waits until every read model and reaction has applied everything (a path's backlog must not slow the next). */
async function settle(app: RunningApp): Promise<number> {
  const started = process.hrtime.bigint();
  const { pool, store, projections } = app.services;
  while (msSince(started) < SETTLE_MS) {
    const status = await projectionStatus(pool, store, projections, new Date());
    if (status.every((p) => p.lag === 0)) break;
    await sleep(100);
  }
  return msSince(started) / 1000;
}

function connect(url: string, token: string, onMessage: (message: RealtimeMessage) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, ['bearer', token]);
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as RealtimeMessage;
      if (message.type === 'ready') resolve(socket);
      onMessage(message);
    });
    socket.on('error', reject);
    socket.on('close', (code) => reject(new Error(`socket closed ${code}`)));
  });
}

await runBench(20, async (db) => {
  const redisUrl = process.env.BENCH_REDIS_URL;
  const app = await startApp({
    databaseUrl: db.url,
    port: 0,
    roles: ['api', 'projector'],
    logger: pino({ level: 'silent' }),
    admin: ADMIN,
    sandboxGateway: false,
    rateLimit: { anonymous: 1e6, authenticated: 1e6 },
    ...(redisUrl && { redisUrl, redisPrefix: `bench-rt-${randomUUID().slice(0, 8)}:` }),
  });
  try {
    const url = app.url ?? '';
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ADMIN, device: 'bench-realtime' }),
    });
    const { data } = (await login.json()) as { data: { accessToken: string; user: { id: string } } };
    const ctx: Context = { app, userId: data.user.id, providerId: randomUUID() };

    let book = sampleBook();
    let keyOf: (message: RealtimeMessage) => string | null = () => null;
    const socket = await connect(url, data.accessToken, (message) => book.received(keyOf(message)));
    socket.send(JSON.stringify({ type: 'watch', data: { calendar: ctx.providerId } }));

    const count = RATE * SECONDS;
    console.log(
      `\nRealtime: ${RATE} events/s for ${SECONDS} s per path (${count} events), ${WARMUP} warm-up events first; ` +
        `hub ${redisUrl ? 'Redis' : 'in-process'}; load ${loadAvg()}`,
    );

    // Baseline: the hub straight to the socket (no event store, no read model).
    const runBaseline = async (n: number) => {
      book = sampleBook();
      keyOf = (m) => (m.type === 'bench.ping' ? String((m.data as { key: string }).key) : null);
      return paced(
        n,
        (i) => {
          const key = `ping-${i}-${randomUUID()}`;
          return { key, done: app.realtime.publish(ctx.userId, { type: 'bench.ping', data: { key } }) };
        },
        book,
      );
    };
    await runBaseline(WARMUP);
    const baseline = await runBaseline(count);
    const baselineLatency = baseline.latency;

    const results: {
      path: RealtimePath;
      latency: Latencies;
      run: Awaited<ReturnType<typeof paced>> & { projected: Latencies };
    }[] = [];
    let offset = 0;
    for (const name of PATH_NAMES) {
      const path = PATHS[name];
      if (!path) throw new Error(`unknown path ${name}: use ${Object.keys(PATHS).join(', ')}`);
      keyOf = path.keyOf;
      const runPath = async (n: number) => {
        book = sampleBook();
        const first = offset;
        offset += n;
        const watch = checkpointWatch(app, path.checkpoint);
        const run = await paced(
          n,
          (i) => {
            const index = first + i;
            const id = randomUUID();
            const key = name === 'slots' ? dayOf(index) : id;
            return { key, done: path.append(ctx, id, index) };
          },
          book,
          (result, at) => watch.appended((result as AppendResult).position, at),
        );
        return { ...run, projected: await watch.stop() };
      };
      await runPath(WARMUP);
      await settle(app);
      const run = await runPath(count);
      results.push({ path, latency: run.latency, run });
      const settled = await settle(app);
      if (settled > 1) console.log(`  ${name}: read models and reactions caught up ${fmt(settled)} s after the drain`);
    }
    socket.close();

    const ms = (n: number) => (n === Number.POSITIVE_INFINITY ? `> ${DRAIN_MS / 1000} s` : fmt(n));
    const row = (
      name: string,
      run: Awaited<ReturnType<typeof paced>> & { projected?: Latencies },
      l: Latencies,
      ratio: string,
    ) => [
      name,
      String(l.count - run.lost),
      String(run.lost),
      fmt(count / run.sendSeconds, 0),
      fmt(run.appends.p50),
      run.projected ? ms(run.projected.p95) : '-',
      ms(l.p50),
      ms(l.p95),
      ms(l.p99),
      ms(l.max),
      ratio,
    ];
    printTable(
      `Append → socket latency (ms); target p95 < ${TARGET_P95_MS} ms; ratio = p95 / baseline p95`,
      ['path', 'received', 'lost', 'sent/s', 'append p50', 'checkpoint p95', 'p50', 'p95', 'p99', 'max', 'p95 ratio'],
      [
        row('baseline: hub.publish → ws', baseline, baselineLatency, '1.0'),
        ...results.map(({ path, latency, run }) =>
          row(path.name, run, latency, Number.isFinite(latency.p95) ? fmt(latency.p95 / baselineLatency.p95, 0) : '-'),
        ),
      ],
    );
    for (const { path } of results) console.log(`  ${path.name}: ${path.chain} (checkpoint: ${path.checkpoint})`);
    console.log(`Load average after: ${loadAvg()}`);
  } finally {
    await app.close();
  }
});
