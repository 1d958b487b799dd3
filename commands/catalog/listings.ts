import {
  type ListingCommand,
  type ListingContext,
  type ListingState,
  listingDecider,
} from '../../domain/catalog/listing.js';
import { type ListingEvent, listingStream } from '../../domain/catalog/listing-events.js';
import type { ListingImage } from '../../domain/catalog/listing-images.js';
import { projectDecider } from '../../domain/catalog/project.js';
import { projectStream } from '../../domain/catalog/project-events.js';
import { kycDecider } from '../../domain/identity/kyc.js';
import { kycStream } from '../../domain/identity/kyc-events.js';
import type { DecisionContext } from '../../domain/shared/decider.js';
import type { DomainError } from '../../domain/shared/errors.js';
import { type CommandResult, commandHandler, currentState, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';

/** Read-model lookups a listing decision needs: offered amenities and assignable deposit policies. */
export interface ListingLookups {
  /** `kept`: ids the listing already has (a disabled amenity stays on listings that carry it). */
  amenityProblem(ids: readonly string[], kept: readonly string[]): Promise<DomainError | null>;
  policyAssignable(policyId: string, ownerId: string): Promise<boolean>;
}

export interface ListingImageStore {
  storeListingImages(listingId: string, files: { bytes: Buffer }[]): Promise<ListingImage[]>;
  removeListingImages(images: readonly ListingImage[]): Promise<void>;
}

/**
 * Listings (`listing-<id>`). Each decision reads the project's and the owner's KYC streams
 * (ownership, room membership, the publication gate) — facts of other aggregates, read fresh.
 */
export function listingService(deps: HandlerDeps & { lookups: ListingLookups; images: ListingImageStore }) {
  async function contextFor(
    command: ListingCommand,
    base: DecisionContext,
    state: ListingState,
  ): Promise<ListingContext> {
    const projectId = command.type === 'CreateListingDraft' ? command.projectId : state.projectId;
    const project = await currentState(deps.store, projectStream(projectId), projectDecider);
    const ownerId = project.exists ? project.ownerId : '';
    const kyc = ownerId ? await currentState(deps.store, kycStream(ownerId), kycDecider) : null;
    const policyId = command.type === 'ChooseListingDepositPolicy' ? command.depositPolicyId : null;
    const amenityProblem =
      command.type === 'SaveListingFeatures'
        ? await deps.lookups.amenityProblem(command.amenities, state.amenities)
        : null;
    return {
      ...base,
      project: project.exists ? { status: project.status, ownerId, roomIds: new Set(project.rooms.keys()) } : null,
      ownerKycVerified: kyc?.status === 'verified',
      amenityProblem: () => amenityProblem,
      policyAssignable: policyId === null ? true : await deps.lookups.policyAssignable(policyId, ownerId),
    };
  }

  const handle = commandHandler(deps, {
    decider: listingDecider,
    stream: (command: ListingCommand) => listingStream(command.listingId),
    context: contextFor,
  });

  /**
   * Images are checked and stored first (thumbnails made), then recorded; when the decision
   * refuses (not the owner, too many, archived…) the stored files are removed again.
   */
  async function addImages(
    listingId: string,
    by: 'owner' | 'staff',
    files: { bytes: Buffer }[],
    metadata: CommandMetadata,
  ): Promise<CommandResult<ListingEvent>> {
    const images = await deps.images.storeListingImages(listingId, files);
    try {
      const result = await handle({ type: 'AddListingImages', listingId, by, images }, metadata);
      const recorded = result.events.some(
        (event) => event.type === 'ListingImagesAdded' && event.data.images.some((i) => i.key === images[0]?.key),
      );
      if (!recorded) await deps.images.removeListingImages(images);
      return result;
    } catch (error) {
      await deps.images.removeListingImages(images);
      throw error;
    }
  }

  /** Removes an image from the listing, then its stored files (nothing else refers to them). */
  async function removeImage(listingId: string, by: 'owner' | 'staff', key: string, metadata: CommandMetadata) {
    const image = (await currentState(deps.store, listingStream(listingId), listingDecider)).images.find(
      (i) => i.key === key,
    );
    const result = await handle({ type: 'RemoveListingImage', listingId, by, key }, metadata);
    const removed = result.events.some((event) => event.type === 'ListingImageRemoved' && event.data.key === key);
    if (removed && image) await deps.images.removeListingImages([image]).catch(() => undefined);
    return result;
  }

  return {
    handle,
    addImages,
    removeImage,
    state: (listingId: string) => currentState(deps.store, listingStream(listingId), listingDecider),
  };
}

export type ListingService = ReturnType<typeof listingService>;
