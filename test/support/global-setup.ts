import type { TestProject } from 'vitest/node';
import { startTemporaryPostgres } from '../../ops/scratch-database.js';

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
  const server = await startTemporaryPostgres('rental-test-pg-');
  project.provide('adminDatabaseUrl', server.adminUrl);
  return () => server.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
