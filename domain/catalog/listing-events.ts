import type { DomainEvent } from '../shared/decider.js';
import type { ListingImage } from './listing-images.js';
import type { Address } from './project-events.js';

/** Nhap, ChoDuyet, DaDuyet, DaDang, TamNgung, TuChoi, LuuTru (GLOSSARY). */
export const LISTING_STATUSES = [
  'draft',
  'pending_review',
  'approved',
  'published',
  'suspended',
  'rejected',
  'archived',
] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/** phòng trọ, căn hộ, nhà nguyên căn, ký túc xá. */
export const ROOM_TYPES = ['room', 'apartment', 'house', 'dormitory'] as const;
export type RoomType = (typeof ROOM_TYPES)[number];

/** A room the listing offers, with the listing's own overrides (null = the room's standard value). */
export interface ListingRoom {
  roomId: string;
  price: number | null;
  areaM2: number | null;
  description: string | null;
  displayOrder: number;
}

export interface ListingBasics {
  title: string;
  description: string;
  roomType: RoomType;
}

/** The operator's moderation checklist (UC-OPER-01). */
export interface ModerationChecklist {
  accurate: boolean;
  imagesClear: boolean;
  priceReasonable: boolean;
  ownerKycVerified: boolean;
}

type L<Type extends string, Data> = DomainEvent<Type, { listingId: string } & Data>;

/**
 * A listing (TinDang), one stream each. The wizard's steps are separate facts so a draft resumes
 * at the first step it has not saved: 1 basics, 2 amenities and address, 3 rooms, 4 images,
 * 5 deposit policy, 6 review and submit.
 */
export type ListingEvent =
  | L<'ListingDraftCreated', ListingBasics & { ownerId: string; projectId: string }>
  | L<'ListingBasicsSaved', ListingBasics>
  | L<'ListingFeaturesSaved', { amenities: string[]; address: Address }>
  | L<'ListingRoomsSaved', { rooms: ListingRoom[] }>
  | L<'ListingImagesAdded', { images: ListingImage[] }>
  | L<'ListingImageRemoved', { key: string }>
  | L<'ListingImagesReordered', { keys: string[] }>
  | L<'ListingDepositPolicyChosen', { depositPolicyId: string | null }>
  | L<'ListingSubmitted', Record<never, never>>
  | L<'ListingApproved', { checklist: ModerationChecklist; note: string }>
  | L<'ListingRejected', { checklist: ModerationChecklist; reason: string }>
  | L<'ListingPublished', Record<never, never>>
  | L<'ListingReturnedToReview', { fields: string[] }>
  | L<'ListingSuspended', { reason: string }>
  /** Material fields changed while suspended: reinstating then sends the listing to review. */
  | L<'ListingEditedWhileSuspended', { fields: string[] }>
  | L<'ListingReinstated', { published: boolean }>
  | L<'ListingArchived', Record<never, never>>;

export const LISTING_EVENT_TYPES: ListingEvent['type'][] = [
  'ListingDraftCreated',
  'ListingBasicsSaved',
  'ListingFeaturesSaved',
  'ListingRoomsSaved',
  'ListingImagesAdded',
  'ListingImageRemoved',
  'ListingImagesReordered',
  'ListingDepositPolicyChosen',
  'ListingSubmitted',
  'ListingApproved',
  'ListingRejected',
  'ListingPublished',
  'ListingReturnedToReview',
  'ListingSuspended',
  'ListingEditedWhileSuspended',
  'ListingReinstated',
  'ListingArchived',
];

export const listingStream = (listingId: string) => `listing-${listingId}`;
