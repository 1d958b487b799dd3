import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ExpertCommand } from '../../domain/booking/expert.js';
import { EXPERT_LIMITS } from '../../domain/booking/expert-rules.js';
import { invalid, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getExpertForOwner } from '../../projections/booking/experts-queries.js';
import { ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';
import { readUploads, registerUploads } from '../uploads.js';
import { sendDocument } from './experts.js';
import {
  documentFields,
  expertOf,
  itemParams,
  newServiceBody,
  offTimeBody,
  overrideBody,
  overrideParams,
  profileBody,
  recurringOffTimeBody,
  rulesBody,
  serviceChangesBody,
  settingsBody,
  settledOn,
  todayIn,
} from './experts-schemas.js';

/** The expert's own profile, credentials, services, settings and availability (`expert:manage_own`). */
export async function expertMeRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    await registerUploads(scope);
    const api = scope.withTypeProvider<ZodTypeProvider>();
    const experts = services.commands.experts;
    const own = { onRequest: app.requires('expert:manage_own') };
    const tags = ['experts'];
    const settled = settledOn(services, 'experts');
    const base = '/api/v1/me/expert';

    const view = async (expertId: string) => {
      const expert = await getExpertForOwner(services.db, expertId);
      if (!expert) throw notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
      return expert;
    };
    /** Sends the commands in order, waits for the read model, answers the expert's view. */
    const send = async (request: FastifyRequest, commands: ExpertCommand[], message?: string) => {
      let position: bigint | null = null;
      for (const command of commands) {
        position = (await experts.handle(command, commandMetadataOf(request))).position ?? position;
      }
      await settled(position);
      return ok(await view(expertOf(request)), message);
    };
    /** A rule's default start: today where the expert works. */
    const todayOf = async (expertId: string) =>
      todayIn((await experts.expert(expertId)).settings.timeZone, services.clock());

    api.get(
      base,
      { ...own, schema: { tags, summary: 'My expert profile (an empty draft at first)' } },
      async (request) => ok(await view(expertOf(request))),
    );

    api.put(
      base,
      { ...own, schema: { tags, summary: 'Write my profile (specialties: active catalog ids)', body: profileBody } },
      async (request) =>
        send(
          request,
          [{ type: 'UpdateExpertProfile', expertId: expertOf(request), profile: request.body }],
          'Đã lưu hồ sơ',
        ),
    );

    api.post(
      `${base}/submit`,
      { ...own, schema: { tags, summary: 'Send my profile for verification' } },
      async (request) =>
        send(request, [{ type: 'SubmitExpertProfile', expertId: expertOf(request) }], 'Đã gửi hồ sơ chờ duyệt'),
    );

    api.post(
      `${base}/documents`,
      {
        ...own,
        schema: {
          tags,
          summary: 'Add a degree or certificate: fields kind, title, issuer, year; optional file `file` (PDF/JPG/PNG)',
          consumes: ['multipart/form-data'],
        },
      },
      async (request, reply) => {
        const expertId = expertOf(request);
        const { files, fields } = await readUploads(request, {
          fileFields: ['file'],
          maxFiles: 1,
          maxFileBytes: EXPERT_LIMITS.documentBytes,
        });
        const parsed = documentFields.safeParse(Object.fromEntries([...fields].map(([k, v]) => [k, v[0]])));
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path.join('.') || 'kind';
          throw invalid('VALIDATION_FAILED', `${field}: ${issue?.message ?? 'invalid'}`, field);
        }
        const upload = { id: newIdFor(request), ...parsed.data, bytes: files[0]?.bytes ?? null };
        const result = await experts.addDocument(expertId, upload, commandMetadataOf(request));
        await settled(result.position);
        return reply.status(201).send(ok(await view(expertId), 'Đã thêm giấy tờ'));
      },
    );

    api.delete(
      `${base}/documents/:id`,
      { ...own, schema: { tags, summary: 'Remove a credential (and its file)', params: itemParams } },
      async (request) => {
        const expertId = expertOf(request);
        const result = await experts.removeDocument(expertId, request.params.id, commandMetadataOf(request));
        await settled(result.position);
        return ok(await view(expertId), 'Đã xoá giấy tờ');
      },
    );

    api.get(
      `${base}/documents/:id/file`,
      { ...own, schema: { tags, summary: 'The file of one of my credentials', params: itemParams } },
      async (request, reply) =>
        sendDocument(reply, await experts.documentFile(expertOf(request), request.params.id), request.params.id),
    );

    api.post(
      `${base}/services`,
      {
        ...own,
        schema: { tags, summary: 'Add a service (15–480 min, multiple of 5; integer VND)', body: newServiceBody },
      },
      async (request, reply) => {
        const service = { id: newIdFor(request), ...request.body };
        const answer = await send(request, [{ type: 'AddExpertService', expertId: expertOf(request), service }]);
        return reply.status(201).send({ ...answer, message: 'Đã thêm dịch vụ' });
      },
    );

    api.patch(
      `${base}/services/:id`,
      {
        ...own,
        schema: {
          tags,
          summary: 'Change a service; `active` deactivates or reactivates it',
          params: itemParams,
          body: serviceChangesBody,
        },
      },
      async (request) => {
        const expertId = expertOf(request);
        const serviceId = request.params.id;
        const { active, ...changes } = request.body;
        const commands: ExpertCommand[] = [];
        if (Object.keys(changes).length > 0)
          commands.push({ type: 'ChangeExpertService', expertId, serviceId, changes });
        if (active !== undefined) {
          const type = active ? 'ReactivateExpertService' : 'DeactivateExpertService';
          commands.push({ type, expertId, serviceId });
        }
        return send(request, commands, 'Đã cập nhật dịch vụ');
      },
    );

    api.put(
      `${base}/settings`,
      {
        ...own,
        schema: { tags, summary: 'Booking settings (left-out fields take their defaults)', body: settingsBody },
      },
      async (request) =>
        send(
          request,
          [{ type: 'ChangeExpertBookingSettings', expertId: expertOf(request), settings: request.body }],
          'Đã lưu cài đặt',
        ),
    );

    api.put(
      `${base}/availability/rules`,
      {
        ...own,
        schema: {
          tags,
          summary: 'Replace my weekly rules (RRULE bodies, e.g. FREQ=WEEKLY;BYDAY=MO,WE)',
          body: rulesBody,
        },
      },
      async (request) => {
        const expertId = expertOf(request);
        const today = await todayOf(expertId);
        const rules = request.body.rules.map((rule, index) => ({
          ...rule,
          id: rule.id ?? newIdFor(request, index),
          from: rule.from ?? today,
        }));
        return send(request, [{ type: 'ReplaceExpertWeeklyRules', expertId, rules }], 'Đã lưu lịch hằng tuần');
      },
    );

    api.put(
      `${base}/availability/overrides/:date`,
      {
        ...own,
        schema: {
          tags,
          summary: 'Hours of one date instead of the weekly rules (`ranges: []` = day off)',
          params: overrideParams,
          body: overrideBody,
        },
      },
      async (request) => {
        const override = { date: request.params.date, ranges: request.body.ranges };
        return send(request, [{ type: 'SetExpertDateOverride', expertId: expertOf(request), override }]);
      },
    );

    api.delete(
      `${base}/availability/overrides/:date`,
      { ...own, schema: { tags, summary: 'Back to the weekly rules on that date', params: overrideParams } },
      async (request) =>
        send(request, [{ type: 'RemoveExpertDateOverride', expertId: expertOf(request), date: request.params.date }]),
    );

    api.post(
      `${base}/availability/off-times`,
      { ...own, schema: { tags, summary: 'Time off between two instants', body: offTimeBody } },
      async (request, reply) => {
        const { start, end, reason } = request.body;
        const offTime = {
          id: newIdFor(request),
          start: new Date(start).toISOString(),
          end: new Date(end).toISOString(),
          reason: reason?.trim() || null,
        };
        const answer = await send(request, [{ type: 'AddExpertOffTime', expertId: expertOf(request), offTime }]);
        return reply.status(201).send(answer);
      },
    );

    api.delete(
      `${base}/availability/off-times/:id`,
      { ...own, schema: { tags, summary: 'Remove a time off', params: itemParams } },
      async (request) =>
        send(request, [{ type: 'RemoveExpertOffTime', expertId: expertOf(request), offTimeId: request.params.id }]),
    );

    api.post(
      `${base}/availability/recurring-off-times`,
      {
        ...own,
        schema: {
          tags,
          summary: 'Recurring time off (e.g. FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2), whole days when `ranges` is null',
          body: recurringOffTimeBody,
        },
      },
      async (request, reply) => {
        const expertId = expertOf(request);
        const { from, reason, ...rest } = request.body;
        const recurringOffTime = {
          id: newIdFor(request),
          ...rest,
          from: from ?? (await todayOf(expertId)),
          reason: reason?.trim() || null,
        };
        const answer = await send(request, [{ type: 'AddExpertRecurringOffTime', expertId, recurringOffTime }]);
        return reply.status(201).send(answer);
      },
    );

    api.delete(
      `${base}/availability/recurring-off-times/:id`,
      { ...own, schema: { tags, summary: 'Remove a recurring time off', params: itemParams } },
      async (request) => {
        const command = {
          type: 'RemoveExpertRecurringOffTime' as const,
          expertId: expertOf(request),
          recurringOffTimeId: request.params.id,
        };
        return send(request, [command]);
      },
    );
  });
}
