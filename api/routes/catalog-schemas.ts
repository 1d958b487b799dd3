import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LISTING_STATUSES, ROOM_TYPES } from '../../domain/catalog/listing-events.js';
import { PROJECT_STATUSES } from '../../domain/catalog/project-events.js';
import { invalid } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getArea } from '../../projections/catalog/areas-queries.js';
import { waitForProjection } from '../../projections/status.js';

/** Shapes shared by the owner's and the operator's catalog routes. */
export const address = z.object({
  areaId: z.string().trim().min(1).max(64),
  street: z.string().max(300).default(''),
  lat: z.number().min(-90).max(90).nullable().default(null),
  lng: z.number().min(-180).max(180).nullable().default(null),
});

export const projectPolicy = z.object({
  requiresOwnerApprovalForViewings: z.boolean().default(false),
  defaultDepositPolicyId: z.uuid().nullable().default(null),
  contractTemplateId: z.string().max(64).nullable().default(null),
});

export const projectDetails = z.object({
  name: z.string().max(200),
  description: z.string().max(5000).default(''),
  address,
});

/** A PATCH: only the fields sent (no defaults, which `.partial()` would still fill in and overwrite). */
export const projectChanges = z
  .object({ name: z.string().max(200), description: z.string().max(5000), address })
  .partial();

export const listingBasics = z.object({
  title: z.string().max(200),
  description: z.string().max(5000),
  roomType: z.enum(ROOM_TYPES),
});

export const checklist = z.object({
  accurate: z.boolean(),
  imagesClear: z.boolean(),
  priceReasonable: z.boolean(),
  ownerKycVerified: z.boolean().default(false),
});

export const reason = z.object({ reason: z.string().max(500) });
export const idParams = z.object({ id: z.uuid() });
export const projectStatus = z.enum(PROJECT_STATUSES);
export const listingStatus = z.enum(LISTING_STATUSES);
export const limit = z.coerce.number().int().min(1).max(200).default(50);

/** The person an owner route acts for: the signed-in owner, or the user an operator acts as. */
export const subjectOf = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';

/** Read-your-writes: answer once the catalog read model shows the change (or after 2 s). */
export const settled = async (services: Services, position: bigint | null) => {
  if (position !== null) await waitForProjection(services.pool, 'catalog', position, 2000);
};

/** An address must point at an area of the tree (a 400 naming the field otherwise). */
export async function checkAreaExists(services: Services, areaId: string, field: string) {
  if (!(await getArea(services.db, areaId))) throw invalid('AREA_NOT_FOUND', 'Khu vực không tồn tại', field);
}
