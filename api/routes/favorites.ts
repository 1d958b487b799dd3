import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalid } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { favoriteStatus, listFavorites } from '../../projections/catalog/favorites-queries.js';
import { visibleListingCards } from '../../projections/catalog/listing-search-cards.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';

/** Listing ids as they appear in paths and streams. */
export const listingId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Mã tin đăng không hợp lệ');
const changed = envelopeOf(z.object({ listingId: z.string(), favorited: z.boolean() }));
const MAX_CHECKED = 100;

/** UC-CUST-02: a signed-in person's saved listings (`/me`: the person acted for, under act-as). */
export function favoriteRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;
  const { favorite, unfavorite } = services.commands.favorites;
  const signedIn = { onRequest: app.requires() };
  const tags = ['me'];
  const me = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';
  const settled = async (position: bigint | null) => {
    if (position !== null) await waitForProjection(pool, 'favorites', position, 2000);
  };

  api.post(
    '/api/v1/me/favorites',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Save a published listing (saving it again changes nothing; at most 500)',
        body: z.object({ listingId }),
        response: { 200: changed, 201: changed },
      },
    },
    async (request, reply) => {
      const { listingId: id } = request.body;
      const result = await favorite(me(request), id, commandMetadataOf(request));
      await settled(result.position);
      const added = result.events.length > 0;
      return reply
        .status(added ? 201 : 200)
        .send(ok({ listingId: id, favorited: true }, added ? 'Đã thêm vào yêu thích' : 'Tin đã có trong yêu thích'));
    },
  );

  api.delete(
    '/api/v1/me/favorites/:listingId',
    {
      ...signedIn,
      schema: { tags, summary: 'Remove a saved listing', params: z.object({ listingId }), response: { 200: changed } },
    },
    async (request) => {
      const id = request.params.listingId;
      await settled((await unfavorite(me(request), id, commandMetadataOf(request))).position);
      return ok({ listingId: id, favorited: false }, 'Đã bỏ yêu thích');
    },
  );

  api.get(
    '/api/v1/me/favorites',
    {
      ...signedIn,
      schema: {
        tags,
        summary:
          'Saved listings, newest first, each with its search card (`listing`, null once no longer shown); pass `nextCursor` back as `cursor`',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          cursor: z.string().max(200).optional(),
        }),
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const page = await listFavorites(pool, me(request), { limit, cursor: cursor ?? null });
      const cards = await visibleListingCards(
        services.db,
        page.items.map((item) => item.listingId),
      );
      return ok({
        ...page,
        items: page.items.map((item) => ({ ...item, listing: cards.get(item.listingId) ?? null })),
      });
    },
  );

  api.get(
    '/api/v1/me/favorites/check',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Which of `ids` (comma-separated, ≤ 100) are saved: { [id]: boolean }',
        querystring: z.object({ ids: z.string().max(MAX_CHECKED * 65) }),
        response: { 200: envelopeOf(z.record(z.string(), z.boolean())) },
      },
    },
    async (request) => {
      const ids = [...new Set(request.query.ids.split(',').map((id) => id.trim()))].filter((id) => id.length > 0);
      if (ids.length > MAX_CHECKED) throw invalid('TOO_MANY_IDS', `Tối đa ${MAX_CHECKED} tin đăng mỗi lần`, 'ids');
      const bad = ids.findIndex((id) => !listingId.safeParse(id).success);
      if (bad >= 0) throw invalid('LISTING_ID_INVALID', 'Mã tin đăng không hợp lệ', `ids.${bad}`);
      return ok(await favoriteStatus(pool, me(request), ids));
    },
  );
}
