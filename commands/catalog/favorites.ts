import { favoritesStream } from '../../domain/catalog/favorite-events.js';
import { type FavoriteCommand, type FavoritesContext, favoritesDecider } from '../../domain/catalog/favorites.js';
import { commandHandler, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';

/** Which listings customers may see; the listings read model answers it. */
export interface ListingLookup {
  isPublished(listingId: string): Promise<boolean>;
}

/** A person's favorites (UC-CUST-02): stream `favorites-<userId>`. */
export function favoriteCommands(deps: HandlerDeps & { listings: ListingLookup }) {
  const handle = commandHandler(deps, {
    decider: favoritesDecider,
    stream: (command: FavoriteCommand) => favoritesStream(command.userId),
    context: async (command, base): Promise<FavoritesContext> => ({
      ...base,
      listingPublished: command.type === 'FavoriteListing' && (await deps.listings.isPublished(command.listingId)),
    }),
  });
  return {
    favorite: (userId: string, listingId: string, metadata: CommandMetadata) =>
      handle({ type: 'FavoriteListing', userId, listingId }, metadata),
    unfavorite: (userId: string, listingId: string, metadata: CommandMetadata) =>
      handle({ type: 'UnfavoriteListing', userId, listingId }, metadata),
  };
}

export type FavoriteCommands = ReturnType<typeof favoriteCommands>;
