import { runCli, withServices } from '../cli/connect.js';
import { COMMAND_PATH_MAX, seedListings } from './listing-seeder.js';

const USAGE = `Usage: npm run seed -- --listings N [--mode commands|bulk] [--seed S]
  N ≤ ${COMMAND_PATH_MAX.toLocaleString('en-US')}: through the command handler (the projector shows them when it runs);
  larger: deciders in memory, COPY into the event store, rebuild of the listing-search read model.`;

function argsOf(argv: string[]): { listings: number; mode?: 'commands' | 'bulk'; seed?: number } | null {
  const value = (name: string) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const listings = Number((value('--listings') ?? '500').replaceAll('_', ''));
  const mode = value('--mode');
  const seed = value('--seed');
  if (!Number.isSafeInteger(listings) || listings < 1) return null;
  if (mode !== undefined && mode !== 'commands' && mode !== 'bulk') return null;
  if (seed !== undefined && !Number.isSafeInteger(Number(seed))) return null;
  return { listings, ...(mode && { mode }), ...(seed !== undefined && { seed: Number(seed) }) };
}

/** npm run seed -- --listings N: realistic owners, projects, rooms and listings in HCMC and Hà Nội. */
runCli(async () => {
  const args = argsOf(process.argv.slice(2));
  if (!args) {
    console.error(USAGE);
    return 2;
  }
  return withServices(async (services) => {
    const started = performance.now();
    const result = await seedListings(services, { ...args, log: (line) => console.log(line) });
    const { counts, seconds } = result;
    const total = (performance.now() - started) / 1000;
    console.log(
      `Seeded ${counts.listings.toLocaleString('en-US')} listings (${counts.published.toLocaleString('en-US')} published) ` +
        `of ${counts.owners.toLocaleString('en-US')} owners, ${counts.projects.toLocaleString('en-US')} projects and ` +
        `${counts.rooms.toLocaleString('en-US')} rooms: ${result.events.toLocaleString('en-US')} events, mode ${result.mode}.`,
    );
    const rate = (n: number, s: number) => `${Math.round(n / Math.max(s, 0.001)).toLocaleString('en-US')}/s`;
    console.log(
      result.mode === 'bulk'
        ? `Timings: decide + COPY ${seconds.load.toFixed(1)} s (${rate(result.events, seconds.load)} events; COPY alone ${seconds.copy.toFixed(1)} s), ` +
            `listing-search rebuild ${seconds.rebuild.toFixed(1)} s, total ${total.toFixed(1)} s. ` +
            'Other read models (audit trail, KYC, …) catch up when the projector next runs.'
        : `Timings: commands ${seconds.load.toFixed(1)} s (${rate(result.events, seconds.load)} events), total ${total.toFixed(1)} s. ` +
            'The running projector (npm start) shows them in search.',
    );
    return 0;
  });
});
