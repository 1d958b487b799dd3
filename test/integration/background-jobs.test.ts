import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, PostgresDialect } from 'kysely';
import type PgBoss from 'pg-boss';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aggregateDailyStatistics } from '../../commands/jobs/daily-statistics.js';
import { dailyStatistics } from '../../commands/jobs/daily-statistics-queries.js';
import { DEFAULT_JOB_SETTINGS, DEFAULT_RETENTION } from '../../commands/jobs/job-settings.js';
import { retentionCleanup } from '../../commands/jobs/retention.js';
import { type RunningWorker, type ScheduledJob, startWorker } from '../../commands/jobs/scheduler.js';
import { auditProjection } from '../../projections/audit/audit-projection.js';
import { bookingsProjection } from '../../projections/booking/bookings-projection.js';
import { catalogProjection } from '../../projections/catalog/catalog-projection.js';
import { jobQueuesProjection } from '../../projections/jobs/job-queues-projection.js';
import { paymentsProjection } from '../../projections/payments/payments-projection.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 12:00 on 10 March 2026 in Vietnam: the statistics job recomputes 9 and 10 March. */
const NOW = new Date('2026-03-10T05:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const P1 = uuid(101);
const P2 = uuid(102);
const S1 = uuid(201);
const S2 = uuid(202);
const EXPERT = uuid(301);
const CUSTOMER = uuid(401);
const OWNER = uuid(501);

let db: TestDatabase;
let worker: RunningWorker;
let sweeps = 0;
let inFlight = 0;
let maxInFlight = 0;

/** A scheduled job that only counts its runs (its cron never fires during the test). */
const sweep: ScheduledJob = {
  name: 'test-sweep',
  cron: '0 0 1 1 *',
  async run() {
    sweeps += 1;
    return `sweep ${sweeps}`;
  },
};

beforeAll(async () => {
  db = await createTestDatabase();
  const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: db.pool }) });
  for (const projection of [bookingsProjection, paymentsProjection, catalogProjection, auditProjection]) {
    await projection.setup(kysely, 'rm');
  }
  await jobQueuesProjection.setup(kysely, 'rm');
  worker = await startWorker({
    databaseUrl: db.url,
    pool: db.pool,
    logger: pino({ level: 'silent' }),
    clock: () => NOW,
    jobs: [sweep],
    queues: [
      {
        name: 'test-capped',
        async handle() {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep(200);
          inFlight -= 1;
        },
      },
    ],
    settings: { ...DEFAULT_JOB_SETTINGS, concurrency: { TEST_CAPPED: 3 }, pausePollMs: 60_000 },
  });
});

afterAll(async () => {
  await worker?.stop();
  await db?.drop();
});

const boss = (): PgBoss => worker.boss;

