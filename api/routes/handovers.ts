import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { PHOTO_MAX_BYTES } from '../../commands/contracts/handovers.js';
import { invalid, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import type { HandoverView } from '../../projections/contracts/handovers-queries.js';
import { getHandover, listHandovers } from '../../projections/contracts/handovers-queries.js';
import { ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';
import { readUploads, registerUploads } from '../uploads.js';
import { contractAccess, sendFile } from './contract-access.js';
import {
  cancelBody,
  handoverListQuery,
  idParams,
  newHandoverBody,
  photoParams,
  recordHandoverBody,
} from './contract-schemas.js';
import { signingRoutes } from './signing-routes.js';

const partyIn = (handover: Pick<HandoverView, 'customerId' | 'ownerId'>, userId: string) =>
  handover.customerId === userId ? 'customer' : handover.ownerId === userId ? 'owner' : null;

/**
 * Handover reports (BienBanBanGiao, UC-OPER-06): staff (`handover:create`) open and fill them for
 * a signed contract — one in progress per room — with meters, assets and photos; customer and
 * owner sign by OTP, in any order; completion releases the deposit by the policy (a reaction).
 */
export async function handoverRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;
  const { handovers } = services.contracts;
  const access = contractAccess(services);
  const tags = ['contracts'];
  const signedIn = app.requires();
  const staffOnly = app.requires('handover:create');

  async function viewFor(request: FastifyRequest, id: string) {
    const handover = await getHandover(pool, id);
    const myParty = handover ? partyIn(handover, access.me(request)) : null;
    if (!handover || (myParty === null && !(await access.isStaff(request)))) {
      throw notFound('HANDOVER_NOT_FOUND', 'Không tìm thấy biên bản bàn giao');
    }
    return { ...handover, myParty };
  }

  api.get(
    '/api/v1/handovers',
    {
      onRequest: signedIn,
      schema: {
        tags,
        summary: 'Handover reports (staff: all; parties: their own), newest first',
        querystring: handoverListQuery,
      },
    },
    async (request) => {
      const { contractId, roomId, status } = request.query;
      return ok(
        await listHandovers(pool, {
          viewer: await access.viewerOf(request),
          ...(contractId && { contractId }),
          ...(roomId && { roomId }),
          ...(status && { status }),
        }),
      );
    },
  );

  api.get(
    '/api/v1/handovers/:id',
    {
      onRequest: signedIn,
      schema: { tags, summary: 'A report: content, signatures, the move-in to compare with', params: idParams },
    },
    async (request) => ok(await viewFor(request, request.params.id)),
  );

  api.post(
    '/api/v1/handovers',
    {
      onRequest: staffOnly,
      schema: {
        tags,
        summary: 'Open a report for a signed contract (409 HANDOVER_IN_PROGRESS while the room has one)',
        body: newHandoverBody,
      },
    },
    async (request, reply) => {
      const id = newIdFor(request);
      const result = await handovers.open(
        { handoverId: id, ...request.body },
        access.me(request),
        commandMetadataOf(request),
      );
      await access.caughtUp(result.position);
      return reply.status(201).send(ok({ id }, 'Đã lập biên bản bàn giao'));
    },
  );

  api.put(
    '/api/v1/handovers/:id',
    {
      onRequest: staffOnly,
      schema: {
        tags,
        summary: 'Replace the content (before anyone signs)',
        params: idParams,
        body: recordHandoverBody,
      },
    },
    async (request) => {
      const { id } = request.params;
      const result = await handovers.record(id, request.body.content, commandMetadataOf(request));
      await access.caughtUp(result.position);
      return ok(await viewFor(request, id), 'Đã lưu biên bản');
    },
  );

  await app.register(async (scope) => {
    await registerUploads(scope);
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/handovers/:id/photos',
      {
        onRequest: staffOnly,
        schema: {
          tags,
          summary: 'Upload an asset photo (field `file`, JPG/PNG/WebP ≤ 10 MB); name its fileKey in the content',
          consumes: ['multipart/form-data'],
          params: idParams,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        await handovers.existing(id);
        const { files } = await readUploads(request, {
          fileFields: ['file'],
          maxFiles: 1,
          maxFileBytes: PHOTO_MAX_BYTES,
        });
        const file = files[0];
        if (!file) throw invalid('FILE_REQUIRED', 'Chọn ảnh', 'file');
        const { fileKey, name } = await handovers.uploadPhoto(id, file.bytes);
        return reply.status(201).send(ok({ fileKey, url: `/api/v1/handovers/${id}/photos/${name}` }, 'Đã tải ảnh lên'));
      },
    );
  });

  api.get(
    '/api/v1/handovers/:id/photos/:name',
    {
      onRequest: signedIn,
      schema: { tags, summary: 'A photo of the report (parties and staff)', params: photoParams },
    },
    async (request, reply) => {
      const { id, name } = request.params;
      await viewFor(request, id);
      return sendFile(reply, await handovers.photo(id, name), name);
    },
  );

  signingRoutes(app, access, {
    resource: 'handovers',
    service: handovers,
    otpSummary: 'Mail a 6-digit signing code to the caller (customer or owner)',
    signSummary: 'Sign with the mailed code; the second signature completes the report',
    signed: 'Đã ký biên bản',
  });

  api.post(
    '/api/v1/handovers/:id/cancel',
    {
      onRequest: staffOnly,
      schema: {
        tags,
        summary: 'Cancel a report nobody signed yet; the room may get a new one',
        params: idParams,
        body: cancelBody,
      },
    },
    async (request) => {
      const { id } = request.params;
      const result = await handovers.cancel(id, request.body.reason, commandMetadataOf(request));
      await access.caughtUp(result.position);
      return ok({ id, status: (await handovers.state(id)).status }, 'Đã hủy biên bản');
    },
  );
}
