import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../ops/migrations.js';
import { createScratchDatabase } from '../../ops/scratch-database.js';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the run's real Postgres server. Never a mock. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const scratch = await createScratchDatabase(inject('adminDatabaseUrl'), 'test');
  const pool = new pg.Pool({ connectionString: scratch.url, max: 20 });
  pool.on('error', () => undefined); // idle connections cut by the final drop are expected
  if (options.migrate !== false) await migrate(pool);
  return {
    url: scratch.url,
    pool,
    async drop() {
      await pool.end();
      await scratch.drop();
    },
  };
}
