import { randomUUID } from 'node:crypto';
import { areaCommands, noAreaReferencesYet } from '../../commands/catalog/areas.js';
import type { EventStore } from '../../commands/eventstore/port.js';
import type { AreaLevel } from '../../domain/catalog/area-events.js';
import type { RoomType } from '../../domain/catalog/listing-events.js';
import type { ListingImage } from '../../domain/catalog/listing-images.js';
import { catalogCommands, ownerMetadata, reviewerMetadata } from '../../ops/seed/listing-commands.js';

export interface ListingSpec {
  projectId: string;
  ownerId: string;
  title: string;
  description?: string;
  roomType?: RoomType;
  areaId: string;
  street?: string;
  lat?: number | null;
  lng?: number | null;
  amenities?: string[];
  rooms: { roomId: string; price?: number | null; areaM2?: number | null }[];
  /** Submit and approve (published when the owner is verified and the project active). Default true. */
  publish?: boolean;
  /** The deposit policy the listing offers (none by default: no deposits taken). */
  depositPolicyId?: string;
}

const APPROVED = { accurate: true, imagesClear: true, priceReasonable: true, ownerKycVerified: true };

export const imageOf = (listingId: string): ListingImage => {
  const key = `listings/${listingId}/${randomUUID()}.jpg`;
  return {
    key,
    thumbnailKey: key.replace('.jpg', '-thumb.webp'),
    contentType: 'image/jpeg',
    width: 800,
    height: 600,
    size: 1000,
  };
};

/**
 * Builds catalog facts through the real deciders and command handler: areas, owners with KYC,
 * projects with rooms, listings taken through the wizard to publication. Each command gets a
 * clock one second after the previous one, so publication times are distinct and ordered.
 */
export function listingWorld(store: EventStore, start = Date.parse('2026-01-05T08:00:00Z')) {
  let now = start;
  const clock = () => {
    now += 1000;
    return new Date(now);
  };
  const commands = catalogCommands({ store, clock });
  const areas = areaCommands({ store, clock, usage: noAreaReferencesYet });
  const owner = (id: string) => ownerMetadata(id, randomUUID());
  const staff = () => reviewerMetadata(randomUUID());

  return {
    commands,
    areas,
    owner,
    staff,
    async area(name: string, level: AreaLevel, parentId: string | null = null): Promise<string> {
      const areaId = randomUUID();
      await areas({ type: 'CreateArea', areaId, name, level, parentId, code: null }, staff());
      return areaId;
    },

    async kyc(userId: string, decision: 'verify' | 'reject' | 'submit' = 'verify'): Promise<void> {
      const document = {
        key: `kyc/${userId}/id.pdf`,
        contentType: 'application/pdf' as const,
        size: 10,
        kind: 'id_front' as const,
      };
      await commands.kyc({ type: 'SubmitKyc', userId, documents: [document] }, owner(userId));
      if (decision === 'verify') await commands.kyc({ type: 'VerifyKyc', userId }, staff());
      if (decision === 'reject') await commands.kyc({ type: 'RejectKyc', userId, reason: 'Ảnh mờ' }, staff());
    },

    /** A new owner, KYC-verified unless told otherwise. */
    async newOwner(verified = true): Promise<string> {
      const ownerId = randomUUID();
      await this.kyc(ownerId, verified ? 'verify' : 'submit');
      return ownerId;
    },

    async project(
      ownerId: string,
      rooms: { price: number; areaM2: number }[],
      areaId = 'unused',
    ): Promise<{ projectId: string; roomIds: string[] }> {
      const projectId = randomUUID();
      const details = {
        name: `Nhà trọ ${projectId.slice(0, 6)}`,
        description: '',
        address: { areaId, street: '', lat: null, lng: null },
      };
      await commands.project(
        { type: 'CreateProject', projectId, by: 'owner', ownerId, details, quick: false },
        owner(ownerId),
      );
      const roomIds: string[] = [];
      for (const [index, room] of rooms.entries()) {
        const roomId = randomUUID();
        // As the project service does: the room stream first, then its name registered in the project.
        await commands.room(
          { type: 'CreateRoom', roomId, projectId, standardPrice: room.price, areaM2: room.areaM2 },
          owner(ownerId),
        );
        await commands.project(
          { type: 'AddRoom', projectId, by: 'owner', roomId, name: `P${index + 101}` },
          owner(ownerId),
        );
        roomIds.push(roomId);
      }
      return { projectId, roomIds };
    },

    async listing(spec: ListingSpec): Promise<string> {
      const listingId = randomUUID();
      const as = owner(spec.ownerId);
      const base = { listingId, by: 'owner' as const };
      const description = spec.description ?? 'Phòng sạch sẽ, thoáng mát, giờ giấc tự do, an ninh tốt.';
      const roomType = spec.roomType ?? 'room';
      await commands.listing(
        { ...base, type: 'CreateListingDraft', projectId: spec.projectId, title: spec.title, description, roomType },
        as,
      );
      const address = { areaId: spec.areaId, street: spec.street ?? '', lat: spec.lat ?? null, lng: spec.lng ?? null };
      await commands.listing({ ...base, type: 'SaveListingFeatures', amenities: spec.amenities ?? [], address }, as);
      const rooms = spec.rooms.map((room, displayOrder) => ({
        roomId: room.roomId,
        price: room.price ?? null,
        areaM2: room.areaM2 ?? null,
        description: null,
        displayOrder,
      }));
      await commands.listing({ ...base, type: 'SaveListingRooms', rooms }, as);
      await commands.listing(
        { ...base, type: 'AddListingImages', images: [imageOf(listingId), imageOf(listingId)] },
        as,
      );
      if (spec.depositPolicyId) {
        await commands.listing(
          { ...base, type: 'ChooseListingDepositPolicy', depositPolicyId: spec.depositPolicyId },
          as,
        );
      }
      if (spec.publish === false) return listingId;
      await commands.listing({ ...base, type: 'SubmitListing' }, as);
      await commands.listing(
        { listingId, by: 'staff', type: 'ApproveListing', checklist: APPROVED, note: '' },
        staff(),
      );
      return listingId;
    },
  };
}

export type ListingWorld = ReturnType<typeof listingWorld>;
