import type { Services } from '../services.js';

/**
 * The platform's built-in rental contract (commands/contracts/built-in-template.ts), created once
 * and made the platform default; a later start changes nothing (an admin's edits and choice of
 * another default stay).
 */
export async function seedContractTemplate(services: Services): Promise<void> {
  await services.contracts.templates.ensureBuiltIn();
}
