import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays } from '../../domain/booking/shift-calendar.js';
import { startTestApp, TEST_ADMIN, type TestApp } from '../support/app.js';
import { bearer, type StaffTestAccounts, staffTestAccounts } from '../support/staff-accounts.js';

type Shift = { id: string; date: string; start: string; end: string; areaIds: string[] };
type Weekly = Shift & { weekdays: string[]; from: string; until: string | null; exceptDates: string[] };
type Occurrence = { shiftId: string; weekly: boolean; staffId: string; date: string; startAt: string; endAt: string };

let t: TestApp;
let admin: Record<string, string>;
let accounts: StaffTestAccounts;
let operator: Record<string, string>;
let sales: { id: string; auth: Record<string, string> };
let customer: { id: string; auth: Record<string, string> };

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
const weekdayOf = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
/** A Monday at least a week ahead, so that every date the tests use is in the future. */
const monday = addDays(today, 7 + ((7 - weekdayOf(today)) % 7));

async function salesMember(email: string, code: string) {
  const body = {
    email,
    name: 'Nguyễn Văn Bán',
    phone: null,
    role: 'sales',
    profile: { code, title: 'Nhân viên kinh doanh', department: 'Kinh doanh', startDate: today, areaIds: [] },
  };
  const created = await t.call<{ userId: string }>('POST', '/api/v1/admin/staff', body, operator);
  expect(created.status).toBe(201);
  const token = await accounts.inviteToken(email);
  expect((await t.call('POST', '/api/v1/auth/accept-invite', { token, password: 'Phòng-trọ-2026' })).status).toBe(200);
  return { id: created.body.data.userId, auth: bearer((await accounts.signIn(email)).accessToken) };
}

beforeAll(async () => {
  t = await startTestApp();
  accounts = staffTestAccounts(t, () => admin);
  admin = bearer((await accounts.signIn(TEST_ADMIN.email, TEST_ADMIN.password)).accessToken);
  operator = bearer((await accounts.invitedUser('shift.operator@example.vn', ['operator'])).token);
  sales = await salesMember('shift.sales@example.vn', 'NV-S01');
  const signedUp = await accounts.signedInCustomer('shift.customer@example.vn');
  customer = { id: signedUp.id, auth: bearer(signedUp.token) };
});
afterAll(async () => {
  await t.close();
});

const occurrences = async (path: string, from: string, to: string, auth: Record<string, string>) => {
  const answer = await t.call<Occurrence[]>('GET', `${path}?from=${from}&to=${to}`, undefined, auth);
  expect(answer.status).toBe(200);
  return answer.body.data;
};

