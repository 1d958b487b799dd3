import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bookingJobs } from '../../commands/booking/booking-jobs.js';
import type { ScheduledJob } from '../../commands/jobs/scheduler.js';
import { bearer, signedInUser } from '../support/accounts.js';
import { ADMIN, eventually, startTestApp, type TestApp, testClock } from '../support/app.js';
import { listingWorld } from '../support/listing-world.js';

interface Booking {
  bookingId: string;
  status: string;
  providerId: string | null;
  outcome: string | null;
  reason: string | null;
}

const ZONE = 'Asia/Ho_Chi_Minh';
const HOUR = 3_600_000;
const key = () => ({ 'idempotency-key': randomUUID() });
const as = (userId: string) => ({ ...ADMIN, 'x-act-as': userId });

describe('viewings over HTTP: assignment, approval, result, departures, jobs', () => {
  let t: TestApp;
  const clock = testClock();
  const tomorrowAt = (hour: number) =>
    DateTime.fromJSDate(clock.now(), { zone: ZONE })
      .plus({ days: 1 })
      .set({ hour, minute: 0, second: 0, millisecond: 0 })
      .toUTC()
      .toISO() as string;
  let district = '';
  let ward = '';
  let otherDistrict = '';
  const staff: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  let listing = '';
  let approvalListing = '';
  let owner = { id: '', accessToken: '' };
  let jobs: Record<string, ScheduledJob> = {};

  async function salesStaff(code: string, areaIds: string[]) {
    const today = DateTime.fromJSDate(clock.now(), { zone: ZONE }).toISODate();
    const profile = { code, title: 'Nhân viên kinh doanh', department: 'Kinh doanh', startDate: today, areaIds };
    const body = {
      email: `${code.toLowerCase()}@example.vn`,
      name: `Nhân viên ${code}`,
      phone: null,
      role: 'sales',
      profile,
    };
    const created = await t.call<{ userId: string }>('POST', '/api/v1/admin/staff', body, ADMIN);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.data.userId;
    const weekly = { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], start: '08:00', end: '20:00', from: today };
    const shift = await t.call('POST', `/api/v1/staff/${id}/weekly-shifts`, weekly, ADMIN);
    expect(shift.status, JSON.stringify(shift.body)).toBe(201);
    return id;
  }

  const book = (listingId: string, customerId: string, start: string) =>
    t.call<Booking>('POST', '/api/v1/bookings', { kind: 'viewing', listingId, start }, { ...as(customerId), ...key() });

  beforeAll(async () => {
    t = await startTestApp({ clock: clock.now });
    const { services } = t.app;
    jobs = Object.fromEntries(
      bookingJobs({ lifecycle: services.bookings, handlers: services.bookings.handlers, store: services.store }).map(
        (j) => [j.name, j],
      ),
    );
    const world = listingWorld(services.store);
    const city = await world.area('Thành phố Hồ Chí Minh', 'province');
    district = await world.area('Quận 3', 'district', city);
    ward = await world.area('Phường Võ Thị Sáu', 'ward', district);
    otherDistrict = await world.area('Quận 7', 'district', city);
    owner = await signedInUser(t, 'chu.nha@example.vn', 'Chủ Nhà');
    await world.kyc(owner.id);
    const plain = await world.project(owner.id, [{ price: 3_500_000, areaM2: 20 }], ward);
    listing = await world.listing({
      projectId: plain.projectId,
      ownerId: owner.id,
      title: 'Phòng Quận 3',
      areaId: ward,
      rooms: plain.roomIds.map((roomId) => ({ roomId })),
    });
    const strict = await world.project(owner.id, [{ price: 5_000_000, areaM2: 25 }], ward);
    await world.commands.project(
      {
        type: 'SetProjectPolicy',
        projectId: strict.projectId,
        by: 'owner',
        policy: { requiresOwnerApprovalForViewings: true, defaultDepositPolicyId: null, contractTemplateId: null },
      },
      world.owner(owner.id),
    );
    approvalListing = await world.listing({
      projectId: strict.projectId,
      ownerId: owner.id,
      title: 'Phòng cần duyệt',
      areaId: ward,
      rooms: strict.roomIds.map((roomId) => ({ roomId })),
    });
    staff.a = await salesStaff('NV-A', [district]);
    staff.b = await salesStaff('NV-B', [otherDistrict]);
    staff.c = await salesStaff('NV-C', [district]);
    await eventually(async () => {
      const slots = await t.call<{ slots: { start: string; freeStaff: number }[] }>(
        'GET',
        `/api/v1/listings/${listing}/viewing-slots?from=${tomorrowAt(0)}`,
      );
      expect(slots.body.data.slots.find((s) => s.start === tomorrowAt(10))?.freeStaff).toBe(2);
    });
  });
  afterAll(() => t?.close());

  test('staff covering the area are assigned least loaded first; a full slot is queued; operators assign with a conflict check', async () => {
    const first = await book(listing, randomUUID(), tomorrowAt(10));
    const second = await book(listing, randomUUID(), tomorrowAt(10));
    const third = await book(listing, randomUUID(), tomorrowAt(10));
    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    const ordered = [staff.a, staff.c].sort();
    expect(first.body.data).toMatchObject({ status: 'requested', providerId: ordered[0] });
    expect(second.body.data.providerId).toBe(ordered[1]);
    expect(third.body.data.providerId).toBeNull();

    const queue = await t.call<Booking[]>('GET', '/api/v1/bookings?role=operator&unassigned=true', undefined, ADMIN);
    expect(queue.body.data.map((b) => b.bookingId)).toEqual([third.body.data.bookingId]);
    const clash = await t.call(
      'POST',
      `/api/v1/bookings/${third.body.data.bookingId}/assign`,
      { staffId: staff.a },
      ADMIN,
    );
    expect(clash.status).toBe(409);
    expect(clash.body.error?.code).toBe('SLOT_TAKEN');
    const assigned = await t.call<Booking>(
      'POST',
      `/api/v1/bookings/${third.body.data.bookingId}/assign`,
      { staffId: staff.b },
      ADMIN,
    );
    expect(assigned.status).toBe(200);
    expect(assigned.body.data.providerId).toBe(staff.b);
  });

  test('a project that asks for approval: the owner approves or rejects with a reason', async () => {
    const requested = await book(approvalListing, randomUUID(), tomorrowAt(11));
    expect(requested.body.data.status).toBe('awaiting_approval');
    const customer = await signedInUser(t, 'nguoi.la@example.vn');
    const stranger = await t.call(
      'POST',
      `/api/v1/bookings/${requested.body.data.bookingId}/approve`,
      {},
      bearer(customer.accessToken),
    );
    expect(stranger.status).toBe(404);
    const approved = await t.call<Booking>(
      'POST',
      `/api/v1/bookings/${requested.body.data.bookingId}/approve`,
      {},
      bearer(owner.accessToken),
    );
    expect(approved.body.data.status).toBe('confirmed');
    const another = await book(approvalListing, randomUUID(), tomorrowAt(12));
    const noReason = await t.call(
      'POST',
      `/api/v1/bookings/${another.body.data.bookingId}/reject`,
      { reason: '' },
      bearer(owner.accessToken),
    );
    expect(noReason.status).toBe(400);
    expect(noReason.body.error?.field).toBe('reason');
    const rejected = await t.call<Booking>(
      'POST',
      `/api/v1/bookings/${another.body.data.bookingId}/reject`,
      { reason: 'Phòng đang sửa' },
      bearer(owner.accessToken),
    );
    expect(rejected.body.data).toMatchObject({ status: 'rejected', reason: 'Phòng đang sửa' });
    const mine = await t.call<Booking[]>('GET', '/api/v1/bookings?role=owner', undefined, as(owner.id));
    expect(mine.body.data.map((b) => b.bookingId)).toContain(another.body.data.bookingId);
  });

  test('the staff confirms, reports the result after the time; jobs remind and mark what is left open', async () => {
    const confirmedOne = await book(listing, randomUUID(), tomorrowAt(14));
    const leftOpen = await book(listing, randomUUID(), tomorrowAt(15));
    const id = confirmedOne.body.data.bookingId;
    const staffId = confirmedOne.body.data.providerId as string;
    const early = await t.call('POST', `/api/v1/bookings/${id}/result`, { outcome: 'interested' }, as(staffId));
    expect(early.status).toBe(409);
    const confirmed = await t.call<Booking>('POST', `/api/v1/bookings/${id}/confirm`, {}, as(staffId));
    expect(confirmed.body.data.status).toBe('confirmed');

    const until = new Date(tomorrowAt(14)).getTime() - clock.now().getTime() - HOUR / 2;
    clock.advance(until);
    await jobs['booking-reminders']?.run({ pool: t.db.pool, now: clock.now() });
    await jobs['booking-reminders']?.run({ pool: t.db.pool, now: clock.now() });
    const { rows: reminders } = await t.db.pool.query(
      `select event_type from es.events where stream_name = $1 and event_type = 'BookingReminderDue'`,
      [`booking-${id}`],
    );
    expect(reminders).toHaveLength(2); // 24 h and 1 h before, each once

    clock.advance(HOUR);
    const reported = await t.call<Booking>(
      'POST',
      `/api/v1/bookings/${id}/result`,
      { outcome: 'interested', note: 'Muốn đặt cọc' },
      as(staffId),
    );
    expect(reported.body.data).toMatchObject({ status: 'completed', outcome: 'interested' });

    clock.advance(3 * HOUR);
    await jobs['booking-auto-mark']?.run({ pool: t.db.pool, now: clock.now() });
    await eventually(async () => {
      const open = await t.call<Booking>('GET', `/api/v1/bookings/${leftOpen.body.data.bookingId}`, undefined, ADMIN);
      expect(open.body.data).toMatchObject({ status: 'cancelled_by_system', reason: 'not_confirmed_in_time' });
    });
  });

  test('a staff member who leaves has their future viewings sent back to the queue', async () => {
    const later = await book(listing, randomUUID(), tomorrowAt(17));
    const staffId = later.body.data.providerId as string;
    expect(staffId).not.toBeNull();
    const left = await t.call(
      'POST',
      `/api/v1/admin/staff/${staffId}/status`,
      { status: 'left', reason: 'Nghỉ việc' },
      ADMIN,
    );
    expect(left.status).toBe(200);
    await eventually(async () => {
      const after = await t.call<Booking>('GET', `/api/v1/bookings/${later.body.data.bookingId}`, undefined, ADMIN);
      expect(after.body.data).toMatchObject({ providerId: null, status: 'requested' });
    });
    const { rows } = await t.db.pool.query('select id from rm.calendar_spans where provider_id = $1 and id = $2', [
      staffId,
      later.body.data.bookingId,
    ]);
    expect(rows).toHaveLength(0);
  });
});
