import { describe, test } from 'vitest';
import type { FavoriteEvent } from '../../domain/catalog/favorite-events.js';
import { type FavoritesContext, favoritesDecider, MAX_FAVORITES } from '../../domain/catalog/favorites.js';
import { scenario, testContext } from '../support/given-when-then.js';

const userId = 'user-1';
const as = (listingPublished: boolean, actorId = userId) =>
  scenario(favoritesDecider, {
    ...testContext({ actorId, roles: ['customer'] }),
    listingPublished,
  } as FavoritesContext);
const favorited = (listingId: string): FavoriteEvent => ({ type: 'ListingFavorited', data: { listingId, userId } });
const unfavorited = (listingId: string): FavoriteEvent => ({ type: 'ListingUnfavorited', data: { listingId, userId } });
const favorite = (listingId: string) => ({ type: 'FavoriteListing' as const, userId, listingId });
const unfavorite = (listingId: string) => ({ type: 'UnfavoriteListing' as const, userId, listingId });

describe('favorites', () => {
  test('a published listing is saved once: saving it again appends nothing', () => {
    as(true)
      .given([])
      .when(favorite('l-1'))
      .thenEmits([favorited('l-1')]);
    as(true)
      .given([favorited('l-1')])
      .when(favorite('l-1'))
      .thenEmits([]);
    as(true)
      .given([favorited('l-1'), unfavorited('l-1')])
      .when(favorite('l-1'))
      .thenEmits([favorited('l-1')]);
  });

  test('only published listings can be saved', () => {
    as(false).given([]).when(favorite('l-draft')).thenFails('LISTING_NOT_FOUND');
  });

  test('removing: once, also for a listing no longer published; removing an unsaved one appends nothing', () => {
    as(false)
      .given([favorited('l-1')])
      .when(unfavorite('l-1'))
      .thenEmits([unfavorited('l-1')]);
    as(true)
      .given([favorited('l-1'), unfavorited('l-1')])
      .when(unfavorite('l-1'))
      .thenEmits([]);
  });

  test(`at most ${MAX_FAVORITES} favorites`, () => {
    const full = Array.from({ length: MAX_FAVORITES }, (_, i) => favorited(`l-${i}`));
    as(true).given(full).when(favorite('l-one-more')).thenFails('FAVORITES_LIMIT');
    as(true)
      .given([...full, unfavorited('l-0')])
      .when(favorite('l-one-more'))
      .thenEmits([favorited('l-one-more')]);
  });

  test('a person changes only their own favorites', () => {
    as(true, 'someone-else').given([]).when(favorite('l-1')).thenFails('FAVORITES_NOT_OWN');
  });
});