async function statesOf(queue: string): Promise<Record<string, number>> {
  const { rows } = await db.pool.query<{ state: string; n: number }>(
    'select state::text, count(*)::int as n from pgboss.job where name = $1 group by state',
    [queue],
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('worker: concurrency caps and pauses', () => {
  test('a queue capped at 3 never runs more than 3 jobs at once, and does run 3', async () => {
    for (let i = 0; i < 9; i++) await boss().send('test-capped', { i });
    await until('9 jobs completed', async () => (await statesOf('test-capped')).completed === 9);
    expect(maxInFlight).toBe(3);
  });

  test('scheduled queues keep at most one waiting run (policy short)', async () => {
    expect((await boss().getQueue('test-sweep'))?.policy).toBe('short');
  });

  test('a paused queue is not fetched from; its jobs wait and run once it is resumed', async () => {
    await db.pool.query(
      `insert into rm.job_queues (queue, paused, changed_by, changed_at, reason) values ('test-sweep', true, 'admin', now(), null)`,
    );
    await worker.applyPauses();
    const before = sweeps;
    expect(await boss().send('test-sweep', {})).not.toBeNull();
    expect(await boss().send('test-sweep', {}), 'a second waiting run is not queued').toBeNull();
    await sleep(2500); // longer than pg-boss's polling interval (2 s)
    expect(sweeps).toBe(before);
    expect(await statesOf('test-sweep')).toEqual({ created: 1 });

    await db.pool.query(`update rm.job_queues set paused = false where queue = 'test-sweep'`);
    await worker.applyPauses();
    await until('the waiting run completed', async () => (await statesOf('test-sweep')).completed === 1);
    expect(sweeps).toBe(before + 1);
  });
});

describe('retention clean-up', () => {
  const job = retentionCleanup(DEFAULT_RETENTION);

  async function seed() {
    // The notifications table is migration 013's; a minimal one of the same shape stands in where it is not there.
    await db.pool.query(`create table if not exists ops.notifications (
      id uuid primary key, user_id uuid not null, type text not null, category text not null, title text not null,
      body text not null, source_event_id uuid not null, created_at timestamptz not null, read_at timestamptz,
      deleted_at timestamptz)`);
    const notification = (n: number, createdAt: Date, readAt: Date | null, deletedAt: Date | null) =>
      db.pool.query(
        `insert into ops.notifications (id, user_id, type, category, title, body, source_event_id, created_at, read_at, deleted_at)
         values ($1, $2, 'booking.confirmed', 'booking', 'Lịch hẹn đã xác nhận', 'Nội dung', $1, $3, $4, $5)`,
        [uuid(1000 + n), CUSTOMER, createdAt, readAt, deletedAt],
      );
    await notification(1, ago(100 * DAY), ago(99 * DAY), null); // read, old: goes
    await notification(2, ago(100 * DAY), null, ago(98 * DAY)); // deleted, old: goes
    await notification(3, ago(100 * DAY), null, null); // unread: stays whatever its age
    await notification(4, ago(10 * DAY), ago(9 * DAY), null); // read, recent: stays

    const span = (n: number, kind: string, expiresAt: Date | null) =>
      db.pool.query(
        `insert into rm.calendar_spans (provider_id, id, kind, customer_id, day, start_at, end_at, buffer_before,
           buffer_after, expires_at, created_at) values ($1, $2, $3, $4, '2026-03-08', $5, $5, 0, 0, $6, $5)`,
        [EXPERT, uuid(2000 + n), kind, CUSTOMER, ago(2 * DAY), expiresAt],
      );
    await span(1, 'hold', ago(2 * DAY)); // expired two days ago: goes
    await span(2, 'hold', ago(HOUR)); // expired an hour ago: stays (24 h)
    await span(3, 'hold', new Date(NOW.getTime() + 5 * 60_000)); // live: stays
    await span(4, 'booking', null); // a booking: never touched

    const mail = (n: number, createdAt: Date) =>
      db.pool.query(
        `insert into ops.mail_outbox (id, to_address, subject, text_body, category, locale, created_at)
         values ($1, 'an@example.vn', 'Xác minh email', 'Mã: 123456', 'verification', 'vi', $2)`,
        [uuid(3000 + n), createdAt],
      );
    await mail(1, ago(31 * DAY));
    await mail(2, ago(29 * DAY));

    // Two finished jobs as pg-boss archives them, one archived 15 days ago (goes), one 13 days ago.
    await db.pool.query(
      `insert into pgboss.archive (id, name, priority, data, state, retry_limit, retry_count, retry_delay,
         retry_backoff, start_after, started_on, singleton_key, singleton_on, expire_in, created_on, completed_on,
         keep_until, dead_letter, policy, output, archived_on)
       select gen_random_uuid(), name, priority, data, state, retry_limit, retry_count, retry_delay, retry_backoff,
              start_after, started_on, singleton_key, singleton_on, expire_in, created_on, completed_on, keep_until,
              dead_letter, policy, output, $1::timestamptz - make_interval(days => 13 + 2 * (row_number() over ())::int - 2)
         from (select * from pgboss.job where name = 'test-capped' limit 2) j`,
      [NOW],
    );
  }

  const remaining = async () => ({
    notifications: (
      await db.pool.query<{ id: string }>(
        `select id from ops.notifications where id::text like '00000000-0000-4000-8000-0000000010%' order by id`,
      )
    ).rows.map((r) => r.id),
    spans: (
      await db.pool.query<{ id: string }>(`select id from rm.calendar_spans where provider_id = $1 order by id`, [
        EXPERT,
      ])
    ).rows.map((r) => r.id),
    mails: (await db.pool.query<{ id: string }>('select id from ops.mail_outbox order by id')).rows.map((r) => r.id),
    archived: Number((await db.pool.query<{ n: string }>('select count(*) as n from pgboss.archive')).rows[0]?.n),
  });

  test('without a notifications table (notifications not migrated) the other clean-ups still run', async () => {
    await db.pool.query('drop table if exists ops.notifications cascade');
    await expect(job.run({ pool: db.pool, now: NOW })).resolves.toMatch(/^deleted 0 notifications/);
  });

  test('deletes only what the policy says is old; a second run deletes nothing more', async () => {
    await seed();
    expect(await job.run({ pool: db.pool, now: NOW })).toBe(
      'deleted 2 notifications, 1 expired slot holds, 1 outbox mails, 1 archived jobs',
    );
    const after = await remaining();
    expect(after).toEqual({
      notifications: [uuid(1003), uuid(1004)],
      spans: [uuid(2002), uuid(2003), uuid(2004)],
      mails: [uuid(3002)],
      archived: 1,
    });
    expect(await job.run({ pool: db.pool, now: NOW })).toBe(
      'deleted 0 notifications, 0 expired slot holds, 0 outbox mails, 0 archived jobs',
    );
    expect(await remaining()).toEqual(after);
  });
});

describe('daily statistics', () => {
  let position = 0;
  const booking =
    (n: number, b: { kind?: string; status: string; project: string | null; provider: string }) =>
    async (createdAt: string, updatedAt = createdAt) => {
      position += 1;
      await db.pool.query(
        `insert into rm.bookings (id, kind, status, customer_id, provider_id, project_id, mode, start_at, end_at,
           time_zone, requested_position, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, 'offline', $7, $7, 'Asia/Ho_Chi_Minh', $8, $9, $10)`,
        [uuid(n), b.kind ?? 'viewing', b.status, CUSTOMER, b.provider, b.project, NOW, position, createdAt, updatedAt],
      );
    };
  const confirmed = async (n: number, at: string) => {
    position += 1;
    await db.pool.query(
      `insert into rm.audit_trail (position, event_id, stream_name, event_type, actor_id, roles, target_id,
         occurred_at, summary, hash) values ($1, $2, $3, 'BookingConfirmed', 'system', 'system', $4, $5, 'x', 'h')`,
      [position, uuid(9000 + position), `booking-${uuid(n)}`, uuid(n), at],
    );
  };
  const deposit = (n: number, project: string, staff: string, amount: number, heldAt: string | null) =>
    db.pool.query(
      `insert into rm.deposits (id, kind, status, customer_id, owner_id, listing_id, room_id, project_id,
         sales_staff_id, amount_vnd, fee_vnd, policy_id, policy_version, held_at, created_at, updated_at)
       values ($1, 'reservation', $2, $3, $4, $5, $5, $6, $7, $8, 0, $5, 1, $9, $10, $10)`,
      [uuid(n), heldAt ? 'held' : 'pending_payment', CUSTOMER, OWNER, uuid(n + 1), project, staff, amount, heldAt, NOW],
    );
  const listing = (n: number, project: string, publishedAt: string) =>
    db.pool.query(
      `insert into rm.listings (id, project_id, status, title, description, room_type, published_at, created_at, updated_at)
       values ($1, $2, 'published', 'Phòng trọ', 'Mô tả', 'room', $3, $3, $3)`,
      [uuid(n), project, publishedAt],
    );

  beforeAll(async () => {
    // b2 requested late on 9 March (Vietnam), confirmed that night, completed on the 10th.
    await booking(5002, { status: 'completed', project: P1, provider: S1 })(
      '2026-03-09T16:00:00Z',
      '2026-03-10T03:00:00Z',
    );
    await confirmed(5002, '2026-03-09T16:30:00.000Z');
    // b1 requested at 01:30 on the 10th in Vietnam (still the 9th in UTC).
    await booking(5001, { status: 'requested', project: P1, provider: S1 })('2026-03-09T18:30:00Z');
    // b0 requested on 1 March (outside the recomputed days) but confirmed on the 10th.
    await booking(5000, { status: 'confirmed', project: P1, provider: S1 })('2026-03-01T03:00:00Z');
    await confirmed(5000, '2026-03-10T01:00:00.000Z');
    await booking(5003, { status: 'cancelled_by_customer', project: P2, provider: S2 })('2026-03-10T02:00:00Z');
    // A consultation: no project, and its expert is not sales staff.
    await booking(5004, { kind: 'consultation', status: 'no_show', project: null, provider: EXPERT })(
      '2026-03-10T01:00:00Z',
      '2026-03-10T04:00:00Z',
    );
    await deposit(6001, P1, S1, 1_000_000, '2026-03-10T02:00:00Z');
    await deposit(6003, P2, S2, 2_000_000, '2026-03-09T10:00:00Z');
    await deposit(6005, P2, S2, 3_000_000, null);
    await listing(7001, P1, '2026-03-10T04:00:00Z');
    await listing(7002, P1, '2026-03-01T04:00:00Z');
    // A row of the 10th that no longer holds (replaced) and one of the 8th (outside the window: kept).
    await db.pool.query(
      `insert into ops.daily_statistics (day, project_id, staff_id, bookings_requested, computed_at)
       values ('2026-03-10', $1, null, 9, $3), ('2026-03-08', $2, $4, 1, $3)`,
      [uuid(999), P1, ago(DAY), S1],
    );
  });

  const rows = async () =>
    (
      await db.pool.query(
        `select to_char(day, 'YYYY-MM-DD') as day, project_id, staff_id, bookings_requested as req,
                bookings_confirmed as conf, bookings_completed as done, bookings_cancelled as cancelled,
                bookings_no_show as no_show, deposits_held as dep, deposits_held_vnd::int as vnd,
                listings_published as pub
           from ops.daily_statistics order by day, project_id nulls first, staff_id nulls first`,
      )
    ).rows;

  const zero = { req: 0, conf: 0, done: 0, cancelled: 0, no_show: 0, dep: 0, vnd: 0, pub: 0 };
  const expected = [
    { day: '2026-03-08', project_id: P1, staff_id: S1, ...zero, req: 1 },
    { day: '2026-03-09', project_id: P1, staff_id: S1, ...zero, req: 1, conf: 1 },
    { day: '2026-03-09', project_id: P2, staff_id: S2, ...zero, dep: 1, vnd: 2_000_000 },
    { day: '2026-03-10', project_id: null, staff_id: null, ...zero, req: 1, no_show: 1 },
    { day: '2026-03-10', project_id: P1, staff_id: null, ...zero, pub: 1 },
    { day: '2026-03-10', project_id: P1, staff_id: S1, ...zero, req: 1, conf: 1, done: 1, dep: 1, vnd: 1_000_000 },
    { day: '2026-03-10', project_id: P2, staff_id: S2, ...zero, req: 1, cancelled: 1 },
  ];

  test('counts the two days per project and staff from the read models, replacing their old rows', async () => {
    expect(await aggregateDailyStatistics.run({ pool: db.pool, now: NOW })).toBe('6 rows for 2026-03-09..2026-03-10');
    expect(await rows()).toEqual(expected);
  });

  test('running again, or twice at once, gives the same rows', async () => {
    await aggregateDailyStatistics.run({ pool: db.pool, now: NOW });
    expect(await rows()).toEqual(expected);
    await Promise.all([1, 2, 3].map(() => aggregateDailyStatistics.run({ pool: db.pool, now: NOW })));
    expect(await rows()).toEqual(expected);
  });

  test('the query sums per day for a project or a staff member, zero-filling quiet days', async () => {
    const p1 = await dailyStatistics(db.pool, { from: '2026-03-08', to: '2026-03-11', projectId: P1, staffId: null });
    expect(p1.days.map((d) => [d.day, d.bookingsRequested, d.bookingsConfirmed, d.listingsPublished])).toEqual([
      ['2026-03-08', 1, 0, 0],
      ['2026-03-09', 1, 1, 0],
      ['2026-03-10', 1, 1, 1],
      ['2026-03-11', 0, 0, 0],
    ]);
    expect(p1.totals).toMatchObject({ bookingsRequested: 3, bookingsCompleted: 1, depositsHeldVnd: 1_000_000 });
    expect(p1.computedAt?.toISOString()).toBe(NOW.toISOString());

    const s2 = await dailyStatistics(db.pool, { from: '2026-03-09', to: '2026-03-10', projectId: null, staffId: S2 });
    expect(s2.totals).toEqual({
      bookingsRequested: 1,
      bookingsConfirmed: 0,
      bookingsCompleted: 0,
      bookingsCancelled: 1,
      bookingsNoShow: 0,
      depositsHeld: 1,
      depositsHeldVnd: 2_000_000,
      listingsPublished: 0,
    });
    const all = await dailyStatistics(db.pool, {
      from: '2026-03-10',
      to: '2026-03-10',
      projectId: null,
      staffId: null,
    });
    expect(all.totals).toMatchObject({
      bookingsRequested: 3,
      bookingsNoShow: 1,
      bookingsCancelled: 1,
      listingsPublished: 1,
    });
  });
});
