import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StoredFile } from '../../commands/storage/port.js';
import type { ExpertCommand } from '../../domain/booking/expert.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import {
  getExpertForReview,
  getExpertPublic,
  listExpertCandidates,
  listExpertsForReview,
  searchExperts,
} from '../../projections/booking/experts-queries.js';
import { ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';
import { rangeOf } from './booking-schemas.js';
import { expertMeRoutes } from './experts-me.js';
import {
  checkFeeRange,
  expertIdParams,
  expertStatus,
  itemParams,
  reasonBody,
  searchQuery,
  settledOn,
} from './experts-schemas.js';

/** Sends a credential's file so that a browser never runs it (PDFs download, images show). */
export function sendDocument(reply: FastifyReply, file: StoredFile | null, name: string) {
  if (!file) throw notFound('DOCUMENT_NOT_FOUND', 'Không tìm thấy tệp giấy tờ');
  const disposition = file.contentType === 'application/pdf' ? 'attachment' : 'inline';
  return reply
    .type(file.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `${disposition}; filename="${name}"`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(file.bytes);
}

/**
 * Experts: the public search and profile (verified experts only), the expert's own `/me/expert`
 * (experts-me.ts), and the review queue for `expert:verify`.
 */
export async function expertRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;
  const experts = services.commands.experts;
  const reviewer = { onRequest: app.requires('expert:verify') };
  const tags = ['experts'];
  const settled = settledOn(services, 'experts');

  api.get(
    '/api/v1/experts',
    {
      schema: {
        tags,
        summary: 'Search verified experts: specialty, fee range and mode (one service matches all), q; keyset pages',
        querystring: searchQuery,
      },
    },
    async (request) => {
      const { specialty, minFee, maxFee, mode, q, sort, limit, cursor } = request.query;
      checkFeeRange(request.query);
      return ok(
        await searchExperts(db, {
          sort,
          limit,
          ...(specialty && { specialty }),
          ...(minFee !== undefined && { minFee }),
          ...(maxFee !== undefined && { maxFee }),
          ...(mode && { mode }),
          ...(q?.trim() && { q }),
          ...(cursor && { cursor }),
        }),
      );
    },
  );

  api.get(
    '/api/v1/experts/free',
    {
      schema: {
        tags,
        summary: 'Verified experts with a free slot between `from` and `to` (≤ 62 days), soonest slot first',
        querystring: searchQuery.omit({ sort: true, cursor: true }).extend({
          from: z.string().datetime({ offset: true }).optional(),
          to: z.string().datetime({ offset: true }).optional(),
        }),
      },
    },
    async (request) => {
      const { specialty, minFee, maxFee, mode, q, limit } = request.query;
      checkFeeRange(request.query);
      const { from, to } = rangeOf(request.query, services.clock());
      const candidates = await listExpertCandidates(db, {
        ...(specialty && { specialty }),
        ...(minFee !== undefined && { minFee }),
        ...(maxFee !== undefined && { maxFee }),
        ...(mode && { mode }),
        ...(q?.trim() && { q }),
      });
      const free = await services.bookings.slots.soonestFree(candidates, from, to);
      const names = new Map(candidates.map((c) => [c.expertId, c.displayName]));
      return ok(free.slice(0, limit).map((f) => ({ ...f, displayName: names.get(f.expertId) ?? '' })));
    },
  );

  api.get(
    '/api/v1/experts/:id',
    { schema: { tags, summary: 'A verified expert’s public profile and active services', params: expertIdParams } },
    async (request) => {
      const expert = await getExpertPublic(db, request.params.id);
      if (!expert) throw notFound('EXPERT_NOT_FOUND', 'Không tìm thấy chuyên gia');
      return ok(expert);
    },
  );

  api.get(
    '/api/v1/admin/experts',
    {
      ...reviewer,
      schema: {
        tags,
        summary: 'The review queue, oldest submission first (`status` filters)',
        querystring: z.object({
          status: expertStatus.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
      },
    },
    async (request) => {
      const { status, limit } = request.query;
      return ok(await listExpertsForReview(db, { limit, ...(status && { status }) }));
    },
  );

  const reviewed = async (id: string) => {
    const expert = await getExpertForReview(db, id);
    if (!expert) throw notFound('EXPERT_NOT_FOUND', 'Không tìm thấy chuyên gia');
    return expert;
  };

  api.get(
    '/api/v1/admin/experts/:id',
    { ...reviewer, schema: { tags, summary: 'One expert as reviewers see them', params: expertIdParams } },
    async (request) => ok(await reviewed(request.params.id)),
  );

  api.get(
    '/api/v1/admin/experts/:id/documents/:documentId/file',
    {
      ...reviewer,
      schema: {
        tags,
        summary: 'The scanned copy of a credential',
        params: expertIdParams.extend({ documentId: itemParams.shape.id }),
      },
    },
    async (request, reply) => {
      const { id, documentId } = request.params;
      return sendDocument(reply, await experts.documentFile(id, documentId), documentId);
    },
  );

  const decisions = [
    ['verify', 'Verify a submitted (or suspended) expert: they appear publicly', 'Đã xác minh chuyên gia'],
    ['reject', 'Reject a submission with a reason the expert sees', 'Đã từ chối hồ sơ chuyên gia'],
    ['suspend', 'Revoke a verified expert with a reason: hidden until verified again', 'Đã tạm ngưng chuyên gia'],
  ] as const;
  for (const [action, summary, message] of decisions) {
    api.post(
      `/api/v1/admin/experts/:id/${action}`,
      {
        ...reviewer,
        schema: { tags, summary, params: expertIdParams, ...(action !== 'verify' && { body: reasonBody }) },
      },
      async (request) => {
        const expertId = request.params.id;
        const reason = (request.body as { reason?: string } | undefined)?.reason ?? '';
        const command: ExpertCommand =
          action === 'verify'
            ? { type: 'VerifyExpert', expertId }
            : { type: action === 'reject' ? 'RejectExpert' : 'SuspendExpert', expertId, reason };
        await settled((await experts.handle(command, commandMetadataOf(request))).position);
        return ok(await reviewed(expertId), message);
      },
    );
  }

  await expertMeRoutes(app, services);
}
