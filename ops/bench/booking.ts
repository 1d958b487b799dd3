/**
 * Booking engine benchmark. One verified expert with a year of weekly availability receives
 * BENCH_BOOKINGS (default 10,000) consultation bookings from BENCH_CLIENTS (default 32) concurrent
 * clients (distinct customers, free slots) → booking command p50/p95/p99 and throughput, against a
 * baseline of a bare one-event append at the same concurrency. Then slot queries over random weeks
 * and months of that year: uncached (read model + slot engine), cached, and a baseline that folds the
 * day calendar streams from the event store instead of reading the read model. Prints; never asserts.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { currentState } from '../../commands/handler.js';
import { systemMetadata } from '../../commands/metadata.js';
import { type Busy, freeSlots, localDateOf } from '../../domain/booking/availability.js';
import { calendarDecider } from '../../domain/booking/calendar.js';
import { calendarStream } from '../../domain/booking/calendar-events.js';
import { slotPolicyOf } from '../../domain/booking/expert-events.js';
import { getExpertBookingProfile } from '../../projections/booking/experts-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { startApp } from '../app.js';
import { expertSeeder } from '../seed/verified-expert.js';
import { benchData, benchMetadata, envInt, fmt, loadAvg, msSince, printTable, runBench, summarize } from './support.js';

const BOOKINGS = envInt('BENCH_BOOKINGS', 10_000);
const CLIENTS = envInt('BENCH_CLIENTS', 32);
const QUERIES = envInt('BENCH_SLOT_QUERIES', 200);
const ZONE = 'Asia/Ho_Chi_Minh';

/** Runs `task(i)` for i < total with `clients` workers; returns each call's latency in ms and the wall time. */
async function concurrently(total: number, clients: number, task: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        const at = process.hrtime.bigint();
        await task(i);
        latencies.push(msSince(at));
      }
    }),
  );
  return { latencies, seconds: msSince(started) / 1000 };
}

const row = (name: string, samples: number[], extra: string) => {
  const s = summarize(samples);
  return [name, String(s.count), fmt(s.p50, 2), fmt(s.p95, 2), fmt(s.p99, 2), fmt(s.max, 2), extra];
};

