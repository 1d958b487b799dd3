/**
 * Ledger benchmark: bulk-load journal-carrying events worth BENCH_POSTINGS postings (default
 * 1,000,000), then
 *  1. rebuildProjection of the ledger read model from position 0 → postings/s;
 *  2. verifyLedger (replay every journal through the store port, compare with the read model);
 *  3. baselines measured in the same run: a plain SQL scan of the same events, and reading them
 *     through the port without checking anything.
 * Prints figures; never asserts.
 */
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { LEDGER_STREAM_PREFIXES } from '../../domain/ledger/postings.js';
import { ledgerProjection } from '../../projections/ledger/ledger-projection.js';
import { verifyLedger } from '../../projections/ledger/verify.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { createLogger } from '../logger.js';
import { envInt, fmt, loadAvg, printTable, runBench } from './support.js';

const POSTINGS = envInt('BENCH_POSTINGS', 1_000_000);
/** Each deal is 3 events and 8 postings: payment authorized (2 lines), captured (3), deposit refunded (3). */
const LINES_PER_DEAL = 8;
const DEALS = Math.ceil(POSTINGS / LINES_PER_DEAL);
const LOAD_CHUNK = envInt('BENCH_LOAD_CHUNK', 20_000);

/**
 * Setup only, not the append path: rows go straight into es.events in the order of (deal, step),
 * so the money arrives before it is applied and applied before it is refunded (the verifier checks
 * no account ever goes below zero). Payloads are shaped like the deciders' events.
 */
const loadSql = /* sql */ `
insert into es.events (event_id, stream_name, stream_revision, event_type, data, metadata)
select gen_random_uuid(),
  case when k < 2 then 'payment-' || v.payment else 'deposit-' || v.deposit end,
  case when k < 2 then k else 0 end,
  (array['PaymentAuthorized', 'PaymentCaptured', 'DepositRefunded'])[k + 1],
  case k
    when 0 then jsonb_build_object('paymentId', v.payment, 'gatewayTransactionId', 'gw' || g, 'amountVnd', v.total,
      'late', false, 'confirmedBy', null, 'proofFileId', null,
      'journal', jsonb_build_object('memo', 'Nhận tiền từ cổng thanh toán', 'lines', jsonb_build_array(
        jsonb_build_object('account', 'gateway_clearing', 'subject', null, 'side', 'debit', 'amountVnd', v.total),
        jsonb_build_object('account', 'customer_funds', 'subject', v.customer, 'side', 'credit', 'amountVnd', v.total))))
    when 1 then jsonb_build_object('paymentId', v.payment, 'principalVnd', v.principal, 'feeVnd', v.fee,
      'journal', jsonb_build_object('memo', 'Ghi nhận thanh toán', 'lines', jsonb_build_array(
        jsonb_build_object('account', 'customer_funds', 'subject', v.customer, 'side', 'debit', 'amountVnd', v.total),
        jsonb_build_object('account', 'escrow', 'subject', 'deposit:' || v.deposit, 'side', 'credit', 'amountVnd', v.principal),
        jsonb_build_object('account', 'platform_revenue', 'subject', null, 'side', 'credit', 'amountVnd', v.fee))))
    else jsonb_build_object('depositId', v.deposit, 'reason', 'customer_cancelled', 'refundPercent', 50,
      'refundVnd', v.principal / 2, 'forfeitVnd', v.principal - v.principal / 2,
      'journal', jsonb_build_object('memo', 'Hoàn cọc khi hủy', 'lines', jsonb_build_array(
        jsonb_build_object('account', 'escrow', 'subject', 'deposit:' || v.deposit, 'side', 'debit', 'amountVnd', v.principal),
        jsonb_build_object('account', 'refunds_payable', 'subject', v.customer, 'side', 'credit', 'amountVnd', v.principal / 2),
        jsonb_build_object('account', 'owner_payable', 'subject', v.owner, 'side', 'credit', 'amountVnd', v.principal - v.principal / 2))))
  end,
  jsonb_build_object(
    'actorId', 'system', 'actAsId', null, 'roles', jsonb_build_array('system'),
    'correlationId', v.payment, 'causationId', null, 'idempotencyKey', null, 'ip', null, 'userAgent', null,
    'occurredAt', to_char((timestamptz '2025-01-01' + (g * 3 + k) * interval '1 second') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'schemaVersion', 1)
from generate_series($1::bigint, $2::bigint) as g
cross join lateral (select
    md5('p' || g)::uuid::text as payment,
    md5('d' || g)::uuid::text as deposit,
    'user:' || md5('c' || g % 20000)::uuid as customer,
    'user:' || md5('o' || g % 2000)::uuid as owner,
    2000000 + (g % 100) * 10000 as principal,
    20000 as fee,
    2000000 + (g % 100) * 10000 + 20000 as total) v
cross join generate_series(0, 2) as k
order by g, k`;

