import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isFileKey } from '../../commands/storage/port.js';
import { LISTING_IMAGE_FOLDER } from '../../domain/catalog/listing-images.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';

/**
 * Listing images and thumbnails, public: only keys under `listings/` (never avatars or KYC
 * documents). A key names one immutable file (a new upload gets a new key), so browsers and
 * proxies may keep it for a year; like the UI's static files it is outside the API rate limit,
 * since one search page shows dozens of thumbnails.
 */
export function imageRoutes(app: FastifyInstance, services: Services): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/images/*',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['listings'],
        summary: 'A listing image or thumbnail by its key (`images[].key`, `images[].thumbnailKey`)',
        params: z.object({ '*': z.string().max(300) }),
      },
    },
    async (request, reply) => {
      const key = request.params['*'];
      const listed = key.startsWith(`${LISTING_IMAGE_FOLDER}/`) && isFileKey(key);
      const file = listed ? await services.storage.get(key) : null;
      if (!file) throw notFound('IMAGE_NOT_FOUND', 'Không tìm thấy ảnh');
      return reply
        .type(file.contentType)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.bytes);
    },
  );
}
