import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { buildApi } from '../api/app.js';
import type { RateLimitPolicy } from '../api/plugins/plumbing.js';
import { createRealtimeHub, type RealtimeHub } from '../api/realtime/hub.js';
import { bookingJobs } from '../commands/booking/booking-jobs.js';
import { SLOT_CACHE_TOPIC, startSlotChangeNotifier } from '../commands/booking/slot-changes.js';
import type { ListingLookup } from '../commands/catalog/favorites.js';
import { contractJobs } from '../commands/contracts/contract-jobs.js';
import type { GeocodingConfig } from '../commands/geo/geocoder.js';
import { aggregateDailyStatistics } from '../commands/jobs/daily-statistics.js';
import { type JobSettings, jobSettingsFromEnv } from '../commands/jobs/job-settings.js';
import { retentionCleanup } from '../commands/jobs/retention.js';
import { allJobs, startWorker } from '../commands/jobs/scheduler.js';
import type { ChannelConfig } from '../commands/notifications/channels/config.js';
import {
  deliveryPolicyOf,
  type NotificationOptions,
  startNotificationPublisher,
  withDeliveryCaps,
} from '../commands/notifications/index.js';
import type { GatewayConfig } from '../commands/payments/gateways/index.js';
import { paymentJobs } from '../commands/payments/payment-jobs.js';
import { startPaymentNotifier } from '../commands/payments/payment-notifier.js';
import { runProjection } from '../projections/runner.js';
import { createLogger } from './logger.js';
import { migrate } from './migrations.js';
import { type SandboxGateway, startSandboxGateway } from './sandbox-gateway/server.js';
import { bootstrapAdmin } from './seed/bootstrap-admin.js';
import { seedAmenities } from './seed/seed-amenities.js';
import { seedAreas } from './seed/seed-areas.js';
import { seedContractTemplate } from './seed/seed-contract-template.js';
import { seedSpecialties } from './seed/seed-specialties.js';
import { createServices, type Services } from './services.js';

/** ui/build of the repository, whether this file runs from ops/ (tsx) or dist/ops/ (built). */
const here = path.dirname(fileURLToPath(import.meta.url));
const defaultUiDir = [path.resolve(here, '..', 'ui', 'build'), path.resolve(here, '..', '..', 'ui', 'build')].find(
  (dir) => existsSync(dir),
);

export type Role = 'api' | 'projector' | 'worker';

export interface AppOptions {
  databaseUrl: string;
  /** The time commands decide with (tests move it forward); the wall clock when unset. */
  clock?: () => Date;
  eventStoreUrl?: string;
  port?: number;
  host?: string;
  roles?: readonly Role[];
  seed?: boolean;
  devAdminHeader?: boolean;
  logger?: Logger;
  uiDir?: string;
  /** Signs access tokens; a random one per process when unset (tests). */
  jwtSecret?: string;
  trustProxy?: boolean;
  smtpUrl?: string;
  publicUrl?: string;
  /** Created on first start if given (see ops/main.ts for the default). */
  admin?: { email: string; password: string };
  /** Rate-limit counters and realtime fan-out across processes; in-process when unset. */
  redisUrl?: string;
  /** Prefix of Redis keys and channels (default `rm:`); tests use a unique one. */
  redisPrefix?: string;
  corsOrigins?: readonly string[];
  rateLimit?: Partial<RateLimitPolicy>;
  bodyLimit?: number;
  /** DATA_DIR: uploaded files go to `<dataDir>/uploads` (default ./data); tests pass a temporary folder. */
  dataDir?: string;
  /** Which listings are published (favorites, view counts); the listings read model when unset (tests choose their own). */
  listingLookup?: ListingLookup;
  /** Geocoding provider key and URLs (tests point them at local servers); public Nominatim when unset. */
  geocoding?: GeocodingConfig;
  /** Payment providers with credentials (see commands/payments/gateways); manual transfer always. */
  gateways?: GatewayConfig;
  /**
   * Run the local VNPay sandbox (ops/sandbox-gateway) as the VNPay provider when none is
   * configured, so the whole deposit flow works on one machine. Default true.
   */
  sandboxGateway?: boolean;
  /** System policy: customers' wallets on (default) or off. */
  wallet?: boolean;
  /** Telegram and SMS notification channels (ops/config.ts); both off when unset. */
  channels?: ChannelConfig;
  /** Job concurrency caps, retention, pause polling (commands/jobs/job-settings.ts); from the environment when unset. */
  jobs?: JobSettings;
  /** Notification delivery: attempts, backoff, per-queue caps, an SMTP server or senders of its own (tests). */
  notifications?: NotificationOptions;
}

export interface RunningApp {
  url: string | null;
  /** True when this start created the first admin (options.admin). */
  adminCreated: boolean;
  services: Services;
  /** Publishes to signed-in users' `/ws` sockets (any API process when Redis is configured). */
  realtime: RealtimeHub;
  /** The local VNPay sandbox when it stands in for VNPay, else null. */
  sandbox: SandboxGateway | null;
  close(): Promise<void>;
}

