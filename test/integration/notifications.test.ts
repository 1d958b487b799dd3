import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RealtimeMessage } from '../../api/realtime/hub.js';
import type { NotificationOptions } from '../../commands/notifications/index.js';
import { startApp } from '../../ops/app.js';
import { bearer, type SignedIn, signedInUser } from '../support/accounts.js';
import { ADMIN, eventually, startTestApp, TEST_ADMIN, type TestApp } from '../support/app.js';
import { request } from '../support/booking-fixtures.js';
import { SMS_FAILURES, startFakeSms } from '../support/fake-sms.js';
import { confirmedBooking, event } from '../support/notification-events.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';

interface Delivery {
  id: string;
  notification_id: string;
  channel: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
}

const deliveriesOf = async (t: TestApp, userId: string) =>
  (
    await t.db.pool.query<Delivery & { type: string }>(
      `select d.*, n.type from ops.notification_deliveries d join ops.notifications n on n.id = d.notification_id
        where d.user_id = $1 order by d.created_at, n.type`,
      [userId],
    )
  ).rows;

describe('notifications: events → inbox and mail over a real SMTP server', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let customer: SignedIn;
  let staff: SignedIn;
  const policy: NotificationOptions = { maxAttempts: 3, backoffMs: 1500, concurrency: { email: 2 } };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ notifications: { ...policy, smtpUrl: smtp.url } });
    customer = await signedInUser(t, 'khach.hang@example.vn', 'Nguyễn Văn An');
    staff = await signedInUser(t, 'nhan.vien@example.vn', 'Trần Thị Bình');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  test('a confirmed booking mails the customer and lands in their inbox, pushed live', async () => {
    const pushed: RealtimeMessage[] = [];
    const unsubscribe = t.app.realtime.subscribe(customer.id, (message) => pushed.push(message));
    const bookingId = await confirmedBooking(t.app.services.store, customer.id, staff.id);

    const mails = await eventually(async () => {
      const got = smtp.mailTo('khach.hang@example.vn');
      expect(got).toHaveLength(2);
      return got;
    }, 20_000);
    const confirmation = mails.find((m) => m.parsed.subject === 'Lịch hẹn đã được xác nhận');
    expect(confirmation?.parsed.text).toContain('Xin chào Nguyễn Văn An,');
    expect(confirmation?.parsed.text).toContain(
      'Lịch xem phòng tại Phòng 101, 12 Lý Tự Trọng, Quận 1 lúc 10:00 01/12/2026 (GMT+7) đã được xác nhận.',
    );
    expect(confirmation?.parsed.text).toContain(`${t.url}/bookings/${bookingId}`);
    expect(confirmation?.parsed.html).toContain(`<a href="${t.url}/bookings/${bookingId}">`);
    expect(confirmation?.parsed.headers.get('x-mail-category')).toBe('booking.confirmed');
    // The provider hears of the new request, by name; nothing of the confirmation they made.
    const toStaff = await eventually(async () => {
      const got = smtp.mailTo('nhan.vien@example.vn');
      expect(got).toHaveLength(1);
      return got[0];
    });
    expect(toStaff?.parsed.subject).toBe('Có lịch hẹn mới');
    expect(toStaff?.parsed.text).toContain('Nguyễn Văn An đặt lịch xem phòng');

    type Page = {
      items: {
        id: string;
        type: string;
        title: string;
        link: string;
        readAt: null;
        deliveries: { channel: string; status: string }[];
      }[];
      unreadCount: number;
    };
    const inbox = await eventually(async () => {
      const page = await t.call<Page>('GET', '/api/v1/notifications', undefined, bearer(customer.accessToken));
      expect(page.body.data.items.every((item) => item.deliveries[0]?.status === 'sent')).toBe(true);
      return page.body.data;
    });
    expect(inbox.unreadCount).toBe(2);
    expect(inbox.items.map((i) => i.type)).toEqual(['booking.confirmed', 'booking.requested']);
    expect(inbox.items[0]).toMatchObject({
      title: 'Lịch hẹn đã được xác nhận',
      link: `/bookings/${bookingId}`,
      readAt: null,
      deliveries: [{ channel: 'email', status: 'sent', attempts: 1, lastError: null }],
    });

    const created = pushed.filter((m) => m.type === 'notification.created');
    expect(created.map((m) => (m.data as { notification: { type: string } }).notification.type).sort()).toEqual([
      'booking.confirmed',
      'booking.requested',
    ]);
    expect(Math.max(...created.map((m) => (m.data as { unreadCount: number }).unreadCount))).toBe(2);
    // Reading one pushes the new count to the person's other tabs.
    await t.call('POST', `/api/v1/notifications/${inbox.items[0]?.id}/read`, {}, bearer(customer.accessToken));
    await eventually(async () =>
      expect(pushed.filter((m) => m.type === 'notifications.unread').map((m) => m.data)).toEqual([{ unreadCount: 1 }]),
    );
    unsubscribe();
  }, 60_000);

  test('preferences turn channels off: no mail when email is off, no inbox row when the app is off', async () => {
    const quiet = await signedInUser(t, 'im.lang@example.vn', 'Lê Im Lặng');
    const put = await t.call(
      'PUT',
      '/api/v1/me/notification-preferences',
      { preferences: { booking: { email: false } } },
      bearer(quiet.accessToken),
    );
    expect(put.status).toBe(200);
    await confirmedBooking(t.app.services.store, quiet.id, null);
    const inbox = await eventually(async () => {
      const page = await t.call<{ items: { type: string; deliveries: unknown[] }[] }>(
        'GET',
        '/api/v1/notifications',
        undefined,
        bearer(quiet.accessToken),
      );
      expect(page.body.data.items).toHaveLength(2);
      return page.body.data.items;
    });
    expect(inbox.every((item) => item.deliveries.length === 0)).toBe(true);

    const mailOnly = await signedInUser(t, 'chi.email@example.vn', 'Phạm Chỉ Email');
    await t.call(
      'PUT',
      '/api/v1/me/notification-preferences',
      { preferences: { booking: { app: false } } },
      bearer(mailOnly.accessToken),
    );
    await confirmedBooking(t.app.services.store, mailOnly.id, null);
    await eventually(() => Promise.resolve(expect(smtp.mailTo('chi.email@example.vn')).toHaveLength(2)), 20_000);
    const mailOnlyInbox = await t.call<{ items: unknown[]; unreadCount: number }>(
      'GET',
      '/api/v1/notifications',
      undefined,
      bearer(mailOnly.accessToken),
    );
    expect(mailOnlyInbox.body.data).toMatchObject({ items: [], unreadCount: 0 });
    expect(smtp.mailTo('im.lang@example.vn')).toHaveLength(0);
  }, 60_000);

  test('a server answering 4xx is retried with growing waits and ends dead; 5xx is dead at once', async () => {
    const flaky = await signedInUser(t, 'hop.thu.day@example.vn', 'Hộp Thư Đầy');
    smtp.refuse('hop.thu.day@example.vn', { code: 451, message: '4.2.2 Mailbox full, try later' });
    const gone = await signedInUser(t, 'khong.ton.tai@example.vn', 'Không Tồn Tại');
    smtp.refuse('khong.ton.tai@example.vn', { code: 550, message: '5.1.1 No such user' });
    await confirmedBooking(t.app.services.store, flaky.id, null);
    await confirmedBooking(t.app.services.store, gone.id, null);

    const dead = await eventually(async () => {
      const rows = await deliveriesOf(t, flaky.id);
      expect(rows.map((r) => r.status)).toEqual(['dead', 'dead']);
      return rows;
    }, 45_000);
    for (const row of dead) {
      expect(row.attempts).toBe(3);
      expect(row.last_error).toContain('451');
      expect(row.next_attempt_at).toBeNull();
    }
    const { rows: log } = await t.db.pool.query<{ outcome: string; at: Date }>(
      'select outcome, at from ops.notification_delivery_attempts where delivery_id = $1 order by at',
      [dead[0]?.id],
    );
    expect(log.map((l) => l.outcome)).toEqual(['retrying', 'retrying', 'dead']);
    const tries = smtp.recipients.filter((r) => r.address === 'hop.thu.day@example.vn');
    expect(tries).toHaveLength(6);
    // Backoff 1.5 s, then 3 s (doubling) between the attempts of one delivery.
    const [first, second, third] = log.map((l) => l.at.getTime());
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(1500);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(3000);

    const refused = await eventually(async () => {
      const rows = await deliveriesOf(t, gone.id);
      expect(rows.map((r) => r.status)).toEqual(['dead', 'dead']);
      return rows;
    });
    expect(refused.map((r) => r.attempts)).toEqual([1, 1]);
    expect(refused[0]?.last_error).toContain('550');

    // An admin sends one back once the mailbox has room: it goes out.
    smtp.refuse('hop.thu.day@example.vn', null);
    const admin = await t.call<{ accessToken: string }>('POST', '/api/v1/auth/login', {
      ...TEST_ADMIN,
      device: 'test',
    });
    const retried = await t.call<{ status: string; attempts: number }>(
      'POST',
      `/api/v1/admin/notification-deliveries/${dead[0]?.id}/retry`,
      {},
      bearer(admin.body.data.accessToken),
    );
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({ status: 'pending', attempts: 0 });
    await eventually(async () => {
      const rows = await deliveriesOf(t, flaky.id);
      expect(rows.find((r) => r.id === dead[0]?.id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    }, 20_000);
    expect(smtp.mailTo('hop.thu.day@example.vn')).toHaveLength(1);
  }, 90_000);
});

