import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { DomainError } from '../../domain/shared/errors.js';
import type { AccessClaims } from './auth.js';
import { type MetricsSources, registerMetrics } from './metrics.js';

/** SRS 3.5.10: per client and window; a signed-in user is counted by id, anyone else by IP. */
export interface RateLimitPolicy {
  anonymous: number;
  authenticated: number;
  windowMs: number;
  /** SRS UC-CUST-04: deposit attempts a minute per person. */
  depositsPerMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitPolicy = {
  anonymous: 100,
  authenticated: 1000,
  windowMs: 15 * 60_000,
  depositsPerMinute: 3,
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The limits in force (routes with a limit of their own read it). */
    rateLimitPolicy: RateLimitPolicy;
  }
}
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface PlumbingOptions {
  /** Rate-limit counters in Redis (shared by every API process); in memory when unset. */
  redis?: Redis;
  /** Key prefix in Redis (default `rm:`). */
  redisPrefix?: string;
  /** Origins allowed to call the API from a browser; empty = same origin only. */
  corsOrigins?: readonly string[];
  rateLimit?: Partial<RateLimitPolicy>;
  /** Largest request body in bytes for routes that do not set their own (413 beyond). */
  bodyLimit?: number;
  /** The built UI: the hashes of its inline scripts go into the CSP. */
  uiDir?: string;
  /** Enables `GET /metrics`. */
  metrics?: MetricsSources;
}

/** Only the API and the socket are counted; `/health`, `/metrics`, `/docs` and UI files are not. */
const RATE_LIMITED_PATHS = /^\/(api|ws)(\/|\?|$)/;

/** sha256 sources of the inline `<script>`s of the built UI's HTML pages (SvelteKit's bootstrap). */
export function inlineScriptHashes(uiDir: string | undefined): string[] {
  if (!uiDir || !existsSync(uiDir)) return [];
  const hashes = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== '_app') visit(file);
      if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
      for (const [, body] of readFileSync(file, 'utf8').matchAll(
        /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi,
      )) {
        if (body?.trim()) hashes.add(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
      }
    }
  };
  visit(uiDir);
  return [...hashes].sort();
}

/**
 * The CSP of the app. Scripts: own origin plus the hashes of the UI's inline bootstrap scripts
 * (no 'unsafe-inline', no eval). Styles: own-origin style sheets only; inline `style="…"`
 * attributes are allowed (`style-src-attr`), since Svelte templates and SvelteKit's
 * `<div style="display: contents">` use them and they cannot run code. No framing, plugins,
 * foreign forms or base-URI tricks; XHR/WebSocket to the own origin only.
 */
export function contentSecurityPolicy(scriptHashes: readonly string[]): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'", ...scriptHashes],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'style-src-attr': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'manifest-src': ["'self'"],
    'worker-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
  };
}

/** Swagger UI (`/docs`) sets inline styles from its bundle: on its pages only, style-src allows them. */
const docsPolicy = (base: Record<string, string[]>) => ({
  ...base,
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
});

const retryIn = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs / 1000));

/** The user id of a valid bearer token (signature and expiry checked, no database). */
function bearerUser(app: FastifyInstance, request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ') || !app.hasDecorator('jwt')) return null;
  try {
    return app.jwt.verify<AccessClaims>(header.slice(7), { algorithms: ['HS256'] }).sub ?? null;
  } catch {
    return null;
  }
}

/** The request line as logged, with a `token` query parameter (WebSocket sign-in) masked. */
const maskToken = (url: string) => url.replace(/([?&]token=)[^&]*/gi, '$1[redacted]');

/**
 * Cross-cutting HTTP protection: security headers with a strict CSP, the CORS allowlist, the
 * global rate limit (429 `RATE_LIMITED` with Retry-After), the default body limit (413
 * `PAYLOAD_TOO_LARGE`, mapped by the error envelope) and `/metrics`. Register it before any route.
 */
export async function registerPlumbing(app: FastifyInstance, options: PlumbingOptions = {}): Promise<void> {
  const policy = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  app.decorate('rateLimitPolicy', policy);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;

  app.setChildLoggerFactory((logger, bindings, childOptions, raw) => {
    const url = raw.url ?? '';
    if (!/[?&]token=/i.test(url)) return logger.child(bindings, childOptions);
    const serializers = {
      ...childOptions.serializers,
      req: (request: { method?: string; ip?: string }) => ({
        method: request.method,
        url: maskToken(url),
        remoteAddress: request.ip,
      }),
    };
    return logger.child(bindings, { ...childOptions, serializers });
  });

  const csp = contentSecurityPolicy(inlineScriptHashes(options.uiDir));
  app.addHook('onRoute', (route) => {
    if (route.bodyLimit === undefined) route.bodyLimit = bodyLimit;
    if (route.url === '/docs' || route.url.startsWith('/docs/')) {
      // Read by @fastify/helmet's own onRoute hook, which runs after this one.
      route.helmet = { contentSecurityPolicy: { useDefaults: false, directives: docsPolicy(csp) } };
    }
  });
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: csp },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });

  const origins = new Set(options.corsOrigins ?? []);
  if (origins.size > 0) {
    // Another origin gets no CORS header at all (so the browser keeps it out).
    await app.register(fastifyCors, {
      origin: (origin, callback) => callback(null, origin !== undefined && origins.has(origin)),
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: [
        'retry-after',
        'x-request-id',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset',
      ],
      maxAge: 600,
    });
  }

  await app.register(fastifyRateLimit, {
    global: true,
    timeWindow: policy.windowMs,
    max: (_request, key) => (key.startsWith('user:') ? policy.authenticated : policy.anonymous),
    keyGenerator: (request) => {
      const userId = bearerUser(app, request);
      return userId ? `user:${userId}` : `ip:${request.ip}`;
    },
    allowList: (request) => !RATE_LIMITED_PATHS.test(request.url),
    ...(options.redis && { redis: options.redis, nameSpace: `${options.redisPrefix ?? 'rm:'}rate-limit:` }),
    // Redis unreachable: serve rather than fail every request (the login throttle still holds).
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        'too_many',
        'RATE_LIMITED',
        `Quá nhiều yêu cầu; vui lòng thử lại sau ${retryIn(context.ttl)} giây`,
        {
          details: { limit: context.max, retryAfterSeconds: retryIn(context.ttl) },
        },
      ),
  });

  if (options.metrics) registerMetrics(app, options.metrics);
}
