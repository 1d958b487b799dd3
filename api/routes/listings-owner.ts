import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ListingCommand } from '../../domain/catalog/listing.js';
import { LISTING_IMAGE_LIMITS } from '../../domain/catalog/listing-images.js';
import { invalid, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { getListing, listListings } from '../../projections/catalog/catalog-queries.js';
import { ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';
import { readUploads, registerUploads } from '../uploads.js';
import {
  address,
  checkAreaExists,
  idParams,
  limit,
  listingBasics,
  listingStatus,
  settled,
  subjectOf,
} from './catalog-schemas.js';

const listingRoom = z.object({
  roomId: z.uuid(),
  price: z.number().int().nullable().default(null),
  areaM2: z.number().nullable().default(null),
  description: z.string().max(2000).nullable().default(null),
  displayOrder: z.number().int().min(0).max(1000),
});

/** The owner's listings and the 6-step wizard (UC-PROJ-01); each step is saved as a draft. */
export async function ownerListingRoutes(app: FastifyInstance, services: Services) {
  await app.register(async (scope) => {
    await registerUploads(scope);
    const api = scope.withTypeProvider<ZodTypeProvider>();
    const { listings } = services.catalog;
    const owner = { onRequest: app.requires('listing:create') };
    const tags = ['catalog'];

    const mine = async (request: FastifyRequest, listingId: string) => {
      const listing = await getListing(services.pool, listingId);
      if (!listing || listing.ownerId !== subjectOf(request))
        throw notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
      return listing;
    };
    const send = async (command: ListingCommand, request: FastifyRequest) => {
      const result = await listings.handle(command, commandMetadataOf(request));
      await settled(services, result.position);
      return ok(await mine(request, command.listingId));
    };

    api.get(
      '/api/v1/me/listings',
      {
        ...owner,
        schema: {
          tags,
          summary: 'My listings',
          querystring: z.object({ status: listingStatus.optional(), projectId: z.uuid().optional(), limit }),
        },
      },
      async (request) => {
        const { status, projectId, limit } = request.query;
        return ok(
          await listListings(services.pool, {
            ownerId: subjectOf(request),
            limit,
            ...(status && { status }),
            ...(projectId && { projectId }),
          }),
        );
      },
    );

    api.post(
      '/api/v1/me/listings',
      {
        ...owner,
        schema: {
          tags,
          summary: 'Start a listing (wizard step 1 saved as a draft)',
          body: listingBasics.extend({ projectId: z.uuid() }),
        },
      },
      async (request) =>
        send({ type: 'CreateListingDraft', by: 'owner', listingId: newIdFor(request), ...request.body }, request),
    );

    api.get('/api/v1/me/listings/:id', { ...owner, schema: { tags, params: idParams } }, async (request) =>
      ok(await mine(request, request.params.id)),
    );

    api.put(
      '/api/v1/me/listings/:id/basics',
      {
        ...owner,
        schema: { tags, summary: 'Step 1: title, description, room type', params: idParams, body: listingBasics },
      },
      async (request) =>
        send({ type: 'SaveListingBasics', by: 'owner', listingId: request.params.id, ...request.body }, request),
    );

    api.put(
      '/api/v1/me/listings/:id/features',
      {
        ...owner,
        schema: {
          tags,
          summary: 'Step 2: amenities and address',
          params: idParams,
          body: z.object({ amenities: z.array(z.string().max(40)).max(50), address }),
        },
      },
      async (request) => {
        await checkAreaExists(services, request.body.address.areaId, 'address.areaId');
        return send(
          { type: 'SaveListingFeatures', by: 'owner', listingId: request.params.id, ...request.body },
          request,
        );
      },
    );

    api.put(
      '/api/v1/me/listings/:id/rooms',
      {
        ...owner,
        schema: {
          tags,
          summary: 'Step 3: rooms offered, with overrides',
          params: idParams,
          body: z.object({ rooms: z.array(listingRoom).max(100) }),
        },
      },
      async (request) =>
        send(
          { type: 'SaveListingRooms', by: 'owner', listingId: request.params.id, rooms: request.body.rooms },
          request,
        ),
    );

    api.post(
      '/api/v1/me/listings/:id/images',
      {
        ...owner,
        schema: {
          tags,
          summary: 'Step 4: upload images (`images`, JPEG/PNG/WebP by content, ≤ 10 MB, ≤ 10)',
          params: idParams,
          consumes: ['multipart/form-data'],
        },
      },
      async (request) => {
        await mine(request, request.params.id);
        const { files } = await readUploads(request, {
          fileFields: ['images'],
          maxFiles: LISTING_IMAGE_LIMITS.files,
          maxFileBytes: LISTING_IMAGE_LIMITS.bytes,
        });
        if (files.length === 0) throw invalid('IMAGES_REQUIRED', 'Chọn ít nhất một hình ảnh', 'images');
        const result = await listings.addImages(request.params.id, 'owner', files, commandMetadataOf(request));
        await settled(services, result.position);
        return ok(await mine(request, request.params.id));
      },
    );

    api.delete(
      '/api/v1/me/listings/:id/images',
      {
        ...owner,
        schema: {
          tags,
          summary: 'Step 4: remove an image',
          params: idParams,
          querystring: z.object({ key: z.string().max(300) }),
        },
      },
      async (request) => {
        const { id } = request.params;
        const result = await listings.removeImage(id, 'owner', request.query.key, commandMetadataOf(request));
        await settled(services, result.position);
        return ok(await mine(request, id));
      },
    );

    api.put(
      '/api/v1/me/listings/:id/images/order',
      {
        ...owner,
        schema: {
          tags,
          summary: 'Step 4: order of the images (the first is the cover)',
          params: idParams,
          body: z.object({ keys: z.array(z.string().max(300)).max(30) }),
        },
      },
      async (request) =>
        send(
          { type: 'ReorderListingImages', by: 'owner', listingId: request.params.id, keys: request.body.keys },
          request,
        ),
    );

    api.put(
      '/api/v1/me/listings/:id/deposit-policy',
      {
        ...owner,
        schema: {
          tags,
          summary: "Step 5: deposit policy (null = the project's default)",
          params: idParams,
          body: z.object({ depositPolicyId: z.uuid().nullable() }),
        },
      },
      async (request) =>
        send(
          {
            type: 'ChooseListingDepositPolicy',
            by: 'owner',
            listingId: request.params.id,
            depositPolicyId: request.body.depositPolicyId,
          },
          request,
        ),
    );

    for (const [path, type, summary] of [
      ['submit', 'SubmitListing', 'Step 6: send to review'],
      ['archive', 'ArchiveListing', 'Archive the listing'],
    ] as const) {
      api.post(
        `/api/v1/me/listings/:id/${path}`,
        { ...owner, schema: { tags, summary, params: idParams } },
        async (request) => send({ type, by: 'owner', listingId: request.params.id }, request),
      );
    }
  });
}
