import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SPECIALTY_LIMITS } from '../../domain/booking/specialty-catalog.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getSpecialty, listSpecialties } from '../../projections/booking/specialties-queries.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';
import { settledOn } from './experts-schemas.js';

const specialtyView = z.object({
  id: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  active: z.boolean(),
  position: z.number().int(),
});
const idParams = z.object({ id: z.string().min(1).max(64) });
const name = z.string().max(SPECIALTY_LIMITS.name * 2);

/**
 * The specialty catalog: the public list for the experts search and the profile form; admins
 * (`specialty:manage`) add, rename, disable and enable. Rules live in specialty-catalog.ts.
 */
export function specialtyRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;
  const handle = services.commands.specialties;
  const admin = { onRequest: app.requires('specialty:manage') };
  const tags = ['experts'];
  const settled = settledOn(services, 'specialties');

  const current = async (id: string) => {
    const specialty = await getSpecialty(db, id);
    if (!specialty) throw notFound('SPECIALTY_NOT_FOUND', `Chuyên môn "${id}" không tồn tại`);
    return specialty;
  };

  api.get(
    '/api/v1/specialties',
    {
      schema: {
        tags,
        summary: 'Active specialties in display order',
        response: { 200: envelopeOf(z.array(specialtyView)) },
      },
    },
    async () => ok(await listSpecialties(db)),
  );

  api.get(
    '/api/v1/admin/specialties',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Every specialty, disabled ones too',
        response: { 200: envelopeOf(z.array(specialtyView)) },
      },
    },
    async () => ok(await listSpecialties(db, { includeDisabled: true })),
  );

  api.post(
    '/api/v1/admin/specialties',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Add a specialty; `id` is a dashed slug (phap-ly-thue-nha) that experts store',
        body: z.object({ id: z.string().max(64), nameVi: name, nameEn: name }),
        response: { 201: envelopeOf(specialtyView) },
      },
    },
    async (request, reply) => {
      const { id, nameVi, nameEn } = request.body;
      const command = { type: 'AddSpecialty' as const, specialtyId: id, nameVi, nameEn };
      await settled((await handle(command, commandMetadataOf(request))).position);
      return reply.status(201).send(ok(await current(id), 'Đã thêm chuyên môn'));
    },
  );

  api.patch(
    '/api/v1/admin/specialties/:id',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Rename (either name or both)',
        params: idParams,
        body: z
          .object({ nameVi: name.optional(), nameEn: name.optional() })
          .refine((b) => b.nameVi !== undefined || b.nameEn !== undefined, {
            message: 'Nothing to change: send nameVi or nameEn',
          }),
        response: { 200: envelopeOf(specialtyView) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const command = { type: 'RenameSpecialty' as const, specialtyId: id, ...request.body };
      await settled((await handle(command, commandMetadataOf(request))).position);
      return ok(await current(id), 'Đã cập nhật chuyên môn');
    },
  );

  for (const action of ['disable', 'enable'] as const) {
    api.post(
      `/api/v1/admin/specialties/:id/${action}`,
      {
        ...admin,
        schema: {
          tags,
          summary:
            action === 'disable' ? 'Stop offering it to experts (experts who have it keep it)' : 'Offer it again',
          params: idParams,
          response: { 200: envelopeOf(specialtyView) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const type = action === 'disable' ? ('DisableSpecialty' as const) : ('EnableSpecialty' as const);
        await settled((await handle({ type, specialtyId: id }, commandMetadataOf(request))).position);
        return ok(await current(id), action === 'disable' ? 'Đã ngừng chuyên môn' : 'Đã bật lại chuyên môn');
      },
    );
  }
}
