import { rebuildProjection } from '../../projections/rebuild.js';
import { runCli, withServices } from './connect.js';

/** npm run projections:rebuild -- <name> — rebuilds beside the live tables, then switches. */
runCli(() =>
  withServices(async (services) => {
    const name = process.argv[2];
    const projection = services.projections.find((p) => p.name === name);
    if (!projection) {
      console.error(
        `Usage: npm run projections:rebuild -- <name>; known: ${services.projections.map((p) => p.name).join(', ')}`,
      );
      return 2;
    }
    const started = performance.now();
    const result = await rebuildProjection(services, projection);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `Rebuilt ${name} v${projection.version}: ${result.events} events up to position ${result.position} in ` +
        `${seconds.toFixed(1)} s (${Math.round(result.events / Math.max(seconds, 0.001))} events/s), switched`,
    );
    return 0;
  }),
);
