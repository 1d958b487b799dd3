import { type AreaCommand, type AreaContext, areaCatalog } from '../../domain/catalog/area-catalog.js';
import { AREA_CATALOG_STREAM } from '../../domain/catalog/area-events.js';
import { commandHandler, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';

/** Who refers to an area (listings, projects, staff areas), counted from read models. */
export interface AreaUsage {
  countUses(areaId: string): Promise<number>;
}

/**
 * Nothing refers to areas yet: listings, projects and staff areas arrive with the catalog and
 * booking issues, which replace this with counts from their read models.
 */
export const noAreaReferencesYet: AreaUsage = { countUses: async () => 0 };

export function areaCommands(deps: HandlerDeps & { usage: AreaUsage }) {
  const handle = commandHandler(deps, {
    decider: areaCatalog,
    stream: () => AREA_CATALOG_STREAM,
    context: async (command, base): Promise<AreaContext> => {
      const uses = command.type === 'DeleteArea' ? await deps.usage.countUses(command.areaId) : 0;
      return { ...base, usesOf: (areaId) => (command.type === 'DeleteArea' && areaId === command.areaId ? uses : 0) };
    },
  });
  return (command: AreaCommand, metadata: CommandMetadata) => handle(command, metadata);
}

export type AreaCommands = ReturnType<typeof areaCommands>;
