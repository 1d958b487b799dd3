import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EVERY_DAY, expertSeeder } from '../../ops/seed/verified-expert.js';
import { bearer, signedInUser } from '../support/accounts.js';
import { ADMIN, eventually, startTestApp, type TestApp, testClock } from '../support/app.js';
import { staffTestAccounts } from '../support/staff-accounts.js';

interface Booking {
  bookingId: string;
  status: string;
  providerId: string | null;
  start: string;
  end: string;
  reason: string | null;
}
interface Slots {
  slots: { start: string; end: string }[];
}

const tomorrowAt = (hour: number, zone = 'Asia/Ho_Chi_Minh') =>
  DateTime.now()
    .setZone(zone)
    .plus({ days: 1 })
    .set({ hour, minute: 0, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;
const asCustomer = (customerId: string) => ({ ...ADMIN, 'x-act-as': customerId });
const key = () => ({ 'idempotency-key': randomUUID() });

describe('bookings over HTTP', () => {
  let t: TestApp;
  const clock = testClock();
  let world: ReturnType<typeof expertSeeder>;

  beforeAll(async () => {
    t = await startTestApp({ clock: clock.now });
    world = expertSeeder(t.app.services);
  });
  afterAll(() => t?.close());

  const slotsOf = async (expertId: string, serviceId: string) => {
    const from = DateTime.now().plus({ days: 1 }).startOf('day').toUTC().toISO();
    const answer = await t.call<Slots>('GET', `/api/v1/providers/${expertId}/slots?service=${serviceId}&from=${from}`);
    expect(answer.status).toBe(200);
    return answer.body.data.slots.map((slot) => slot.start);
  };

  test('hold, book, confirm, reschedule and cancel a consultation; the slots follow', async () => {
    const customer = await signedInUser(t, 'khach.tuvan@example.com');
    const expertAccount = await staffTestAccounts(t, () => ADMIN).invitedUser('chuyengia@example.com', ['expert']);
    const { expertId, serviceId } = await world.verifiedExpert({ expertId: expertAccount.id });
    const start = tomorrowAt(10);

    const before = await slotsOf(expertId, serviceId);
    expect(before).toContain(start);

    const hold = await t.call<{ holdId: string; expiresAt: string }>(
      'POST',
      `/api/v1/providers/${expertId}/holds`,
      { serviceId, start },
      bearer(customer.accessToken),
    );
    expect(hold.status).toBe(201);
    expect(new Date(hold.body.data.expiresAt).getTime() - Date.now()).toBeGreaterThan(4 * 60_000);
    await eventually(async () => expect(await slotsOf(expertId, serviceId)).not.toContain(start));

    const someoneElse = await t.call(
      'POST',
      '/api/v1/bookings',
      { kind: 'consultation', expertId, serviceId, start },
      {
        ...asCustomer(randomUUID()),
        ...key(),
      },
    );
    expect(someoneElse.status).toBe(409);
    expect(someoneElse.body.error?.code).toBe('SLOT_TAKEN');

    const request = {
      kind: 'consultation',
      expertId,
      serviceId,
      start,
      note: 'Hợp đồng 12 tháng',
      holdId: hold.body.data.holdId,
    };
    const headers = { ...bearer(customer.accessToken), ...key() };
    const booked = await t.call<Booking>('POST', '/api/v1/bookings', request, headers);
    expect(booked.status).toBe(201);
    expect(booked.body.data).toMatchObject({ status: 'requested', providerId: expertId, start });
    const again = await t.call<Booking>('POST', '/api/v1/bookings', request, headers);
    expect(again.body.data.bookingId).toBe(booked.body.data.bookingId);
    const id = booked.body.data.bookingId;

    const strangerConfirm = await t.call('POST', `/api/v1/bookings/${id}/confirm`, {}, bearer(customer.accessToken));
    expect(strangerConfirm.status).toBe(403);
    const confirmed = await t.call<Booking>('POST', `/api/v1/bookings/${id}/confirm`, {}, bearer(expertAccount.token));
    expect(confirmed.body.data.status).toBe('confirmed');

    const later = tomorrowAt(14);
    const moved = await t.call<Booking>(
      'POST',
      `/api/v1/bookings/${id}/reschedule`,
      { start: later },
      bearer(customer.accessToken),
    );
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ status: 'rescheduled', start: later });
    await eventually(async () => {
      const afterMove = await slotsOf(expertId, serviceId);
      expect(afterMove).toContain(start);
      expect(afterMove).not.toContain(later);
    });

    const mine = await t.call<Booking[]>(
      'GET',
      '/api/v1/bookings?role=customer',
      undefined,
      bearer(customer.accessToken),
    );
    expect(mine.body.data.map((b) => b.bookingId)).toEqual([id]);
    const theirs = await t.call<Booking[]>(
      'GET',
      '/api/v1/bookings?role=expert',
      undefined,
      bearer(expertAccount.token),
    );
    expect(theirs.body.data.map((b) => b.bookingId)).toEqual([id]);

    const cancelled = await t.call<Booking>(
      'POST',
      `/api/v1/bookings/${id}/cancel`,
      { reason: 'Bận việc' },
      bearer(customer.accessToken),
    );
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled_by_customer', reason: 'Bận việc' });
    await eventually(async () => expect(await slotsOf(expertId, serviceId)).toContain(later));
  });

  test('a bad request names the field; a booking needs an Idempotency-Key', async () => {
    const { expertId, serviceId } = await world.verifiedExpert();
    const customer = asCustomer(randomUUID());
    const noKey = await t.call(
      'POST',
      '/api/v1/bookings',
      { kind: 'consultation', expertId, serviceId, start: tomorrowAt(9) },
      customer,
    );
    expect(noKey.status).toBe(400);
    expect(noKey.body.error?.field).toBe('Idempotency-Key');
    const badStart = await t.call(
      'POST',
      '/api/v1/bookings',
      { kind: 'consultation', expertId, serviceId, start: 'mai' },
      { ...customer, ...key() },
    );
    expect(badStart.status).toBe(400);
    expect(badStart.body.error?.field).toBe('start');
    const tooSoon = await t.call(
      'POST',
      '/api/v1/bookings',
      { kind: 'consultation', expertId, serviceId, start: new Date(Date.now() + 10 * 60_000).toISOString() },
      { ...customer, ...key() },
    );
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.body.error?.code).toBe('SLOT_TOO_SOON');
    const offHours = await t.call(
      'POST',
      '/api/v1/bookings',
      { kind: 'consultation', expertId, serviceId, start: tomorrowAt(22) },
      { ...customer, ...key() },
    );
    expect(offHours.status).toBe(409);
    expect(offHours.body.error?.code).toBe('SLOT_UNAVAILABLE');
  });

  test('200 simultaneous requests for one slot: exactly one booking, 199 clear 409s, nothing half-written', async () => {
    const { expertId, serviceId } = await world.verifiedExpert();
    const start = tomorrowAt(11);
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        t.call(
          'POST',
          '/api/v1/bookings',
          { kind: 'consultation', expertId, serviceId, start },
          { ...asCustomer(randomUUID()), ...key() },
        ),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((s) => s === 201),
      JSON.stringify(answers.find((a) => a.status !== 409)?.body),
    ).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    expect(new Set(answers.filter((a) => a.status === 409).map((a) => a.body.error?.code))).toEqual(
      new Set(['SLOT_TAKEN']),
    );
    await eventually(async () => {
      const { rows: spans } = await t.db.pool.query('select id from rm.calendar_spans where provider_id = $1', [
        expertId,
      ]);
      const { rows: bookings } = await t.db.pool.query('select id from rm.bookings where provider_id = $1', [expertId]);
      expect(spans).toHaveLength(1);
      expect(bookings.map((b) => b.id)).toEqual(spans.map((s) => s.id));
    });
    const { rows: streams } = await t.db.pool.query(
      `select count(distinct stream_name)::int as n from es.events where stream_name like 'booking-%' and data->>'providerId' = $1`,
      [expertId],
    );
    expect(streams[0].n).toBe(1);
  });

  test('one customer firing 20 overlapping requests at 20 experts ends with at most one active booking', async () => {
    const experts = await Promise.all(Array.from({ length: 20 }, () => world.verifiedExpert()));
    const customerId = randomUUID();
    const start = tomorrowAt(15);
    const answers = await Promise.all(
      experts.map(({ expertId, serviceId }) =>
        t.call(
          'POST',
          '/api/v1/bookings',
          { kind: 'consultation', expertId, serviceId, start },
          { ...asCustomer(customerId), ...key() },
        ),
      ),
    );
    expect(
      answers.some((a) => a.status === 201),
      JSON.stringify(answers.map((a) => a.body.error?.code)),
    ).toBe(true);
    for (const answer of answers.filter((a) => a.status !== 201)) {
      expect([409, 429]).toContain(answer.status);
    }
    await eventually(async () => {
      const { rows } = await t.db.pool.query(
        `select status, reason from rm.bookings where customer_id = $1 order by requested_position`,
        [customerId],
      );
      expect(rows.length).toBe(answers.filter((a) => a.status === 201).length);
      expect(rows.filter((r) => ['requested', 'confirmed'].includes(r.status))).toHaveLength(1);
      for (const row of rows.slice(1)) expect(['customer_overlap', 'daily_request_limit']).toContain(row.reason);
    }, 10_000);
  });

  test('expert search by "has a free slot between dates", soonest slot first', async () => {
    const rule = (start: string, end: string) => ({ ...EVERY_DAY, ranges: [{ start, end }] });
    const late = await world.verifiedExpert({ rules: [rule('15:00', '16:00')] });
    const early = await world.verifiedExpert({ rules: [rule('13:00', '14:00')] });
    const evening = await world.verifiedExpert({ rules: [rule('18:00', '20:00')] });
    const from = tomorrowAt(13);
    const to = tomorrowAt(17);
    const answer = await t.call<{ expertId: string; soonestSlot: string }[]>(
      'GET',
      `/api/v1/experts/free?from=${from}&to=${to}&limit=50`,
    );
    expect(answer.status).toBe(200);
    const ids = answer.body.data.map((e) => e.expertId);
    expect(ids).not.toContain(evening.expertId);
    expect(ids.indexOf(early.expertId)).toBeLessThan(ids.indexOf(late.expertId));
    expect(answer.body.data.find((e) => e.expertId === late.expertId)?.soonestSlot).toBe(tomorrowAt(15));
    const starts = answer.body.data.map((e) => e.soonestSlot);
    expect(starts).toEqual([...starts].sort());
  });

  test('a weekly series books each occurrence on its own, reports conflicts, and cancels the rest at once', async () => {
    const { expertId, serviceId } = await world.verifiedExpert();
    const first = tomorrowAt(9);
    const inAWeek = DateTime.fromISO(first).plus({ weeks: 1 }).toUTC().toISO() as string;
    const taken = await t.call(
      'POST',
      '/api/v1/bookings',
      { kind: 'consultation', expertId, serviceId, start: inAWeek },
      { ...asCustomer(randomUUID()), ...key() },
    );
    expect(taken.status).toBe(201);
    const customerId = randomUUID();
    const series = await t.call<{
      seriesId: string;
      occurrences: { occurrence: number; bookingId: string | null; error: { code: string } | null }[];
    }>(
      'POST',
      '/api/v1/bookings',
      { kind: 'consultation', expertId, serviceId, start: first, weeks: 3 },
      { ...asCustomer(customerId), ...key() },
    );
    expect(series.status).toBe(201);
    const { occurrences, seriesId } = series.body.data;
    expect(occurrences.map((o) => o.error?.code ?? 'booked')).toEqual(['booked', 'SLOT_TAKEN', 'booked']);
    const cancelled = await t.call<{ cancelled: string[] }>(
      'POST',
      `/api/v1/bookings/series/${seriesId}/cancel`,
      { reason: 'Đổi kế hoạch' },
      asCustomer(customerId),
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data.cancelled.sort()).toEqual(
      occurrences.flatMap((o) => (o.bookingId ? [o.bookingId] : [])).sort(),
    );
  });
});
