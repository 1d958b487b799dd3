import type { DomainEvent } from '../shared/decider.js';

/** A person's saved listings (UC-CUST-02, "yêu thích"), stream `favorites-<userId>`. */
export type FavoriteEvent =
  | DomainEvent<'ListingFavorited', { listingId: string; userId: string }>
  | DomainEvent<'ListingUnfavorited', { listingId: string; userId: string }>;

export const FAVORITE_EVENT_TYPES: FavoriteEvent['type'][] = ['ListingFavorited', 'ListingUnfavorited'];

export const favoritesStream = (userId: string) => `favorites-${userId}`;
