import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GeocodingUnavailable } from '../../commands/geo/port.js';
import { DomainError, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { envelopeOf, failure, ok } from '../envelope.js';

export const GEOCODE_ADDRESS_MAX = 300;

const geocodeView = z.object({
  lat: z.number(),
  lng: z.number(),
  formattedAddress: z.string(),
  provider: z.enum(['google', 'nominatim']),
});

/** Address → coordinates for the listing wizard's map preview (owners writing listings, moderators). */
export function geocodeRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { geocoder, identity } = services;

  /** `app.requires` takes one permission; this route accepts either of two. */
  const listingWriter = async (request: FastifyRequest) => {
    const actor = request.actor;
    const allowed =
      actor !== null &&
      ((await identity.permissions.mayActor(actor, 'listing:create')) ||
        (await identity.permissions.mayActor(actor, 'project:moderate')));
    if (!allowed) {
      throw new DomainError('forbidden', 'FORBIDDEN', 'Chỉ chủ dự án hoặc nhân viên điều hành được tra cứu địa chỉ');
    }
  };

  api.get(
    '/api/v1/geocode',
    {
      onRequest: [app.requires(), listingWriter],
      schema: {
        tags: ['geo'],
        summary: 'Coordinates of an address in Vietnam (Google, else OpenStreetMap Nominatim; cached 30 days)',
        querystring: z.object({
          address: z
            .string({ error: 'Nhập địa chỉ' })
            .trim()
            .min(1, 'Nhập địa chỉ')
            .max(GEOCODE_ADDRESS_MAX, `Địa chỉ tối đa ${GEOCODE_ADDRESS_MAX} ký tự`),
        }),
        response: { 200: envelopeOf(geocodeView), 503: envelopeOf(z.null()) },
      },
    },
    async (request, reply) => {
      try {
        const found = await geocoder.geocode(request.query.address, { region: 'vn' });
        if (!found) throw notFound('ADDRESS_NOT_FOUND', 'Không tìm thấy địa chỉ trên bản đồ');
        const { lat, lng, formattedAddress, provider } = found;
        return ok({ lat, lng, formattedAddress, provider });
      } catch (error) {
        if (!(error instanceof GeocodingUnavailable)) throw error;
        return reply
          .status(503)
          .header('retry-after', '30')
          .send(failure('GEOCODING_UNAVAILABLE', 'Dịch vụ bản đồ tạm thời không phản hồi; vui lòng thử lại sau'));
      }
    },
  );
}
