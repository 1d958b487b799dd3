/**
 * Deposit flow benchmark over HTTP with the local VNPay sandbox (ops/sandbox-gateway). Each deposit
 * takes a room of its own; its phases are timed separately:
 *   create   POST /api/v1/deposits → 201 (our API: deposit, payment, checkout; read models waited for);
 *   page     GET the checkout URL (the sandbox's payment page);
 *   pay      sandbox.pay(txnRef, 'paid'): the sandbox records the payment, sends the signed IPN to our
 *            webhook and awaits the answer; `webhook` is our handler's share of it (see the fetch wrapper);
 *   visible  from pay()'s return until GET /api/v1/payments/:id says `captured`, the listing detail shows
 *            the room `reserved` and (sequential run) listing search counts one room fewer; polled every 5 ms.
 * BENCH_DEPOSITS (or --deposits N; default 200) one at a time, then BENCH_CONCURRENT_DEPOSITS (default
 * 200, 0 skips) with BENCH_CONCURRENCY (default 8) customers at once, on listings of ≤ 100 rooms (the
 * catalog's limit). Baselines from the same run: GET /health and a bare one-event append. Ends with
 * verifyLedger (as `npm run ledger:verify`). Prints; never asserts.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import type { DepositPolicyTerms } from '../../domain/catalog/deposit-policy-events.js';
import { verifyLedger } from '../../projections/ledger/verify.js';
// ops/bench is outside tsconfig.build.json (excluded), so this test helper never reaches the build.
import { listingWorld } from '../../test/support/listing-world.js';
import { startApp } from '../app.js';
import { benchData, benchMetadata, envInt, fmt, loadAvg, msSince, printTable, runBench, summarize } from './support.js';

const flag = process.argv.indexOf('--deposits');
const DEPOSITS = flag > 0 ? Number(process.argv[flag + 1]) : envInt('BENCH_DEPOSITS', 200);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT_DEPOSITS ?? 200);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 8);
const BASELINE = 200;
const POLL_MS = 5;
const MAX_ROOMS = 100;
const ADMIN = { 'x-dev-role': 'admin' };
/** As test/support/money-world.ts: a fixed 1,000,000 ₫ reservation. */
const TERMS: DepositPolicyTerms = {
  allowedDepositTypes: ['reservation', 'security'],
  reservationTtlHours: 48,
  reservationAmount: { kind: 'fixed', amount: 1_000_000 },
  securityAmount: { kind: 'months_of_rent', months: 1 },
  refundRules: [{ event: 'deposit_paid', offsetHours: 24, refundPercent: 100 }],
  convertReservationToSecurity: true,
  releaseRequiresHandover: true,
  commission: { kind: 'percent_of_deposit', percent: 5 },
};

/**
 * Our webhook's own time inside sandbox.pay(). The sandbox runs in this process and delivers the IPN
 * with the global fetch, so wrapping fetch for the webhook path times exactly the real, signed IPN
 * round trip (request out → our answer read) without touching the app or the sandbox: our handler
 * plus loopback HTTP (sub-millisecond, like the page fetch). The rest of pay() is the
 * sandbox's own work (recording, signing, building the return URL).
 */
const webhookMs = new Map<string, number>();
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.includes('/api/v1/payments/webhooks/')) return realFetch(input, init);
  const at = process.hrtime.bigint();
  const response = await realFetch(input, init);
  const body = await response.text();
  webhookMs.set(new URL(url).searchParams.get('vnp_TxnRef') ?? '', msSince(at));
  return new Response(body, { status: response.status, headers: response.headers });
};

type Answer<T> = { status: number; data: T };
interface Phases {
  create: number;
  page: number;
  pay: number;
  webhook: number;
  visible: number;
  total: number;
}