await runBench(CLIENTS + 8, async (db) => {
  const start = (roles: ('projector' | 'api' | 'worker')[]) =>
    startApp({ databaseUrl: db.url, roles, logger: pino({ level: 'silent' }) });
  console.log('Starting the app (projector role)…');
  let app = await start(['projector']);
  console.log('Seeding an expert…');
  try {
    let { services } = app;
    const { expertId, serviceId } = await expertSeeder(services).verifiedExpert({
      durationMinutes: 30,
      bookingWindowDays: 365,
      minimumNoticeMinutes: 60,
      rules: [
        {
          id: 'weekdays',
          rrule: 'FREQ=DAILY',
          from: DateTime.now().setZone(ZONE).toISODate() as string,
          until: null,
          ranges: [{ start: '07:00', end: '21:00' }],
          exceptDates: [],
        },
      ],
    });
    console.log('Expert seeded; collecting a year of free slots…');
    const now = new Date();
    const yearEnd = new Date(now.getTime() + 365 * 86_400_000);
    const offer = await services.bookings.slots.providerSlots(
      expertId,
      serviceId,
      now,
      new Date(now.getTime() + 60 * 86_400_000),
    );
    const allSlots: Date[] = [];
    for (let from = now; from < yearEnd; from = new Date(from.getTime() + 60 * 86_400_000)) {
      const to = new Date(Math.min(from.getTime() + 60 * 86_400_000, yearEnd.getTime()));
      const page = await services.bookings.slots.providerSlots(expertId, serviceId, from, to);
      allSlots.push(...page.slots.map((slot) => new Date(slot.start)));
    }
    console.log(
      `Expert availability: ${allSlots.length} free 30-minute slots in the next year (zone ${offer.timeZone})`,
    );
    const chosen = allSlots.sort(() => Math.random() - 0.5).slice(0, BOOKINGS);

    // Commands run as an API process does in production: without the projector competing for the
    // two cores (projections and reactions run in their own process there).
    await app.close();
    app = await start([]);
    services = app.services;
    const book = (i: number) =>
      services.bookings.requestConsultation(
        { expertId, serviceId, start: chosen[i] as Date, note: null, holdId: null },
        randomUUID(),
        { ...systemMetadata(randomUUID()), actorId: null, roles: ['customer'], idempotencyKey: `bench-${i}` },
      );
    const single = Math.min(200, Math.floor(chosen.length / 10));
    console.log(`Booking ${single} slots one at a time, then ${chosen.length - single} with ${CLIENTS} clients…`);
    const alone = await concurrently(single, 1, book);
    const booked = await concurrently(chosen.length - single, CLIENTS, (i) => book(single + i));
    const bare = await concurrently(chosen.length, CLIENTS, (i) =>
      services.store.appendToStream(
        `benchbare-${i}`,
        [{ eventId: randomUUID(), type: 'BenchEvent', data: benchData(i), metadata: benchMetadata() }],
        {
          expectedRevision: 'no_stream',
        },
      ),
    );
    printTable(
      `Booking command, API process without the projector (load ${loadAvg()})`,
      ['command', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'throughput'],
      [
        row('request consultation, 1 client', alone.latencies, `${fmt(alone.latencies.length / alone.seconds, 0)}/s`),
        row(
          `request consultation, ${CLIENTS} clients`,
          booked.latencies,
          `${fmt(booked.latencies.length / booked.seconds, 0)}/s`,
        ),
        row('baseline: bare one-event append', bare.latencies, `${fmt(bare.latencies.length / bare.seconds, 0)}/s`),
      ],
    );
    console.log(
      `ratio p95 booking / bare append: ${fmt(summarize(booked.latencies).p95 / summarize(bare.latencies).p95, 1)}×`,
    );

    await app.close();
    console.log('Projecting the bookings…');
    app = await start(['projector']);
    services = app.services;
    const { rows } = await services.pool.query<{ last: string }>(
      `select max(position)::text as last from es.events where stream_name like 'booking-%' or stream_name like 'calendar-%'`,
    );
    await waitForProjection(services.pool, 'bookings', BigInt(rows[0]?.last ?? '0'), 600_000);
    const ranges = Array.from({ length: QUERIES }, (_, i) => {
      const days = i % 2 === 0 ? 7 : 31;
      const from = new Date(now.getTime() + Math.floor(Math.random() * (365 - days)) * 86_400_000);
      return { from, to: new Date(from.getTime() + days * 86_400_000), days };
    });
    const slots = services.bookings.slots;
    const timed = async (fn: () => Promise<unknown>) => {
      const at = process.hrtime.bigint();
      await fn();
      return msSince(at);
    };
    const uncached: number[] = [];
    const cached: number[] = [];
    const fromStreams: number[] = [];
    const expert = await services.bookings.slots.providerSlots(
      expertId,
      serviceId,
      now,
      new Date(now.getTime() + 86_400_000),
    );
    void expert;
    const profile = await getExpertBookingProfile(services.db, expertId);
    const service = profile?.services.find((s) => s.id === serviceId);
    if (!profile || !service) throw new Error('expert profile missing');
    for (const { from, to } of ranges) {
      slots.invalidate(expertId);
      uncached.push(await timed(() => slots.providerSlots(expertId, serviceId, from, to)));
      cached.push(await timed(() => slots.providerSlots(expertId, serviceId, from, to)));
      fromStreams.push(
        await timed(async () => {
          const busy: Busy[] = [];
          for (let day = DateTime.fromJSDate(from, { zone: ZONE }); day.toJSDate() < to; day = day.plus({ days: 1 })) {
            const state = await currentState(
              services.store,
              calendarStream(expertId, localDateOf(day.toJSDate(), ZONE)),
              calendarDecider,
            );
            for (const span of state.spans.values()) busy.push({ ...span, kind: span.kind });
          }
          freeSlots({
            schedule: profile.schedule,
            policy: slotPolicyOf(profile.settings, service),
            busy,
            now: new Date(),
            from,
            to,
          });
        }),
      );
    }
    printTable(
      `Slot query, one expert, a year of availability, ${chosen.length} bookings; ${QUERIES} random weeks/months (load ${loadAvg()})`,
      ['query', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', ''],
      [
        row('uncached (read model + engine)', uncached, ''),
        row('cached', cached, ''),
        row('baseline: fold day calendar streams', fromStreams, ''),
      ],
    );
    console.log(`ratio p95 baseline / uncached: ${fmt(summarize(fromStreams).p95 / summarize(uncached).p95, 1)}×`);
  } finally {
    await app.close();
  }
});
