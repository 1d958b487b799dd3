import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '../../commands/metadata.js';
import type { ListingCommand } from '../../domain/catalog/listing.js';
import type { ListingImage } from '../../domain/catalog/listing-images.js';
import type { ProjectCommand } from '../../domain/catalog/project.js';
import type { RoomCommand } from '../../domain/catalog/room.js';
import type { KycCommand } from '../../domain/identity/kyc.js';
import { ownerMetadata, reviewerMetadata } from './listing-commands.js';
import { listingText, type Random, roomFacts, roomTypeOf, STREETS_HANOI, STREETS_HCM } from './listing-data.js';

/** Runs one command of each aggregate: the real handlers, or the deciders in memory (bulk). */
export interface CatalogExecutor {
  project(command: ProjectCommand, metadata: CommandMetadata): Promise<unknown>;
  room(command: RoomCommand, metadata: CommandMetadata): Promise<unknown>;
  kyc(command: KycCommand, metadata: CommandMetadata): Promise<unknown>;
  listing(command: ListingCommand, metadata: CommandMetadata): Promise<unknown>;
}

export interface SeedDistrict {
  id: string;
  code: string;
  name: string;
  city: 'hcm' | 'hanoi';
  wards: string[];
  lat: number;
  lng: number;
  weight: number;
  tier: 1 | 2 | 3;
}

export interface CatalogPlan {
  listings: number;
  districts: SeedDistrict[];
  amenities: string[];
  /** Stored sample images; each listing shows three of them. */
  images: ListingImage[];
  random: Random;
  /** The time the next command happens at (the handlers' clock reads it). */
  clock: { now: number };
  /** Publications spread over the 120 days before this. */
  until: Date;
  /** Called between owners once at least `chunk` more listings were made (the bulk loader flushes). */
  onChunk?: (made: number) => Promise<void>;
  chunk?: number;
  /** Ids of owners, projects, rooms and listings (random UUIDs unless told). */
  newId?: () => string;
}

export interface PlanCounts {
  owners: number;
  projects: number;
  rooms: number;
  listings: number;
  published: number;
}

const KYC_DOCUMENT = {
  key: 'kyc/seed/placeholder.pdf',
  contentType: 'application/pdf',
  size: 400,
  kind: 'id_front',
} as const;
const CHECKLIST = { accurate: true, imagesClear: true, priceReasonable: true, ownerKycVerified: true };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function weightedPick(random: Random, districts: SeedDistrict[], total: number): SeedDistrict {
  let roll = random.next() * total;
  for (const district of districts) {
    roll -= district.weight;
    if (roll < 0) return district;
  }
  return districts.at(-1) as SeedDistrict;
}

/**
 * Owners (95 % KYC-verified) with one to three projects each, rooms with prices and areas by
 * type and district, listings taken through the wizard and moderation (about 90 % published, the
 * rest drafts, waiting for review or suspended), then some rooms reserved or rented and a few
 * projects suspended: what a marketplace holds after a few months.
 */
