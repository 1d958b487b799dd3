import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DEFAULT_JOB_SETTINGS, type JobSettings } from '../commands/jobs/job-settings.js';
import type { Services } from '../ops/services.js';
import { failure, registerErrorEnvelope } from './envelope.js';
import { registerAuth } from './plugins/auth.js';
import { registerIdempotency } from './plugins/idempotency.js';
import { type RateLimitPolicy, registerPlumbing } from './plugins/plumbing.js';
import type { RealtimeHub } from './realtime/hub.js';
import { registerRealtime } from './realtime/ws.js';
import { adminCreateUserRoutes } from './routes/admin-create-user.js';
import { adminJobRoutes } from './routes/admin-jobs.js';
import { adminNotificationRoutes } from './routes/admin-notifications.js';
import { adminRoleRoutes } from './routes/admin-roles.js';
import { adminStaffRoutes } from './routes/admin-staff.js';
import { adminStatisticsRoutes } from './routes/admin-statistics.js';
import { adminUserRoutes } from './routes/admin-users.js';
import { amenityRoutes } from './routes/amenities.js';
import { areaRoutes } from './routes/areas.js';
import { authRoutes } from './routes/auth.js';
import { bookingSlotRoutes } from './routes/booking-slots.js';
import { bookingRoutes } from './routes/bookings.js';
import { catalogOperatorRoutes } from './routes/catalog-operator.js';
import { consultationPaymentRoutes } from './routes/consultation-payments.js';
import { contractTemplateRoutes } from './routes/contract-templates.js';
import { contractRoutes } from './routes/contracts.js';
import { depositPolicyRoutes } from './routes/deposit-policies.js';
import { depositRoutes } from './routes/deposits.js';
import { expertRoutes } from './routes/experts.js';
import { favoriteRoutes } from './routes/favorites.js';
import { financeReportRoutes } from './routes/finance-reports.js';
import { geocodeRoutes } from './routes/geocode.js';
import { handoverRoutes } from './routes/handovers.js';
import { healthRoutes } from './routes/health.js';
import { imageRoutes } from './routes/images.js';
import { kycRoutes } from './routes/kyc.js';
import { listingPublicRoutes } from './routes/listing-public.js';
import { listingSearchRoutes } from './routes/listing-search.js';
import { listingViewRoutes } from './routes/listing-views.js';
import { ownerListingRoutes } from './routes/listings-owner.js';
import { meRoutes } from './routes/me.js';
import { meSecurityRoutes } from './routes/me-security.js';
import { moneyQueryRoutes } from './routes/money-queries.js';
import { notificationRoutes } from './routes/notifications.js';
import { paymentGatewayRoutes } from './routes/payment-gateways.js';
import { profileRoutes } from './routes/profile.js';
import { projectRoutes } from './routes/projects.js';
import { rentalRoutes } from './routes/rentals.js';
import { shiftRoutes } from './routes/shifts.js';
import { specialtyRoutes } from './routes/specialties.js';
import { telegramRoutes } from './routes/telegram.js';
import { walletRoutes } from './routes/wallet.js';

export interface ApiOptions {
  logger: Logger;
  devAdminHeader: boolean;
  jwtSecret: string;
  secureCookies: boolean;
  trustProxy: boolean;
  /** The built SvelteKit app (ui/build); served at / when present. */
  uiDir?: string;
  /** Rate-limit counters in Redis (shared by API processes); in memory when unset. */
  redis?: Redis;
  /** Prefix of this app's Redis keys and channels (default `rm:`). */
  redisPrefix?: string;
  /** Browser origins allowed by CORS; empty = same origin only. */
  corsOrigins?: readonly string[];
  /** Global limits per 15 min (SRS 3.5.10); defaults 100 anonymous, 1000 signed in. */
  rateLimit?: Partial<RateLimitPolicy>;
  /** Default request body limit in bytes (1 MiB). */
  bodyLimit?: number;
  /** Per-user realtime channels behind `/ws`; an in-process hub when unset. */
  realtime?: RealtimeHub;
  /** The job board shows each queue's concurrency cap from these. */
  jobs?: JobSettings;
}

