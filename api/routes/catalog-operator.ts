import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ListingCommand } from '../../domain/catalog/listing.js';
import { slaBreached, workingHoursBetween } from '../../domain/catalog/moderation-sla.js';
import type { ProjectCommand } from '../../domain/catalog/project.js';
import { invalid, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import {
  getListing,
  getProject,
  listListings,
  listProjects,
  moderationQueue,
} from '../../projections/catalog/catalog-queries.js';
import { ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';
import {
  checkAreaExists,
  checklist,
  idParams,
  limit,
  listingStatus,
  projectChanges,
  projectDetails,
  projectPolicy,
  projectStatus,
  reason,
  settled,
} from './catalog-schemas.js';

/**
 * Operators manage projects (UC-OPER-02, UC-ADMIN-02) and moderate listings (UC-OPER-01); admins
 * also reassign a project's owner.
 */
export function catalogOperatorRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { projects, listings } = services.catalog;
  const moderator = { onRequest: app.requires('project:moderate') };
  const approver = { onRequest: app.requires('listing:approve') };
  const tags = ['operator'];

  const project = async (request: FastifyRequest, command: ProjectCommand) => {
    const result = await projects.handle(command, commandMetadataOf(request));
    await settled(services, result.position);
    return ok(await getProject(services.pool, command.projectId));
  };
  const listing = async (request: FastifyRequest, command: ListingCommand) => {
    const result = await listings.handle(command, commandMetadataOf(request));
    await settled(services, result.position);
    return ok(await getListing(services.pool, command.listingId));
  };
  const mustBeOwner = async (userId: string, field: string) => {
    const { rows } = await services.pool.query('select 1 from rm.users where id = $1 and $2 = any(roles)', [
      userId,
      'owner',
    ]);
    if (rows.length === 0) throw invalid('NOT_AN_OWNER', 'Người dùng này không có vai trò chủ dự án', field);
  };

  api.get(
    '/api/v1/operator/projects',
    {
      ...moderator,
      schema: {
        tags,
        summary: 'Projects, filtered by status, owner, area or pending reopen request',
        querystring: z.object({
          status: projectStatus.optional(),
          ownerId: z.uuid().optional(),
          areaId: z.string().max(64).optional(),
          reopenRequested: z.enum(['true', 'false']).optional(),
          limit,
        }),
      },
    },
    async (request) => {
      const { status, ownerId, areaId, reopenRequested, limit } = request.query;
      return ok(
        await listProjects(services.pool, {
          limit,
          ...(status && { status }),
          ...(ownerId && { ownerId }),
          ...(areaId && { areaId }),
          ...(reopenRequested && { reopenRequested: reopenRequested === 'true' }),
        }),
      );
    },
  );

  api.post(
    '/api/v1/operator/projects',
    {
      ...moderator,
      schema: {
        tags,
        summary: 'Create a project for an owner',
        body: projectDetails.extend({ ownerId: z.uuid(), policy: projectPolicy.optional() }),
      },
    },
    async (request) => {
      const { ownerId, policy, ...details } = request.body;
      await mustBeOwner(ownerId, 'ownerId');
      await checkAreaExists(services, details.address.areaId, 'address.areaId');
      const projectId = newIdFor(request);
      return project(request, {
        type: 'CreateProject',
        by: 'staff',
        projectId,
        ownerId,
        details,
        quick: false,
        ...(policy && { policy }),
      });
    },
  );

  api.get('/api/v1/operator/projects/:id', { ...moderator, schema: { tags, params: idParams } }, async (request) => {
    const found = await getProject(services.pool, request.params.id);
    if (!found) throw notFound('PROJECT_NOT_FOUND', 'Không tìm thấy dự án');
    return ok(found);
  });

  api.patch(
    '/api/v1/operator/projects/:id',
    {
      ...moderator,
      schema: { tags, summary: 'Correct a project’s details', params: idParams, body: projectChanges },
    },
    async (request) => {
      if (request.body.address) await checkAreaExists(services, request.body.address.areaId, 'address.areaId');
      return project(request, {
        type: 'UpdateProject',
        by: 'staff',
        projectId: request.params.id,
        changes: request.body,
      });
    },
  );

  api.put(
    '/api/v1/operator/projects/:id/policy',
    { ...moderator, schema: { tags, params: idParams, body: projectPolicy } },
    async (request) =>
      project(request, { type: 'SetProjectPolicy', by: 'staff', projectId: request.params.id, policy: request.body }),
  );

  for (const [path, type, summary] of [
    ['suspend', 'SuspendProject', 'Suspend (hides every listing of the project at once)'],
    ['ban', 'BanProject', 'Ban (the owner may ask to reopen)'],
  ] as const) {
    api.post(
      `/api/v1/operator/projects/:id/${path}`,
      { ...moderator, schema: { tags, summary, params: idParams, body: reason } },
      async (request) =>
        project(request, { type, by: 'staff', projectId: request.params.id, reason: request.body.reason }),
    );
  }
  for (const [path, type] of [
    ['reactivate', 'ReactivateProject'],
    ['archive', 'ArchiveProject'],
  ] as const) {
    api.post(
      `/api/v1/operator/projects/:id/${path}`,
      { ...moderator, schema: { tags, params: idParams } },
      async (request) => project(request, { type, by: 'staff', projectId: request.params.id }),
    );
  }

  api.post(
    '/api/v1/operator/projects/:id/reopen-decision',
    {
      ...moderator,
      schema: {
        tags,
        summary: 'Approve or reject an owner’s reopen request',
        params: idParams,
        body: z.object({ approve: z.boolean(), reason: z.string().max(500).default('') }),
      },
    },
    async (request) =>
      project(request, { type: 'DecideProjectReopen', by: 'staff', projectId: request.params.id, ...request.body }),
  );

  api.post(
    '/api/v1/admin/projects/:id/owner',
    // Reassigning ownership hands over listings and rooms: admins only (user management).
    {
      onRequest: app.requires('user:manage'),
      schema: {
        tags: ['admin'],
        summary: 'Reassign the owner',
        params: idParams,
        body: z.object({ ownerId: z.uuid() }),
      },
    },
    async (request) => {
      await mustBeOwner(request.body.ownerId, 'ownerId');
      return project(request, {
        type: 'ReassignProjectOwner',
        by: 'staff',
        projectId: request.params.id,
        toOwnerId: request.body.ownerId,
      });
    },
  );

  api.get(
    '/api/v1/operator/listings/queue',
    {
      ...approver,
      schema: {
        tags,
        summary: 'Moderation queue, longest waiting first, with the 4-working-hour SLA',
        querystring: z.object({ limit }),
      },
    },
    async (request) => {
      const now = services.clock();
      const queue = await moderationQueue(services.pool, request.query.limit);
      return ok(
        queue.map((item) => {
          const since = item.submittedAt ?? item.updatedAt;
          return {
            ...item,
            waitingWorkingHours: Math.round(workingHoursBetween(since, now) * 10) / 10,
            slaBreached: slaBreached(since, now),
          };
        }),
      );
    },
  );

  api.get(
    '/api/v1/operator/listings',
    {
      ...approver,
      schema: {
        tags,
        querystring: z.object({ status: listingStatus.optional(), projectId: z.uuid().optional(), limit }),
      },
    },
    async (request) => {
      const { status, projectId, limit } = request.query;
      return ok(
        await listListings(services.pool, { limit, ...(status && { status }), ...(projectId && { projectId }) }),
      );
    },
  );

  api.get('/api/v1/operator/listings/:id', { ...approver, schema: { tags, params: idParams } }, async (request) => {
    const found = await getListing(services.pool, request.params.id);
    if (!found) throw notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
    return ok(found);
  });

  api.post(
    '/api/v1/operator/listings/:id/approve',
    {
      ...approver,
      schema: {
        tags,
        summary: 'Approve (publishes at once when the owner is KYC-verified and the project active)',
        params: idParams,
        body: z.object({ checklist, note: z.string().max(500).default('') }),
      },
    },
    async (request) =>
      listing(request, { type: 'ApproveListing', by: 'staff', listingId: request.params.id, ...request.body }),
  );
  api.post(
    '/api/v1/operator/listings/:id/reject',
    { ...approver, schema: { tags, params: idParams, body: z.object({ checklist, reason: z.string().max(500) }) } },
    async (request) =>
      listing(request, { type: 'RejectListing', by: 'staff', listingId: request.params.id, ...request.body }),
  );
  api.post(
    '/api/v1/operator/listings/:id/suspend',
    { ...approver, schema: { tags, params: idParams, body: reason } },
    async (request) =>
      listing(request, {
        type: 'SuspendListing',
        by: 'staff',
        listingId: request.params.id,
        reason: request.body.reason,
      }),
  );
  for (const [path, type] of [
    ['reinstate', 'ReinstateListing'],
    ['archive', 'ArchiveListing'],
  ] as const) {
    api.post(
      `/api/v1/operator/listings/:id/${path}`,
      { ...approver, schema: { tags, params: idParams } },
      async (request) => listing(request, { type, by: 'staff', listingId: request.params.id }),
    );
  }
}
