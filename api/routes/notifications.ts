import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DELIVERY_CHANNELS } from '../../commands/notifications/channels/port.js';
import {
  DELIVERY_STATUSES,
  deleteNotification,
  inboxItem,
  listInbox,
  markAllRead,
  markRead,
  unreadCount,
} from '../../commands/notifications/inbox.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { envelopeOf, ok } from '../envelope.js';

const deliveryView = z.object({
  channel: z.enum(DELIVERY_CHANNELS),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
});

export const inboxItemView = z.object({
  id: z.string(),
  type: z.string(),
  category: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable().describe('A same-site path of the UI, e.g. /bookings/<id>'),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  deliveries: z.array(deliveryView),
});

const idParams = z.object({ id: z.uuid() });
const unreadView = z.object({ unreadCount: z.number().int() });

/**
 * UC-GEN-05: a person's notifications (the inbox) with the delivery status of each channel,
 * unread count, mark read, mark all read, delete. Under act-as, the inbox of the person acted for.
 * Someone else's notification is 404.
 */
export function notificationRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;
  const signedIn = { onRequest: app.requires() };
  const tags = ['notifications'];
  const me = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';

  api.get(
    '/api/v1/notifications',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'My notifications, newest first; `unread=true` only unread; pass `nextCursor` back as `cursor`',
        querystring: z.object({
          unread: z
            .enum(['true', 'false'])
            .optional()
            .transform((v) => (v === undefined ? undefined : v === 'true')),
          cursor: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: {
          200: envelopeOf(
            z.object({
              items: z.array(inboxItemView),
              unreadCount: z.number().int(),
              nextCursor: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { unread, cursor, limit } = request.query;
      return ok(
        await listInbox(pool, me(request), {
          limit,
          cursor: cursor ?? null,
          ...(unread !== undefined && { unread }),
        }),
      );
    },
  );

  api.get(
    '/api/v1/notifications/unread-count',
    {
      ...signedIn,
      schema: { tags, summary: 'How many of my notifications are unread', response: { 200: envelopeOf(unreadView) } },
    },
    async (request) => ok({ unreadCount: await unreadCount(pool, me(request)) }),
  );

  api.get(
    '/api/v1/notifications/:id',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'One of my notifications',
        params: idParams,
        response: { 200: envelopeOf(inboxItemView) },
      },
    },
    async (request) => {
      const item = await inboxItem(pool, me(request), request.params.id);
      if (!item) throw notFound('NOTIFICATION_NOT_FOUND', 'Không tìm thấy thông báo');
      return ok(item);
    },
  );

  api.post(
    '/api/v1/notifications/:id/read',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Mark one notification read (again: no change)',
        params: idParams,
        response: { 200: envelopeOf(z.object({ id: z.string(), readAt: z.string(), unreadCount: z.number().int() })) },
      },
    },
    async (request) => ok(await markRead(pool, me(request), request.params.id, services.clock()), 'Đã đánh dấu đã đọc'),
  );

  api.post(
    '/api/v1/notifications/read-all',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Mark all my notifications read',
        response: { 200: envelopeOf(z.object({ updated: z.number().int(), unreadCount: z.number().int() })) },
      },
    },
    async (request) => ok(await markAllRead(pool, me(request), services.clock()), 'Đã đánh dấu tất cả là đã đọc'),
  );

  api.delete(
    '/api/v1/notifications/:id',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Remove a notification from my inbox',
        params: idParams,
        response: {
          200: envelopeOf(z.object({ id: z.string(), deleted: z.literal(true), unreadCount: z.number().int() })),
        },
      },
    },
    async (request) =>
      ok(await deleteNotification(pool, me(request), request.params.id, services.clock()), 'Đã xóa thông báo'),
  );
}
