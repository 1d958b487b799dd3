import type { Decider, DecisionContext } from '../shared/decider.js';
import { DomainError, notFound } from '../shared/errors.js';
import type { FavoriteEvent } from './favorite-events.js';

export interface FavoritesState {
  listingIds: Set<string>;
}

export type FavoriteCommand =
  | { type: 'FavoriteListing'; userId: string; listingId: string }
  | { type: 'UnfavoriteListing'; userId: string; listingId: string };

export interface FavoritesContext extends DecisionContext {
  /** Whether the listing of the command is published now (from the listings read model). */
  listingPublished: boolean;
}

export const MAX_FAVORITES = 500;

function decide(command: FavoriteCommand, state: FavoritesState, ctx: FavoritesContext) {
  if (ctx.actorId !== command.userId) {
    return new DomainError('forbidden', 'FAVORITES_NOT_OWN', 'Chỉ chủ tài khoản mới sửa được danh sách yêu thích');
  }
  const { userId, listingId } = command;
  const saved = state.listingIds.has(listingId);
  if (command.type === 'UnfavoriteListing') {
    // An archived listing can still be removed: only favoriting needs it published.
    return saved ? [{ type: 'ListingUnfavorited' as const, data: { listingId, userId } }] : [];
  }
  if (saved) return [];
  if (!ctx.listingPublished) return notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
  if (state.listingIds.size >= MAX_FAVORITES) {
    return new DomainError('conflict', 'FAVORITES_LIMIT', `Danh sách yêu thích tối đa ${MAX_FAVORITES} tin đăng`);
  }
  return [{ type: 'ListingFavorited' as const, data: { listingId, userId } }];
}

export const favoritesDecider: Decider<FavoriteCommand, FavoritesState, FavoriteEvent, FavoritesContext> = {
  initialState: () => ({ listingIds: new Set() }),
  evolve(state, event) {
    if (event.type === 'ListingFavorited') state.listingIds.add(event.data.listingId);
    else state.listingIds.delete(event.data.listingId);
    return state;
  },
  decide,
};
