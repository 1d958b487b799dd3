import { sql } from 'kysely';
import { FAVORITE_EVENT_TYPES, type FavoriteEvent } from '../../domain/catalog/favorite-events.js';
import type { Projection } from '../projection.js';

export interface FavoriteRow {
  user_id: string;
  listing_id: string;
  created_at: Date;
}

export interface FavoritesTables {
  favorites: FavoriteRow;
}

/** Who saved which listing and when (rm.favorites), newest first per person. */
export const favoritesProjection: Projection<FavoritesTables> = {
  name: 'favorites',
  version: 1,
  filter: { eventTypes: FAVORITE_EVENT_TYPES },
  tables: ['favorites'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'favorites')} (
      user_id text not null,
      listing_id text not null,
      created_at timestamptz not null,
      primary key (user_id, listing_id)
    )`.execute(db);
    await sql`create index if not exists favorites_newest on ${sql.id(schema, 'favorites')}
      (user_id, created_at desc, listing_id desc)`.execute(db);
    await sql`create index if not exists favorites_listing on ${sql.id(schema, 'favorites')} (listing_id)`.execute(db);
  },

  async apply(events, { db }) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as FavoriteEvent;
      const { userId, listingId } = event.data;
      if (event.type === 'ListingFavorited') {
        await db
          .insertInto('favorites')
          .values({ user_id: userId, listing_id: listingId, created_at: new Date(recorded.metadata.occurredAt) })
          .onConflict((oc) => oc.columns(['user_id', 'listing_id']).doNothing())
          .execute();
      } else {
        await db.deleteFrom('favorites').where('user_id', '=', userId).where('listing_id', '=', listingId).execute();
      }
    }
  },
};
