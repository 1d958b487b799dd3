import { type AmenityCatalogState, type AmenityCommand, amenityCatalog } from '../../domain/catalog/amenity-catalog.js';
import { AMENITY_CATALOG_STREAM } from '../../domain/catalog/amenity-events.js';
import type { EventStore } from '../eventstore/port.js';
import { commandHandler, currentState, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';

/** Admin changes to the amenity catalog (one stream, see amenity-events.ts). */
export function amenityCommands(deps: HandlerDeps) {
  const handle = commandHandler(deps, { decider: amenityCatalog, stream: () => AMENITY_CATALOG_STREAM });
  return (command: AmenityCommand, metadata: CommandMetadata) => handle(command, metadata);
}

export type AmenityCommands = ReturnType<typeof amenityCommands>;

/**
 * The catalog as the write side sees it, for deciders of other streams that check amenity ids
 * with `amenityProblem(ids, catalog)` (the listing commands' context).
 */
export const loadAmenityCatalog = (store: EventStore): Promise<AmenityCatalogState> =>
  currentState(store, AMENITY_CATALOG_STREAM, amenityCatalog);