export async function buildApi(services: Services, options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    trustProxy: options.trustProxy,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  registerErrorEnvelope(app);
  await registerPlumbing(app, { ...options, metrics: services });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Rental marketplace API',
        description:
          'Commands and queries of the rental marketplace. Every answer is { success, message, data, error }.',
        version: '0.1.0',
      },
      tags: [
        { name: 'areas', description: 'Province › district › ward tree (UC-ADMIN-03)' },
        { name: 'auth', description: 'Sign-up, verification, sign-in, refresh, sign-out (UC-GEN-01/02)' },
        { name: 'me', description: 'The signed-in person: profile, sessions, role switch (UC-GEN-03)' },
        { name: 'admin', description: 'User management (UC-ADMIN-01) and the dev mail outbox' },
        { name: 'ops', description: 'Health and projections' },
        { name: 'amenities', description: 'Amenity catalog: public list, admin changes' },
        { name: 'geo', description: 'Address geocoding for the listing map preview' },
        {
          name: 'catalog',
          description: 'Projects, rooms and the listing wizard (UC-PROJ-01/07); public listing detail',
        },
        { name: 'operator', description: 'Project management and listing moderation (UC-OPER-01/02)' },
        { name: 'experts', description: 'Expert profiles, services, availability, verification; specialties' },
        { name: 'shifts', description: 'Sales staff work shifts (UC-SALE-01, UC-OPER-03)' },
        {
          name: 'bookings',
          description:
            'Viewings and consultations: request, lists per role, lifecycle (UC-CUST-03, UC-SALE-02/03/05, UC-PROJ-02)',
        },
        { name: 'slots', description: 'Free slots, 5-minute holds, provider calendars' },
        {
          name: 'payments',
          description: 'Deposits, payments, gateway notices, history and receipts (UC-CUST-04/06, UC-SALE-04)',
        },
        { name: 'finance', description: 'Income and finance reports, ledger balances (UC-SALE-06, UC-ADMIN-04)' },
        {
          name: 'contracts',
          description:
            'Contract templates, contracts with OTP signing, PDFs and scans, handover reports, my rentals (UC-CUST-05, UC-PROJ-04, UC-OPER-06, UC-ADMIN-06)',
        },
        { name: 'jobs', description: 'Background job board: queues, failures, retry, pause/resume, run now' },
        {
          name: 'notifications',
          description: 'Inbox with delivery status, unread count (UC-GEN-05); admin templates, deliveries, campaigns',
        },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  await registerAuth(app, {
    secret: options.jwtSecret,
    sessions: services.identity.sessions,
    devAdminHeader: options.devAdminHeader,
    permissions: services.identity.permissions,
  });
  registerIdempotency(app, services.pool);
  healthRoutes(app, services);
  await authRoutes(app, services, { secureCookies: options.secureCookies });
  meRoutes(app, services);
  meSecurityRoutes(app, services);
  adminUserRoutes(app, services);
  adminRoleRoutes(app, services);
  adminStaffRoutes(app, services);
  adminCreateUserRoutes(app, services);
  areaRoutes(app, services);
  projectRoutes(app, services);
  await ownerListingRoutes(app, services);
  catalogOperatorRoutes(app, services);
  listingPublicRoutes(app, services);
  await profileRoutes(app, services);
  await kycRoutes(app, services);
  depositPolicyRoutes(app, services);
  amenityRoutes(app, services);
  favoriteRoutes(app, services);
  listingViewRoutes(app, services);
  geocodeRoutes(app, services);
  imageRoutes(app, services);
  listingSearchRoutes(app, services);
  specialtyRoutes(app, services);
  await expertRoutes(app, services);
  shiftRoutes(app, services);
  bookingRoutes(app, services);
  bookingSlotRoutes(app, services);
  depositRoutes(app, services);
  consultationPaymentRoutes(app, services);
  walletRoutes(app, services);
  moneyQueryRoutes(app, services);
  financeReportRoutes(app, services);
  adminJobRoutes(app, services, options.jobs ?? DEFAULT_JOB_SETTINGS);
  adminStatisticsRoutes(app, services);
  await paymentGatewayRoutes(app, services);
  telegramRoutes(app, services);
  contractTemplateRoutes(app, services);
  await contractRoutes(app, services);
  await handoverRoutes(app, services);
  rentalRoutes(app, services);
  notificationRoutes(app, services);
  adminNotificationRoutes(app, services);
  await registerRealtime(app, { hub: options.realtime, sessions: services.identity.sessions });

  const serveUi = options.uiDir !== undefined && existsSync(path.join(options.uiDir, 'index.html'));
  if (serveUi && options.uiDir) {
    await app.register(fastifyStatic, { root: path.resolve(options.uiDir), wildcard: false });
  }
  app.setNotFoundHandler((request, reply) => {
    // The UI is a single-page app: unknown non-API paths get its index.html.
    const apiPath = /^\/(api|docs|health|ws)(\/|$)/.test(request.url);
    if (serveUi && request.method === 'GET' && !apiPath) return reply.sendFile('index.html');
    return reply.status(404).send(failure('NOT_FOUND', `No route ${request.method} ${request.url}`));
  });
  return app;
}
