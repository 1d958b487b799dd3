import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../ops/embedded-postgres.js';

/**
 * One Postgres server for the whole run: TEST_DATABASE_URL when set (a server where we may
 * create databases), otherwise an embedded one in a temporary folder. Each test file then
 * creates its own database on it (test/support/database.ts).
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.TEST_DATABASE_URL);
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'rental-test-pg-'));
  await chmod(dir, 0o755); // the server runs as the `postgres` user when we are root
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), persistent: false });
  project.provide('adminDatabaseUrl', server.adminUrl);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
