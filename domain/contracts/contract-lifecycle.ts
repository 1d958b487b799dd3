import type { Decision } from '../shared/decider.js';
import { type DomainError, invalid } from '../shared/errors.js';
import type { ContractScan, ContractState } from './contract.js';
import type { ContractEvent } from './contract-events.js';
import { CONTRACT_LIMITS, cleanText, endOfVnDay, SCAN_CONTENT_TYPES } from './contract-terms.js';

const DAY_MS = 86_400_000;
const SHA256 = /^[0-9a-f]{64}$/;

type ScanInput = Omit<ContractScan, 'review'>;

/** A scan as stored, or why it is refused (type and size are sniffed by the service; this guards the facts). */
export function checkScan(scan: ScanInput): ScanInput | DomainError {
  if (typeof scan.fileKey !== 'string' || scan.fileKey.length === 0) {
    return invalid('FILE_REQUIRED', 'Chọn tệp bản scan', 'file');
  }
  if (!(SCAN_CONTENT_TYPES as readonly string[]).includes(scan.contentType)) {
    return invalid('FILE_TYPE_NOT_ALLOWED', 'Bản scan phải là PDF, JPG hoặc PNG', 'file');
  }
  if (!Number.isSafeInteger(scan.sizeBytes) || scan.sizeBytes < 1 || scan.sizeBytes > CONTRACT_LIMITS.scanBytes) {
    return invalid('FILE_TOO_LARGE', 'Bản scan tối đa 10 MB', 'file');
  }
  if (!SHA256.test(scan.sha256)) return invalid('FILE_HASH_INVALID', 'Mã băm SHA-256 của tệp không hợp lệ', 'file');
  const fileName = (cleanText(scan.fileName) ?? 'scan').slice(0, 255);
  const { fileKey, contentType, sizeBytes, sha256, uploadedBy } = scan;
  return { fileKey, fileName, contentType, sizeBytes, sha256, uploadedBy };
}

/** The review to record, null when it is already recorded, or why it cannot be. */
export function checkScanReview(
  command: { accepted: boolean; note: string | null; reviewedBy: string },
  scan: ContractScan | null,
): { fileKey: string; accepted: boolean; note: string | null; reviewedBy: string } | DomainError | null {
  if (!scan) return invalid('SCAN_MISSING', 'Hợp đồng chưa có bản scan để xác minh', 'scan');
  if (typeof command.accepted !== 'boolean')
    return invalid('ACCEPTED_REQUIRED', 'Chọn chấp nhận hoặc từ chối', 'accepted');
  const note = cleanText(command.note);
  if (note !== null && note.length > CONTRACT_LIMITS.note) {
    return invalid('FIELD_TOO_LONG', `Ghi chú dài tối đa ${CONTRACT_LIMITS.note} ký tự`, 'note');
  }
  if (scan.review && scan.review.accepted === command.accepted && scan.review.note === note) return null;
  return { fileKey: scan.fileKey, accepted: command.accepted, note, reviewedBy: command.reviewedBy };
}

/**
 * A reminder `daysBefore` the end, once: only for a signed contract with an end date, and only
 * while now is in the last `daysBefore` days before the end of that date (Vietnam time).
 */
export function reminderDecision(
  contractId: string,
  daysBefore: number,
  state: ContractState,
  now: Date,
): Decision<ContractEvent> {
  if (!Number.isInteger(daysBefore) || daysBefore < 1 || daysBefore > 365) {
    return invalid('DAYS_INVALID', 'Số ngày nhắc trước là số nguyên từ 1 đến 365', 'daysBefore');
  }
  const { endDate } = state.terms;
  if (state.status !== 'signed' || endDate === null || state.remindersSent.includes(daysBefore)) return [];
  const end = endOfVnDay(endDate).getTime();
  if (now.getTime() >= end || now.getTime() < end - daysBefore * DAY_MS) return [];
  return [{ type: 'ContractExpiryReminderDue', data: { contractId, daysBefore, endDate } }];
}

/** Expired once its end date is over in Vietnam; anything else is no change (the job may run any time). */
export function expiryDecision(contractId: string, state: ContractState, now: Date): Decision<ContractEvent> {
  const { endDate } = state.terms;
  if (state.status !== 'signed' || endDate === null || now < endOfVnDay(endDate)) return [];
  return [{ type: 'ContractExpired', data: { contractId, endDate } }];
}
