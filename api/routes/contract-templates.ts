import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CONTRACT_PLACEHOLDERS } from '../../domain/contracts/placeholders.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getTemplate, listTemplates } from '../../projections/contracts/templates-queries.js';
import { ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';
import { contractAccess } from './contract-access.js';
import { idParams, makeDefaultBody, previewBody, templateBody } from './contract-schemas.js';

/**
 * Contract templates (MauHopDong, UC-ADMIN-06): Markdown with `{{Placeholder}}` slots, versions,
 * defaults per project and for the platform, preview with sample data. Admins change them; every
 * signed-in person may read them (owners choose one when they generate a contract).
 */
export function contractTemplateRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;
  const { templates } = services.contracts;
  const { caughtUp } = contractAccess(services);
  const tags = ['contracts'];
  const manage = app.requires('contract:template_manage');

  const found = async (id: string) => {
    const template = await getTemplate(pool, id);
    if (!template) throw notFound('TEMPLATE_NOT_FOUND', 'Không tìm thấy mẫu hợp đồng');
    return template;
  };

  api.get(
    '/api/v1/contract-templates',
    { onRequest: app.requires(), schema: { tags, summary: 'Templates not deleted: version, defaults, usage' } },
    async () => ok(await listTemplates(pool)),
  );

  api.get(
    '/api/v1/contract-templates/placeholders',
    { onRequest: app.requires(), schema: { tags, summary: 'Every placeholder a template may use, with a sample' } },
    async () => ok(CONTRACT_PLACEHOLDERS),
  );

  api.post(
    '/api/v1/contract-templates/preview',
    {
      onRequest: app.requires(),
      schema: { tags, summary: 'Render a body with sample data (nothing is saved)', body: previewBody },
    },
    async (request) => ok(templates.preview(request.body.body)),
  );

  api.get(
    '/api/v1/contract-templates/:id',
    {
      onRequest: app.requires(),
      schema: { tags, summary: 'A template with its body and every version', params: idParams },
    },
    async (request) => ok(await found(request.params.id)),
  );

  api.post(
    '/api/v1/contract-templates',
    { onRequest: manage, schema: { tags, summary: 'New template (version 1)', body: templateBody } },
    async (request, reply) => {
      const id = newIdFor(request);
      const result = await templates.handle(
        { type: 'CreateContractTemplate', templateId: id, ...request.body },
        commandMetadataOf(request),
      );
      await caughtUp(result.position);
      return reply.status(201).send(ok({ id, version: 1 }, 'Đã tạo mẫu hợp đồng'));
    },
  );

  api.put(
    '/api/v1/contract-templates/:id',
    {
      onRequest: manage,
      schema: {
        tags,
        summary: 'Revise: a new version (contracts already generated keep theirs)',
        params: idParams,
        body: templateBody,
      },
    },
    async (request) => {
      const { id } = request.params;
      const result = await templates.handle(
        { type: 'ReviseContractTemplate', templateId: id, ...request.body },
        commandMetadataOf(request),
      );
      await caughtUp(result.position);
      const state = await templates.state(id);
      return ok({ id, version: state.versions.at(-1)?.version ?? 0 }, 'Đã lưu phiên bản mới');
    },
  );

  api.post(
    '/api/v1/contract-templates/:id/default',
    {
      onRequest: manage,
      schema: {
        tags,
        summary: 'Make it the default of a project (projectId) or of the platform (null)',
        params: idParams,
        body: makeDefaultBody,
      },
    },
    async (request) => {
      const { projectId } = request.body;
      if (projectId !== null) {
        const { rowCount } = await pool.query('select 1 from rm.projects where id = $1', [projectId]);
        if (!rowCount) throw notFound('PROJECT_NOT_FOUND', 'Không tìm thấy dự án');
      }
      const result = await templates.handle(
        { type: 'MakeTemplateDefault', templateId: request.params.id, projectId },
        commandMetadataOf(request),
      );
      await caughtUp(result.position);
      return ok({ id: request.params.id, projectId }, 'Đã đặt làm mẫu mặc định');
    },
  );

  api.delete(
    '/api/v1/contract-templates/:id',
    {
      onRequest: manage,
      schema: { tags, summary: 'Delete a template never used (409 TEMPLATE_IN_USE)', params: idParams },
    },
    async (request) => {
      const result = await templates.handle(
        { type: 'DeleteContractTemplate', templateId: request.params.id },
        commandMetadataOf(request),
      );
      await caughtUp(result.position);
      return ok({ id: request.params.id }, 'Đã xóa mẫu hợp đồng');
    },
  );
}
