import { commandHandler, currentState, type HandlerDeps } from '../../commands/handler.js';
import type { CommandMetadata } from '../../commands/metadata.js';
import { type ListingCommand, type ListingContext, listingDecider } from '../../domain/catalog/listing.js';
import { listingStream } from '../../domain/catalog/listing-events.js';
import { type ProjectCommand, type ProjectContext, projectDecider } from '../../domain/catalog/project.js';
import { projectStream } from '../../domain/catalog/project-events.js';
import { type RoomCommand, roomDecider } from '../../domain/catalog/room.js';
import { roomStream } from '../../domain/catalog/room-events.js';
import { type KycCommand, kycDecider } from '../../domain/identity/kyc.js';
import { kycStream } from '../../domain/identity/kyc-events.js';

/** Who approves seeded listings and verifies seeded owners (never one of the owners). */
export const SEED_REVIEWER_ID = '00000000-0000-4000-8000-00000000a11c';

export const ownerMetadata = (ownerId: string, correlationId: string): CommandMetadata => ({
  actorId: ownerId,
  actAsId: null,
  roles: ['owner'],
  correlationId,
  causationId: null,
  idempotencyKey: null,
  ip: null,
  userAgent: 'seed-listings',
});

export const reviewerMetadata = (correlationId: string): CommandMetadata => ({
  ...ownerMetadata(SEED_REVIEWER_ID, correlationId),
  roles: ['operator'],
});

/**
 * The catalog's deciders behind `commandHandler`, with the cross-stream facts a listing decision
 * needs (its project, the owner's KYC) folded from the store: the write path of projects, rooms,
 * listings and KYC as seeds and tests drive it. Amenity ids are taken as offered.
 */
export function catalogCommands(deps: HandlerDeps) {
  const project = commandHandler(deps, {
    decider: projectDecider,
    stream: (command: ProjectCommand) => projectStream(command.projectId),
    context: async (_command, base): Promise<ProjectContext> => ({ ...base, publishedListings: 0, occupiedRooms: 0 }),
  });
  const room = commandHandler(deps, {
    decider: roomDecider,
    stream: (command: RoomCommand) => roomStream(command.roomId),
  });
  const kyc = commandHandler(deps, { decider: kycDecider, stream: (command: KycCommand) => kycStream(command.userId) });
  const listing = commandHandler(deps, {
    decider: listingDecider,
    stream: (command: ListingCommand) => listingStream(command.listingId),
    context: async (command, base, state): Promise<ListingContext> => {
      const projectId = command.type === 'CreateListingDraft' ? command.projectId : state.projectId;
      const owning = await currentState(deps.store, projectStream(projectId), projectDecider);
      const verification = owning.exists ? await currentState(deps.store, kycStream(owning.ownerId), kycDecider) : null;
      return {
        ...base,
        project: owning.exists
          ? { status: owning.status, ownerId: owning.ownerId, roomIds: new Set(owning.rooms.keys()) }
          : null,
        ownerKycVerified: verification?.status === 'verified',
        amenityProblem: () => null,
        policyAssignable: true,
      };
    },
  });
  return { project, room, kyc, listing };
}

export type CatalogCommands = ReturnType<typeof catalogCommands>;