async function load(pool: pg.Pool) {
  const start = performance.now();
  for (let from = 0; from < DEALS; from += LOAD_CHUNK) {
    await pool.query(loadSql, [from, Math.min(DEALS, from + LOAD_CHUNK) - 1]);
  }
  const seconds = (performance.now() - start) / 1000;
  const v = performance.now();
  await pool.query('vacuum (analyze) es.events');
  const vacuumSeconds = (performance.now() - v) / 1000;
  const { rows } = await pool.query<{ size: string }>(
    `select pg_size_pretty(pg_total_relation_size('es.events')) as size`,
  );
  return { seconds, vacuumSeconds, size: rows[0]?.size ?? '?' };
}

const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await f();
  return [result, (performance.now() - start) / 1000];
};

await runBench(10, async ({ pool }) => {
  console.log(`Sizes: BENCH_POSTINGS=${POSTINGS} → ${DEALS} deals × 3 events (8 postings each)`);
  const loaded = await load(pool);
  console.log(
    `Setup: ${(DEALS * 3).toLocaleString('en-US')} journal events bulk-inserted straight into es.events in ${fmt(loaded.seconds)} s; ` +
      `VACUUM ANALYZE ${fmt(loaded.vacuumSeconds)} s; es.events ${loaded.size}. Load avg ${loadAvg()}.`,
  );
  const store = new PostgresEventStore(pool);
  // biome-ignore lint/suspicious/noExplicitAny: the runner's deps take any table types
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  const rows: string[][] = [];
  const rate = (n: number, s: number) => `${fmt(n / s, 0)} postings/s`;

  const [scan, scanSeconds] = await timed(async () => {
    const { rows } = await pool.query<{ events: string; postings: string; debits: string }>(
      `select count(*)::text as events, sum(jsonb_array_length(data->'journal'->'lines'))::text as postings,
         sum((select sum((l->>'amountVnd')::bigint) from jsonb_array_elements(data->'journal'->'lines') l
              where l->>'side' = 'debit'))::text as debits
       from es.events where stream_name like any($1) and data->'journal' is not null`,
      [LEDGER_STREAM_PREFIXES.map((p) => `${p}%`)],
    );
    return { events: Number(rows[0]?.events), postings: Number(rows[0]?.postings) };
  });
  rows.push([
    'baseline: SQL scan, count + sum of lines',
    scan.postings.toLocaleString('en-US'),
    fmt(scanSeconds, 1),
    rate(scan.postings, scanSeconds),
    '',
  ]);

  const [portEvents, portSeconds] = await timed(async () => {
    let after = 0n;
    let count = 0;
    while (true) {
      const page = await store.readAll({
        after,
        maxCount: 10_000,
        filter: { streamPrefixes: [...LEDGER_STREAM_PREFIXES] },
      });
      const last = page.at(-1);
      if (!last) return count;
      count += page.length;
      after = last.position;
    }
  });
  rows.push([
    'baseline: read the events through the port',
    portEvents.toLocaleString('en-US'),
    fmt(portSeconds, 1),
    rate(scan.postings, portSeconds),
    '',
  ]);

  const [rebuilt, rebuildSeconds] = await timed(() =>
    rebuildProjection({ db, store, logger: createLogger('warn') }, ledgerProjection),
  );
  rows.push([
    `rebuild: ledger projection (${rebuilt.events.toLocaleString('en-US')} events)`,
    scan.postings.toLocaleString('en-US'),
    fmt(rebuildSeconds, 1),
    rate(scan.postings, rebuildSeconds),
    '',
  ]);

  const [verified, verifySeconds] = await timed(() => verifyLedger({ store, pool }));
  rows.push([
    `verifyLedger (${verified.ok ? 'ok' : 'NOT OK'})`,
    verified.postings.toLocaleString('en-US'),
    fmt(verifySeconds, 1),
    rate(verified.postings, verifySeconds),
    `×${fmt(verifySeconds / scanSeconds, 1)} SQL scan, ×${fmt(verifySeconds / portSeconds, 2)} port read`,
  ]);
  await store.close();

  printTable(
    `Ledger projection and verification over ${scan.events.toLocaleString('en-US')} events, ${scan.postings.toLocaleString('en-US')} postings (load avg ${loadAvg()})`,
    ['step', 'postings', 'seconds', 'rate', 'ratio'],
    rows,
  );
  console.log(
    `verifyLedger: ${verified.entries} entries, ${verified.postings} postings, ${verified.accounts} accounts; ` +
      `debits ${verified.trialBalance.debits} = credits ${verified.trialBalance.credits}; read model ${verified.readModel.postings} postings, ` +
      `${verified.readModel.accounts} accounts; differences ${verified.differences.length}, unbalanced ${verified.unbalancedEntries.length}, ` +
      `overdrawn ${verified.overdrawn.length}${verified.readModelProblem ? `; ${verified.readModelProblem}` : ''}`,
  );
});
