import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { bookingOverlapReaction, staffDepartureReaction } from '../commands/booking/booking-reactions.js';
import { type BookingService, bookingService } from '../commands/booking/bookings.js';
import { type ExpertCommandService, expertCommands } from '../commands/booking/experts.js';
import { providerDirectory } from '../commands/booking/provider-directory.js';
import { type ShiftCommands, shiftCommands } from '../commands/booking/shifts.js';
import { type SpecialtyCommands, specialtyCommands } from '../commands/booking/specialties.js';
import { type AmenityCommands, amenityCommands } from '../commands/catalog/amenities.js';
import { areaCommands } from '../commands/catalog/areas.js';
import { depositPolicyCommands } from '../commands/catalog/deposit-policies.js';
import { type FavoriteCommands, favoriteCommands, type ListingLookup } from '../commands/catalog/favorites.js';
import { type ListingViewService, listingViewService } from '../commands/catalog/listing-views.js';
import { type ListingService, listingService } from '../commands/catalog/listings.js';
import { type ProjectService, projectService } from '../commands/catalog/projects.js';
import { publicationReaction } from '../commands/catalog/publication-reaction.js';
import { readModelLookups } from '../commands/catalog/read-model-lookups.js';
import { type ContractServices, contractServices } from '../commands/contracts/index.js';
import { createEventStore } from '../commands/eventstore/index.js';
import type { EventStore } from '../commands/eventstore/port.js';
import { createGeocoder, type GeocodingConfig } from '../commands/geo/geocoder.js';
import type { Geocoder } from '../commands/geo/port.js';
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
import type { ChannelConfig } from '../commands/notifications/channels/config.js';
import {
  type NotificationOptions,
  type NotificationServices,
  notificationServices,
} from '../commands/notifications/index.js';
import { type TelegramLinking, telegramLinking } from '../commands/notifications/telegram-linking.js';
import type { GatewayConfig } from '../commands/payments/gateways/index.js';
import { type MoneyServices, moneyServices } from '../commands/payments/index.js';
import { type ImageService, imageService } from '../commands/storage/images.js';
import { localDiskStorage } from '../commands/storage/local-disk.js';
import type { FileStorage } from '../commands/storage/port.js';
import { auditProjection } from '../projections/audit/audit-projection.js';
import { confirmedBookingsOf } from '../projections/booking/booking-lookups.js';
import { bookingsProjection } from '../projections/booking/bookings-projection.js';
import { expertsProjection } from '../projections/booking/experts-projection.js';
import { getExpertBookingProfile } from '../projections/booking/experts-queries.js';
import { shiftsProjection } from '../projections/booking/shifts-projection.js';
import { specialtiesProjection } from '../projections/booking/specialties-projection.js';
import { amenitiesProjection } from '../projections/catalog/amenities-projection.js';
import { areasProjection } from '../projections/catalog/areas-projection.js';
import { catalogProjection } from '../projections/catalog/catalog-projection.js';
import { depositPoliciesProjection } from '../projections/catalog/deposit-policies-projection.js';
import { favoritesProjection } from '../projections/catalog/favorites-projection.js';
import { listingSearchProjection } from '../projections/catalog/listing-search-projection.js';
import { contractsProjection } from '../projections/contracts/contracts-projection.js';
import { kycProjection } from '../projections/identity/kyc-projection.js';
import { profilesProjection } from '../projections/identity/profiles-projection.js';
import { rolesProjection } from '../projections/identity/roles-projection.js';
import { staffProjection } from '../projections/identity/staff-projection.js';
import { usersProjection } from '../projections/identity/users-projection.js';
import { jobQueuesProjection } from '../projections/jobs/job-queues-projection.js';
import { ledgerProjection } from '../projections/ledger/ledger-projection.js';
import { paymentsProjection } from '../projections/payments/payments-projection.js';
import { walletsProjection } from '../projections/payments/wallets-projection.js';
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
  amenitiesProjection,
  favoritesProjection,
  depositPoliciesProjection,
  listingSearchProjection,
  catalogProjection,
  shiftsProjection,
  specialtiesProjection,
  expertsProjection,
  bookingsProjection,
  paymentsProjection,
  walletsProjection,
  ledgerProjection,
  contractsProjection,
  jobQueuesProjection,
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
  /** Address → coordinates (Google, then Nominatim), cached in catalog.geocode_cache. */
  geocoder: Geocoder;
  commands: {
    areas: ReturnType<typeof areaCommands>;
    users: ReturnType<typeof userCommands>;
    roles: ReturnType<typeof roleCatalogCommands>;
    amenities: AmenityCommands;
    favorites: FavoriteCommands;
    depositPolicies: ReturnType<typeof depositPolicyCommands>;
    /** Sales staff shifts (shifts-<staffId>). */
    shifts: ShiftCommands;
    /** Expert specialties (stream specialtycatalog) and experts (expert-<userId>, credentials in `storage`). */
    specialties: SpecialtyCommands;
    experts: ExpertCommandService;
  };
  /** Projects and rooms (project-<id>, room-<id>) and listings (listing-<id>). */
  catalog: { projects: ProjectService; listings: ListingService };
  /** Deposits, payments, gateways (deposit-<id>, payment-<id>, and the room's hold). */
  money: MoneyServices;
  /** Contract templates, contracts, handover reports and their OTP signing (contract-<id>, handover-<id>). */
  contracts: ContractServices;
  /** The booking engine: day calendars (calendar-<providerId>-<date>), bookings (booking-<id>), holds, slots. */
  bookings: BookingService;
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
  /** Linking a person's Telegram chat with a one-time code (ops.telegram_link_codes, events on profile-<id>). */
  telegram: TelegramLinking;
  /** Telegram and SMS settings the notification senders are built from (a channel left out is off). */
  channels: ChannelConfig;
  /** Notifications: the event reaction, inbox, templates (notification-templates), delivery queues. */
  notifications: NotificationServices;
  /** Uploaded files (avatars, KYC documents) under DATA_DIR/uploads. */
  storage: FileStorage;
  /** Listing images: checked by content, cleaned of metadata, thumbnailed, in `storage` under listings/. */
  images: ImageService;
  /** Which listings are published (favorites and view counts accept only those). */
  listingLookup: ListingLookup;
  /** Listing views, one per viewer per hour (catalog schema, not events). */
  listingViews: ListingViewService;
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
  /** Geocoding providers (GOOGLE_GEOCODING_KEY/URL, NOMINATIM_URL); public Nominatim when unset. */
  geocoding?: GeocodingConfig;
  /** Which listings count as published; the listings read model when unset (tests choose their own). */
  listingLookup?: ListingLookup;
  /** The time commands decide with; the wall clock when unset (tests move it forward). */
  clock?: () => Date;
  /** Payment providers with credentials; manual bank transfer is always there. */
  gateways?: GatewayConfig;
  /** System policy: customers' wallets on (default) or off. */
  walletEnabled?: boolean;
  /** Telegram and SMS channels; both off when unset. */
  channels?: ChannelConfig;
  /** Notification delivery: attempts, backoff, caps, test senders (commands/notifications/config.ts). */
  notifications?: NotificationOptions;
}

