import { type RoleCatalogCommand, roleCatalogDecider } from '../../domain/identity/role-catalog.js';
import { ROLE_CATALOG_STREAM } from '../../domain/identity/role-catalog-events.js';
import { commandHandler, type HandlerDeps } from '../handler.js';

/** Roles, their permissions and custom-role assignments: one stream, `rolecatalog` (UC-ADMIN-07). */
export const roleCatalogCommands = (deps: HandlerDeps) =>
  commandHandler(deps, { decider: roleCatalogDecider, stream: (_command: RoleCatalogCommand) => ROLE_CATALOG_STREAM });

export type RoleCatalogCommands = ReturnType<typeof roleCatalogCommands>;
