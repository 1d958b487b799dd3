import { v5 as uuidv5 } from 'uuid';
import { systemMetadata } from '../../commands/metadata.js';
import type { Services } from '../services.js';

const BOOTSTRAP_NAMESPACE = '6c0f9a51-0e2b-4f7e-a3c4-8a1d2b7e9f30';

/** The first admin, so someone can sign in on a new installation. Does nothing once it exists. */
export async function bootstrapAdmin(services: Services, admin: { email: string; password: string }): Promise<boolean> {
  const userId = uuidv5('bootstrap-admin', BOOTSTRAP_NAMESPACE);
  return services.identity.accounts.bootstrapAdmin({ userId, ...admin }, systemMetadata('bootstrap-admin'));
}