describe('sales shifts (UC-SALE-01)', () => {
  test('a sales member adds a one-off shift, sees it, and cannot add an overlapping one', async () => {
    const created = await t.call<Shift>(
      'POST',
      '/api/v1/me/shifts',
      { date: monday, start: '08:00', end: '12:00' },
      sales.auth,
    );
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ date: monday, start: '08:00', end: '12:00', areaIds: [] });
    const shiftId = created.body.data.id;

    const [seen] = await occurrences('/api/v1/me/shifts', monday, monday, sales.auth);
    expect(seen).toMatchObject({ shiftId, weekly: false, staffId: sales.id, date: monday });
    expect(new Date(seen?.startAt ?? '').toISOString()).toBe(new Date(`${monday}T08:00:00+07:00`).toISOString());

    const overlap = await t.call(
      'POST',
      '/api/v1/me/shifts',
      { date: monday, start: '11:00', end: '13:00' },
      sales.auth,
    );
    expect(overlap.status).toBe(409);
    expect(overlap.body.error).toMatchObject({ code: 'SHIFT_OVERLAP', details: { shiftId, date: monday } });
    const touching = await t.call(
      'POST',
      '/api/v1/me/shifts',
      { date: monday, start: '12:00', end: '13:00' },
      sales.auth,
    );
    expect(touching.status).toBe(201);

    const moved = await t.call<Shift>('PATCH', `/api/v1/me/shifts/${shiftId}`, { end: '11:30' }, sales.auth);
    expect(moved.body.data.end).toBe('11:30');
    expect((await t.call('DELETE', `/api/v1/me/shifts/${shiftId}`, undefined, sales.auth)).status).toBe(200);
    const left = await occurrences('/api/v1/me/shifts', monday, monday, sales.auth);
    expect(left.map((o) => o.shiftId)).not.toContain(shiftId);
  });

  test('bad input is a 400 naming the field', async () => {
    const cases: [unknown, string, string][] = [
      [{ date: monday, start: '8h', end: '12:00' }, 'VALIDATION_FAILED', 'start'],
      [{ date: '2026-02-30', start: '08:00', end: '12:00' }, 'VALIDATION_FAILED', 'date'],
      [{ date: monday, start: '14:00', end: '09:00' }, 'SHIFT_TIME_RANGE', 'end'],
      [{ date: addDays(today, -1), start: '08:00', end: '09:00' }, 'SHIFT_DATE_PAST', 'date'],
      [{ date: monday, start: '20:00', end: '21:00', areaIds: ['no-such-area'] }, 'AREA_NOT_FOUND', 'areaIds.0'],
    ];
    for (const [body, code, field] of cases) {
      const answer = await t.call('POST', '/api/v1/me/shifts', body, sales.auth);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toMatchObject({ code, field });
    }
    const week = await t.call(
      'POST',
      '/api/v1/me/weekly-shifts',
      { weekdays: [], start: '08:00', end: '09:00', from: monday },
      sales.auth,
    );
    expect(week.body.error?.field).toBe('weekdays');
    const tooLong = await t.call(
      'GET',
      `/api/v1/me/shifts?from=${monday}&to=${addDays(monday, 100)}`,
      undefined,
      sales.auth,
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 'RANGE_TOO_LONG', field: 'to' });
  });

  test('a weekly shift with an exception date; a one-off shift may not overlap its occurrences', async () => {
    const created = await t.call<Weekly>(
      'POST',
      '/api/v1/me/weekly-shifts',
      { weekdays: ['WE', 'MO'], start: '13:00', end: '17:00', from: monday },
      sales.auth,
    );
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ weekdays: ['MO', 'WE'], until: null, exceptDates: [] });
    const id = created.body.data.id;
    const fortnight = () => occurrences('/api/v1/me/shifts', monday, addDays(monday, 13), sales.auth);
    const weeklyDates = async () => (await fortnight()).filter((o) => o.shiftId === id).map((o) => o.date);
    expect(await weeklyDates()).toEqual([monday, addDays(monday, 2), addDays(monday, 7), addDays(monday, 9)]);

    const clash = await t.call(
      'POST',
      '/api/v1/me/shifts',
      { date: addDays(monday, 7), start: '16:00', end: '18:00' },
      sales.auth,
    );
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'SHIFT_OVERLAP', details: { shiftId: id } });

    const skip = await t.call<Weekly>(
      'POST',
      `/api/v1/me/weekly-shifts/${id}/exceptions/${addDays(monday, 7)}`,
      undefined,
      sales.auth,
    );
    expect(skip.status).toBe(200);
    expect(skip.body.data.exceptDates).toEqual([addDays(monday, 7)]);
    expect(await weeklyDates()).toEqual([monday, addDays(monday, 2), addDays(monday, 9)]);
    const notThatDay = await t.call(
      'POST',
      `/api/v1/me/weekly-shifts/${id}/exceptions/${addDays(monday, 1)}`,
      undefined,
      sales.auth,
    );
    expect(notThatDay.body.error).toMatchObject({ code: 'SHIFT_NOT_OCCURRING', field: 'date' });
    // The skipped Monday is free for a one-off shift now.
    const instead = await t.call(
      'POST',
      '/api/v1/me/shifts',
      { date: addDays(monday, 7), start: '16:00', end: '18:00' },
      sales.auth,
    );
    expect(instead.status).toBe(201);
    const restore = await t.call(
      'DELETE',
      `/api/v1/me/weekly-shifts/${id}/exceptions/${addDays(monday, 7)}`,
      undefined,
      sales.auth,
    );
    expect(restore.body.error?.code).toBe('SHIFT_OVERLAP');

    const ended = await t.call<Weekly>(
      'PATCH',
      `/api/v1/me/weekly-shifts/${id}`,
      { until: addDays(monday, 2) },
      sales.auth,
    );
    expect(ended.body.data.until).toBe(addDays(monday, 2));
    expect(await weeklyDates()).toEqual([monday, addDays(monday, 2)]);
    const listed = await t.call<Weekly[]>('GET', '/api/v1/me/weekly-shifts', undefined, sales.auth);
    expect(listed.body.data.map((w) => w.id)).toContain(id);
    expect((await t.call('DELETE', `/api/v1/me/weekly-shifts/${id}`, undefined, sales.auth)).status).toBe(200);
    expect(await weeklyDates()).toEqual([]);
  });
});

