import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { renderContractPdf } from '../../commands/contracts/contract-pdf.js';
import { contractCode } from '../../commands/contracts/contract-values.js';
import { partyOfUser, SCAN_MAX_BYTES } from '../../commands/contracts/contracts.js';
import type { ContractStatus } from '../../domain/contracts/contract-events.js';
import { DomainError, invalid, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getContract, listContracts, partyOf } from '../../projections/contracts/contracts-queries.js';
import { ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';
import { readUploads, registerUploads } from '../uploads.js';
import { contractAccess, sendFile } from './contract-access.js';
import {
  cancelBody,
  contractListQuery,
  fillFieldsBody,
  idParams,
  newContractBody,
  reviewScanBody,
} from './contract-schemas.js';
import { signingRoutes } from './signing-routes.js';

const STATUS_LABEL: Record<ContractStatus, string> = {
  awaiting_signatures: 'Chờ ký',
  signed: 'Đã ký',
  expired: 'Hết hạn',
  cancelled: 'Đã hủy',
};

/**
 * Contracts (HopDong, UC-CUST-05, UC-PROJ-04): lists per role, detail, generation by the owner,
 * fields, OTP signing, PDF and hash check, scanned copy with staff review, cancellation.
 */
export async function contractRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;
  const { contracts } = services.contracts;
  const access = contractAccess(services);
  const tags = ['contracts'];
  const signedIn = app.requires();

  /** The read model's view for someone allowed to see it (404 otherwise), with their party. */
  async function viewFor(request: FastifyRequest, id: string) {
    const contract = await getContract(pool, id);
    const me = access.me(request);
    const myParty = contract ? partyOf(contract, me) : null;
    if (!contract || (myParty === null && !(await access.isStaff(request)))) {
      throw notFound('CONTRACT_NOT_FOUND', 'Không tìm thấy hợp đồng');
    }
    return { ...contract, myParty };
  }

  api.get(
    '/api/v1/contracts',
    {
      onRequest: signedIn,
      schema: {
        tags,
        summary: 'Contracts the caller sees (customer: own; owner: own projects; staff: all), newest first',
        querystring: contractListQuery,
      },
    },
    async (request) => {
      const { status, ...rest } = request.query;
      return ok(
        await listContracts(pool, { ...rest, ...(status && { status }), viewer: await access.viewerOf(request) }),
      );
    },
  );

  api.get(
    '/api/v1/contracts/:id',
    {
      onRequest: signedIn,
      schema: { tags, summary: 'A contract: text, values, signatures, scan, handovers', params: idParams },
    },
    async (request) => ok(await viewFor(request, request.params.id)),
  );

  api.post(
    '/api/v1/contracts',
    {
      onRequest: signedIn,
      schema: {
        tags,
        summary: 'Generate the contract of a held security deposit (its owner or staff); 409 CONTRACT_EXISTS',
        body: newContractBody,
      },
    },
    async (request, reply) => {
      const { depositId, templateId, startDate, endDate, clauses } = request.body;
      const result = await contracts.generate(
        {
          depositId,
          ...(templateId && { templateId }),
          ...(startDate && { startDate }),
          ...(endDate && { endDate }),
          ...(clauses && { clauses }),
        },
        await access.actorOf(request),
        commandMetadataOf(request),
      );
      await access.caughtUp(result.position);
      return reply.status(201).send(ok({ id: result.contractId }, 'Đã tạo hợp đồng'));
    },
  );

  api.patch(
    '/api/v1/contracts/:id/fields',
    {
      onRequest: signedIn,
      schema: {
        tags,
        summary: 'The owner fills dates, clauses or placeholder values (before the first signature)',
        params: idParams,
        body: fillFieldsBody,
      },
    },
    async (request) => {
      const { id } = request.params;
      const position = await contracts.fill(
        id,
        request.body,
        await access.actorOf(request),
        commandMetadataOf(request),
      );
      await access.caughtUp(position);
      return ok(await viewFor(request, id), 'Đã cập nhật hợp đồng');
    },
  );

  signingRoutes(app, access, {
    resource: 'contracts',
    service: contracts,
    otpSummary: 'Mail a 6-digit signing code to the caller (a party whose turn it is)',
    signSummary: 'Sign with the mailed code: customer first, then owner',
    signed: 'Đã ký hợp đồng',
  });

  api.get(
    '/api/v1/contracts/:id/pdf',
    {
      onRequest: signedIn,
      schema: { tags, summary: 'The contract as a PDF, signatures and SHA-256 included', params: idParams },
    },
    async (request, reply) => {
      const contract = await contracts.visible(request.params.id, await access.actorOf(request));
      const code = contractCode(request.params.id);
      const names = { customer: contract.values.TenKhachHang ?? '', owner: contract.values.TenChuNha ?? '' };
      const pdf = await renderContractPdf({
        title: `Hợp đồng thuê phòng ${code}`,
        text: contract.text,
        sha256: contract.sha256,
        statusLabel: contract.status === 'none' ? '' : STATUS_LABEL[contract.status],
        signatures: contract.signatures.map((s) => ({
          ...s,
          signerName: names[s.party],
          signedAt: new Date(s.signedAt),
        })),
        createdAt: new Date(contract.signatures.at(-1)?.signedAt ?? Date.parse('2026-01-01T00:00:00Z')),
      });
      return sendFile(reply, { bytes: pdf, contentType: 'application/pdf' }, `${code}.pdf`);
    },
  );

  api.get(
    '/api/v1/contracts/:id/verify',
    {
      onRequest: signedIn,
      schema: {
        tags,
        summary: 'Re-hash the stored snapshot: does it match what was generated and signed?',
        params: idParams,
      },
    },
    async (request) => ok(await contracts.verify(request.params.id, await access.actorOf(request))),
  );

  await app.register(async (scope) => {
    await registerUploads(scope);
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/contracts/:id/scan',
      {
        onRequest: app.requires(),
        schema: {
          tags,
          summary: 'Upload the scanned signed paper: field `file`, PDF/JPG/PNG by content, ≤ 10 MB',
          consumes: ['multipart/form-data'],
          params: idParams,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const actor = await access.actorOf(request);
        await contracts.visible(id, actor); // strangers learn nothing, not even the size limit
        const { files } = await readUploads(request, {
          fileFields: ['file'],
          maxFiles: 1,
          maxFileBytes: SCAN_MAX_BYTES,
        });
        const file = files[0];
        if (!file) throw invalid('FILE_REQUIRED', 'Chọn tệp scan hợp đồng', 'file');
        const result = await contracts.uploadScan(id, file.bytes, actor, commandMetadataOf(request));
        await access.caughtUp(result.position);
        return reply
          .status(201)
          .send(
            ok(
              { fileKey: result.fileKey, contentType: result.contentType, sizeBytes: file.bytes.length },
              'Đã tải lên bản scan',
            ),
          );
      },
    );
  });

  api.get(
    '/api/v1/contracts/:id/scan',
    { onRequest: signedIn, schema: { tags, summary: 'The scanned copy (parties and staff)', params: idParams } },
    async (request, reply) => {
      const file = await contracts.scan(request.params.id, await access.actorOf(request));
      return sendFile(reply, file, `${contractCode(request.params.id)}-scan`);
    },
  );

  api.post(
    '/api/v1/contracts/:id/scan/review',
    {
      onRequest: signedIn,
      schema: { tags, summary: 'Staff accept or reject the scanned copy', params: idParams, body: reviewScanBody },
    },
    async (request) => {
      if (!(await access.isStaff(request))) {
        throw new DomainError('forbidden', 'FORBIDDEN', 'Chỉ nhân viên điều hành duyệt bản scan');
      }
      const { id } = request.params;
      const position = await contracts.reviewScan(id, request.body, access.me(request), commandMetadataOf(request));
      await access.caughtUp(position);
      return ok(await viewFor(request, id), request.body.accepted ? 'Đã xác nhận bản scan' : 'Đã từ chối bản scan');
    },
  );

  api.post(
    '/api/v1/contracts/:id/cancel',
    {
      onRequest: signedIn,
      schema: {
        tags,
        summary: 'Cancel with a reason (a party or staff): the deposit is cancelled, the room freed or cleaned',
        params: idParams,
        body: cancelBody,
      },
    },
    async (request) => {
      const { id } = request.params;
      const actor = await access.actorOf(request);
      const position = await contracts.cancel(id, request.body.reason, actor, commandMetadataOf(request));
      await access.caughtUp(position);
      const contract = await contracts.state(id);
      return ok(
        { id, status: contract.status, by: partyOfUser(contract, actor.userId) ?? 'operator' },
        'Đã hủy hợp đồng',
      );
    },
  );
}
