import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { areaCommands, noAreaReferencesYet } from '../commands/catalog/areas.js';
import { createEventStore } from '../commands/eventstore/index.js';
import type { EventStore } from '../commands/eventstore/port.js';
import { accountService } from '../commands/identity/accounts.js';
import { invitationService } from '../commands/identity/invitations.js';
import { type KycService, kycService } from '../commands/identity/kyc.js';
import { passwordFlows } from '../commands/identity/passwords-flow.js';
import { type PermissionResolver, permissionResolver } from '../commands/identity/permission-resolver.js';
import { type ProfileService, profileService } from '../commands/identity/profiles.js';
import { roleCatalogCommands } from '../commands/identity/role-catalog.js';
import { sessionService } from '../commands/identity/sessions.js';
import { staffService } from '../commands/identity/staff.js';
import { twoFactorService } from '../commands/identity/two-factor.js';
import { userCommands } from '../commands/identity/users.js';
import { createMailer } from '../commands/mail/index.js';
import type { Mailer } from '../commands/mail/port.js';
import { localDiskStorage } from '../commands/storage/local-disk.js';
import type { FileStorage } from '../commands/storage/port.js';
import { auditProjection } from '../projections/audit/audit-projection.js';
import { areasProjection } from '../projections/catalog/areas-projection.js';
import { kycProjection } from '../projections/identity/kyc-projection.js';
import { profilesProjection } from '../projections/identity/profiles-projection.js';
import { rolesProjection } from '../projections/identity/roles-projection.js';
import { staffProjection } from '../projections/identity/staff-projection.js';
import { usersProjection } from '../projections/identity/users-projection.js';
import type { AnyProjection } from '../projections/projection.js';

/** Every read model the product keeps; the projector process runs them all. */
export const allProjections: readonly AnyProjection[] = [
  auditProjection,
  areasProjection,
  usersProjection,
  rolesProjection,
  staffProjection,
  profilesProjection,
  kycProjection,
];

export interface Services {
  pool: pg.Pool;
  // biome-ignore lint/suspicious/noExplicitAny: read models bring their own table types
  db: Kysely<any>;
  store: EventStore;
  logger: Logger;
  clock: () => Date;
  projections: readonly AnyProjection[];
  mailer: Mailer;
  commands: {
    areas: ReturnType<typeof areaCommands>;
    users: ReturnType<typeof userCommands>;
    roles: ReturnType<typeof roleCatalogCommands>;
  };
  identity: {
    accounts: ReturnType<typeof accountService>;
    sessions: ReturnType<typeof sessionService>;
    twoFactor: ReturnType<typeof twoFactorService>;
    passwords: ReturnType<typeof passwordFlows>;
    /** Role–permission checks of every guarded request (cached ≤ 1 s, see permission-resolver.ts). */
    permissions: PermissionResolver;
    invitations: ReturnType<typeof invitationService>;
    staff: ReturnType<typeof staffService>;
  };
  /** Profiles, avatars, notification preferences (stream profile-<id>); KYC of owners and experts (kyc-<id>). */
  profiles: ProfileService;
  kyc: KycService;
  /** Uploaded files (avatars, KYC documents) under DATA_DIR/uploads. */
  storage: FileStorage;
  close(): Promise<void>;
}

export interface ServiceOptions {
  databaseUrl: string;
  eventStoreUrl?: string;
  smtpUrl?: string;
  /** Where mailed links point (a function: with port 0 it is known only after listening). */
  publicUrl: () => string;
  logger: Logger;
  /** DATA_DIR: uploads go to `<dataDir>/uploads` (default ./data). */
  dataDir?: string;
}

export function createServices(options: ServiceOptions): Services {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 20 });
  pool.on('error', (error) => options.logger.warn({ err: error }, 'idle database connection failed'));
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const store = createEventStore({ pool, ...(options.eventStoreUrl && { eventStoreUrl: options.eventStoreUrl }) });
  const clock = () => new Date();
  const mailer = createMailer({ pool, ...(options.smtpUrl && { smtpUrl: options.smtpUrl }) });
  const users = userCommands({ store, clock });
  const twoFactor = twoFactorService({ pool, users, clock });
  const invitations = invitationService({ pool, users, mailer, clock, publicUrl: options.publicUrl });
  const storage = localDiskStorage(path.join(options.dataDir ?? './data', 'uploads'));
  return {
    pool,
    db,
    store,
    logger: options.logger,
    clock,
    projections: allProjections,
    mailer,
    commands: {
      areas: areaCommands({ store, clock, usage: noAreaReferencesYet }),
      users,
      roles: roleCatalogCommands({ store, clock }),
    },
    identity: {
      accounts: accountService({ pool, users, mailer, clock, publicUrl: options.publicUrl }),
      sessions: sessionService({ pool, store, users, mailer, twoFactor, clock }),
      twoFactor,
      passwords: passwordFlows({ pool, users, mailer, clock }),
      permissions: permissionResolver({ pool }),
      invitations,
      staff: staffService({ pool, store, clock, users, invitations }),
    },
    profiles: profileService({ store, clock, storage }),
    kyc: kycService({ store, clock, storage }),
    storage,
    async close() {
      await store.close();
      await db.destroy(); // ends the pool only if Kysely ever used it
      if (!pool.ended) await pool.end();
    },
  };
}
