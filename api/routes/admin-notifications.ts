import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DELIVERY_CHANNELS } from '../../commands/notifications/channels/port.js';
import { DELIVERY_STATUSES, listDeliveries } from '../../commands/notifications/inbox.js';
import { allTemplates, mailHtml, renderTemplate, templateView } from '../../commands/notifications/templates.js';
import { ROLES } from '../../domain/identity/roles.js';
import {
  type NotificationKind,
  type NotificationLocale,
  SAMPLE_VALUES,
  TEMPLATE_CHANNELS,
  type TemplateChannel,
} from '../../domain/notifications/catalog.js';
import { checkTemplateText, notificationTemplates, parseTemplateKey } from '../../domain/notifications/templates.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';

const deliveryView = z.object({
  id: z.string(),
  notificationId: z.string(),
  userId: z.string(),
  channel: z.enum(DELIVERY_CHANNELS),
  address: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
  type: z.string(),
  title: z.string(),
});

const templateSchema = z.object({
  type: z.string(),
  channel: z.enum(TEMPLATE_CHANNELS),
  locale: z.enum(['vi', 'en']),
  subject: z.string().nullable(),
  body: z.string(),
  variables: z.array(z.string()),
  customized: z.boolean(),
  version: z.number().int(),
});

const keyParams = z.object({ type: z.string().max(64), channel: z.string().max(16), locale: z.string().max(8) });
const text = { subject: z.string().max(1000).nullable().optional(), body: z.string().max(20_000) };

/** The key a request names, checked by the domain (400 naming `type`, `channel` or `locale`). */
function keyOf(raw: { type: string; channel: string; locale: string }) {
  const key = parseTemplateKey({ kind: raw.type, channel: raw.channel, locale: raw.locale });
  if (key instanceof DomainError) throw key;
  return key;
}

/**
 * Admins (`notification:manage`): the delivery history with retry of dead deliveries, the
 * templates (per type × channel × locale, event-sourced in `notification-templates`) with a
 * preview, and campaigns to a segment.
 */
export function adminNotificationRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool, notifications } = services;
  const admin = { onRequest: app.requires('notification:manage') };
  const tags = ['notifications'];
  const viewOf = async (key: { kind: NotificationKind; channel: TemplateChannel; locale: NotificationLocale }) =>
    templateView(await notifications.templates.load(), key);

  api.get(
    '/api/v1/admin/notification-deliveries',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Deliveries, newest first, filtered by status, channel and user',
        querystring: z.object({
          status: z.enum(DELIVERY_STATUSES).optional(),
          channel: z.enum(DELIVERY_CHANNELS).optional(),
          userId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: envelopeOf(z.array(deliveryView)) },
      },
    },
    async (request) => {
      const { status, channel, userId, limit } = request.query;
      return ok(
        await listDeliveries(pool, {
          limit,
          ...(status && { status }),
          ...(channel && { channel }),
          ...(userId && { userId }),
        }),
      );
    },
  );

  api.post(
    '/api/v1/admin/notification-deliveries/:id/retry',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Send a dead or failed delivery again (409 DELIVERY_NOT_RETRYABLE otherwise)',
        params: z.object({ id: z.uuid() }),
        response: { 200: envelopeOf(deliveryView) },
      },
    },
    async (request) =>
      ok(await notifications.retry(request.params.id, request.actor?.id ?? null), 'Đã đưa vào hàng đợi gửi lại'),
  );

  api.get(
    '/api/v1/admin/notification-templates',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Every template (built-in or customized) with the variables it may use',
        response: { 200: envelopeOf(z.array(templateSchema)) },
      },
    },
    async () => ok(allTemplates(await notifications.templates.load())),
  );

  api.put(
    '/api/v1/admin/notification-templates/:type/:channel/:locale',
    {
      ...admin,
      schema: {
        tags,
        summary:
          'Customize a template; unknown {{variables}} are 400 naming `subject` or `body`; `expectedVersion` guards against lost edits (409)',
        params: keyParams,
        body: z.object({ ...text, expectedVersion: z.number().int().min(0).optional() }),
        response: { 200: envelopeOf(templateSchema) },
      },
    },
    async (request) => {
      const key = keyOf(request.params);
      const { subject, body, expectedVersion } = request.body;
      await notifications.templates.change(
        {
          type: 'CustomizeTemplate',
          ...key,
          body,
          ...(subject !== undefined && { subject }),
          ...(expectedVersion !== undefined && { expectedVersion }),
        },
        commandMetadataOf(request),
      );
      return ok(await viewOf(key), 'Đã lưu mẫu thông báo');
    },
  );

  api.delete(
    '/api/v1/admin/notification-templates/:type/:channel/:locale',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Back to the built-in template',
        params: keyParams,
        response: { 200: envelopeOf(templateSchema) },
      },
    },
    async (request) => {
      const key = keyOf(request.params);
      await notifications.templates.change({ type: 'ResetTemplate', ...key }, commandMetadataOf(request));
      return ok(await viewOf(key), 'Đã khôi phục mẫu mặc định');
    },
  );

  api.post(
    '/api/v1/admin/notification-templates/preview',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Render a template text with sample values (checked like a save; nothing is stored)',
        body: z.object({ type: z.string().max(64), channel: z.string().max(16), locale: z.string().max(8), ...text }),
        response: {
          200: envelopeOf(z.object({ subject: z.string().nullable(), body: z.string(), html: z.string().nullable() })),
        },
      },
    },
    async (request) => {
      const key = keyOf(request.body);
      const checked = checkTemplateText(key, request.body);
      if (checked instanceof DomainError) throw checked;
      // Rendered through a one-key state holding the text under preview.
      const state = notificationTemplates.initialState();
      notificationTemplates.evolve(state, {
        type: 'NotificationTemplateCustomized',
        data: { ...key, ...checked, version: 1 },
      });
      const rendered = renderTemplate(state, key, SAMPLE_VALUES);
      const html = key.channel === 'email' ? mailHtml(rendered.subject ?? '', rendered.text, key.locale) : null;
      return ok({ subject: rendered.subject, body: rendered.text, html });
    },
  );

  api.post(
    '/api/v1/admin/notification-campaigns',
    {
      ...admin,
      schema: {
        tags,
        summary:
          'Send a campaign to a segment (everyone, or one role) on the chosen channels, to those who opted in to marketing; through the lower-priority bulk queues. With an Idempotency-Key a retry sends nothing twice.',
        body: z.object({
          title: z.string().trim().min(1).max(200),
          body: z.string().trim().min(1).max(2000),
          segment: z.object({ role: z.enum(ROLES).optional() }).default({}),
          channels: z
            .array(z.enum(TEMPLATE_CHANNELS))
            .min(1)
            .refine((list) => new Set(list).size === list.length, 'each channel once'),
        }),
        response: {
          202: envelopeOf(
            z.object({
              campaignId: z.string(),
              recipients: z.number().int(),
              notifications: z.number().int(),
              deliveries: z.number().int(),
            }),
          ),
        },
      },
    },
    async (request, reply) => {
      const { title, body, segment, channels } = request.body;
      const result = await notifications.sendCampaign(
        newIdFor(request),
        { title, body, segment: segment.role ? { role: segment.role } : {}, channels },
        request.actor?.id ?? null,
      );
      return reply.status(202).send(ok(result, 'Đã đưa chiến dịch vào hàng đợi gửi'));
    },
  );
}