describe('operators manage shifts of sales staff (UC-OPER-03)', () => {
  test("an operator adds and edits a sales member's shift; the member and the roster see it", async () => {
    const date = addDays(monday, 3);
    const created = await t.call<Shift>(
      'POST',
      `/api/v1/staff/${sales.id}/shifts`,
      { date, start: '09:00', end: '11:00' },
      operator,
    );
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    const changed = await t.call<Shift>(
      'PATCH',
      `/api/v1/staff/${sales.id}/shifts/${id}`,
      { start: '08:30' },
      operator,
    );
    expect(changed.body.data).toMatchObject({ id, start: '08:30', end: '11:00' });

    const mine = await occurrences('/api/v1/me/shifts', date, date, sales.auth);
    expect(mine.find((o) => o.shiftId === id)).toMatchObject({ staffId: sales.id });
    const all = await occurrences('/api/v1/shifts', date, date, operator);
    expect(all.find((o) => o.shiftId === id)).toMatchObject({ staffId: sales.id });
    const roster = await t.call<{ staffId: string; displayName: string; shifts: Shift[] }[]>(
      'GET',
      `/api/v1/shifts/roster?from=${today}`,
      undefined,
      operator,
    );
    const entry = roster.body.data.find((r) => r.staffId === sales.id);
    expect(entry?.displayName).toBe('Nguyễn Văn Bán');
    expect(entry?.shifts.map((s) => s.id)).toContain(id);

    const notSales = await t.call(
      'POST',
      `/api/v1/staff/${customer.id}/shifts`,
      { date, start: '13:00', end: '14:00' },
      operator,
    );
    expect(notSales.status).toBe(404);
    expect(notSales.body.error?.code).toBe('SALES_STAFF_NOT_FOUND');
  });

  test('staff on leave get no new shifts and leave the roster', async () => {
    const member = await salesMember('shift.leave@example.vn', 'NV-S02');
    const setStatus = (status: string) =>
      t.call('POST', `/api/v1/admin/staff/${member.id}/status`, { status }, operator);
    expect((await setStatus('on_leave')).status).toBe(200);
    const refused = await t.call(
      'POST',
      '/api/v1/me/shifts',
      { date: monday, start: '08:00', end: '09:00' },
      member.auth,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('STAFF_NOT_ACTIVE');
    const roster = await t.call<{ staffId: string }[]>('GET', '/api/v1/shifts/roster', undefined, operator);
    expect(roster.body.data.map((r) => r.staffId)).not.toContain(member.id);
    expect((await setStatus('active')).status).toBe(200);
    const accepted = await t.call(
      'POST',
      '/api/v1/me/shifts',
      { date: monday, start: '08:00', end: '09:00' },
      member.auth,
    );
    expect(accepted.status).toBe(201);
  });

  test('customers and sales members are refused what is not theirs (403)', async () => {
    const range = `from=${monday}&to=${monday}`;
    expect((await t.call('GET', `/api/v1/me/shifts?${range}`, undefined, customer.auth)).status).toBe(403);
    const post = await t.call(
      'POST',
      '/api/v1/me/shifts',
      { date: monday, start: '08:00', end: '09:00' },
      customer.auth,
    );
    expect(post.status).toBe(403);
    expect((await t.call('GET', `/api/v1/shifts?${range}`, undefined, customer.auth)).status).toBe(403);
    expect((await t.call('GET', `/api/v1/shifts?${range}`, undefined, sales.auth)).status).toBe(403);
    const other = await t.call(
      'POST',
      `/api/v1/staff/${sales.id}/shifts`,
      { date: monday, start: '20:00', end: '21:00' },
      sales.auth,
    );
    expect(other.status).toBe(403);
    expect((await t.call('GET', `/api/v1/me/shifts?${range}`)).status).toBe(401);
  });
});
