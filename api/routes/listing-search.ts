import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROOM_TYPES } from '../../domain/catalog/listing-events.js';
import { invalid } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import {
  type ListingSearchRequest,
  SEARCH_LIMITS,
  SEARCH_SORTS,
  searchListings,
} from '../../projections/catalog/listing-search-queries.js';
import { envelopeOf, ok } from '../envelope.js';

const money = z.coerce.number().int().min(0).max(1_000_000_000_000).optional();
const squareMeters = z.coerce.number().min(0).max(100_000).optional();
const flag = z.enum(['true', 'false']).optional();
const amenityList = z
  .string()
  .max(1500)
  .transform((text) =>
    text
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[a-z0-9_-]{1,64}$/, 'Mã tiện ích không hợp lệ')).max(SEARCH_LIMITS.amenities));

const query = z.object({
  q: z.string().max(SEARCH_LIMITS.keyword).optional(),
  areaId: z.string().min(1).max(64).optional(),
  priceMin: money,
  priceMax: money,
  areaMin: squareMeters,
  areaMax: squareMeters,
  amenities: amenityList.optional(),
  roomType: z.enum(ROOM_TYPES).optional(),
  available: flag,
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  radiusKm: z.coerce.number().positive().max(SEARCH_LIMITS.radiusKm).optional(),
  sort: z.enum(SEARCH_SORTS).optional(),
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMITS.pageSize).default(SEARCH_LIMITS.defaultPageSize),
  cursor: z.string().max(4000).optional(),
  facets: flag,
});

const item = z.object({
  listingId: z.string(),
  title: z.string(),
  roomType: z.string(),
  priceMin: z.number().nullable(),
  priceMax: z.number().nullable(),
  areaMin: z.number().nullable(),
  areaMax: z.number().nullable(),
  availableRooms: z.number().int(),
  roomCount: z.number().int(),
  wardName: z.string().nullable(),
  districtName: z.string().nullable(),
  provinceName: z.string().nullable(),
  street: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  distanceKm: z.number().nullable(),
  coverThumbnailUrl: z.string().nullable(),
  publishedAt: z.date().nullable(),
});

const facets = z.object({
  approximate: z.boolean().optional(),
  total: z.number().int(),
  districts: z.array(z.object({ areaId: z.string(), name: z.string(), count: z.number().int() })),
  priceBuckets: z.array(z.object({ min: z.number().nullable(), max: z.number().nullable(), count: z.number().int() })),
});

const page = z.object({ items: z.array(item), nextCursor: z.string().nullable(), facets: facets.optional() });

/** lat, lng and radiusKm come together: the first one missing is named. */
function nearOf(q: { lat?: number; lng?: number; radiusKm?: number }): ListingSearchRequest['near'] {
  const given = (['lat', 'lng', 'radiusKm'] as const).filter((key) => q[key] !== undefined);
  if (given.length === 0) return undefined;
  const missing = (['lat', 'lng', 'radiusKm'] as const).find((key) => q[key] === undefined);
  if (missing) throw invalid('LOCATION_INCOMPLETE', 'Tìm theo bán kính cần đủ lat, lng và radiusKm', missing);
  return { lat: q.lat as number, lng: q.lng as number, radiusKm: q.radiusKm as number };
}

/** Public listing search (UC-CUST-01): visible listings only, keyset pages, optional facets. */
export function listingSearchRoutes(app: FastifyInstance, services: Services): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/listings/search',
    {
      schema: {
        tags: ['listings'],
        summary: 'Search published listings: keyword (accent- and typo-tolerant), area, price, size, amenities, radius',
        querystring: query,
        response: { 200: envelopeOf(page) },
      },
    },
    async (request) => {
      const { lat, lng, radiusKm, available, facets: withFacets, ...rest } = request.query;
      const near = nearOf({ lat, lng, radiusKm });
      const search: ListingSearchRequest = {
        ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
        ...(near && { near }),
        ...(available === 'true' && { available: true }),
        ...(withFacets === 'true' && { facets: true }),
      };
      return ok(await searchListings(services.db, search));
    },
  );
}