describe('notifications: SMS through a local eSMS server', () => {
  test('a failing SMS server is retried with backoff and ends dead after the configured attempts', async () => {
    const sms = await startFakeSms();
    const t = await startTestApp({
      channels: {
        sms: { provider: 'esms', url: sms.url, apiKey: sms.apiKey, secretKey: sms.secretKey, brandname: undefined },
      },
      notifications: { maxAttempts: 3, backoffMs: 1000 },
    });
    try {
      const person = await signedInUser(t, 'tin.nhan@example.vn', 'Tin Nhắn');
      const as = bearer(person.accessToken);
      expect((await t.call('PATCH', '/api/v1/me/profile', { phone: '0912 345 678' }, as)).status).toBe(200);
      const prefs = { preferences: { booking: { sms: true, email: false } } };
      expect((await t.call('PUT', '/api/v1/me/notification-preferences', prefs, as)).status).toBe(200);

      sms.failNext(SMS_FAILURES.serverError, 6);
      await confirmedBooking(t.app.services.store, person.id, null);
      const dead = await eventually(async () => {
        const rows = await deliveriesOf(t, person.id);
        expect(rows.map((r) => [r.channel, r.status])).toEqual([
          ['sms', 'dead'],
          ['sms', 'dead'],
        ]);
        return rows;
      }, 45_000);
      expect(dead.map((r) => r.attempts)).toEqual([3, 3]);
      expect(dead[0]?.last_error).toContain('500');
      expect(sms.calls()).toBe(6);
      expect(sms.sent).toHaveLength(0);

      // Once the server answers again, an admin's retry gets the message through.
      const retried = await t.call('POST', `/api/v1/admin/notification-deliveries/${dead[0]?.id}/retry`, {}, ADMIN);
      expect(retried.status).toBe(200);
      await eventually(async () => expect(sms.sent.map((m) => m.phone)).toEqual(['0912345678']), 20_000);
      expect(sms.sent[0]?.content).toContain('Phòng Trọ Việt:');
    } finally {
      await t.close();
      await sms.close();
    }
  }, 90_000);
});

