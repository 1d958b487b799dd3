import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AreaFileFormat, areasToCsv, parseAreaFile } from '../../commands/catalog/area-import.js';
import { AREA_LEVELS } from '../../domain/catalog/area-events.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { areaTree, getArea, listAreas } from '../../projections/catalog/areas-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';

const areaView = z.object({
  id: z.string(),
  code: z.string().nullable(),
  name: z.string(),
  level: z.enum(AREA_LEVELS),
  parentId: z.string().nullable(),
  hot: z.boolean(),
  path: z.string(),
  childCount: z.number().int(),
});
type AreaNodeSchema = z.infer<typeof areaView> & { children: AreaNodeSchema[] };
const areaNode: z.ZodType<AreaNodeSchema> = areaView.extend({ children: z.lazy(() => z.array(areaNode)) });

const idParams = z.object({ id: z.string().min(1).max(64) });
const name = z.string().trim().min(1, 'Tên không được để trống').max(120);
const written = envelopeOf(z.object({ id: z.string(), position: z.string().nullable() }));

/** Area tree (UC-ADMIN-03). Reads are public; writes need the admin role. */
export function areaRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const handle = services.commands.areas;
  const admin = { onRequest: app.requires('area:manage'), schema: { tags: ['areas'] } };

  /** Read-your-writes: answer once the areas read model shows the change (or after 2 s). */
  const settled = async (position: bigint | null) => {
    if (position !== null) await waitForProjection(services.pool, 'areas', position, 2000);
  };

  api.get(
    '/api/v1/areas',
    {
      schema: {
        tags: ['areas'],
        summary: 'Areas as a flat list, filtered',
        querystring: z.object({
          parentId: z.string().optional(),
          level: z.enum(AREA_LEVELS).optional(),
          q: z.string().max(100).optional(),
        }),
        response: { 200: envelopeOf(z.array(areaView)) },
      },
    },
    async (request) => {
      const { parentId, level, q } = request.query;
      const filter = {
        ...(parentId !== undefined && { parentId: parentId === 'root' ? null : parentId }),
        ...(level && { level }),
        ...(q && { q }),
      };
      return ok(await listAreas(services.db, filter));
    },
  );

  api.get(
    '/api/v1/areas/tree',
    {
      schema: {
        tags: ['areas'],
        summary: 'The whole tree: provinces › districts › wards',
        response: { 200: envelopeOf(z.array(areaNode)) },
      },
    },
    async () => ok(await areaTree(services.db)),
  );

  api.get(
    '/api/v1/areas/export',
    {
      ...admin,
      schema: {
        ...admin.schema,
        summary: 'Export as CSV or JSON',
        querystring: z.object({ format: z.enum(['csv', 'json']).default('csv') }),
      },
    },
    async (request, reply) => {
      const areas = await listAreas(services.db);
      const rows = areas.map(({ id, code, name, level, parentId, hot }) => ({ id, code, name, level, parentId, hot }));
      const { format } = request.query;
      reply.header('content-disposition', `attachment; filename="areas.${format}"`);
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(rows, null, 2));
      return reply.type('text/csv; charset=utf-8').send(areasToCsv(rows));
    },
  );

  api.get(
    '/api/v1/areas/:id',
    { schema: { tags: ['areas'], params: idParams, response: { 200: envelopeOf(areaView) } } },
    async (request) => {
      const area = await getArea(services.db, request.params.id);
      if (!area) throw notFound('AREA_NOT_FOUND', `Area ${request.params.id} does not exist`);
      return ok(area);
    },
  );

  api.post(
    '/api/v1/areas',
    {
      ...admin,
      schema: {
        ...admin.schema,
        summary: 'Create an area',
        body: z.object({
          name,
          level: z.enum(AREA_LEVELS),
          parentId: z.string().min(1).nullable().default(null),
          code: z.string().trim().min(1).max(32).nullable().default(null),
        }),
        response: { 201: written },
      },
    },
    async (request, reply) => {
      const areaId = newIdFor(request);
      const result = await handle({ type: 'CreateArea', areaId, ...request.body }, commandMetadataOf(request));
      await settled(result.position);
      return reply
        .status(201)
        .send(ok({ id: areaId, position: result.position?.toString() ?? null }, 'Đã tạo khu vực'));
    },
  );

  api.patch(
    '/api/v1/areas/:id',
    {
      ...admin,
      schema: {
        ...admin.schema,
        summary: 'Rename, move or mark hot',
        params: idParams,
        body: z
          .object({ name: name.optional(), parentId: z.string().min(1).optional(), hot: z.boolean().optional() })
          .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change: send name, parentId or hot' }),
        response: { 200: written },
      },
    },
    async (request) => {
      const areaId = request.params.id;
      const result = await handle({ type: 'UpdateArea', areaId, ...request.body }, commandMetadataOf(request));
      await settled(result.position);
      return ok({ id: areaId, position: result.position?.toString() ?? null }, 'Đã cập nhật khu vực');
    },
  );

  api.delete(
    '/api/v1/areas/:id',
    {
      ...admin,
      schema: { ...admin.schema, summary: 'Delete an unused area', params: idParams, response: { 200: written } },
    },
    async (request) => {
      const result = await handle({ type: 'DeleteArea', areaId: request.params.id }, commandMetadataOf(request));
      await settled(result.position);
      return ok({ id: request.params.id, position: result.position?.toString() ?? null }, 'Đã xóa khu vực');
    },
  );

  api.post(
    '/api/v1/areas/import',
    {
      ...admin,
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        ...admin.schema,
        summary: 'Import CSV (id,code,name,level,parent_id,hot) or JSON: all rows or none',
        querystring: z.object({ format: z.enum(['csv', 'json']).optional() }),
        response: {
          200: envelopeOf(
            z.object({
              created: z.number(),
              updated: z.number(),
              unchanged: z.number(),
              position: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? '');
      const format: AreaFileFormat =
        request.query.format ?? (String(request.headers['content-type']).includes('json') ? 'json' : 'csv');
      let row = 0;
      const rows = parseAreaFile(body, format, () => newIdFor(request, row++));
      const result = await handle({ type: 'ImportAreas', rows }, commandMetadataOf(request));
      await settled(result.position);
      const created = result.events.filter((e) => e.type === 'AreaCreated').length;
      const touched = new Set(
        result.events.filter((e) => e.type !== 'AreaCreated').map((e) => (e.data as { areaId: string }).areaId),
      );
      const createdIds = new Set(
        result.events.filter((e) => e.type === 'AreaCreated').map((e) => (e.data as { areaId: string }).areaId),
      );
      const updated = [...touched].filter((id) => !createdIds.has(id)).length;
      return ok(
        { created, updated, unchanged: rows.length - created - updated, position: result.position?.toString() ?? null },
        `Đã nhập ${rows.length} dòng`,
      );
    },
  );
}
