import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as mail from '../../commands/mail/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

type Received = { parsed: ParsedMail; rcptTo: string[]; user: string | undefined };
const PASSWORD = 'p@ss:wörd';
const plain = { to: 'an@example.vn', subject: 'Chào', text: 'Xin chào', category: 'test.plain', locale: 'vi' } as const;

/** A real SMTP server on a free port that keeps what it receives and refuses `nobody@…` with a 550. */
async function startSmtpServer(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const users = new Map<string, string>();
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, session, callback) {
      if (auth.password !== PASSWORD) return callback(new Error('Invalid username or password'));
      users.set(session.id, auth.username ?? '');
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (!address.address.startsWith('nobody@')) return callback();
      callback(Object.assign(new Error('5.1.1 Mailbox does not exist'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        received.push({ parsed, rcptTo: session.envelope.rcptTo.map((r) => r.address), user: users.get(session.id) });
        callback();
      }, callback);
    },
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.server.address() as AddressInfo;
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('SmtpMailer against a real smtp-server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.close());

  test('delivers a Vietnamese verification mail intact, with the name escaped in the html', async () => {
    const mailer = new mail.SmtpMailer({ url: `smtp://127.0.0.1:${smtp.port}` });
    const name = 'Nguyễn Thị <script>alert(1)</script>';
    const link = 'https://phongtro.local/verify?token=abc&x="1"';
    const { id } = await mailer.send({
      to: 'an.nguyen@example.vn',
      ...mail.verificationMail({ name, code: '482913', link, locale: 'vi' }),
    });

    const got = smtp.received.at(-1) as Received;
    expect(got.rcptTo).toEqual(['an.nguyen@example.vn']);
    const { parsed } = got;
    expect(parsed.messageId).toBe(id);
    expect(parsed.subject).toBe('Mã xác minh của bạn – Phòng Trọ Việt');
    expect(parsed.from?.value).toEqual([{ address: 'no-reply@phongtro.local', name: 'Phòng Trọ Việt' }]);
    expect(parsed.to).toMatchObject({ value: [{ address: 'an.nguyen@example.vn' }] });
    expect(parsed.headers.get('x-mail-category')).toBe('account.verification');
    expect(parsed.headers.get('content-language')).toBe('vi');
    expect(parsed.text).toContain(`Xin chào ${name},`);
    expect(parsed.text).toMatch(/Mã xác minh của bạn là:\s+482913/);
    expect(parsed.text).toContain('24 giờ');
    const html = parsed.html || '';
    expect(html).toContain('Xin chào Nguyễn Thị &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(html).not.toContain('<script');
    expect(html).toContain('href="https://phongtro.local/verify?token=abc&amp;x=%221%22"');
  });

  test('logs in with the credentials of the URL and uses the configured sender', async () => {
    const url = `smtp://mailer:${encodeURIComponent(PASSWORD)}@127.0.0.1:${smtp.port}`;
    const mailer = new mail.SmtpMailer({ url, from: 'Ops <ops@x.vn>' });
    const invite = mail.staffInviteMail({ name: 'Bình', link: 'https://x.vn/i', locale: 'en' });
    await mailer.send({ to: 'staff@example.vn', ...invite });
    const got = smtp.received.at(-1) as Received;
    expect(got.user).toBe('mailer');
    expect(got.parsed.from?.value).toEqual([{ address: 'ops@x.vn', name: 'Ops' }]);
    expect(got.parsed.subject).toBe('Your invitation to Phòng Trọ Việt');
  });

  test('a recipient refused with 550 surfaces as a thrown SmtpError naming the answer', async () => {
    const mailer = new mail.SmtpMailer({ url: `smtp://127.0.0.1:${smtp.port}` });
    const reset = mail.passwordResetMail({ name: 'An', code: '123456', locale: 'vi' });
    const error = await mailer.send({ to: 'nobody@example.vn', ...reset }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mail.SmtpError);
    expect(error).toMatchObject({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, permanent: true });
    expect((error as Error).message).toMatch(/RCPT TO.*550.*Mailbox does not exist/);
  });

  test('wrong credentials and an unreachable server are thrown too, without the password', async () => {
    const wrong = new mail.SmtpMailer({ url: `smtp://mailer:secret-wrong@127.0.0.1:${smtp.port}` });
    const authError = await wrong.send(plain).catch((e: unknown) => e);
    expect(authError).toMatchObject({ name: 'SmtpError', code: 'EAUTH', responseCode: 535 });
    expect((authError as Error).message).not.toContain('secret-wrong');

    const closed = await startSmtpServer();
    await closed.close();
    const down = new mail.SmtpMailer({ url: `smtp://127.0.0.1:${closed.port}` });
    const downError = await down.send(plain).catch((e: unknown) => e);
    expect(downError).toMatchObject({ name: 'SmtpError', code: 'ESOCKET' });
    expect((downError as Error).message).toMatch(/SMTP send failed \(ESOCKET.*ECONNREFUSED/);
  });

  test('smtps:// speaks TLS from the first byte', async () => {
    const tls = await startSmtpServer({ secure: true });
    try {
      const mailer = new mail.SmtpMailer({ url: `smtps://127.0.0.1:${tls.port}/?tls.rejectUnauthorized=false` });
      await mailer.send(plain);
      expect(tls.received.map((r) => r.parsed.subject)).toEqual(['Chào']);
    } finally {
      await tls.close();
    }
  });

  test('a malformed message or URL is refused before any connection', async () => {
    const mailer = new mail.SmtpMailer({ url: `smtp://127.0.0.1:${smtp.port}` });
    await expect(mailer.send({ ...plain, to: 'a@x.vn, b@x.vn' })).rejects.toThrow('Invalid mail message: to');
    await expect(mailer.send({ ...plain, subject: 'a\r\nBcc: b@x.vn' })).rejects.toThrow('subject');
    expect(() => new mail.SmtpMailer({ url: 'http://mail.x.vn' })).toThrow('smtp:// or smtps://');
  });
});

describe('OutboxMailer', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(mail.mailOutboxSchema);
  });
  afterAll(() => db.drop());

  test('stores messages and lists them newest first, per recipient and page by page', async () => {
    const mailer = mail.createMailer({ pool: db.pool });
    expect(mailer).toBeInstanceOf(mail.OutboxMailer);
    expect(mail.createMailer({ pool: db.pool, smtpUrl: 'smtp://127.0.0.1:2525' })).toBeInstanceOf(mail.SmtpMailer);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const to = i % 2 === 0 ? 'An.Nguyen@example.vn' : 'binh@example.vn';
      const reset = mail.passwordResetMail({ name: `An ${i}`, code: `10000${i}`, locale: 'vi' });
      ids.push((await mailer.send({ to, ...reset })).id);
    }
    const stored = await mail.getOutboxMessage(db.pool, ids[0] as string);
    expect(stored).toMatchObject({ id: ids[0], to: 'An.Nguyen@example.vn', category: 'account.password_reset' });
    expect(stored).toMatchObject({ subject: 'Mã đặt lại mật khẩu – Phòng Trọ Việt', locale: 'vi' });
    expect(stored?.text).toContain('100000');
    expect(stored?.html).toContain('Xin chào An 0,');
    expect(stored?.createdAt).toBeInstanceOf(Date);

    const newestFirst = [...ids].reverse();
    expect((await mail.listOutbox(db.pool, { limit: 10 })).map((m) => m.id)).toEqual(newestFirst);
    const forAn = await mail.listOutbox(db.pool, { to: 'an.nguyen@EXAMPLE.vn', limit: 10 });
    expect(forAn.map((m) => m.id)).toEqual([ids[4], ids[2], ids[0]]);
    const page1 = await mail.listOutbox(db.pool, { limit: 2 });
    const page2 = await mail.listOutbox(db.pool, { limit: 2, before: page1.at(-1)?.id as string });
    const page3 = await mail.listOutbox(db.pool, { limit: 2, before: page2.at(-1)?.id as string });
    expect([...page1, ...page2, ...page3].map((m) => m.id)).toEqual(newestFirst);
  });

  test('a message without html, an unknown id and bad paging arguments', async () => {
    const { id } = await new mail.OutboxMailer(db.pool).send(plain);
    expect(await mail.getOutboxMessage(db.pool, id)).not.toHaveProperty('html');
    expect(await mail.getOutboxMessage(db.pool, '00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(await mail.getOutboxMessage(db.pool, 'not-a-uuid')).toBeUndefined();
    await expect(mail.listOutbox(db.pool, { limit: 0 })).rejects.toThrow('limit');
    await expect(mail.listOutbox(db.pool, { limit: 5, before: "x' or 1=1 --" })).rejects.toThrow('before');
  });
});

test('every template, in both languages, escapes every interpolated value in its html', () => {
  const evil = '<script>alert("x")</script>';
  const time = new Date('2025-03-01T10:05:00Z');
  for (const locale of ['vi', 'en'] as const) {
    const rendered = [
      mail.verificationMail({ name: evil, code: '123456', link: 'https://x.vn/v?t=1', locale }),
      mail.passwordResetMail({ name: evil, code: '123456', locale }),
      mail.staffInviteMail({ name: evil, link: 'https://x.vn/i', locale }),
      mail.newDeviceLoginMail({ name: evil, device: evil, ip: evil, time, locale }),
    ];
    for (const m of rendered) {
      expect(m.locale).toBe(locale);
      expect(m.html).not.toContain('<script');
      expect(m.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(m.text).toContain(evil); // text/plain shows it as typed
    }
    expect(rendered[3]?.text).toContain('17:05'); // Vietnam time, UTC+7
  }
  expect(() => mail.passwordResetMail({ name: 'A', code: '12345', locale: 'vi' })).toThrow('6 digits');
  expect(() => mail.staffInviteMail({ name: 'A', link: 'javascript:alert(1)', locale: 'vi' })).toThrow('http');
});