await runBench(20, async (db) => {
  const app = await startApp({
    databaseUrl: db.url,
    port: 0,
    roles: ['api', 'projector', 'worker'],
    logger: pino({ level: 'silent' }),
    rateLimit: { anonymous: 1e6, authenticated: 1e6, depositsPerMinute: 1e6 },
  });
  try {
    const { sandbox, services } = app;
    if (!sandbox || !app.url) throw new Error('the app runs the API with the VNPay sandbox');
    const base = app.url;
    const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const json = (await response.json()) as { data: T };
      return { status: response.status, data: json.data } as Answer<T>;
    };
    const policy = await call<{ id: string }>(
      'POST',
      '/api/v1/admin/deposit-policies',
      { name: 'Cọc đo', terms: TERMS },
      ADMIN,
    );
    if (policy.status !== 201) throw new Error(`deposit policy: HTTP ${policy.status}`);

    /** A published listing (its own province, so search finds only it) with `rooms` rooms taking deposits. */
    const world = listingWorld(services.store);
    const listingWith = async (rooms: number) => {
      const areaId = await world.area(`Tỉnh đo ${randomUUID().slice(0, 6)}`, 'province');
      const ownerId = await world.newOwner();
      const specs = Array.from({ length: rooms }, () => ({ price: 3_000_000, areaM2: 20 }));
      const { projectId, roomIds } = await world.project(ownerId, specs, areaId);
      const listingId = await world.listing({
        projectId,
        ownerId,
        title: 'Phòng trọ có cọc',
        areaId,
        rooms: roomIds.map((roomId) => ({ roomId })),
        depositPolicyId: policy.data.id,
      });
      const searchPath = `/api/v1/listings/search?areaId=${areaId}`;
      for (let tries = 0; ; tries++) {
        const [options, search] = await Promise.all([
          call('GET', `/api/v1/listings/${listingId}/deposit-options`),
          call<{ items: { id: string; availableRooms: number }[] }>('GET', searchPath),
        ]);
        if (options.status === 200 && search.data.items[0]?.availableRooms === rooms) break;
        if (tries > 3000) throw new Error('the listing never became visible with its rooms');
        await sleep(10);
      }
      return { listingId, roomIds, searchPath };
    };
    /** `n` rooms on listings of at most 100 (the catalog's limit), each with the availableRooms search shows once it is taken. */
    const roomsFor = async (n: number) => {
      const slots: { listing: { listingId: string; searchPath: string }; roomId: string; searchShows: number }[] = [];
      for (let left = n; left > 0; left -= MAX_ROOMS) {
        const listing = await listingWith(Math.min(MAX_ROOMS, left));
        for (const [i, roomId] of listing.roomIds.entries()) {
          slots.push({ listing, roomId, searchShows: listing.roomIds.length - i - 1 });
        }
      }
      return slots;
    };

    const until = async (what: string, check: () => Promise<boolean>) => {
      const started = process.hrtime.bigint();
      while (!(await check())) {
        if (msSince(started) > 30_000) throw new Error(`not visible after 30 s: ${what}`);
        await sleep(POLL_MS);
      }
    };

    /** One deposit through every phase; `searchShows` is the listing's availableRooms once this room is taken. */
    const deposit = async (
      listing: { listingId: string; searchPath: string },
      roomId: string,
      searchShows: number | null,
    ): Promise<Phases> => {
      const started = process.hrtime.bigint();
      let at = started;
      const lap = () => {
        const ms = msSince(at);
        at = process.hrtime.bigint();
        return ms;
      };
      const created = await call<{ payment: { id: string }; checkout: { redirectUrl: string } }>(
        'POST',
        '/api/v1/deposits',
        { listingId: listing.listingId, roomId, kind: 'reservation', gateway: 'vnpay' },
        { ...ADMIN, 'x-act-as': randomUUID(), 'idempotency-key': randomUUID() },
      );
      if (created.status !== 201) throw new Error(`create deposit: HTTP ${created.status}`);
      const create = lap();
      const checkoutUrl = created.data.checkout.redirectUrl;
      const page = await fetch(checkoutUrl);
      await page.text();
      if (page.status !== 200) throw new Error(`sandbox payment page: HTTP ${page.status}`);
      const pageMs = lap();
      const txnRef = new URL(checkoutUrl).searchParams.get('vnp_TxnRef') ?? '';
      await sandbox.pay(txnRef, 'paid');
      const pay = lap();
      const paymentId = created.data.payment.id;
      await Promise.all([
        until('payment captured', async () => {
          const payment = await call<{ status: string }>('GET', `/api/v1/payments/${paymentId}`, undefined, ADMIN);
          return payment.data.status === 'captured';
        }),
        until('room reserved', async () => {
          const detail = await call<{ rooms: { roomId: string; status: string }[] }>(
            'GET',
            `/api/v1/listings/${listing.listingId}`,
          );
          return detail.data.rooms.find((room) => room.roomId === roomId)?.status === 'reserved';
        }),
        searchShows !== null &&
          until('search counts the room taken', async () => {
            const search = await call<{ items: { availableRooms: number }[] }>('GET', listing.searchPath);
            return (search.data.items[0]?.availableRooms ?? -1) <= searchShows;
          }),
      ]);
      const visible = lap();
      const webhook = webhookMs.get(txnRef) ?? Number.NaN;
      return { create, page: pageMs, pay, webhook, visible, total: msSince(started) };
    };

    const timed = async (n: number, task: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        const at = process.hrtime.bigint();
        await task();
        samples.push(msSince(at));
      }
      return samples;
    };
    const health = await timed(BASELINE, async () => (await fetch(`${base}/health`)).text());
    const append = await timed(BASELINE, () =>
      services.store.appendToStream(
        `benchbare-${randomUUID()}`,
        [{ eventId: randomUUID(), type: 'BenchEvent', data: benchData(0), metadata: benchMetadata() }],
        { expectedRevision: 'no_stream' },
      ),
    );

    const report = (title: string, phases: Phases[], seconds: number) => {
      const ours = phases.map((p) => p.create + p.webhook + p.visible);
      const gateway = phases.map((p) => p.page + p.pay - p.webhook);
      const row = (name: string, samples: number[]) => {
        const s = summarize(samples);
        return [name, String(s.count), fmt(s.p50, 1), fmt(s.p95, 1), fmt(s.p99, 1), fmt(s.max, 1)];
      };
      printTable(
        `${title}: ${phases.length} deposits in ${fmt(seconds, 1)} s = ${fmt(phases.length / seconds, 1)}/s (load ${loadAvg()})`,
        ['phase', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        [
          row(
            'create: POST /deposits → 201',
            phases.map((p) => p.create),
          ),
          row('gateway: page + sandbox share of pay', gateway),
          row(
            '  sandbox payment page (GET)',
            phases.map((p) => p.page),
          ),
          row(
            '  sandbox.pay() total (incl. IPN)',
            phases.map((p) => p.pay),
          ),
          row(
            'webhook: our IPN handling',
            phases.map((p) => p.webhook),
          ),
          row(
            'visible: captured + reserved',
            phases.map((p) => p.visible),
          ),
          row('OURS: create + webhook + visible', ours),
          row(
            'END TO END',
            phases.map((p) => p.total),
          ),
          row('baseline: GET /health', health),
          row('baseline: bare one-event append', append),
        ],
      );
      const oursP95 = summarize(ours).p95;
      const e2eP95 = summarize(phases.map((p) => p.total)).p95;
      console.log(
        `targets (SRS): end to end p95 ${fmt(e2eP95 / 1000, 3)} s vs < 4 s; ours p95 ${fmt(oursP95, 1)} ms vs < 200 ms`,
      );
      console.log(
        `ratio ours p95 / GET /health p95: ${fmt(oursP95 / summarize(health).p95, 1)}×; ` +
          `/ bare append p95: ${fmt(oursP95 / summarize(append).p95, 1)}×`,
      );
    };

    console.log(`${DEPOSITS} rooms (listings of ≤ ${MAX_ROOMS}); ${DEPOSITS} deposits one at a time…`);
    const alone = await roomsFor(DEPOSITS);
    const started = process.hrtime.bigint();
    const sequential: Phases[] = [];
    for (const slot of alone) {
      sequential.push(await deposit(slot.listing, slot.roomId, slot.searchShows));
    }
    report('Deposit flow, one customer at a time', sequential, msSince(started) / 1000);

    if (CONCURRENT > 0) {
      console.log(`\n${CONCURRENT} more rooms; ${CONCURRENT} deposits, ${CONCURRENCY} customers at once…`);
      const shared = await roomsFor(CONCURRENT);
      const phases: Phases[] = [];
      let next = 0;
      const at = process.hrtime.bigint();
      // The search count says how many rooms are taken, not which: checked in the sequential run only.
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let slot = shared[next++]; slot; slot = shared[next++]) {
            phases.push(await deposit(slot.listing, slot.roomId, null));
          }
        }),
      );
      report(`Deposit flow, ${CONCURRENCY} customers at once`, phases, msSince(at) / 1000);
    }

    const answers = sandbox.payments().map((p) => (p.ipn[0]?.answer as { RspCode?: string } | null)?.RspCode);
    const accepted = answers.filter((code) => code === '00').length;
    console.log(`\nIPN answers: ${accepted}/${answers.length} RspCode 00`);
    const verifyAt = process.hrtime.bigint();
    const ledger = await verifyLedger(services);
    const { debits, credits } = ledger.trialBalance;
    console.log(
      `Ledger ${ledger.ok ? 'OK (balanced)' : 'NOT OK'}: ${ledger.entries} entries, ${ledger.postings} postings, ` +
        `${ledger.accounts} accounts; debits ${debits.toLocaleString('en-US')} ${debits === credits ? '=' : '≠'} ` +
        `credits ${credits.toLocaleString('en-US')} ₫; read model ${ledger.readModelProblem ?? 'matches'} ` +
        `(${ledger.differences.length} differences); verified in ${fmt(msSince(verifyAt), 0)} ms`,
    );
  } finally {
    await app.close();
  }
});
