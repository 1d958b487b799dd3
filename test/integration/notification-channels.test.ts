import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { RetryLaterError } from '../../commands/notifications/channels/http.js';
import { ChannelError, type OutgoingMessage } from '../../commands/notifications/channels/port.js';
import { esmsRequestId, esmsSender, normalizeVietnamesePhone } from '../../commands/notifications/channels/sms.js';
import { TELEGRAM_TEXT_LIMIT, telegramSender, telegramText } from '../../commands/notifications/channels/telegram.js';
import { ConfigError, loadConfig } from '../../ops/config.js';
import { type FakeSms, SMS_FAILURES, startFakeSms } from '../support/fake-sms.js';
import { type FakeTelegram, startFakeTelegram, TELEGRAM_FAILURES } from '../support/fake-telegram.js';

const VIETNAMESE =
  'Lịch xem phòng đã được xác nhận: 14:30 thứ Bảy, 12 Lý Tự Trọng, Quận 1. Đừng quên mang CCCD nhé! 🏠';

const message = (to: string, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  to,
  subject: 'Đặt lịch đã xác nhận',
  text: VIETNAMESE,
  category: 'booking.confirmed',
  locale: 'vi',
  idempotencyKey: `delivery-${crypto.randomUUID()}`,
  ...overrides,
});

