import type { Decider, DecisionContext } from '../shared/decider.js';
import { DomainError, notFound } from '../shared/errors.js';
import { cancel, fill, forbidden, generate, sign, wrongStatus } from './contract-decisions.js';
import {
  CONTRACT_PARTIES,
  type ContractCanceller,
  type ContractEvent,
  type ContractParties,
  type ContractParty,
  type ContractSignature,
  type ContractStatus,
  type ContractTerms,
} from './contract-events.js';
import { checkScan, checkScanReview, expiryDecision, reminderDecision } from './contract-lifecycle.js';

export interface ContractScan {
  fileKey: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  review: { accepted: boolean; note: string | null; reviewedBy: string } | null;
}

export interface ContractState {
  status: ContractStatus | 'none';
  parties: ContractParties | null;
  templateId: string;
  templateVersion: number;
  templateBody: string;
  values: Record<string, string>;
  terms: ContractTerms;
  text: string;
  sha256: string;
  missing: string[];
  signatures: ContractSignature[];
  /** The hash both parties signed, set when the owner's signature completes the contract. */
  signedSha256: string | null;
  signedAt: string | null;
  scan: ContractScan | null;
  /** `daysBefore` of the expiry reminders already emitted. */
  remindersSent: number[];
}

export type ContractCommand = { contractId: string } & (
  | ({
      type: 'GenerateContract';
      templateId: string;
      templateVersion: number;
      templateBody: string;
      values: Record<string, string>;
      terms: ContractTerms;
    } & ContractParties)
  | {
      type: 'FillContractFields';
      values?: Record<string, string>;
      startDate?: string | null;
      endDate?: string | null;
      clauses?: string | null;
    }
  | {
      type: 'SignContract';
      party: ContractParty;
      signerId: string;
      ip: string;
      userAgent: string;
      documentSha256: string;
    }
  | {
      type: 'UploadContractScan';
      fileKey: string;
      fileName: string;
      contentType: string;
      sizeBytes: number;
      sha256: string;
      uploadedBy: string;
    }
  | { type: 'ReviewContractScan'; accepted: boolean; note: string | null; reviewedBy: string }
  | { type: 'RemindContractExpiry'; daysBefore: number }
  | { type: 'ExpireContract' }
  | { type: 'CancelContract'; reason: string; by: ContractCanceller }
);

export interface ContractContext extends DecisionContext {
  /** The actor acts for the platform (operator/admin): fills fields in the owner's place, reviews scans, cancels. */
  actingAsOperator: boolean;
}

/** The current document text (what is signed and hashed). */
export const contractDocumentText = (state: ContractState) => state.text;

export { partyIdOf } from './contract-decisions.js';

/** Who signs next: the customer, then the owner; null once signed or when no longer signable. */
export function nextSigner(state: ContractState): ContractParty | null {
  if (state.status !== 'awaiting_signatures') return null;
  return CONTRACT_PARTIES.find((party) => !state.signatures.some((s) => s.party === party)) ?? null;
}

/**
 * A rental contract (HopDong): generated from a template version into its own snapshot (template
 * body and values, so the text can be rendered and hashed again at any time), completed by the
 * owner while nobody has signed, then signed customer first and owner second, each signature over
 * the hash of the text it saw. awaiting_signatures → signed → expired; either → cancelled.
 */
export const contractDecider: Decider<ContractCommand, ContractState, ContractEvent, ContractContext> = {
  initialState: () => ({
    status: 'none',
    parties: null,
    templateId: '',
    templateVersion: 0,
    templateBody: '',
    values: {},
    terms: { rentVnd: 0, depositVnd: 0, startDate: null, endDate: null, clauses: null },
    text: '',
    sha256: '',
    missing: [],
    signatures: [],
    signedSha256: null,
    signedAt: null,
    scan: null,
    remindersSent: [],
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'ContractGenerated': {
        const d = event.data;
        const { depositId, roomHoldId, roomId, listingId, projectId, customerId, ownerId } = d;
        return {
          ...state,
          status: 'awaiting_signatures',
          parties: { depositId, roomHoldId, roomId, listingId, projectId, customerId, ownerId },
          templateId: d.templateId,
          templateVersion: d.templateVersion,
          templateBody: d.templateBody,
          values: d.values,
          terms: d.terms,
          text: d.text,
          sha256: d.sha256,
          missing: d.missing,
        };
      }
      case 'ContractFieldsFilled': {
        const { values, terms, text, sha256, missing } = event.data;
        return { ...state, values: { ...state.values, ...values }, terms, text, sha256, missing };
      }
      case 'ContractSigned': {
        const { contractId: _id, ...signature } = event.data;
        return { ...state, signatures: [...state.signatures, signature] };
      }
      case 'ContractFullySigned':
        return {
          ...state,
          status: 'signed',
          signedSha256: event.data.documentSha256,
          signedAt: event.data.signedAt,
        };
      case 'ContractScanUploaded': {
        const { contractId: _id, ...scan } = event.data;
        return { ...state, scan: { ...scan, review: null } };
      }
      case 'ContractScanReviewed': {
        if (!state.scan || state.scan.fileKey !== event.data.fileKey) return state;
        const { accepted, note, reviewedBy } = event.data;
        return { ...state, scan: { ...state.scan, review: { accepted, note, reviewedBy } } };
      }
      case 'ContractExpiryReminderDue':
        return { ...state, remindersSent: [...state.remindersSent, event.data.daysBefore] };
      case 'ContractExpired':
        return { ...state, status: 'expired' };
      case 'ContractCancelled':
        return { ...state, status: 'cancelled' };
      default:
        return state;
    }
  },

  decide(command, state, context) {
    if (command.type === 'GenerateContract') return generate(command, state, context);
    if (state.status === 'none' || !state.parties) return notFound('CONTRACT_NOT_FOUND', 'Không tìm thấy hợp đồng');
    const { contractId } = command;
    const { parties } = state;

    switch (command.type) {
      case 'FillContractFields':
        return fill(command, state, context);
      case 'SignContract':
        return sign(command, state, context);
      case 'UploadContractScan': {
        const isParty = context.actorId === parties.customerId || context.actorId === parties.ownerId;
        if (!isParty && !context.actingAsOperator) {
          return forbidden('NOT_A_PARTY', 'Chỉ các bên của hợp đồng được tải bản scan');
        }
        if (state.status !== 'signed' && state.status !== 'expired') return wrongStatus(state, 'tải bản scan');
        const scan = checkScan(command);
        if (scan instanceof DomainError) return scan;
        return [{ type: 'ContractScanUploaded', data: { contractId, ...scan } }];
      }
      case 'ReviewContractScan': {
        if (!context.actingAsOperator)
          return forbidden('OPERATOR_REQUIRED', 'Chỉ nhân viên vận hành xác minh bản scan');
        const review = checkScanReview(command, state.scan);
        if (review instanceof DomainError || review === null) return review ?? [];
        return [{ type: 'ContractScanReviewed', data: { contractId, ...review } }];
      }
      case 'RemindContractExpiry':
        return reminderDecision(contractId, command.daysBefore, state, context.now);
      case 'ExpireContract':
        return expiryDecision(contractId, state, context.now);
      case 'CancelContract':
        return cancel(command, state, context);
    }
  },
};
