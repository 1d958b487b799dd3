import type { Decider } from '../shared/decider.js';
import { conflict, DomainError, invalid } from '../shared/errors.js';
import {
  KYC_CONTENT_TYPES,
  KYC_DOCUMENT_KINDS,
  type KycDocument,
  type KycEvent,
  type KycStatus,
} from './kyc-events.js';
import type { Role } from './roles.js';

export interface KycState {
  status: KycStatus;
  documents: KycDocument[];
  rejectionReason: string | null;
}

export type KycCommand = { userId: string } & (
  | { type: 'SubmitKyc'; documents: KycDocument[] }
  | { type: 'VerifyKyc' }
  | { type: 'RejectKyc'; reason: string }
);

export const KYC_LIMITS = { documents: 5, documentBytes: 10 * 1024 * 1024, reason: 500 } as const;
/** Roles that need a verified identity before they sell: owners (ChuDuAn) and experts. */
export const KYC_ROLES: readonly Role[] = ['owner', 'expert'];
export const needsKyc = (roles: readonly string[]) =>
  roles.some((role) => (KYC_ROLES as readonly string[]).includes(role));

function checkDocuments(documents: readonly KycDocument[]): DomainError | null {
  if (documents.length === 0) return invalid('DOCUMENTS_REQUIRED', 'Tải lên ít nhất một giấy tờ', 'documents');
  if (documents.length > KYC_LIMITS.documents) {
    return invalid('TOO_MANY_DOCUMENTS', `Tối đa ${KYC_LIMITS.documents} giấy tờ mỗi lần gửi`, 'documents');
  }
  for (const [index, document] of documents.entries()) {
    if (!(KYC_DOCUMENT_KINDS as readonly string[]).includes(document.kind)) {
      return invalid(
        'DOCUMENT_KIND_INVALID',
        `Loại giấy tờ phải là ${KYC_DOCUMENT_KINDS.join(', ')}`,
        `kinds.${index}`,
      );
    }
    if (!(KYC_CONTENT_TYPES as readonly string[]).includes(document.contentType)) {
      return invalid('FILE_TYPE_NOT_ALLOWED', 'Giấy tờ phải là PDF, JPG hoặc PNG', `documents.${index}`);
    }
    if (document.size <= 0 || document.size > KYC_LIMITS.documentBytes) {
      return invalid('DOCUMENT_SIZE_INVALID', 'Mỗi giấy tờ từ 1 byte đến 10 MB', `documents.${index}`);
    }
  }
  return null;
}

const notPending = (status: KycStatus) =>
  conflict('KYC_NOT_PENDING', `Hồ sơ xác minh đang ở trạng thái ${status}, không chờ duyệt`, { status });

/**
 * unverified → pending → verified | rejected (with reason); a rejected person submits again
 * (→ pending). Nobody reviews their own submission.
 */
export const kycDecider: Decider<KycCommand, KycState, KycEvent> = {
  initialState: () => ({ status: 'unverified', documents: [], rejectionReason: null }),

  evolve(state, event) {
    switch (event.type) {
      case 'KycSubmitted':
        return { status: 'pending', documents: event.data.documents, rejectionReason: null };
      case 'KycVerified':
        return { ...state, status: 'verified', rejectionReason: null };
      case 'KycRejected':
        return { ...state, status: 'rejected', rejectionReason: event.data.reason };
      default:
        return state;
    }
  },

  decide(command, state, context) {
    const { userId } = command;
    switch (command.type) {
      case 'SubmitKyc': {
        if (state.status === 'pending') return conflict('KYC_PENDING', 'Hồ sơ xác minh đang chờ duyệt');
        if (state.status === 'verified') return conflict('KYC_ALREADY_VERIFIED', 'Danh tính đã được xác minh');
        const bad = checkDocuments(command.documents);
        if (bad) return bad;
        const documents = command.documents.map(({ key, contentType, size, kind }) => ({
          key,
          contentType,
          size,
          kind,
        }));
        return [{ type: 'KycSubmitted', data: { userId, documents } }];
      }
      case 'VerifyKyc':
      case 'RejectKyc': {
        if (context.actorId === userId) {
          return new DomainError('forbidden', 'KYC_SELF_REVIEW', 'Không thể tự duyệt hồ sơ xác minh của mình');
        }
        if (state.status !== 'pending') return notPending(state.status);
        if (command.type === 'VerifyKyc') return [{ type: 'KycVerified', data: { userId } }];
        const reason = command.reason.trim();
        if (reason.length === 0) return invalid('REASON_REQUIRED', 'Nhập lý do từ chối', 'reason');
        if ([...reason].length > KYC_LIMITS.reason) {
          return invalid('FIELD_TOO_LONG', `Lý do dài tối đa ${KYC_LIMITS.reason} ký tự`, 'reason');
        }
        return [{ type: 'KycRejected', data: { userId, reason } }];
      }
    }
  },
};
