import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ProjectCommand } from '../../domain/catalog/project.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getProject, listProjects, listRooms } from '../../projections/catalog/catalog-queries.js';
import { ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';
import {
  checkAreaExists,
  idParams,
  limit,
  projectChanges,
  projectDetails,
  projectPolicy,
  projectStatus,
  settled,
  subjectOf,
} from './catalog-schemas.js';

const room = z.object({
  name: z.string().max(100),
  standardPrice: z.number().int(),
  areaM2: z.number(),
});

/**
 * The owner's projects and rooms (UC-PROJ, UC-ADMIN-02). Another owner's project answers 404,
 * as if it did not exist.
 */
export function projectRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { projects } = services.catalog;
  const owner = { onRequest: app.requires('project:create') };
  const tags = ['catalog'];

  const mine = async (ownerId: string, projectId: string) => {
    const project = await getProject(services.pool, projectId);
    if (!project || project.ownerId !== ownerId) throw notFound('PROJECT_NOT_FOUND', 'Không tìm thấy dự án');
    return project;
  };
  const send = async (command: ProjectCommand, request: Parameters<typeof commandMetadataOf>[0]) => {
    const result = await projects.handle(command, commandMetadataOf(request));
    await settled(services, result.position);
    return ok(await getProject(services.pool, command.projectId));
  };

  api.get(
    '/api/v1/me/projects',
    {
      ...owner,
      schema: { tags, summary: 'My projects', querystring: z.object({ status: projectStatus.optional(), limit }) },
    },
    async (request) => {
      const { status, limit } = request.query;
      return ok(await listProjects(services.pool, { ownerId: subjectOf(request), limit, ...(status && { status }) }));
    },
  );

  api.post(
    '/api/v1/me/projects',
    {
      ...owner,
      schema: {
        tags,
        summary: 'Create a project (full form)',
        body: projectDetails.extend({ policy: projectPolicy.optional() }),
      },
    },
    async (request) => {
      const { policy, ...details } = request.body;
      await checkAreaExists(services, details.address.areaId, 'address.areaId');
      const projectId = newIdFor(request);
      const command: ProjectCommand = {
        type: 'CreateProject',
        by: 'owner',
        projectId,
        ownerId: subjectOf(request),
        details,
        quick: false,
        ...(policy && { policy }),
      };
      return send(command, request);
    },
  );

  api.post(
    '/api/v1/me/projects/quick',
    {
      ...owner,
      schema: {
        tags,
        summary: 'Quick create: a name and an area',
        body: z.object({ name: z.string().max(200), areaId: z.string().max(64) }),
      },
    },
    async (request) => {
      const { name, areaId } = request.body;
      await checkAreaExists(services, areaId, 'areaId');
      const details = { name, description: '', address: { areaId, street: '', lat: null, lng: null } };
      const command: ProjectCommand = {
        type: 'CreateProject',
        by: 'owner',
        projectId: newIdFor(request),
        ownerId: subjectOf(request),
        details,
        quick: true,
      };
      return send(command, request);
    },
  );

  api.get('/api/v1/me/projects/:id', { ...owner, schema: { tags, params: idParams } }, async (request) =>
    ok(await mine(subjectOf(request), request.params.id)),
  );

  api.patch(
    '/api/v1/me/projects/:id',
    {
      ...owner,
      schema: {
        tags,
        summary: 'Change name, description or address',
        params: idParams,
        body: projectChanges,
      },
    },
    async (request) => {
      if (request.body.address) await checkAreaExists(services, request.body.address.areaId, 'address.areaId');
      return send({ type: 'UpdateProject', by: 'owner', projectId: request.params.id, changes: request.body }, request);
    },
  );

  api.put(
    '/api/v1/me/projects/:id/policy',
    {
      ...owner,
      schema: {
        tags,
        summary: 'Viewing approval, default deposit policy, contract template',
        params: idParams,
        body: projectPolicy,
      },
    },
    async (request) =>
      send({ type: 'SetProjectPolicy', by: 'owner', projectId: request.params.id, policy: request.body }, request),
  );

  api.post(
    '/api/v1/me/projects/:id/archive',
    {
      ...owner,
      schema: {
        tags,
        summary: 'Archive (refused while a listing is published or a room reserved/rented)',
        params: idParams,
      },
    },
    async (request) => send({ type: 'ArchiveProject', by: 'owner', projectId: request.params.id }, request),
  );

  api.post(
    '/api/v1/me/projects/:id/reopen-request',
    {
      ...owner,
      schema: {
        tags,
        summary: 'Ask operators to reopen a banned project',
        params: idParams,
        body: z.object({ message: z.string().max(500) }),
      },
    },
    async (request) =>
      send(
        { type: 'RequestProjectReopen', by: 'owner', projectId: request.params.id, message: request.body.message },
        request,
      ),
  );

  api.get('/api/v1/me/projects/:id/rooms', { ...owner, schema: { tags, params: idParams } }, async (request) => {
    await mine(subjectOf(request), request.params.id);
    return ok(await listRooms(services.pool, request.params.id));
  });

  api.post(
    '/api/v1/me/projects/:id/rooms',
    {
      ...owner,
      schema: {
        tags,
        summary: 'Add a room (name unique in the project, price in VND, area in m²)',
        params: idParams,
        body: room,
      },
    },
    async (request) => {
      const roomId = newIdFor(request);
      const result = await projects.addRoom(
        { projectId: request.params.id, roomId, ...request.body },
        'owner',
        commandMetadataOf(request),
      );
      await settled(services, result.position);
      return ok((await listRooms(services.pool, request.params.id)).find((r) => r.roomId === roomId) ?? null);
    },
  );

  api.patch(
    '/api/v1/me/rooms/:id',
    {
      ...owner,
      schema: {
        tags,
        summary: 'Rename a room or change its standard price or area',
        params: idParams,
        body: room.partial(),
      },
    },
    async (request) => {
      const metadata = commandMetadataOf(request);
      const { name, standardPrice, areaM2 } = request.body;
      const roomId = request.params.id;
      let position: bigint | null = null;
      if (name !== undefined)
        position = (await projects.renameRoom(roomId, name, 'owner', metadata)).position ?? position;
      if (standardPrice !== undefined || areaM2 !== undefined) {
        const change = {
          type: 'ChangeRoomDetails' as const,
          roomId,
          ...(standardPrice !== undefined && { standardPrice }),
          ...(areaM2 !== undefined && { areaM2 }),
        };
        position = (await projects.changeRoom(change, 'owner', metadata)).position ?? position;
      }
      await settled(services, position);
      return ok(await roomView(services, roomId));
    },
  );

  for (const [path, type] of [
    ['cleaning', 'StartRoomCleaning'],
    ['available', 'MakeRoomAvailable'],
  ] as const) {
    api.post(
      `/api/v1/me/rooms/:id/${path}`,
      { ...owner, schema: { tags, summary: `Move a room to ${path} by hand`, params: idParams } },
      async (request) => {
        const result = await projects.changeRoom(
          { type, roomId: request.params.id },
          'owner',
          commandMetadataOf(request),
        );
        await settled(services, result.position);
        return ok(await roomView(services, request.params.id));
      },
    );
  }
}

async function roomView(services: Services, roomId: string) {
  const { rows } = await services.pool.query<{ project_id: string }>('select project_id from rm.rooms where id = $1', [
    roomId,
  ]);
  const projectId = rows[0]?.project_id;
  return projectId ? ((await listRooms(services.pool, projectId)).find((r) => r.roomId === roomId) ?? null) : null;
}
