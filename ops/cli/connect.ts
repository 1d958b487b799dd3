import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../config.js';
import { startEmbeddedPostgres } from '../embedded-postgres.js';
import { createLogger } from '../logger.js';
import { migrate } from '../migrations.js';
import { createServices, type Services } from '../services.js';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs an ops command against DATABASE_URL, or against the embedded database of `npm start`:
 * the running one if it is up, otherwise started for the command and stopped after it.
 */
export async function withServices<T>(run: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    url = `postgres://postgres:postgres@127.0.0.1:${config.embeddedPostgresPort}/postgres`;
    if (!(await reachable(url))) {
      const embedded = await startEmbeddedPostgres({
        dataDir: path.join(config.dataDir, 'postgres'),
        port: config.embeddedPostgresPort,
      });
      stopEmbedded = embedded.stop;
    }
  }
  const services = createServices({
    databaseUrl: url,
    logger,
    publicUrl: () => config.publicUrl ?? `http://${config.host}:${config.port}`,
    ...(config.smtpUrl && { smtpUrl: config.smtpUrl }),
    ...(config.eventStoreUrl && { eventStoreUrl: config.eventStoreUrl }),
  });
  try {
    await migrate(services.pool);
    return await run(services);
  } finally {
    await services.close();
    await stopEmbedded?.();
  }
}

export async function runCli(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
  }
}
