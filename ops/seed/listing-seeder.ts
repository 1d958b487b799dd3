import { sql } from 'kysely';
import sharp from 'sharp';
import { v7 as uuidv7 } from 'uuid';
import { currentState } from '../../commands/handler.js';
import type { CommandMetadata } from '../../commands/metadata.js';
import { areaCatalog } from '../../domain/catalog/area-catalog.js';
import { AREA_CATALOG_STREAM } from '../../domain/catalog/area-events.js';
import type { ListingImage } from '../../domain/catalog/listing-images.js';
import { listingSearchProjection } from '../../projections/catalog/listing-search-projection.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import type { Services } from '../services.js';
import { copyIntoEventStore, memoryCatalog } from './listing-bulk-load.js';
import { type CatalogExecutor, type PlanCounts, runCatalogPlan, type SeedDistrict } from './listing-catalog-plan.js';
import { catalogCommands } from './listing-commands.js';
import { DISTRICT_CENTRES, prng } from './listing-data.js';
import { DEFAULT_AMENITIES, seedAmenities } from './seed-amenities.js';
import { seedAreas } from './seed-areas.js';

export const COMMAND_PATH_MAX = 2_000;

export interface SeedListingsOptions {
  listings: number;
  /** `commands` through the command handler and the store; `bulk` deciders in memory, COPY, rebuild. */
  mode?: 'commands' | 'bulk';
  /** PRNG seed: the same value gives the same titles, prices and places. */
  seed?: number;
  /** Sample images to show (the bench passes keys only); generated and stored when omitted. */
  images?: ListingImage[];
  log?: (line: string) => void;
}

export interface SeedListingsResult {
  mode: 'commands' | 'bulk';
  counts: PlanCounts;
  events: number;
  seconds: { load: number; copy: number; rebuild: number };
}

/** Districts of the seeded area tree we know a centre for, with their wards. */
async function seedDistricts(services: Services): Promise<SeedDistrict[]> {
  const { areas } = await currentState(services.store, AREA_CATALOG_STREAM, areaCatalog);
  const all = [...areas.values()];
  return all.flatMap((area) => {
    const centre = area.level === 'district' && area.code ? DISTRICT_CENTRES[area.code] : undefined;
    const province = area.parentId ? areas.get(area.parentId) : undefined;
    if (!centre || !province) return [];
    const wards = all.filter((child) => child.parentId === area.id && child.level === 'ward').map((ward) => ward.id);
    return [
      {
        id: area.id,
        code: area.code as string,
        name: area.name,
        city: province.code === '01' ? 'hanoi' : 'hcm',
        wards,
        ...centre,
      },
    ];
  });
}

async function offeredAmenities(services: Services): Promise<string[]> {
  const rows = await sql<{ id: string }>`select id from rm.amenities where active order by position`
    .execute(services.db)
    .then((result) => result.rows)
    .catch(() => []);
  return rows.length >= 8 ? rows.map((row) => row.id) : DEFAULT_AMENITIES.map((amenity) => amenity.amenityId);
}

/** Nine simple room pictures (wall, floor, window, bed in varied colours), stored like uploads. */
async function sampleImages(services: Services): Promise<ListingImage[]> {
  const walls = ['#f4efe6', '#e8f1f5', '#f5e9e2', '#eef3e6', '#f2f2f2', '#f6eedc', '#e9e6f2', '#fbf3f0', '#e6efe9'];
  const files = await Promise.all(
    walls.map(async (wall, i) => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="640">
        <rect width="960" height="640" fill="${wall}"/><rect y="430" width="960" height="210" fill="#b98c5f"/>
        <rect x="${560 - i * 30}" y="90" width="260" height="200" fill="#9fd3f0" stroke="#fff" stroke-width="14"/>
        <rect x="${80 + i * 20}" y="340" width="380" height="150" rx="18" fill="#5b7db1"/>
        <rect x="${90 + i * 20}" y="310" width="120" height="60" rx="14" fill="#fff"/></svg>`;
      return { bytes: await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer() };
    }),
  );
  await services.storage.put('kyc/seed/placeholder.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf');
  return services.images.storeListingImages('seed-samples', files);
}

/**
 * Adds `listings` realistic listings with their owners, projects and rooms. Small counts go
 * through the command handler (the projector picks them up); large ones run the same deciders in
 * memory, COPY the events into the store in chunks, and rebuild the search read model.
 */
export async function seedListings(services: Services, options: SeedListingsOptions): Promise<SeedListingsResult> {
  const log = options.log ?? (() => undefined);
  const mode = options.mode ?? (options.listings <= COMMAND_PATH_MAX ? 'commands' : 'bulk');
  await seedAreas(services);
  await seedAmenities(services);
  const districts = await seedDistricts(services);
  if (districts.length === 0) throw new Error('No seeded districts found in the area tree (areacatalog-vn)');
  const clock = { now: Date.now() };
  const plan = {
    listings: options.listings,
    districts,
    amenities: await offeredAmenities(services),
    images: options.images ?? (await sampleImages(services)),
    random: prng(options.seed ?? 20_260_101),
    clock,
    until: new Date(),
  };
  const started = performance.now();
  const seconds = { load: 0, copy: 0, rebuild: 0 };

  if (mode === 'commands') {
    const handlers = catalogCommands({ store: services.store, clock: () => new Date(clock.now) });
    let events = 0;
    const counted =
      <C>(handle: (command: C, metadata: CommandMetadata) => Promise<{ events: unknown[] }>) =>
      async (command: C, metadata: CommandMetadata) => {
        events += (await handle(command, metadata)).events.length;
      };
    const exec: CatalogExecutor = {
      project: counted(handlers.project),
      room: counted(handlers.room),
      kyc: counted(handlers.kyc),
      listing: counted(handlers.listing),
    };
    const counts = await runCatalogPlan(exec, plan);
    seconds.load = (performance.now() - started) / 1000;
    return { mode, counts, events, seconds };
  }

  const memory = memoryCatalog(() => new Date(clock.now));
  // Deciders build refusals they may not return (a DomainError each); their stacks are never read here.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let copying = Promise.resolve();
  let counts: PlanCounts;
  try {
    counts = await runCatalogPlan(memory.exec, {
      ...plan,
      newId: uuidv7,
      chunk: 10_000,
      onChunk: async (made) => {
        const lines = memory.take();
        memory.forget();
        await copying;
        // The next chunk is decided while this one is copied (Postgres works on the other core).
        copying = (async () => {
          const at = performance.now();
          await copyIntoEventStore(services.pool, lines);
          seconds.copy += (performance.now() - at) / 1000;
          log(`  ${made.toLocaleString('en-US')} listings, ${memory.events.toLocaleString('en-US')} events copied`);
        })();
        copying.catch(() => undefined); // awaited before the next chunk; this only keeps it from being "unhandled"
      },
    });
    await copying;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  seconds.load = (performance.now() - started) / 1000;
  await services.pool.query('analyze es.events');

  const rebuildStarted = performance.now();
  const heartbeat = setInterval(
    () => log(`  rebuilding listing-search… ${Math.round((performance.now() - rebuildStarted) / 1000)} s`),
    30_000,
  );
  try {
    await rebuildProjection(services, listingSearchProjection);
  } finally {
    clearInterval(heartbeat);
  }
  await services.pool.query('vacuum analyze rm.listing_search');
  seconds.rebuild = (performance.now() - rebuildStarted) / 1000;
  return { mode, counts, events: memory.events, seconds };
}