/** The ChannelError a send failed with (the test fails if it succeeded or threw something else). */
async function failureOf(sending: Promise<unknown>): Promise<ChannelError> {
  const error = await sending.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

/** The URL of a port nobody listens on any more. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('Telegram Bot API sender against a local Bot API', () => {
  let bot: FakeTelegram;
  beforeAll(async () => {
    bot = await startFakeTelegram();
  });
  afterAll(() => bot.close());
  beforeEach(() => bot.reset());
  const sender = () => telegramSender({ botToken: bot.token, apiUrl: bot.url });

  test('sends plain text to the chat: the subject as first line, Vietnamese and emoji intact, no link preview', async () => {
    const decomposed = VIETNAMESE.normalize('NFD');
    const { providerMessageId } = await sender().send(message('123456789', { text: decomposed }));
    expect(bot.sent).toHaveLength(1);
    const [sent] = bot.sent;
    expect(sent?.chatId).toBe('123456789');
    expect(sent?.text).toBe(`Đặt lịch đã xác nhận\n\n${VIETNAMESE}`);
    expect(sent?.text.normalize('NFC')).toBe(sent?.text); // composed, as typed on a Vietnamese keyboard
    expect(sent?.body).toMatchObject({ chat_id: 123456789, link_preview_options: { is_disabled: true } });
    expect(sent?.body).not.toHaveProperty('parse_mode');
    expect(providerMessageId).toBe(`123456789:${sent?.messageId}`);

    await sender().send(message('-1001234567890', { subject: 'Nhắc lịch', text: 'Nhắc lịch: 1 giờ nữa' }));
    expect(bot.sent[1]).toMatchObject({ chatId: '-1001234567890', text: 'Nhắc lịch: 1 giờ nữa' });
  });

  test('5xx and unreadable answers are retryable; after N failures the next call goes through', async () => {
    bot.failNext(TELEGRAM_FAILURES.serverError, 2);
    bot.failNext(TELEGRAM_FAILURES.badGateway);
    for (const code of ['TELEGRAM_500', 'TELEGRAM_500', 'TELEGRAM_502']) {
      const error = await failureOf(sender().send(message('42')));
      expect({ retryable: error.retryable, providerCode: error.providerCode }).toEqual({
        retryable: true,
        providerCode: code,
      });
    }
    await sender().send(message('42'));
    expect(bot.calls()).toBe(4);
    expect(bot.sent).toHaveLength(1);
  });

  test('429 flood control is retryable and says when (retry_after)', async () => {
    bot.failNext(TELEGRAM_FAILURES.floodWait(7));
    const error = await failureOf(sender().send(message('42')));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error).toMatchObject({ retryable: true, providerCode: 'TELEGRAM_429', retryAfterSeconds: 7 });
    expect(error.message).toContain('Too Many Requests');
  });

  test('chat not found, bot blocked and a wrong token are not retryable', async () => {
    bot.forgetChat('404404');
    bot.blockChat('403403');
    const notFound = await failureOf(sender().send(message('404404')));
    expect(notFound).toMatchObject({ retryable: false, providerCode: 'TELEGRAM_400' });
    expect(notFound.message).toContain('chat not found');
    const blocked = await failureOf(sender().send(message('403403')));
    expect(blocked).toMatchObject({ retryable: false, providerCode: 'TELEGRAM_403' });
    const wrongToken = await failureOf(telegramSender({ botToken: '1:wrong', apiUrl: bot.url }).send(message('42')));
    expect(wrongToken).toMatchObject({ retryable: false, providerCode: 'TELEGRAM_401' });
    expect(wrongToken.message).not.toContain('1:wrong'); // the token travels in the URL: never in messages
    expect(bot.sent).toHaveLength(0);
  });

  test('an address that is no chat id, or an empty text, is refused before any call', async () => {
    for (const to of ['', '@someone', 'abc', '0912345678x']) {
      expect(await failureOf(sender().send(message(to)))).toMatchObject({
        retryable: false,
        providerCode: 'CHAT_ID_INVALID',
      });
    }
    expect(await failureOf(sender().send(message('42', { subject: ' ', text: '  ' })))).toMatchObject({
      retryable: false,
      providerCode: 'TEXT_EMPTY',
    });
    expect(bot.calls()).toBe(0);
  });

  test('an unreachable Bot API is retryable, and the message does not leak the token', async () => {
    const error = await failureOf(telegramSender({ botToken: bot.token, apiUrl: await deadUrl() }).send(message('42')));
    expect(error).toMatchObject({ retryable: true, providerCode: 'NETWORK' });
    expect(error.message).not.toContain(bot.token);
  });

  test('text over 4096 characters is cut at a word with an ellipsis, and Telegram accepts it', async () => {
    const long = `${'Phòng trọ giá rẻ gần trường đại học. '.repeat(150)}KẾT THÚC`;
    await sender().send(message('42', { subject: '', text: long }));
    const text = bot.sent[0]?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(text.length).toBeGreaterThan(TELEGRAM_TEXT_LIMIT - 200);
    expect(text.endsWith('…')).toBe(true);
    expect(long.startsWith(text.slice(0, -1))).toBe(true);
    expect(text.slice(0, -1)).toMatch(/\S$/); // no dangling space before the ellipsis
    expect(text).not.toContain('KẾT THÚC');

    // A cut never splits an emoji's surrogate pair, even where there is no space to cut at.
    const emoji = telegramText('', '🏠'.repeat(3000));
    expect(emoji.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(emoji.endsWith('🏠…')).toBe(true);
    expect(telegramText('Tiêu đề', 'Tiêu đề: nội dung')).toBe('Tiêu đề: nội dung');
  });
});

describe('eSMS.vn SMS sender against a local eSMS', () => {
  let esms: FakeSms;
  beforeAll(async () => {
    esms = await startFakeSms({ brandnames: ['PHONGTRO'] });
  });
  afterAll(() => esms.close());
  beforeEach(() => esms.reset());
  const sender = (overrides: { apiKey?: string; brandname?: string | undefined; url?: string } = {}) =>
    esmsSender({
      url: esms.url,
      apiKey: esms.apiKey,
      secretKey: esms.secretKey,
      brandname: 'PHONGTRO',
      ...overrides,
    });

  test('Vietnamese phone numbers are normalised; anything else is not a number', () => {
    for (const phone of [
      '0912345678',
      '091 234 5678',
      '0912.345.678',
      '+84912345678',
      '+84 912 345 678',
      '84912345678',
    ]) {
      expect(normalizeVietnamesePhone(phone)).toBe('0912345678');
    }
    expect(normalizeVietnamesePhone('(+84) 386-123-456')).toBe('0386123456');
    for (const phone of ['0212345678', '091234567', '09123456789', '+1 555 123 4567', '', 'không có', '+8491234567']) {
      expect(normalizeVietnamesePhone(phone)).toBeNull();
    }
  });

  test('a customer-care SMS from the brandname: Unicode Vietnamese intact, RequestId from the idempotency key', async () => {
    const key = 'delivery-7f3c:sms';
    const { providerMessageId } = await sender().send(message('+84 912 345 678', { idempotencyKey: key }));
    expect(esms.sent).toHaveLength(1);
    const [sent] = esms.sent;
    expect(providerMessageId).toBe(sent?.smsId);
    expect(sent?.phone).toBe('0912345678');
    expect(sent?.content).toBe(VIETNAMESE);
    expect(sent?.body).toMatchObject({
      ApiKey: esms.apiKey,
      SecretKey: esms.secretKey,
      SmsType: '2',
      Brandname: 'PHONGTRO',
      IsUnicode: '1',
      RequestId: key,
    });

    await sender({ brandname: undefined }).send(message('0386123456', { text: 'Ma xac nhan: 482913' }));
    expect(esms.sent[1]?.body).toMatchObject({ SmsType: '8', IsUnicode: '0', Content: 'Ma xac nhan: 482913' });
    expect(esms.sent[1]?.body).not.toHaveProperty('Brandname');
  });

  test('a retry of a send that got through is answered 124 by eSMS and counts as sent, once', async () => {
    const retry = message('0912345678', { idempotencyKey: 'delivery-42:sms' });
    const first = await sender().send(retry);
    const second = await sender().send(retry);
    expect(esms.sent).toHaveLength(1);
    expect(first.providerMessageId).toBe(esms.sent[0]?.smsId);
    expect(second.providerMessageId).toBe('request:delivery-42:sms');
  });

  test('a long idempotency key becomes a RequestId of at most 50 characters, the same every time', async () => {
    const key = `notification:${crypto.randomUUID()}:user:${crypto.randomUUID()}:sms`;
    expect(esmsRequestId(key)).toHaveLength(40);
    expect(esmsRequestId(key)).toBe(esmsRequestId(key));
    await sender().send(message('0912345678', { idempotencyKey: key }));
    expect(esms.sent[0]?.body.RequestId).toBe(esmsRequestId(key));
  });

  test('a number that is not a Vietnamese mobile, or an empty text, is refused before any call', async () => {
    for (const to of ['0212345678', '12345', '+1 555 123 4567', '']) {
      expect(await failureOf(sender().send(message(to)))).toMatchObject({
        retryable: false,
        providerCode: 'PHONE_INVALID',
      });
    }
    expect(await failureOf(sender().send(message('0912345678', { text: ' ' })))).toMatchObject({
      retryable: false,
      providerCode: 'TEXT_EMPTY',
    });
    expect(esms.calls()).toBe(0);
  });

  test("eSMS's error codes: account and content problems are final, a short balance is retried", async () => {
    const wrongKey = await failureOf(sender({ apiKey: 'WRONG' }).send(message('0912345678')));
    expect(wrongKey).toMatchObject({ retryable: false, providerCode: 'ESMS_101' });
    expect(wrongKey.message).not.toContain('WRONG');
    const unregistered = await failureOf(sender({ brandname: 'KHAC' }).send(message('0912345678')));
    expect(unregistered).toMatchObject({ retryable: false, providerCode: 'ESMS_104' });

    const cases: [keyof typeof SMS_FAILURES, boolean, string][] = [
      ['notEnoughBalance', true, 'ESMS_103'],
      ['wrongTemplate', false, 'ESMS_146'],
      ['ipNotAllowed', false, 'ESMS_140'],
      ['serverError', true, 'HTTP_500'],
    ];
    for (const [failure, retryable, providerCode] of cases) {
      esms.failNext(SMS_FAILURES[failure]);
      expect(await failureOf(sender().send(message('0912345678')))).toMatchObject({ retryable, providerCode });
    }
    esms.failNext(SMS_FAILURES.busy);
    const busy = await failureOf(sender().send(message('0912345678')));
    expect(busy).toBeInstanceOf(RetryLaterError);
    expect(busy).toMatchObject({ retryable: true, providerCode: 'HTTP_503', retryAfterSeconds: 30 });
    esms.failNext({ codeResult: '777', errorMessage: 'Something new' });
    expect(await failureOf(sender().send(message('0912345678')))).toMatchObject({
      retryable: false,
      providerCode: 'ESMS_777',
    });
    expect(esms.sent).toHaveLength(0);

    await sender().send(message('0912345678')); // the script is used up: the provider answers again
    expect(esms.sent).toHaveLength(1);
  });

  test('an unreachable provider is retryable', async () => {
    const error = await failureOf(sender({ url: await deadUrl() }).send(message('0912345678')));
    expect(error).toMatchObject({ retryable: true, providerCode: 'NETWORK' });
  });
});

describe('channel configuration from the environment', () => {
  test('a channel is on when both its credentials are set; half a pair stops start-up naming the missing one', () => {
    expect(loadConfig({}).channels).toEqual({});
    const on = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABC-def_1',
      TELEGRAM_BOT_USERNAME: '@phongtro_bot',
      TELEGRAM_WEBHOOK_SECRET: 'a-secret_1',
      SMS_API_KEY: 'key',
      SMS_SECRET_KEY: 'secret',
      SMS_BRANDNAME: 'PHONGTRO',
    }).channels;
    expect(on).toEqual({
      telegram: {
        botToken: '123456:ABC-def_1',
        botUsername: 'phongtro_bot',
        apiUrl: 'https://api.telegram.org',
        webhookSecret: 'a-secret_1',
      },
      sms: { provider: 'esms', url: 'https://rest.esms.vn', apiKey: 'key', secretKey: 'secret', brandname: 'PHONGTRO' },
    });
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABC' })).toThrow(/TELEGRAM_BOT_USERNAME: required/);
    expect(() => loadConfig({ SMS_SECRET_KEY: 'secret' })).toThrow(/SMS_API_KEY: required/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'not a token', TELEGRAM_BOT_USERNAME: 'x_bot' })).toThrow(
      /TELEGRAM_BOT_TOKEN/,
    );
    expect(() => loadConfig({ TELEGRAM_WEBHOOK_SECRET: 'has spaces' })).toThrow(ConfigError);
  });
});
