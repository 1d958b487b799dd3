import { migrate } from '../migrations.js';
import { runCli, withServices } from './connect.js';

/** npm run migrate — applies pending migrations (start-up does this too). */
runCli(() =>
  withServices(async (services) => {
    const applied = await migrate(services.pool);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply');
    return 0;
  }),
);
