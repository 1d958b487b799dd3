import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DepositPolicyCommand } from '../../domain/catalog/deposit-policy.js';
import {
  COMMISSION_TRIGGERS,
  DEPOSIT_POLICY_STATUSES,
  DEPOSIT_TYPES,
  REFUND_EVENTS,
  SECURITY_RELEASES,
} from '../../domain/catalog/deposit-policy-events.js';
import type { Permission } from '../../domain/identity/permissions.js';
import { DomainError, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import {
  type DepositPolicyView,
  getDepositPolicy,
  getDepositPolicyVersion,
  listDepositPolicies,
} from '../../projections/catalog/deposit-policies-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';

const amountRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), amount: z.number() }),
  z.object({ kind: z.literal('months_of_rent'), months: z.number() }),
]);
const commissionRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('percent_of_deposit'),
    percent: z.number(),
    on: z.enum(COMMISSION_TRIGGERS).optional(),
  }),
  z.object({ kind: z.literal('fixed'), amount: z.number(), on: z.enum(COMMISSION_TRIGGERS).optional() }),
]);
const refundRule = z.object({ event: z.enum(REFUND_EVENTS), offsetHours: z.number(), refundPercent: z.number() });
/** Shapes only: the decider checks ranges and combinations with Vietnamese messages. */
const termsInput = z.object({
  allowedDepositTypes: z.array(z.enum(DEPOSIT_TYPES)),
  reservationTtlHours: z.number().nullable().optional(),
  reservationAmount: amountRule.nullable().optional(),
  securityAmount: amountRule.nullable().optional(),
  refundRules: z.array(refundRule).max(100).default([]),
  convertReservationToSecurity: z.boolean().default(false),
  releaseRequiresHandover: z.boolean().default(true),
  /** Absent: 'offset_first_rent' (as before the option existed). */
  securityRelease: z.enum(SECURITY_RELEASES).optional(),
  commission: commissionRule.default({ kind: 'none' }),
});
const termsView = termsInput.extend({
  reservationTtlHours: z.number().nullable(),
  reservationAmount: amountRule.nullable(),
  securityAmount: amountRule.nullable(),
  refundRules: z.array(refundRule),
  convertReservationToSecurity: z.boolean(),
  releaseRequiresHandover: z.literal(true),
  commission: commissionRule,
});
const policyView = z.object({
  id: z.string(),
  ownerId: z.string().nullable(),
  name: z.string(),
  status: z.enum(DEPOSIT_POLICY_STATUSES),
  currentVersion: z.number().int(),
  disabledByAdmin: z.boolean(),
  terms: termsView,
  createdAt: z.date(),
  updatedAt: z.date(),
});
const versionView = z.object({
  policyId: z.string(),
  version: z.number().int(),
  name: z.string(),
  terms: termsView,
  createdAt: z.date(),
});
const policyBody = z.object({ name: z.string().max(500), terms: termsInput });
const idParams = z.object({ id: z.uuid() });
const versionParams = idParams.extend({ version: z.coerce.number().int().min(1).max(1_000_000) });
const statusQuery = z.enum(DEPOSIT_POLICY_STATUSES).optional();

const missing = () => notFound('DEPOSIT_POLICY_NOT_FOUND', 'Không tìm thấy chính sách cọc');

interface Scope {
  base: string;
  permission: Permission;
  tags: string[];
  canManageTemplates: boolean;
  /** Owner routes: the signed-in owner (or the person acted for). Admin routes: null (sees all). */
  subjectOf(request: FastifyRequest): string | null;
}

/**
 * Deposit policies (ChinhSachCoc, UC-ADMIN-09): owners manage their own at `/me/deposit-policies`
 * (`listing:create`) and see the active templates; admins (`policy:manage`) manage templates at
 * `/admin/deposit-policies`, list everyone's and may disable any. Another owner's policy is a 404.
 */
