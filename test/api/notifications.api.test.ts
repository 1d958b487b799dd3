import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, type SignedIn, signedInUser } from '../support/accounts.js';
import { ADMIN, eventually, startTestApp, TEST_ADMIN, type TestApp } from '../support/app.js';
import { confirmedBooking } from '../support/notification-events.js';

interface Item {
  id: string;
  type: string;
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
  deliveries: { channel: string; status: string; attempts: number; lastError: string | null }[];
}
interface Page {
  items: Item[];
  unreadCount: number;
  nextCursor: string | null;
}
interface Template {
  type: string;
  channel: string;
  locale: string;
  subject: string | null;
  body: string;
  variables: string[];
  customized: boolean;
  version: number;
}

/** A port nothing listens on: every mail attempt fails to connect. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('notifications API: inbox, admin deliveries, templates, campaigns', () => {
  let t: TestApp;
  let an: SignedIn;
  let binh: SignedIn;
  let admin: string;
  const inbox = (who: SignedIn, query = '') =>
    t.call<Page>('GET', `/api/v1/notifications${query}`, undefined, bearer(who.accessToken));
  const items = async (who: SignedIn, count: number) =>
    eventually(async () => {
      const page = await inbox(who);
      expect(page.body.data.items).toHaveLength(count);
      return page.body.data.items;
    });

  beforeAll(async () => {
    // Mail cannot be delivered (nothing listens) and one attempt is all: deliveries end dead.
    t = await startTestApp({ notifications: { smtpUrl: `smtp://127.0.0.1:${await closedPort()}`, maxAttempts: 1 } });
    an = await signedInUser(t, 'an@example.vn', 'Nguyễn Văn An');
    binh = await signedInUser(t, 'binh@example.vn', 'Trần Thị Bình');
    const login = await t.call<{ accessToken: string }>('POST', '/api/v1/auth/login', {
      ...TEST_ADMIN,
      device: 'test',
    });
    admin = login.body.data.accessToken;
  });
  afterAll(() => t?.close());

  test('inbox: list with paging, unread count, read, read all, delete; another person’s is 404', async () => {
    const { store } = t.app.services;
    for (let i = 0; i < 3; i++) await confirmedBooking(store, an.id, null);
    const all = await items(an, 6);
    expect(all.map((i) => i.type)).toEqual([
      'booking.confirmed',
      'booking.requested',
      'booking.confirmed',
      'booking.requested',
      'booking.confirmed',
      'booking.requested',
    ]);
    expect(all[0]?.link).toMatch(/^\/bookings\/[0-9a-f-]{36}$/);

    const first = await inbox(an, '?limit=4');
    expect(first.body.data).toMatchObject({ unreadCount: 6, nextCursor: first.body.data.items[3]?.id });
    const rest = await inbox(an, `?limit=4&cursor=${first.body.data.nextCursor}`);
    expect(rest.body.data.nextCursor).toBeNull();
    expect([...first.body.data.items, ...rest.body.data.items].map((i) => i.id)).toEqual(all.map((i) => i.id));

    const target = all[1] as Item;
    const read = await t.call<{ readAt: string; unreadCount: number }>(
      'POST',
      `/api/v1/notifications/${target.id}/read`,
      {},
      bearer(an.accessToken),
    );
    expect(read.status).toBe(200);
    expect(read.body.data.unreadCount).toBe(5);
    const again = await t.call<{ readAt: string }>(
      'POST',
      `/api/v1/notifications/${target.id}/read`,
      {},
      bearer(an.accessToken),
    );
    expect(again.body.data.readAt).toBe(read.body.data.readAt);
    const unread = await inbox(an, '?unread=true');
    expect(unread.body.data.items.map((i) => i.id)).not.toContain(target.id);
    expect(unread.body.data.items).toHaveLength(5);
    const count = await t.call<{ unreadCount: number }>(
      'GET',
      '/api/v1/notifications/unread-count',
      undefined,
      bearer(an.accessToken),
    );
    expect(count.body.data).toEqual({ unreadCount: 5 });

    // Someone else's notification does not exist for Bình; a malformed id is a 400 naming it.
    for (const [method, path] of [
      ['POST', `/api/v1/notifications/${target.id}/read`],
      ['DELETE', `/api/v1/notifications/${target.id}`],
      ['GET', `/api/v1/notifications/${target.id}`],
    ] as const) {
      const answer = await t.call(method, path, method === 'POST' ? {} : undefined, bearer(binh.accessToken));
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error?.code).toBe('NOTIFICATION_NOT_FOUND');
    }
    const malformed = await t.call('POST', '/api/v1/notifications/not-an-id/read', {}, bearer(an.accessToken));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error?.field).toBe('id');
    expect((await t.call('GET', '/api/v1/notifications')).status).toBe(401);

    const deleted = await t.call<{ unreadCount: number }>(
      'DELETE',
      `/api/v1/notifications/${all[0]?.id}`,
      undefined,
      bearer(an.accessToken),
    );
    expect(deleted.status).toBe(200);
    expect(deleted.body.data.unreadCount).toBe(4);
    expect((await inbox(an)).body.data.items.map((i) => i.id)).not.toContain(all[0]?.id);
    expect(
      (await t.call('DELETE', `/api/v1/notifications/${all[0]?.id}`, undefined, bearer(an.accessToken))).status,
    ).toBe(404);

    const readAll = await t.call<{ updated: number; unreadCount: number }>(
      'POST',
      '/api/v1/notifications/read-all',
      {},
      bearer(an.accessToken),
    );
    expect(readAll.body.data).toEqual({ updated: 4, unreadCount: 0 });
    expect((await inbox(an)).body.data.items.every((i) => i.readAt !== null)).toBe(true);
  }, 60_000);

  test('admin: failed deliveries are listed with their error, and a dead one is sent again on request', async () => {
    await confirmedBooking(t.app.services.store, binh.id, null);
    const dead = await eventually(async () => {
      const list = await t.call<{ id: string; status: string; userId: string; lastError: string; type: string }[]>(
        'GET',
        `/api/v1/admin/notification-deliveries?status=dead&userId=${binh.id}`,
        undefined,
        bearer(admin),
      );
      expect(list.body.data).toHaveLength(2);
      return list.body.data;
    }, 20_000);
    expect(dead[0]).toMatchObject({ userId: binh.id, status: 'dead', attempts: 1, maxAttempts: 1, channel: 'email' });
    expect(dead[0]?.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);
    const mine = await items(binh, 2);
    expect(mine[0]?.deliveries).toEqual([
      {
        channel: 'email',
        status: 'dead',
        attempts: 1,
        lastError: dead.find((d) => d.type === mine[0]?.type)?.lastError,
        sentAt: null,
      },
    ]);

    const forbidden = await t.call(
      'POST',
      `/api/v1/admin/notification-deliveries/${dead[0]?.id}/retry`,
      {},
      bearer(binh.accessToken),
    );
    expect(forbidden.status).toBe(403);
    const retried = await t.call<{ status: string; attempts: number }>(
      'POST',
      `/api/v1/admin/notification-deliveries/${dead[0]?.id}/retry`,
      {},
      bearer(admin),
    );
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({ status: 'pending', attempts: 0 });
    // It fails again (still nothing listens) and is dead again, with the admin's request in its log.
    await eventually(async () => {
      const { rows } = await t.db.pool.query<{ outcome: string; actor_id: string | null }>(
        'select outcome, actor_id from ops.notification_delivery_attempts where delivery_id = $1 order by at',
        [dead[0]?.id],
      );
      expect(rows.map((r) => r.outcome)).toEqual(['dead', 'retry_requested', 'dead']);
      expect(rows[1]?.actor_id).toBeTruthy();
    }, 20_000);
    const sent = await t.call('GET', '/api/v1/admin/notification-deliveries?status=sent', undefined, bearer(admin));
    expect(sent.body.data).toEqual([]);
    const notDead = await t.call(
      'POST',
      `/api/v1/admin/notification-deliveries/${crypto.randomUUID()}/retry`,
      {},
      bearer(admin),
    );
    expect(notDead.status).toBe(404);
    const badFilter = await t.call(
      'GET',
      '/api/v1/admin/notification-deliveries?status=lost',
      undefined,
      bearer(admin),
    );
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error?.field).toBe('status');
  }, 60_000);

  test('a delivery that is not dead cannot be retried (409)', async () => {
    const { rows } = await t.db.pool.query<{ id: string }>(
      `update ops.notification_deliveries set status = 'sent' where id = (select id from ops.notification_deliveries limit 1) returning id`,
    );
    const answer = await t.call('POST', `/api/v1/admin/notification-deliveries/${rows[0]?.id}/retry`, {}, ADMIN);
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'DELIVERY_NOT_RETRYABLE', details: { status: 'sent' } });
  });

  test('templates: listed with their variables, checked on save (unknown variable → 400 naming it), used, reset', async () => {
    const list = await t.call<Template[]>('GET', '/api/v1/admin/notification-templates', undefined, ADMIN);
    const confirmedApp = list.body.data.find(
      (x) => x.type === 'booking.confirmed' && x.channel === 'app' && x.locale === 'vi',
    );
    expect(confirmedApp).toMatchObject({ subject: 'Lịch hẹn đã được xác nhận', customized: false, version: 0 });
    expect(confirmedApp?.variables).toEqual(expect.arrayContaining(['name', 'link', 'bookingKind', 'place', 'start']));
    expect(list.body.data.some((x) => x.type.startsWith('account.'))).toBe(false);
    expect(list.body.data.find((x) => x.channel === 'sms')?.subject).toBeNull();

    const path = '/api/v1/admin/notification-templates/booking.confirmed/app/vi';
    const unknown = await t.call('PUT', path, { subject: 'Đã xác nhận', body: 'Chào {{foo}}' }, ADMIN);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'TEMPLATE_VARIABLE_UNKNOWN',
      field: 'body',
      details: { variable: 'foo' },
    });
    expect(unknown.body.message).toContain('{{foo}}');
    const empty = await t.call('PUT', path, { subject: 'Đã xác nhận', body: '   ' }, ADMIN);
    expect(empty.body.error).toMatchObject({ code: 'TEMPLATE_BODY_EMPTY', field: 'body' });
    const badType = await t.call(
      'PUT',
      '/api/v1/admin/notification-templates/booking.nope/app/vi',
      { subject: 'S', body: 'B' },
      ADMIN,
    );
    expect(badType.body.error).toMatchObject({ code: 'TEMPLATE_TYPE_UNKNOWN', field: 'type' });
    expect((await t.call('PUT', path, { subject: 'S', body: 'B' }, bearer(an.accessToken))).status).toBe(403);

    const saved = await t.call<Template>(
      'PUT',
      path,
      { subject: '✔ {{place}}', body: 'Hẹn gặp {{name}} lúc {{start}}' },
      ADMIN,
    );
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({ customized: true, version: 1, subject: '✔ {{place}}' });
    const stale = await t.call('PUT', path, { subject: 'X', body: 'Y', expectedVersion: 0 }, ADMIN);
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('TEMPLATE_VERSION_STALE');

    await confirmedBooking(t.app.services.store, binh.id, null);
    const newest = await eventually(async () => {
      const page = await inbox(binh);
      expect(page.body.data.items).toHaveLength(4);
      return page.body.data.items[0];
    });
    expect(newest).toMatchObject({ type: 'booking.confirmed', title: '✔ Phòng 101, 12 Lý Tự Trọng, Quận 1' });
    expect(newest?.body).toMatch(/^Hẹn gặp Trần Thị Bình lúc \d\d:\d\d \d\d\/12\/2026 \(GMT\+7\)$/);

    const reset = await t.call<Template>('DELETE', path, undefined, ADMIN);
    expect(reset.body.data).toMatchObject({ customized: false, version: 2, subject: 'Lịch hẹn đã được xác nhận' });

    const preview = await t.call<{ subject: string; body: string; html: string }>(
      'POST',
      '/api/v1/admin/notification-templates/preview',
      {
        type: 'booking.confirmed',
        channel: 'email',
        locale: 'vi',
        subject: 'Lịch {{start}}',
        body: 'Chào {{name}},\n\n{{link}}',
      },
      ADMIN,
    );
    expect(preview.body.data.subject).toBe('Lịch 10:00 24/11/2026 (GMT+7)');
    expect(preview.body.data.body).toMatch(/^Chào Nguyễn Văn An,\n\nhttps:\/\//);
    expect(preview.body.data.html).toContain('<a href="https://');
    const badPreview = await t.call(
      'POST',
      '/api/v1/admin/notification-templates/preview',
      { type: 'booking.confirmed', channel: 'sms', locale: 'vi', body: '{{amount}}' },
      ADMIN,
    );
    expect(badPreview.body.error).toMatchObject({ code: 'TEMPLATE_VARIABLE_UNKNOWN', field: 'body' });
  }, 60_000);

  test('campaigns reach the segment’s people who opted in, through the bulk queue', async () => {
    const optIn = await t.call(
      'PUT',
      '/api/v1/me/notification-preferences',
      { preferences: { marketing: { app: true, email: true } } },
      bearer(an.accessToken),
    );
    expect(optIn.status).toBe(200);
    const campaign = {
      title: 'Ưu đãi tháng 12',
      body: 'Giảm 50% phí đặt cọc.',
      segment: { role: 'customer' },
      channels: ['app', 'email'],
    };
    const key = { 'idempotency-key': crypto.randomUUID() };
    const sent = await t.call<{ campaignId: string; recipients: number; notifications: number; deliveries: number }>(
      'POST',
      '/api/v1/admin/notification-campaigns',
      campaign,
      { ...ADMIN, ...key },
    );
    expect(sent.status).toBe(202);
    expect(sent.body.data).toMatchObject({ recipients: 2, notifications: 1, deliveries: 1 });
    const again = await t.call<{ campaignId: string; notifications: number }>(
      'POST',
      '/api/v1/admin/notification-campaigns',
      campaign,
      {
        ...ADMIN,
        ...key,
      },
    );
    // A retried request (same Idempotency-Key) gets the first answer and sends nothing more.
    expect(again.body.data).toEqual(sent.body.data);

    const newest = (await inbox(an)).body.data.items[0];
    expect(newest).toMatchObject({
      type: 'marketing.campaign',
      title: 'Ưu đãi tháng 12',
      body: 'Giảm 50% phí đặt cọc.',
      link: null,
    });
    expect((await inbox(binh)).body.data.items.some((i) => i.type === 'marketing.campaign')).toBe(false);
    const { rows } = await t.db.pool.query<{ bulk: boolean }>(
      `select d.bulk from ops.notification_deliveries d join ops.notifications n on n.id = d.notification_id
        where n.type = 'marketing.campaign'`,
    );
    expect(rows).toEqual([{ bulk: true }]); // one person, one campaign: one delivery, on the bulk queue

    // The campaign sent again under its id (a request that died halfway) only completes what is missing.
    const resent = await t.app.services.notifications.sendCampaign(
      sent.body.data.campaignId,
      { ...campaign, segment: { role: 'customer' }, channels: ['app', 'email'] },
      null,
    );
    expect(resent).toMatchObject({ recipients: 2, notifications: 0, deliveries: 0 });

    const invalid = await t.call('POST', '/api/v1/admin/notification-campaigns', { ...campaign, channels: [] }, ADMIN);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.field).toBe('channels');
  }, 60_000);

  test('a held deposit about to end is announced once, by the scheduled job', async () => {
    const depositId = crypto.randomUUID();
    const now = new Date();
    await t.db.pool.query(
      `insert into rm.deposits (id, kind, status, customer_id, owner_id, listing_id, room_id, project_id, amount_vnd,
         fee_vnd, policy_id, policy_version, held_at, expires_at, created_at, updated_at)
       values ($1, 'reservation', 'held', $2, $3, $4, $4, $4, 1500000, 0, $4, 1, $5, $6, $5, $5)`,
      [depositId, an.id, binh.id, crypto.randomUUID(), now, new Date(now.getTime() + 2 * 3_600_000)],
    );
    const job = t.app.services.notifications.jobs.find((j) => j.name === 'notify-deposit-ttl');
    expect(await job?.run({ pool: t.db.pool, now })).toBe('1 of 1 deposits announced');
    expect(await job?.run({ pool: t.db.pool, now })).toBe('0 of 1 deposits announced');
    const newest = (await inbox(an)).body.data.items[0];
    expect(newest).toMatchObject({ type: 'deposit.ttl_expiring', title: 'Cọc giữ chỗ sắp hết hạn', link: '/deposits' });
    expect(newest?.body).toContain('1.500.000 ₫');
    // Ending later than the warning window: not yet.
    expect(await job?.run({ pool: t.db.pool, now: new Date(now.getTime() - 5 * 3_600_000) })).toBe(
      'no deposit ends soon',
    );
  });
});