describe('notifications: a restart in the middle of the queue', () => {
  test('loses no delivery and sends none twice; replaying the events sends nothing', async () => {
    const smtp = await startSmtpSink();
    smtp.delayMs = 400; // slow enough that the queue is still full when the first process stops
    const options = { notifications: { smtpUrl: smtp.url, concurrency: { email: 1 } } };
    const first = await startTestApp(options);
    const restart = () =>
      startApp({
        databaseUrl: first.db.url,
        port: 0,
        logger: pino({ level: 'silent' }),
        sandboxGateway: false,
        ...options,
      });
    let firstOpen = true;
    let later: Awaited<ReturnType<typeof startApp>> | null = null;
    try {
      const customer = await signedInUser(first, 'nhac.lich@example.vn', 'Nhắc Lịch');
      const { store } = first.app.services;
      const bookingId = randomUUID();
      const stream = `booking-${bookingId}`;
      const data = request({ bookingId, customerId: customer.id, providerId: null, listingId: null, ownerId: null });
      const requested = await store.appendToStream(stream, [event('BookingRequested', data)], {
        expectedRevision: 'no_stream',
      });
      const reminders = Array.from({ length: 8 }, (_, i) =>
        event('BookingReminderDue', { bookingId, minutesBefore: 60 + i, start: data.start }),
      );
      const appended = await store.appendToStream(stream, reminders, { expectedRevision: 0n });
      const total = 9; // the request and eight reminders
      const rows = () => deliveriesOf(first, customer.id);
      const sentCount = async () => (await rows()).filter((row) => row.status === 'sent').length;

      await eventually(async () => expect(await sentCount()).toBeGreaterThanOrEqual(2), 30_000);
      await first.app.close();
      firstOpen = false;
      expect(await sentCount()).toBeLessThan(total);
      expect(await rows()).toHaveLength(total);

      later = await restart();
      await eventually(async () => expect(await sentCount()).toBe(total), 45_000);
      expect(smtp.mailTo('nhac.lich@example.vn')).toHaveLength(total);
      expect((await rows()).every((row) => row.attempts === 1)).toBe(true);
      // Concurrency 1: each mail starts after the one before has been accepted (400 ms each).
      const times = smtp.received.map((mail) => mail.at);
      for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(380);
      await later.close();
      later = null;

      // Replay: the reaction is set back to before the reminders and reads them again on the next start.
      const checkpoint = async () =>
        BigInt(
          (
            await first.db.pool.query<{ position: string }>(
              `select position::text from ops.projection_checkpoints where name = 'notifications'`,
            )
          ).rows[0]?.position ?? '0',
        );
      expect(await checkpoint()).toBeGreaterThanOrEqual(appended.position);
      await first.db.pool.query(`update ops.projection_checkpoints set position = $1 where name = 'notifications'`, [
        requested.position.toString(),
      ]);
      later = await restart();
      await eventually(async () => expect(await checkpoint()).toBeGreaterThanOrEqual(appended.position), 20_000);
      await new Promise((r) => setTimeout(r, 3000)); // longer than a worker's poll: a second job would have run
      expect(await rows()).toHaveLength(total);
      expect(smtp.mailTo('nhac.lich@example.vn')).toHaveLength(total);
    } finally {
      await later?.close();
      if (firstOpen) await first.app.close();
      await first.db.drop();
      await smtp.close();
    }
  }, 120_000);
});
