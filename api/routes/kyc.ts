import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KYC_LIMITS, needsKyc } from '../../domain/identity/kyc.js';
import { KYC_DOCUMENT_KINDS, KYC_STATUSES, type KycDocumentKind } from '../../domain/identity/kyc-events.js';
import { DomainError, invalid, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getKyc, listKyc } from '../../projections/identity/kyc-queries.js';
import { isUuid } from '../../projections/identity/profiles-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';
import { readUploads, registerUploads } from '../uploads.js';

const documentView = z.object({
  key: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  kind: z.enum(KYC_DOCUMENT_KINDS),
  url: z.string(),
});
const kycView = z.object({
  userId: z.string(),
  status: z.enum(KYC_STATUSES),
  documents: z.array(documentView),
  submissions: z.number().int(),
  submittedAt: z.date().nullable(),
  decidedAt: z.date().nullable(),
  reviewerId: z.string().nullable(),
  reason: z.string().nullable(),
});
const queueItem = kycView.extend({ email: z.string(), name: z.string(), roles: z.array(z.string()) });
const userParams = z.object({ userId: z.uuid() });

/** `kinds`: one field per document, or one comma-separated field; all `other` when left out. */
function kindsOf(fields: Map<string, string[]>, count: number): KycDocumentKind[] {
  const given = (fields.get('kinds') ?? []).flatMap((value) => value.split(',')).map((kind) => kind.trim());
  if (given.length === 0) return Array.from({ length: count }, () => 'other');
  if (given.length !== count) {
    throw invalid('KINDS_MISMATCH', `Cần ${count} loại giấy tờ (kinds), mỗi tệp một loại`, 'kinds');
  }
  return given.map((kind, index) => {
    if (!(KYC_DOCUMENT_KINDS as readonly string[]).includes(kind)) {
      throw invalid('DOCUMENT_KIND_INVALID', `Loại giấy tờ phải là ${KYC_DOCUMENT_KINDS.join(', ')}`, `kinds.${index}`);
    }
    return kind as KycDocumentKind;
  });
}

/**
 * Identity verification (KYC) of owners and experts: they upload documents, operators and admins
 * (`kyc:review`) read them and verify or reject with a reason.
 */
export async function kycRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    await registerUploads(scope);
    const api = scope.withTypeProvider<ZodTypeProvider>();
    const { kyc, pool } = services;
    const reviewer = { onRequest: app.requires('kyc:review') };
    const adminTags = ['admin'];

    const settled = async (position: bigint | null) => {
      if (position !== null) await waitForProjection(pool, 'kyc', position, 2000);
    };
    const rolesOf = async (userId: string): Promise<string[] | null> => {
      if (!isUuid(userId)) return null;
      const { rows } = await pool.query<{ roles: string[] }>('select roles from rm.users where id = $1', [userId]);
      return rows[0]?.roles ?? null;
    };
    /** The person `/me` means and the roles they hold (the acted-for user's own, under act-as). */
    const subjectOf = async (request: FastifyRequest) => {
      const actor = request.actor;
      const userId = actor?.actAsId ?? actor?.id ?? '';
      const roles = actor?.actAsId ? await rolesOf(userId) : (actor?.roles ?? null);
      if (!isUuid(userId) || roles === null) throw notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
      return { userId, roles };
    };
    const existing = async (userId: string) => {
      if ((await rolesOf(userId)) === null) throw notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
    };

    api.post(
      '/api/v1/me/kyc',
      {
        onRequest: app.requires(),
        schema: {
          tags: ['me'],
          summary:
            'Submit identity documents: files `documents` (PDF/JPG/PNG by content, ≤ 10 MB, ≤ 5), fields `kinds`',
          consumes: ['multipart/form-data'],
          response: { 200: envelopeOf(kycView) },
        },
      },
      async (request) => {
        const { userId, roles } = await subjectOf(request);
        if (!needsKyc(roles)) {
          throw new DomainError(
            'forbidden',
            'KYC_ROLE_REQUIRED',
            'Chỉ chủ dự án hoặc chuyên gia cần xác minh danh tính',
          );
        }
        const { files, fields } = await readUploads(request, {
          fileFields: ['documents'],
          maxFiles: KYC_LIMITS.documents,
          maxFileBytes: KYC_LIMITS.documentBytes,
        });
        if (files.length === 0) throw invalid('DOCUMENTS_REQUIRED', 'Tải lên ít nhất một giấy tờ', 'documents');
        const kinds = kindsOf(fields, files.length);
        const uploads = files.map((file, index) => ({ bytes: file.bytes, kind: kinds[index] ?? 'other' }));
        const result = await kyc.submit(userId, uploads, commandMetadataOf(request));
        await settled(result.position);
        return ok(await getKyc(pool, userId), 'Đã gửi hồ sơ xác minh');
      },
    );

    api.get(
      '/api/v1/me/kyc',
      {
        onRequest: app.requires(),
        schema: { tags: ['me'], summary: 'My identity verification', response: { 200: envelopeOf(kycView) } },
      },
      async (request) => ok(await getKyc(pool, (await subjectOf(request)).userId)),
    );

    api.get(
      '/api/v1/admin/kyc',
      {
        ...reviewer,
        schema: {
          tags: adminTags,
          summary: 'The KYC review queue, oldest submission first',
          querystring: z.object({
            status: z.enum(KYC_STATUSES).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: envelopeOf(z.array(queueItem)) },
        },
      },
      async (request) => {
        const { status, limit } = request.query;
        return ok(await listKyc(pool, { limit, ...(status && { status }) }));
      },
    );

    api.get(
      '/api/v1/admin/kyc/:userId/documents/:key',
      {
        ...reviewer,
        schema: {
          tags: adminTags,
          summary: 'One submitted document (the key URL-encoded, as in `documents[].url`)',
          params: userParams.extend({ key: z.string().max(300) }),
        },
      },
      async (request, reply) => {
        const { userId, key } = request.params;
        const file = await kyc.document(userId, key);
        if (!file) throw notFound('DOCUMENT_NOT_FOUND', 'Không tìm thấy giấy tờ');
        const name = key.slice(key.lastIndexOf('/') + 1);
        const disposition = file.contentType === 'application/pdf' ? 'attachment' : 'inline';
        return reply
          .type(file.contentType)
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', `${disposition}; filename="${name}"`)
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          .send(file.bytes);
      },
    );

    api.post(
      '/api/v1/admin/kyc/:userId/verify',
      {
        ...reviewer,
        schema: {
          tags: adminTags,
          summary: 'Verify a pending submission',
          params: userParams,
          response: { 200: envelopeOf(kycView) },
        },
      },
      async (request) => {
        const { userId } = request.params;
        await existing(userId);
        await settled((await kyc.verify(userId, commandMetadataOf(request))).position);
        return ok(await getKyc(pool, userId), 'Đã xác minh danh tính');
      },
    );

    api.post(
      '/api/v1/admin/kyc/:userId/reject',
      {
        ...reviewer,
        schema: {
          tags: adminTags,
          summary: 'Reject a pending submission with a reason the person sees',
          params: userParams,
          body: z.object({ reason: z.string().trim().min(1, 'Nhập lý do từ chối').max(KYC_LIMITS.reason) }),
          response: { 200: envelopeOf(kycView) },
        },
      },
      async (request) => {
        const { userId } = request.params;
        await existing(userId);
        await settled((await kyc.reject(userId, request.body.reason, commandMetadataOf(request))).position);
        return ok(await getKyc(pool, userId), 'Đã từ chối hồ sơ xác minh');
      },
    );
  });
}
