import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { notificationOptionsFromEnv } from '../commands/notifications/index.js';
import { gatewayConfigFromEnv } from '../commands/payments/gateways/index.js';
import { type AppOptions, type Role, startApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres.js';
import { createLogger } from './logger.js';

/**
 * Entry point. `node dist/ops/main.js [all|api|projector|worker]` (default all). Without
 * DATABASE_URL it runs PostgreSQL embedded, with its data under DATA_DIR/postgres.
 */
/** A secret generated on first start and kept in the data folder, so tokens survive restarts. */
async function keptSecret(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing && existing.trim().length >= 32) return existing.trim();
  const secret = randomBytes(48).toString('base64url');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const roleArg = (process.argv[2] ?? process.env.ROLE ?? 'all') as Role | 'all';
  if (!['all', 'api', 'projector', 'worker'].includes(roleArg)) {
    throw new ConfigError(`Unknown role "${roleArg}": use all, api, projector or worker`);
  }

  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'postgres'),
      port: config.embeddedPostgresPort,
    });
    databaseUrl = embedded.adminUrl;
    logger.info({ dataDir: config.dataDir }, 'embedded PostgreSQL started');
  }

  const admin = {
    email: config.adminEmail ?? 'admin@phongtro.local',
    password: config.adminPassword ?? `Pt-${randomBytes(12).toString('base64url')}`,
  };
  const options: AppOptions = {
    databaseUrl,
    port: config.port,
    host: config.host,
    roles: roleArg === 'all' ? ['api', 'projector', 'worker'] : [roleArg],
    seed: config.seed,
    devAdminHeader: config.devAdminHeader,
    logger,
    admin,
    trustProxy: config.trustProxy,
    jwtSecret: config.jwtSecret ?? (await keptSecret(path.join(config.dataDir, 'jwt-secret'))),
    ...(config.eventStoreUrl && { eventStoreUrl: config.eventStoreUrl }),
    ...(config.smtpUrl && { smtpUrl: config.smtpUrl }),
    ...(config.publicUrl && { publicUrl: config.publicUrl }),
    ...(config.redisUrl && { redisUrl: config.redisUrl }),
    corsOrigins: config.corsOrigins,
    rateLimit: config.rateLimit,
    bodyLimit: config.bodyLimit,
    dataDir: config.dataDir,
    geocoding: config.geocoding,
    gateways: gatewayConfigFromEnv(process.env),
    wallet: config.wallet,
    channels: config.channels,
    notifications: notificationOptionsFromEnv(process.env),
  };
  const app = await startApp(options).catch(async (error) => {
    await embedded?.stop();
    throw error;
  });
  if (app.url) {
    console.log(
      `\n  Rental marketplace is running: ${app.url}\n  API docs: ${app.url}/docs · health: ${app.url}/health\n` +
        (app.sandbox ? `  VNPay sandbox gateway (local, no real money): ${app.sandbox.url}\n` : ''),
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