export function depositPolicyRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;
  const execute = services.commands.depositPolicies;

  const settled = async (position: bigint | null) => {
    if (position !== null) await waitForProjection(pool, 'deposit_policies', position, 2000);
  };

  function register(scope: Scope) {
    const guard = { onRequest: app.requires(scope.permission) };
    const { base, tags } = scope;

    const visible = async (request: FastifyRequest, id: string): Promise<DepositPolicyView> => {
      const policy = await getDepositPolicy(pool, id);
      const subject = scope.subjectOf(request);
      if (!policy || (subject !== null && policy.ownerId !== subject)) throw missing();
      return policy;
    };

    /** Runs a command; on owner routes a policy that is not theirs reads as missing, never as forbidden. */
    const run = async (request: FastifyRequest, command: DepositPolicyCommand) => {
      try {
        const result = await execute(command, commandMetadataOf(request), scope);
        await settled(result.position);
      } catch (error) {
        const hidden = error instanceof DomainError && error.code === 'DEPOSIT_POLICY_FORBIDDEN';
        if (hidden && scope.subjectOf(request) !== null) throw missing();
        throw error;
      }
      const policy = await getDepositPolicy(pool, command.policyId);
      if (!policy) throw missing(); // only when the read model lags more than the 2 s waited
      return policy;
    };

    const listQuery = !scope.canManageTemplates
      ? z.object({ status: statusQuery })
      : z.object({
          status: statusQuery,
          ownerId: z.string().max(64).optional(),
          templates: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
        });

    api.get(
      base,
      {
        ...guard,
        schema: {
          tags,
          summary: 'Deposit policies',
          querystring: listQuery,
          response: { 200: envelopeOf(z.array(policyView)) },
        },
      },
      async (request) => {
        const query = request.query as { status?: DepositPolicyView['status']; ownerId?: string; templates?: boolean };
        const subject = scope.subjectOf(request);
        const filter = {
          ...(query.status && { status: query.status }),
          ...(subject !== null ? { ownerId: subject } : query.ownerId !== undefined && { ownerId: query.ownerId }),
          ...(subject === null && query.templates !== undefined && { templates: query.templates }),
        };
        return ok(await listDepositPolicies(pool, filter));
      },
    );

    api.post(
      base,
      {
        ...guard,
        schema: {
          tags,
          summary: scope.canManageTemplates ? 'Create a template (version 1)' : 'Create an own policy (version 1)',
          body: policyBody,
          response: { 201: envelopeOf(policyView) },
        },
      },
      async (request, reply) => {
        const policyId = newIdFor(request);
        const { name, terms } = request.body;
        const ownerId = scope.subjectOf(request);
        const policy = await run(request, { type: 'CreateDepositPolicy', policyId, ownerId, name, terms });
        return reply.status(201).send(ok(policy, 'Đã tạo chính sách cọc'));
      },
    );

    api.get(
      `${base}/:id`,
      { ...guard, schema: { tags, params: idParams, response: { 200: envelopeOf(policyView) } } },
      async (request) => ok(await visible(request, request.params.id)),
    );

    api.get(
      `${base}/:id/versions/:version`,
      {
        ...guard,
        schema: {
          tags,
          summary: 'An earlier (or the current) version',
          params: versionParams,
          response: { 200: envelopeOf(versionView) },
        },
      },
      async (request) => {
        const { id, version } = request.params;
        await visible(request, id);
        const found = await getDepositPolicyVersion(pool, id, version);
        if (!found) throw notFound('DEPOSIT_POLICY_VERSION_NOT_FOUND', `Chính sách không có phiên bản ${version}`);
        return ok(found);
      },
    );

    api.put(
      `${base}/:id`,
      {
        ...guard,
        schema: {
          tags,
          summary: 'Revise: new terms become version n+1',
          params: idParams,
          body: policyBody,
          response: { 200: envelopeOf(policyView) },
        },
      },
      async (request) => {
        const { name, terms } = request.body;
        const command = { type: 'ReviseDepositPolicy' as const, policyId: request.params.id, name, terms };
        return ok(await run(request, command), 'Đã cập nhật chính sách cọc');
      },
    );

    for (const [action, type, message] of [
      ['disable', 'DisableDepositPolicy', 'Đã vô hiệu hoá chính sách cọc'],
      ['enable', 'EnableDepositPolicy', 'Đã kích hoạt lại chính sách cọc'],
    ] as const) {
      api.post(
        `${base}/:id/${action}`,
        { ...guard, schema: { tags, params: idParams, response: { 200: envelopeOf(policyView) } } },
        async (request) => ok(await run(request, { type, policyId: request.params.id }), message),
      );
    }

    api.delete(
      `${base}/:id`,
      {
        ...guard,
        schema: {
          tags,
          summary: 'Delete an unused policy (409 POLICY_IN_USE otherwise)',
          params: idParams,
          response: { 200: envelopeOf(policyView) },
        },
      },
      async (request) =>
        ok(await run(request, { type: 'DeleteDepositPolicy', policyId: request.params.id }), 'Đã xoá chính sách cọc'),
    );
  }

  register({
    base: '/api/v1/me/deposit-policies',
    permission: 'listing:create',
    tags: ['me'],
    canManageTemplates: false,
    subjectOf: ownerSubject,
  });
  register({
    base: '/api/v1/admin/deposit-policies',
    permission: 'policy:manage',
    tags: ['admin'],
    canManageTemplates: true,
    subjectOf: () => null,
  });

  api.get(
    '/api/v1/deposit-policies/templates',
    {
      onRequest: app.requires('listing:create'),
      schema: {
        tags: ['me'],
        summary: 'Active templates an owner may pick',
        response: { 200: envelopeOf(z.array(policyView)) },
      },
    },
    async () => ok(await listDepositPolicies(pool, { templates: true, status: 'active' })),
  );
}

/** Who `/me` means: the person acted for under act-as, else the signed-in person. */
function ownerSubject(request: FastifyRequest): string {
  const actor = request.actor;
  const id = actor?.actAsId ?? actor?.id;
  if (!id) throw new DomainError('unauthenticated', 'AUTH_REQUIRED', 'Vui lòng đăng nhập');
  return id;
}
