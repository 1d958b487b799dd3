import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { EventStore } from '../../commands/eventstore/port.js';
import type { AnyProjection } from '../../projections/projection.js';
import { projectionStatus } from '../../projections/status.js';

/** What `/metrics` reads at scrape time (the Services object has all of it). */
export interface MetricsSources {
  pool: pg.Pool;
  store: EventStore;
  projections: readonly AnyProjection[];
  clock: () => Date;
}

/** The route pattern (never the raw URL: ids in paths would explode the label set). */
function routeLabel(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (pattern === undefined) return 'unmatched';
  if (pattern.startsWith('/_app/')) return '/_app/*'; // one route per built UI file
  if (pattern.startsWith('/docs/static/')) return '/docs/static/*';
  return pattern;
}

/**
 * `GET /metrics` in the Prometheus text format: request count and latency by method, route
 * pattern and status; projection lag (events and seconds) and position per projection; the event
 * store head position (`es_events_total`: rate() of it is appends per second); Node defaults.
 *
 * It is unauthenticated and not rate-limited, like `/health`: it is meant to be scraped from
 * the internal network. Block `/metrics` at the reverse proxy in front of the public site.
 * Each app has its own registry, so two instances in one process (tests) do not collide.
 */
export function registerMetrics(app: FastifyInstance, sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const lagEvents = new Gauge({
    name: 'projection_lag_events',
    help: 'Events a projection handles and has not applied yet (capped at 1000)',
    labelNames: ['projection'],
    registers: [registry],
  });
  const lagSeconds = new Gauge({
    name: 'projection_lag_seconds',
    help: 'Age of the oldest event a projection has not applied yet; 0 when caught up',
    labelNames: ['projection'],
    registers: [registry],
  });
  const position = new Gauge({
    name: 'projection_position',
    help: 'Event store position of the last event a projection applied',
    labelNames: ['projection'],
    registers: [registry],
  });
  const failing = new Gauge({
    name: 'projection_failing',
    help: '1 when the projection stopped on an error (see /health), else 0',
    labelNames: ['projection'],
    registers: [registry],
  });
  const head = new Gauge({
    name: 'es_events_total',
    help: 'Position of the newest event in the event store (with the Postgres store, about the number of events appended)',
    registers: [registry],
  });
  const scrapeErrors = new Counter({
    name: 'metrics_scrape_errors_total',
    help: 'Scrapes that could not read the event store or projection checkpoints',
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: routeLabel(request), status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    try {
      const statuses = await projectionStatus(sources.pool, sources.store, sources.projections, sources.clock());
      for (const gauge of [lagEvents, lagSeconds, position, failing]) gauge.reset();
      for (const s of statuses) {
        lagEvents.set({ projection: s.name }, s.lag);
        lagSeconds.set({ projection: s.name }, s.lagSeconds);
        position.set({ projection: s.name }, Number(s.position));
        failing.set({ projection: s.name }, s.lastError === null ? 0 : 1);
      }
      head.set(Number(await sources.store.headPosition()));
    } catch (error) {
      scrapeErrors.inc();
      request.log.warn({ err: error }, 'metrics: could not read projection status');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return registry;
}
