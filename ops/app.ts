import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { buildApi } from '../api/app.js';
import { startWorker } from '../commands/jobs/scheduler.js';
import { runProjection } from '../projections/runner.js';
import { createLogger } from './logger.js';
import { migrate } from './migrations.js';
import { seedAreas } from './seed/seed-areas.js';
import { createServices, type Services } from './services.js';

/** ui/build of the repository, whether this file runs from ops/ (tsx) or dist/ops/ (built). */
const here = path.dirname(fileURLToPath(import.meta.url));
const defaultUiDir = [path.resolve(here, '..', 'ui', 'build'), path.resolve(here, '..', '..', 'ui', 'build')].find(
  (dir) => existsSync(dir),
);

export type Role = 'api' | 'projector' | 'worker';

export interface AppOptions {
  databaseUrl: string;
  eventStoreUrl?: string;
  port?: number;
  host?: string;
  roles?: readonly Role[];
  seed?: boolean;
  devAdminHeader?: boolean;
  logger?: Logger;
  uiDir?: string;
}

export interface RunningApp {
  url: string | null;
  services: Services;
  close(): Promise<void>;
}

/** Starts the chosen roles (all three by default) on one set of services. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(process.env.LOG_LEVEL ?? 'warn');
  const roles = options.roles ?? ['api', 'projector', 'worker'];
  const services = createServices({
    databaseUrl: options.databaseUrl,
    logger,
    ...(options.eventStoreUrl && { eventStoreUrl: options.eventStoreUrl }),
  });
  const stops: (() => Promise<void>)[] = [];
  /** Stops every part even if one fails (the database must still be released), then reports. */
  const stopAll = async () => {
    const failures: unknown[] = [];
    for (const stop of [...stops, () => services.close()]) {
      await stop().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw new AggregateError(failures, 'Some parts failed to stop');
  };
  let url: string | null = null;
  try {
    await migrate(services.pool);
    if (options.seed) await seedAreas(services);
    if (roles.includes('projector')) {
      for (const projection of services.projections) stops.push(runProjection(services, projection).stop);
    }
    if (roles.includes('worker')) {
      const worker = await startWorker({ ...services, databaseUrl: options.databaseUrl });
      stops.push(worker.stop);
    }
    if (roles.includes('api')) {
      const api = await buildApi(services, {
        logger,
        devAdminHeader: options.devAdminHeader ?? true,
        ...((options.uiDir ?? defaultUiDir) && { uiDir: options.uiDir ?? defaultUiDir }),
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
    services,
    close: stopAll,
  };
}
