import type { DomainEvent } from '../shared/decider.js';

export const KYC_STATUSES = ['unverified', 'pending', 'verified', 'rejected'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

export const KYC_DOCUMENT_KINDS = ['id_front', 'id_back', 'business_license', 'other'] as const;
export type KycDocumentKind = (typeof KYC_DOCUMENT_KINDS)[number];

export const KYC_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type KycContentType = (typeof KYC_CONTENT_TYPES)[number];

/** One uploaded identity document: a FileStorage key, its sniffed type and size in bytes. */
export interface KycDocument {
  key: string;
  contentType: KycContentType;
  size: number;
  kind: KycDocumentKind;
}

/**
 * Facts about a person's identity verification (stream `kyc-<userId>`), for owners and experts.
 * `KycVerified` is the one other contexts react to: from then on the user counts as verified
 * (the catalog publishes an owner's approved listings; experts may be booked). The reviewer is
 * the event's actor (metadata).
 */
export type KycEvent =
  | DomainEvent<'KycSubmitted', { userId: string; documents: KycDocument[] }>
  | DomainEvent<'KycVerified', { userId: string }>
  | DomainEvent<'KycRejected', { userId: string; reason: string }>;

export const KYC_EVENT_TYPES: KycEvent['type'][] = ['KycSubmitted', 'KycVerified', 'KycRejected'];

export const kycStream = (userId: string) => `kyc-${userId}`;
