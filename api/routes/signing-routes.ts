import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { IssuedChallenge } from '../../commands/contracts/signing.js';
import type { CommandMetadata } from '../../commands/metadata.js';
import { ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';
import type { contractAccess } from './contract-access.js';
import { idParams, signBody } from './contract-schemas.js';

/** What a signable document's service offers: a mailed code, then the signature it proves. */
interface SignableService {
  issueOtp(id: string, userId: string): Promise<IssuedChallenge>;
  sign(
    id: string,
    body: { challengeId: string; code: string },
    userId: string,
    origin: { ip: string; userAgent: string },
    metadata: CommandMetadata,
  ): Promise<{ position: bigint | null }>;
  state(id: string): Promise<{ status: string; signatures: unknown[] }>;
}

/**
 * `POST /api/v1/<resource>/:id/otp` and `…/sign` of a contract or a handover report: the signer is
 * always the signed-in person (never act-as), and the answer waits for the read model.
 */
export function signingRoutes(
  app: FastifyInstance,
  access: ReturnType<typeof contractAccess>,
  options: {
    resource: 'contracts' | 'handovers';
    service: SignableService;
    otpSummary: string;
    signSummary: string;
    signed: string;
  },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { resource, service } = options;
  const tags = ['contracts'];

  api.post(
    `/api/v1/${resource}/:id/otp`,
    {
      onRequest: app.requires('contract:sign'),
      schema: { tags, summary: options.otpSummary, params: idParams },
    },
    async (request) => ok(await service.issueOtp(request.params.id, access.signerOf(request)), 'Đã gửi mã OTP'),
  );

  api.post(
    `/api/v1/${resource}/:id/sign`,
    {
      onRequest: app.requires('contract:sign'),
      schema: { tags, summary: options.signSummary, params: idParams, body: signBody },
    },
    async (request) => {
      const { id } = request.params;
      const result = await service.sign(
        id,
        request.body,
        access.signerOf(request),
        access.originOf(request),
        commandMetadataOf(request),
      );
      await access.caughtUp(result.position);
      const state = await service.state(id);
      return ok({ id, status: state.status, signatures: state.signatures }, options.signed);
    },
  );
}