export function createServices(options: ServiceOptions): Services {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 20 });
  pool.on('error', (error) => options.logger.warn({ err: error }, 'idle database connection failed'));
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const store = createEventStore({ pool, ...(options.eventStoreUrl && { eventStoreUrl: options.eventStoreUrl }) });
  const clock = options.clock ?? (() => new Date());
  const mailer = createMailer({ pool, ...(options.smtpUrl && { smtpUrl: options.smtpUrl }) });
  const notifications = notificationServices({
    pool,
    store,
    clock,
    logger: options.logger,
    publicUrl: options.publicUrl,
    mailer,
    ...(options.channels && { channelConfig: options.channels }),
    ...(options.notifications && { options: options.notifications }),
  });
  const users = userCommands({ store, clock });
  const twoFactor = twoFactorService({ pool, users, clock });
  const invitations = invitationService({ pool, users, mailer, clock, publicUrl: options.publicUrl });
  const lookups = readModelLookups(pool);
  const listingLookup = options.listingLookup ?? lookups.published;
  const storage = localDiskStorage(path.join(options.dataDir ?? './data', 'uploads'));
  const images = imageService({ storage });
  const listings = listingService({ store, clock, lookups: lookups.listing, images });
  const bookings = bookingService({ store, pool, clock, providers: providerDirectory({ pool, db, clock }) });
  const money = moneyServices({
    store,
    pool,
    clock,
    logger: options.logger,
    gateways: options.gateways ?? { manual: { bank: '', accountNumber: '', accountName: '' } },
    links: {
      returnUrl: (gateway) => `${options.publicUrl()}/api/v1/payments/return/${gateway}`,
      notifyUrl: (gateway) => `${options.publicUrl()}/api/v1/payments/webhooks/${gateway}`,
    },
    walletEnabled: options.walletEnabled ?? true,
    bookings: {
      load: bookings.load,
      recordPayment: (command, metadata) => bookings.act({ type: 'RecordPaymentCaptured', ...command }, metadata),
      autoConfirms: async (expertId) => (await getExpertBookingProfile(db, expertId))?.settings.autoConfirm ?? false,
    },
  });
  const contracts = contractServices({ store, pool, clock, logger: options.logger, mailer, storage, money });
  return {
    pool,
    db,
    store,
    logger: options.logger,
    clock,
    projections: [
      ...allProjections,
      publicationReaction({ pool, listings }),
      bookingOverlapReaction({ pool, lifecycle: bookings }),
      staffDepartureReaction({ pool, lifecycle: bookings }),
      ...contracts.reactions,
      notifications.reaction,
    ],
    mailer,
    geocoder: createGeocoder({
      ...options.geocoding,
      pool,
      clock,
      onProviderFailure: (failure) =>
        options.logger.warn({ provider: failure.provider, reason: failure.reason }, 'geocoding provider failed'),
    }),
    commands: {
      areas: areaCommands({ store, clock, usage: lookups.areas }),
      users,
      roles: roleCatalogCommands({ store, clock }),
      amenities: amenityCommands({ store, clock }),
      favorites: favoriteCommands({ store, clock, listings: listingLookup }),
      depositPolicies: depositPolicyCommands({ store, clock, usage: lookups.policies }),
      shifts: shiftCommands({
        store,
        clock,
        pool,
        confirmedBookingsOf: (staffId, from, to) => confirmedBookingsOf(pool, staffId, from, to),
      }),
      specialties: specialtyCommands({ store, clock }),
      experts: expertCommands({ store, clock, storage }),
    },
    catalog: {
      projects: projectService({ store, clock, occupancy: lookups.occupancy }),
      listings,
    },
    money,
    contracts,
    bookings,
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
    telegram: telegramLinking({ pool, store, clock, logger: options.logger, telegram: options.channels?.telegram }),
    channels: options.channels ?? {},
    notifications,
    kyc: kycService({ store, clock, storage }),
    storage,
    images,
    listingLookup,
    listingViews: listingViewService(pool),
    async close() {
      await notifications.close();
      await store.close();
      await db.destroy(); // ends the pool only if Kysely ever used it
      if (!pool.ended) await pool.end();
    },
  };
}
