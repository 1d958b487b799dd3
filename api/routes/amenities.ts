import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AMENITY_LIMITS } from '../../domain/catalog/amenity-catalog.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getAmenity, listAmenities } from '../../projections/catalog/amenities-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';

const amenityView = z.object({
  id: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  icon: z.string().nullable(),
  active: z.boolean(),
  position: z.number().int(),
});
const idParams = z.object({ id: z.string().min(1).max(64) });
const name = z.string().max(AMENITY_LIMITS.name * 2);
const icon = z
  .string()
  .trim()
  .max(AMENITY_LIMITS.icon * 2);

/**
 * The amenity catalog: the public list for search filters and the listing form; admins
 * (`amenity:manage`) add, rename, disable/enable and reorder. Rules live in amenity-catalog.ts.
 */
export function amenityRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;
  const handle = services.commands.amenities;
  const admin = { onRequest: app.requires('amenity:manage') };
  const tags = ['amenities'];

  const settled = async (position: bigint | null) => {
    if (position !== null) await waitForProjection(pool, 'amenities', position, 2000);
  };
  const current = async (id: string) => {
    const amenity = await getAmenity(pool, id);
    if (!amenity) throw notFound('AMENITY_NOT_FOUND', `Tiện ích "${id}" không tồn tại`);
    return amenity;
  };

  api.get(
    '/api/v1/amenities',
    {
      schema: {
        tags,
        summary: 'Active amenities in display order',
        response: { 200: envelopeOf(z.array(amenityView)) },
      },
    },
    async () => ok(await listAmenities(pool)),
  );

  api.get(
    '/api/v1/admin/amenities',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Every amenity, disabled ones too',
        response: { 200: envelopeOf(z.array(amenityView)) },
      },
    },
    async () => ok(await listAmenities(pool, { includeDisabled: true })),
  );

  api.post(
    '/api/v1/admin/amenities',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Add an amenity; `id` is a lower_snake slug that listings store',
        body: z.object({ id: z.string().max(64), nameVi: name, nameEn: name, icon: icon.nullable().default(null) }),
        response: { 201: envelopeOf(amenityView) },
      },
    },
    async (request, reply) => {
      const { id, nameVi, nameEn } = request.body;
      const command = { type: 'AddAmenity' as const, amenityId: id, nameVi, nameEn, icon: request.body.icon || null };
      await settled((await handle(command, commandMetadataOf(request))).position);
      return reply.status(201).send(ok(await current(id), 'Đã thêm tiện ích'));
    },
  );

  api.patch(
    '/api/v1/admin/amenities/:id',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Rename, or change the icon (null removes it)',
        params: idParams,
        body: z
          .object({ nameVi: name.optional(), nameEn: name.optional(), icon: icon.nullable().optional() })
          .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change: send nameVi, nameEn or icon' }),
        response: { 200: envelopeOf(amenityView) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { icon: newIcon, ...names } = request.body;
      const command = {
        type: 'RenameAmenity' as const,
        amenityId: id,
        ...names,
        ...(newIcon !== undefined && { icon: newIcon || null }),
      };
      await settled((await handle(command, commandMetadataOf(request))).position);
      return ok(await current(id), 'Đã cập nhật tiện ích');
    },
  );

  for (const action of ['disable', 'enable'] as const) {
    api.post(
      `/api/v1/admin/amenities/:id/${action}`,
      {
        ...admin,
        schema: {
          tags,
          summary:
            action === 'disable'
              ? 'Stop offering it for new listings (listings that have it keep it)'
              : 'Offer it again',
          params: idParams,
          response: { 200: envelopeOf(amenityView) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const type = action === 'disable' ? ('DisableAmenity' as const) : ('EnableAmenity' as const);
        await settled((await handle({ type, amenityId: id }, commandMetadataOf(request))).position);
        return ok(await current(id), action === 'disable' ? 'Đã ngừng tiện ích' : 'Đã bật lại tiện ích');
      },
    );
  }

  api.put(
    '/api/v1/admin/amenities/order',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Display order: every amenity id (disabled ones too) exactly once',
        body: z.object({ order: z.array(z.string().max(64)).max(AMENITY_LIMITS.amenities) }),
        response: { 200: envelopeOf(z.array(amenityView)) },
      },
    },
    async (request) => {
      const command = { type: 'ReorderAmenities' as const, order: request.body.order };
      await settled((await handle(command, commandMetadataOf(request))).position);
      return ok(await listAmenities(pool, { includeDisabled: true }), 'Đã sắp xếp tiện ích');
    },
  );
}