/** Starts the chosen roles (all three by default) on one set of services. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(process.env.LOG_LEVEL ?? 'warn');
  const roles = options.roles ?? ['api', 'projector', 'worker'];
  const jobSettings = withDeliveryCaps(
    options.jobs ?? jobSettingsFromEnv(process.env),
    deliveryPolicyOf(options.notifications),
  );
  let url: string | null = null;
  const publicUrl = () => options.publicUrl ?? url ?? 'http://127.0.0.1:3000';
  const gateways: GatewayConfig = options.gateways ?? { manual: { bank: '', accountNumber: '', accountName: '' } };
  const useSandbox = !gateways.vnpay && (options.sandboxGateway ?? true) && roles.includes('api');
  const sandbox = useSandbox
    ? await startSandboxGateway({ ipnUrl: () => `${publicUrl()}/api/v1/payments/webhooks/vnpay` })
    : null;
  const services = createServices({
    databaseUrl: options.databaseUrl,
    logger,
    publicUrl,
    walletEnabled: options.wallet ?? true,
    gateways: sandbox
      ? {
          ...gateways,
          vnpay: {
            tmnCode: sandbox.tmnCode,
            hashSecret: sandbox.hashSecret,
            paymentUrl: sandbox.paymentUrl,
            apiUrl: sandbox.apiUrl,
          },
        }
      : gateways,
    ...(options.eventStoreUrl && { eventStoreUrl: options.eventStoreUrl }),
    ...(options.smtpUrl && { smtpUrl: options.smtpUrl }),
    ...(options.dataDir && { dataDir: options.dataDir }),
    ...(options.listingLookup && { listingLookup: options.listingLookup }),
    ...(options.geocoding && { geocoding: options.geocoding }),
    ...(options.clock && { clock: options.clock }),
    ...(options.channels && { channels: options.channels }),
    ...(options.notifications && { notifications: options.notifications }),
  });
  const stops: (() => Promise<void>)[] = sandbox ? [() => sandbox.close()] : [];
  /** Stops every part even if one fails (the database must still be released), then reports. */
  const stopAll = async () => {
    const failures: unknown[] = [];
    for (const stop of [...stops, () => services.close()]) {
      await stop().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw new AggregateError(failures, 'Some parts failed to stop');
  };
  let adminCreated = false;
  const realtime = createRealtimeHub({
    ...(options.redisUrl && { redisUrl: options.redisUrl }),
    ...(options.redisPrefix && { prefix: options.redisPrefix }),
    onError: (error) => logger.warn({ err: error }, 'realtime hub: Redis error'),
  });
  stops.push(() => realtime.close());
  try {
    await migrate(services.pool);
    if (options.seed) await seedAreas(services);
    if (options.seed) await seedAmenities(services);
    if (options.seed) await seedContractTemplate(services);
    if (options.seed) await seedSpecialties(services);
    if (options.admin) adminCreated = await bootstrapAdmin(services, options.admin);
    if (roles.includes('projector')) {
      for (const projection of services.projections) stops.push(runProjection(services, projection).stop);
      stops.push(startSlotChangeNotifier({ ...services, hub: realtime }).stop);
      stops.push(startPaymentNotifier({ ...services, hub: realtime }).stop);
      stops.push(startNotificationPublisher({ ...services, hub: realtime }).stop);
    }
    if (roles.includes('worker')) {
      const { bookings, store } = services;
      const jobs = [
        ...allJobs,
        ...bookingJobs({ lifecycle: bookings, handlers: bookings.handlers, store }),
        ...paymentJobs(services.money, logger),
        retentionCleanup(jobSettings.retention),
        aggregateDailyStatistics,
        ...contractJobs(services.contracts.contracts, logger),
        ...services.notifications.jobs,
      ];
      const queues = services.notifications.queueWorkers;
      const worker = await startWorker({
        ...services,
        databaseUrl: options.databaseUrl,
        jobs,
        queues,
        settings: jobSettings,
      });
      stops.push(worker.stop);
    }
    if (roles.includes('api')) {
      const dropCachedSlots = realtime.subscribe(SLOT_CACHE_TOPIC, (message) => {
        const { providerId } = message.data as { providerId: string };
        services.bookings.slots.invalidate(providerId);
      });
      stops.push(async () => dropCachedSlots());
      const redis = options.redisUrl ? await rateLimitRedis(options.redisUrl, logger) : undefined;
      if (redis) stops.push(async () => (redis.status === 'ready' ? void (await redis.quit()) : redis.disconnect()));
      const api = await buildApi(services, {
        logger,
        devAdminHeader: options.devAdminHeader ?? true,
        jwtSecret: options.jwtSecret ?? randomBytes(32).toString('hex'),
        secureCookies: (options.publicUrl ?? '').startsWith('https://'),
        trustProxy: options.trustProxy ?? false,
        ...((options.uiDir ?? defaultUiDir) && { uiDir: options.uiDir ?? defaultUiDir }),
        ...(redis && { redis }),
        ...(options.redisPrefix && { redisPrefix: options.redisPrefix }),
        ...(options.corsOrigins && { corsOrigins: options.corsOrigins }),
        ...(options.rateLimit && { rateLimit: options.rateLimit }),
        ...(options.bodyLimit && { bodyLimit: options.bodyLimit }),
        realtime,
        jobs: jobSettings,
      });
      stops.unshift(() => api.close());
      url = await api.listen({ port: options.port ?? 3000, host: options.host ?? '127.0.0.1' });
    }
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
  return {
    url,
    adminCreated,
    services,
    realtime,
    sandbox,
    close: stopAll,
  };
}

/** The rate limiter's Redis connection: fails fast when Redis is away (requests are then not counted). */
async function rateLimitRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 1 });
  redis.on('error', (error) => logger.warn({ err: error }, 'rate limit: Redis error'));
  await redis.connect().catch((error: unknown) => logger.warn({ err: error }, 'rate limit: Redis not reachable yet'));
  return redis;
}
