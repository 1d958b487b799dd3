import { projectionStatus } from '../../projections/status.js';
import { runCli, withServices } from './connect.js';

/** npm run projections:status — position, head and lag of every projection. */
runCli(() =>
  withServices(async (services) => {
    const rows = await projectionStatus(services.pool, services.store, services.projections, services.clock());
    console.table(
      rows.map((r) => ({
        name: r.name,
        version: r.version,
        position: r.position,
        head: r.headPosition,
        lag: r.lag,
        'lag (s)': Number(r.lagSeconds.toFixed(2)),
        error: r.lastError ?? '',
      })),
    );
    return rows.some((r) => r.lastError) ? 1 : 0;
  }),
);
