import type { DomainEvent } from '../shared/decider.js';

/** ChoKy → awaiting_signatures, DaKy → signed, HetHan → expired, HuyBo → cancelled (GLOSSARY). */
export const CONTRACT_STATUSES = ['awaiting_signatures', 'signed', 'expired', 'cancelled'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** Customer signs first, then the owner (SRS UC-PROJ-04). */
export const CONTRACT_PARTIES = ['customer', 'owner'] as const;
export type ContractParty = (typeof CONTRACT_PARTIES)[number];

export const CONTRACT_CANCELLERS = ['customer', 'owner', 'operator'] as const;
export type ContractCanceller = (typeof CONTRACT_CANCELLERS)[number];

/** The terms the contract's numbers come from; money integer VND, dates 'yyyy-mm-dd' (VN calendar). */
export interface ContractTerms {
  rentVnd: number;
  depositVnd: number;
  startDate: string | null;
  endDate: string | null;
  clauses: string | null;
}

/** Who and what a contract is about: copied from the security deposit it comes from. */
export interface ContractParties {
  depositId: string;
  roomHoldId: string;
  roomId: string;
  listingId: string;
  projectId: string;
  customerId: string;
  ownerId: string;
}

/** The rendered document: its text, SHA-256 of that text, and the placeholders still without a value. */
export interface ContractDocument {
  text: string;
  sha256: string;
  missing: string[];
}

export interface ContractSignature {
  party: ContractParty;
  signerId: string;
  signedAt: string;
  ip: string;
  userAgent: string;
  documentSha256: string;
}

/**
 * One contract (HopDong, stream `contract-<contractId>`). The generated event holds a snapshot of
 * the template body and every value, so the text can always be re-rendered and re-hashed.
 */
export type ContractEvent =
  | DomainEvent<
      'ContractGenerated',
      ContractParties &
        ContractDocument & {
          contractId: string;
          templateId: string;
          templateVersion: number;
          templateBody: string;
          values: Record<string, string>;
          terms: ContractTerms;
        }
    >
  | DomainEvent<
      'ContractFieldsFilled',
      ContractDocument & { contractId: string; values: Record<string, string>; terms: ContractTerms }
    >
  | DomainEvent<'ContractSigned', ContractSignature & { contractId: string }>
  | DomainEvent<'ContractFullySigned', { contractId: string; signedAt: string; documentSha256: string }>
  | DomainEvent<
      'ContractScanUploaded',
      {
        contractId: string;
        fileKey: string;
        fileName: string;
        contentType: string;
        sizeBytes: number;
        sha256: string;
        uploadedBy: string;
      }
    >
  | DomainEvent<
      'ContractScanReviewed',
      { contractId: string; fileKey: string; accepted: boolean; note: string | null; reviewedBy: string }
    >
  | DomainEvent<'ContractExpiryReminderDue', { contractId: string; daysBefore: number; endDate: string }>
  | DomainEvent<'ContractExpired', { contractId: string; endDate: string }>
  | DomainEvent<
      'ContractCancelled',
      {
        contractId: string;
        reason: string;
        by: ContractCanceller;
        previousStatus: 'awaiting_signatures' | 'signed';
      }
    >;

export const CONTRACT_EVENT_TYPES: ContractEvent['type'][] = [
  'ContractGenerated',
  'ContractFieldsFilled',
  'ContractSigned',
  'ContractFullySigned',
  'ContractScanUploaded',
  'ContractScanReviewed',
  'ContractExpiryReminderDue',
  'ContractExpired',
  'ContractCancelled',
];

export const contractStream = (contractId: string) => `contract-${contractId}`;
