import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the fake Bot API accepted. */
export interface TelegramSent {
  chatId: string;
  messageId: number;
  text: string;
  /** The whole JSON body, as received. */
  body: Record<string, unknown>;
}

/** A scripted Bot API failure: `{ok: false, error_code, description, parameters?}` with that HTTP status. */
export interface TelegramFailure {
  status: number;
  description: string;
  retryAfter?: number;
  /** Answer with this raw body instead (e.g. an HTML error page from a proxy). */
  raw?: string;
}

export const TELEGRAM_FAILURES = {
  serverError: { status: 500, description: 'Internal Server Error' },
  badGateway: { status: 502, description: 'Bad Gateway', raw: '<html><body>502 Bad Gateway</body></html>' },
  floodWait: (seconds: number): TelegramFailure => ({
    status: 429,
    description: `Too Many Requests: retry after ${seconds}`,
    retryAfter: seconds,
  }),
  chatNotFound: { status: 400, description: 'Bad Request: chat not found' },
  botBlocked: { status: 403, description: 'Forbidden: bot was blocked by the user' },
} satisfies Record<string, TelegramFailure | ((seconds: number) => TelegramFailure)>;

const TEXT_LIMIT = 4096;

/**
 * A local Telegram Bot API speaking `POST /bot<token>/sendMessage` as documented
 * (https://core.telegram.org/bots/api#making-requests): it keeps what it accepts, answers a wrong
 * token 401 and an unknown method 404, checks the text (1–4096 characters), knows blocked and
 * unknown chats, and can be told to fail the next calls.
 */
export async function startFakeTelegram(options: { token?: string } = {}) {
  const token = options.token ?? '123456:TEST-token_abc';
  const sent: TelegramSent[] = [];
  const scripted: TelegramFailure[] = [];
  const blocked = new Set<string>();
  const unknown = new Set<string>();
  let calls = 0;
  let nextMessageId = 1;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      calls++;
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const fail = (status: number, description: string, retryAfter?: number) =>
        answer(status, {
          ok: false,
          error_code: status,
          description,
          ...(retryAfter !== undefined && { parameters: { retry_after: retryAfter } }),
        });
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.url ?? '');
      if (!match || request.method !== 'POST') return fail(404, 'Not Found');
      if (match[1] !== token) return fail(401, 'Unauthorized');
      if (match[2]?.toLowerCase() !== 'sendmessage') return fail(404, 'Not Found: method not found');
      const failure = scripted.shift();
      if (failure?.raw !== undefined) {
        response.writeHead(failure.status, { 'content-type': 'text/html' });
        return response.end(failure.raw);
      }
      if (failure) return fail(failure.status, failure.description, failure.retryAfter);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return fail(400, "Bad Request: can't parse JSON");
      }
      const chatId = String(body.chat_id ?? '');
      const text = typeof body.text === 'string' ? body.text : '';
      if (chatId === '') return fail(400, 'Bad Request: chat_id is empty');
      if (text.trim() === '') return fail(400, 'Bad Request: message text is empty');
      if (text.length > TEXT_LIMIT) return fail(400, 'Bad Request: message is too long');
      if (unknown.has(chatId)) return fail(400, 'Bad Request: chat not found');
      if (blocked.has(chatId)) return fail(403, 'Forbidden: bot was blocked by the user');
      const messageId = nextMessageId++;
      sent.push({ chatId, messageId, text, body });
      answer(200, {
        ok: true,
        result: { message_id: messageId, chat: { id: Number(chatId), type: 'private' }, date: 0, text },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    sent,
    /** Requests received, accepted or not. */
    calls: () => calls,
    /** The next `times` calls answer with `failure` (queued after failures already scripted). */
    failNext(failure: TelegramFailure, times = 1) {
      for (let i = 0; i < times; i++) scripted.push(failure);
    },
    blockChat: (chatId: string) => blocked.add(chatId),
    forgetChat: (chatId: string) => unknown.add(chatId),
    reset() {
      sent.length = 0;
      scripted.length = 0;
      blocked.clear();
      unknown.clear();
      calls = 0;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>;

/** An Update as Telegram posts it to a webhook: a private text message from a person. */
export function telegramTextUpdate(
  updateId: number,
  chatId: number,
  text: string,
  from: { username?: string; language_code?: string } = {},
) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'An' },
      from: { id: chatId, is_bot: false, first_name: 'An', ...from },
      text,
      ...(text.startsWith('/') && {
        entities: [{ offset: 0, length: text.split(' ')[0]?.length ?? 0, type: 'bot_command' }],
      }),
    },
  };
}
