import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TELEGRAM_LINK_CODE_TTL_MS } from '../../commands/notifications/telegram-linking.js';
import { DomainError, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getTelegramLink } from '../../projections/identity/contact-queries.js';
import { isUuid } from '../../projections/identity/profiles-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, failure, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';

const linkView = z.object({
  /** False when the server has no bot configured: the UI hides Telegram. */
  available: z.boolean(),
  botUsername: z.string().nullable(),
  linked: z.boolean(),
  username: z.string().nullable(),
  linkedAt: z.date().nullable(),
});

const linkCode = z.object({
  code: z.string(),
  botUsername: z.string(),
  deepLink: z.string(),
  expiresAt: z.date(),
});

const chat = z.object({ id: z.number().int(), type: z.string().optional() }).loose();
/** Telegram sends many kinds of Update; only these fields are read, the rest is accepted and ignored. */
const update = z
  .object({
    update_id: z.number().int(),
    message: z
      .object({
        chat,
        from: z.object({ username: z.string().optional(), language_code: z.string().optional() }).loose().optional(),
        text: z.string().optional(),
      })
      .loose()
      .optional(),
    my_chat_member: z
      .object({ chat, new_chat_member: z.object({ status: z.string() }).loose() })
      .loose()
      .optional(),
  })
  .loose();

const notConfigured = (reply: FastifyReply) =>
  reply.status(503).send(failure('TELEGRAM_NOT_CONFIGURED', 'Máy chủ chưa cấu hình bot Telegram'));

/**
 * Telegram linking (UC-GEN-05 channels): a one-time code for `/start <code>`, the bot's webhook,
 * and the person's link. The webhook is authenticated by setWebhook's secret token, not a user.
 */
export function telegramRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['me'];
  const { telegram, pool } = services;

  /** Whose link `/me/telegram` means: the signed-in user, or the user acted for. */
  const subjectOf = (request: FastifyRequest): string => {
    const id = request.actor?.actAsId ?? request.actor?.id ?? '';
    if (!isUuid(id)) throw notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
    return id;
  };
  const viewOf = async (userId: string) => {
    const { linked, username, linkedAt } = await getTelegramLink(pool, userId);
    return { available: telegram.available, botUsername: telegram.botUsername, linked, username, linkedAt };
  };

  api.get(
    '/api/v1/me/telegram',
    {
      onRequest: app.requires(),
      schema: { tags, summary: 'Whether my Telegram chat is linked', response: { 200: envelopeOf(linkView) } },
    },
    async (request) => ok(await viewOf(subjectOf(request))),
  );

  api.post(
    '/api/v1/me/telegram/link-code',
    {
      onRequest: app.requires(),
      schema: {
        tags,
        summary: `A one-time code (valid ${TELEGRAM_LINK_CODE_TTL_MS / 60_000} min) to send the bot as /start <code>, and its t.me deep link`,
        response: { 201: envelopeOf(linkCode), 503: envelopeOf(z.null()) },
      },
    },
    async (request, reply) => {
      // Staff acting for someone must not link their own Telegram to that person's notifications.
      if (request.actor?.actAsId) {
        throw new DomainError('forbidden', 'ACT_AS_NOT_ALLOWED', 'Chỉ chính chủ tài khoản mới liên kết được Telegram');
      }
      const userId = subjectOf(request);
      if (!telegram.available) return notConfigured(reply);
      return reply.status(201).send(ok(await telegram.issueCode(userId), 'Gửi mã này cho bot trong 10 phút'));
    },
  );

  api.delete(
    '/api/v1/me/telegram',
    {
      onRequest: app.requires(),
      schema: {
        tags,
        summary: 'Stop Telegram notifications (unlink my chat)',
        response: { 200: envelopeOf(linkView) },
      },
    },
    async (request) => {
      const userId = subjectOf(request);
      const result = await telegram.unlink(userId, 'user', commandMetadataOf(request));
      if (result.position !== null) await waitForProjection(pool, 'profiles', result.position, 2000);
      return ok(await viewOf(userId), 'Đã hủy liên kết Telegram');
    },
  );

  api.post(
    '/api/v1/telegram/webhook',
    {
      // Telegram delivers from few addresses; the secret token, not the limiter, keeps strangers out.
      config: { rateLimit: { max: 1200, timeWindow: 60_000 } },
      // Checked before the body is read: a stranger learns nothing, not even whether the body was well formed.
      onRequest: async (request) => {
        const secret = request.headers['x-telegram-bot-api-secret-token'];
        if (!telegram.webhookSecretMatches(typeof secret === 'string' ? secret : undefined)) {
          throw new DomainError('unauthenticated', 'TELEGRAM_SECRET_INVALID', 'Sai mã bí mật của webhook Telegram');
        }
      },
      schema: {
        tags: ['ops'],
        summary: 'Telegram Bot API webhook (setWebhook with secret_token = TELEGRAM_WEBHOOK_SECRET)',
        body: update,
        response: { 200: envelopeOf(z.object({ outcome: z.string() })) },
      },
    },
    async (request) => {
      const outcome = await telegram.handleUpdate(request.body, commandMetadataOf(request));
      return ok({ outcome });
    },
  );
}
