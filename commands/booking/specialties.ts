import {
  type SpecialtyCatalogState,
  type SpecialtyCommand,
  specialtyCatalog,
} from '../../domain/booking/specialty-catalog.js';
import { SPECIALTY_CATALOG_STREAM } from '../../domain/booking/specialty-events.js';
import type { EventStore } from '../eventstore/port.js';
import { commandHandler, currentState, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';

/** Admin changes to the specialty catalog (one stream, see specialty-events.ts). */
export function specialtyCommands(deps: HandlerDeps) {
  const handle = commandHandler(deps, { decider: specialtyCatalog, stream: () => SPECIALTY_CATALOG_STREAM });
  return (command: SpecialtyCommand, metadata: CommandMetadata) => handle(command, metadata);
}

export type SpecialtyCommands = ReturnType<typeof specialtyCommands>;

/** The catalog as the write side sees it: the expert decider checks specialty ids against it. */
export const loadSpecialtyCatalog = (store: EventStore): Promise<SpecialtyCatalogState> =>
  currentState(store, SPECIALTY_CATALOG_STREAM, specialtyCatalog);
