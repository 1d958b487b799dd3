import { z } from 'zod';
import type { ChannelConfig } from '../commands/notifications/channels/config.js';
import { DEFAULT_ESMS_URL } from '../commands/notifications/channels/sms.js';
import { DEFAULT_TELEGRAM_API_URL } from '../commands/notifications/channels/telegram.js';

const url = (protocols: string[]) =>
  z.string().refine((value) => protocols.some((p) => value.startsWith(`${p}://`)), {
    message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
  });

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  EVENTSTORE_URL: url(['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover']).optional(),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  DATA_DIR: z.string().default('./data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Until sign-in exists (identity issue), admin routes accept `X-Dev-Role: admin` when this is on. */
  DEV_ADMIN_HEADER: z
    .enum(['on', 'off'])
    .optional()
    .transform((v) => v ?? 'unset'),
  SEED: z.enum(['on', 'off']).default('on'),
  WALLET: z.enum(['on', 'off']).default('on'),
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For (never on a directly exposed port). */
  TRUST_PROXY: z.enum(['on', 'off']).default('off'),
  /** Signs access tokens (HS256). Unset: a random secret kept in DATA_DIR/jwt-secret. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Unset: mail lands in the local outbox (admins read it in the UI). */
  SMTP_URL: url(['smtp', 'smtps']).optional(),
  /** The address people open, used in mailed links. Unset: http://HOST:PORT. */
  PUBLIC_URL: url(['http', 'https']).optional(),
  /** First start only: the admin account to create. Unset: admin@phongtro.local with a printed password. */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10).optional(),
  /** Browser origins allowed to call the API (comma list, e.g. https://app.example.vn). Unset: same origin only. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter((o) => o.length > 0),
    )
    .pipe(z.array(url(['http', 'https']))),
  /** Requests per window (SRS 3.5.10): anonymous clients by IP, signed-in users by id. */
  RATE_LIMIT_ANON: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_AUTH: z.coerce.number().int().min(1).default(1000),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Largest request body in bytes for routes without their own limit (413 beyond). */
  BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  /** Optional: Google is asked first when set, Nominatim otherwise and when Google fails. */
  GOOGLE_GEOCODING_KEY: z.string().optional(),
  GOOGLE_GEOCODING_URL: url(['http', 'https']).default('https://maps.googleapis.com'),
  NOMINATIM_URL: url(['http', 'https']).default('https://nominatim.openstreetmap.org'),
  /** Telegram notifications and linking: on when the bot's token and username are both set. */
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-def (from @BotFather)')
    .optional(),
  TELEGRAM_BOT_USERNAME: z
    .string()
    .transform((v) => v.replace(/^@/, ''))
    .pipe(z.string().regex(/^\w{3,64}$/, 'must be the bot username, e.g. phongtro_bot'))
    .optional(),
  TELEGRAM_API_URL: url(['http', 'https']).default(DEFAULT_TELEGRAM_API_URL),
  /** setWebhook's secret_token; unset, POST /api/v1/telegram/webhook refuses every request. */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 of A-Z a-z 0-9 _ -')
    .optional(),
  /** SMS through eSMS.vn: on when the API key and secret key are both set. */
  SMS_PROVIDER_URL: url(['http', 'https']).default(DEFAULT_ESMS_URL),
  SMS_API_KEY: z.string().optional(),
  SMS_SECRET_KEY: z.string().optional(),
  SMS_BRANDNAME: z.string().max(11, 'at most 11 characters').optional(),
});

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  eventStoreUrl: string | undefined;
  redisUrl: string | undefined;
  dataDir: string;
  embeddedPostgresPort: number;
  logLevel: string;
  devAdminHeader: boolean;
  seed: boolean;
  /** System policy: customers' wallets (top-up, pay from wallet, withdraw). */
  wallet: boolean;
  trustProxy: boolean;
  jwtSecret: string | undefined;
  smtpUrl: string | undefined;
  publicUrl: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  corsOrigins: string[];
  rateLimit: { anonymous: number; authenticated: number; windowMs: number };
  bodyLimit: number;
  geocoding: { googleKey: string | undefined; googleUrl: string; nominatimUrl: string };
  /** Telegram and SMS notification channels (a channel without credentials is off). */
  channels: ChannelConfig;
}

export class ConfigError extends Error {}

/** Reads the environment; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL= npm start`) means unset, as in most tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const pairs: [string, unknown, string, unknown][] = [
    ['TELEGRAM_BOT_TOKEN', c.TELEGRAM_BOT_TOKEN, 'TELEGRAM_BOT_USERNAME', c.TELEGRAM_BOT_USERNAME],
    ['SMS_API_KEY', c.SMS_API_KEY, 'SMS_SECRET_KEY', c.SMS_SECRET_KEY],
  ];
  for (const [a, aValue, b, bValue] of pairs) {
    if ((aValue === undefined) !== (bValue === undefined)) {
      throw new ConfigError(
        `Invalid configuration:\n  ${aValue === undefined ? a : b}: required with ${aValue === undefined ? b : a}`,
      );
    }
  }
  return {
    nodeEnv: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    eventStoreUrl: c.EVENTSTORE_URL,
    redisUrl: c.REDIS_URL,
    dataDir: c.DATA_DIR,
    embeddedPostgresPort: c.EMBEDDED_PG_PORT,
    logLevel: c.LOG_LEVEL,
    devAdminHeader: c.DEV_ADMIN_HEADER === 'unset' ? c.NODE_ENV !== 'production' : c.DEV_ADMIN_HEADER === 'on',
    seed: c.SEED === 'on',
    wallet: c.WALLET === 'on',
    trustProxy: c.TRUST_PROXY === 'on',
    jwtSecret: c.JWT_SECRET,
    smtpUrl: c.SMTP_URL,
    publicUrl: c.PUBLIC_URL,
    adminEmail: c.ADMIN_EMAIL,
    adminPassword: c.ADMIN_PASSWORD,
    corsOrigins: c.CORS_ORIGINS,
    rateLimit: {
      anonymous: c.RATE_LIMIT_ANON,
      authenticated: c.RATE_LIMIT_AUTH,
      windowMs: c.RATE_LIMIT_WINDOW_SECONDS * 1000,
    },
    bodyLimit: c.BODY_LIMIT,
    geocoding: { googleKey: c.GOOGLE_GEOCODING_KEY, googleUrl: c.GOOGLE_GEOCODING_URL, nominatimUrl: c.NOMINATIM_URL },
    channels: {
      ...(c.TELEGRAM_BOT_TOKEN &&
        c.TELEGRAM_BOT_USERNAME && {
          telegram: {
            botToken: c.TELEGRAM_BOT_TOKEN,
            botUsername: c.TELEGRAM_BOT_USERNAME,
            apiUrl: c.TELEGRAM_API_URL,
            webhookSecret: c.TELEGRAM_WEBHOOK_SECRET,
          },
        }),
      ...(c.SMS_API_KEY &&
        c.SMS_SECRET_KEY && {
          sms: {
            provider: 'esms' as const,
            url: c.SMS_PROVIDER_URL,
            apiKey: c.SMS_API_KEY,
            secretKey: c.SMS_SECRET_KEY,
            brandname: c.SMS_BRANDNAME,
          },
        }),
    },
  };
}