export async function runCatalogPlan(exec: CatalogExecutor, plan: CatalogPlan): Promise<PlanCounts> {
  const { random, clock } = plan;
  const newId = plan.newId ?? randomUUID;
  const counts: PlanCounts = { owners: 0, projects: 0, rooms: 0, listings: 0, published: 0 };
  const totalWeight = plan.districts.reduce((sum, d) => sum + d.weight, 0);
  const staff = () => reviewerMetadata(randomUUID());
  let flushedAt = 0;

  while (counts.listings < plan.listings) {
    const ownerId = newId();
    const owner = ownerMetadata(ownerId, randomUUID());
    const verified = random.chance(0.95);
    clock.now = plan.until.getTime() - 150 * DAY + random.int(0, 20) * DAY;
    await exec.kyc({ type: 'SubmitKyc', userId: ownerId, documents: [{ ...KYC_DOCUMENT }] }, owner);
    if (verified) await exec.kyc({ type: 'VerifyKyc', userId: ownerId }, staff());
    counts.owners += 1;

    for (let p = random.int(1, 3); p > 0 && counts.listings < plan.listings; p--) {
      const district = weightedPick(random, plan.districts, totalWeight);
      const type = roomTypeOf(random);
      const street = random.pick(district.city === 'hcm' ? STREETS_HCM : STREETS_HANOI);
      const projectId = newId();
      const areaId = district.wards.length > 0 ? random.pick(district.wards) : district.id;
      const spread = district.tier === 3 ? 0.03 : 0.012;
      const lat = Math.round((district.lat + random.gauss() * spread) * 1e6) / 1e6;
      const lng = Math.round((district.lng + random.gauss() * spread) * 1e6) / 1e6;
      const address = {
        areaId,
        street: `${random.int(1, 450)}${random.chance(0.5) ? `/${random.int(1, 60)}` : ''} ${street}`,
        lat,
        lng,
      };
      const details = { name: `Nhà trọ ${street} ${random.int(1, 99)}`, description: '', address };
      clock.now += DAY;
      await exec.project({ type: 'CreateProject', projectId, by: 'owner', ownerId, details, quick: false }, owner);
      counts.projects += 1;

      const rooms: { roomId: string; price: number; areaM2: number }[] = [];
      for (let r = type === 'house' ? random.int(1, 2) : random.int(2, 6); r > 0; r--) {
        const roomId = newId();
        const facts = roomFacts(random, type, district.tier);
        await exec.project({ type: 'AddRoom', projectId, by: 'owner', roomId, name: `P${101 + rooms.length}` }, owner);
        await exec.room(
          { type: 'CreateRoom', roomId, projectId, standardPrice: facts.price, areaM2: facts.areaM2 },
          owner,
        );
        rooms.push({ roomId, ...facts });
      }
      counts.rooms += rooms.length;

      for (let l = type === 'house' ? 1 : random.int(1, 3); l > 0 && counts.listings < plan.listings; l--) {
        const listingId = newId();
        const offered = type === 'house' ? rooms : random.sample(rooms, random.int(1, Math.min(4, rooms.length)));
        const first = offered[0] as (typeof rooms)[number];
        const text = listingText(random, {
          type,
          ...first,
          districtCode: district.code,
          districtName: district.name,
          street,
        });
        const published = plan.until.getTime() - Math.floor(random.next() * 120 * DAY);
        const at = (step: number) => {
          clock.now = published - (6 - step) * 20 * MINUTE;
        };
        const base = { listingId, by: 'owner' as const };
        at(0);
        await exec.listing({ ...base, type: 'CreateListingDraft', projectId, ...text, roomType: type }, owner);
        at(1);
        const amenities = random.sample(plan.amenities, random.int(3, Math.min(8, plan.amenities.length)));
        await exec.listing({ ...base, type: 'SaveListingFeatures', amenities, address }, owner);
        at(2);
        const listed = offered.map((room, displayOrder) => {
          const override = random.chance(0.15)
            ? Math.round((room.price * (0.9 + random.next() * 0.2)) / 100_000) * 100_000
            : null;
          return { roomId: room.roomId, price: override, areaM2: null, description: null, displayOrder };
        });
        await exec.listing({ ...base, type: 'SaveListingRooms', rooms: listed }, owner);
        at(3);
        await exec.listing({ ...base, type: 'AddListingImages', images: random.sample(plan.images, 3) }, owner);
        counts.listings += 1;
        const fate = random.next();
        if (fate < 0.03) continue; // a draft
        at(4);
        await exec.listing({ ...base, type: 'SubmitListing' }, owner);
        if (fate < 0.07) continue; // waiting for review
        at(6);
        await exec.listing({ listingId, by: 'staff', type: 'ApproveListing', checklist: CHECKLIST, note: '' }, staff());
        if (fate > 0.98) {
          clock.now = published + DAY;
          await exec.listing(
            { listingId, by: 'staff', type: 'SuspendListing', reason: 'Ảnh không đúng thực tế' },
            staff(),
          );
        } else if (verified) counts.published += 1;
      }

      clock.now = plan.until.getTime() - random.int(0, 10) * DAY;
      for (const room of rooms) {
        const roll = random.next();
        if (roll >= 0.23) continue;
        const holdId = randomUUID();
        await exec.room({ type: 'ReserveRoom', roomId: room.roomId, holdId }, staff());
        if (roll < 0.08)
          await exec.room({ type: 'RentRoom', roomId: room.roomId, holdId, contractId: randomUUID() }, staff());
      }
      if (random.chance(0.01)) {
        await exec.project(
          { type: 'SuspendProject', projectId, by: 'staff', reason: 'Chờ bổ sung giấy phép' },
          staff(),
        );
      }
    }
    if (plan.onChunk && counts.listings - flushedAt >= (plan.chunk ?? 10_000)) {
      flushedAt = counts.listings;
      await plan.onChunk(counts.listings);
    }
  }
  if (plan.onChunk && counts.listings > flushedAt) await plan.onChunk(counts.listings);
  return counts;
}
