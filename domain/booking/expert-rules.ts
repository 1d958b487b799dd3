import { DomainError, invalid } from '../shared/errors.js';
import { foldVietnamese } from '../shared/text.js';
import {
  DOCUMENT_KINDS,
  EXPERT_LANGUAGES,
  type ExpertBookingSettings,
  type ExpertDocument,
  type ExpertProfile,
  type ExpertService,
  SERVICE_MODES,
} from './expert-events.js';
import { isKnownTimeZone } from './local-time.js';
import { type SpecialtyLookup, specialtyProblem } from './specialty-catalog.js';

/** Checks of what an expert writes: profile, credentials, services, booking settings. */
export const EXPERT_LIMITS = {
  headline: 120,
  bio: 5000,
  yearsOfExperience: 70,
  specialties: 10,
  documents: 20,
  documentText: 200,
  earliestYear: 1950,
  documentBytes: 10 * 1024 * 1024,
  services: 30,
  serviceName: 120,
  serviceDescription: 2000,
  address: 300,
  minDuration: 15,
  maxDuration: 480,
  maxFeeVnd: 1_000_000_000,
  reason: 500,
  maxBufferMinutes: 240,
  maxNoticeMinutes: 30 * 24 * 60,
  maxWindowDays: 365,
  maxStepMinutes: 240,
  maxDailyLimit: 50,
  maxWeeklyLimit: 300,
} as const;

const length = (text: string) => [...text].length;

export function textProblem(value: string, field: string, max: number, required: boolean): DomainError | null {
  if (required && value.trim().length === 0) return invalid('FIELD_REQUIRED', 'Trường này là bắt buộc', field);
  return length(value) > max ? invalid('FIELD_TOO_LONG', `Tối đa ${max} ký tự`, field) : null;
}

function integerProblem(value: number, field: string, min: number, max: number, step = 1): DomainError | null {
  if (!Number.isInteger(value) || value < min || value > max || value % step !== 0) {
    const multiple = step > 1 ? `, bội số của ${step}` : '';
    return invalid('NUMBER_OUT_OF_RANGE', `Phải là số nguyên từ ${min} đến ${max}${multiple}`, field);
  }
  return null;
}

/**
 * A profile as written: `kept` are the specialties the expert already has (a disabled specialty
 * stays on them). `complete` asks for what a reviewer needs as well: a headline, a bio and a
 * specialty (submitting; changing a profile that was submitted or verified).
 */
export function profileProblem(
  profile: ExpertProfile,
  catalog: SpecialtyLookup,
  kept: readonly string[],
  complete: boolean,
): DomainError | null {
  const text =
    textProblem(profile.headline, 'headline', EXPERT_LIMITS.headline, complete) ??
    textProblem(profile.bio, 'bio', EXPERT_LIMITS.bio, complete) ??
    integerProblem(profile.yearsOfExperience, 'yearsOfExperience', 0, EXPERT_LIMITS.yearsOfExperience);
  if (text) return text;
  if (profile.languages.length === 0) return invalid('LANGUAGE_REQUIRED', 'Chọn ít nhất một ngôn ngữ', 'languages');
  for (const [index, language] of profile.languages.entries()) {
    if (!(EXPERT_LANGUAGES as readonly string[]).includes(language)) {
      return invalid('LANGUAGE_INVALID', `Ngôn ngữ phải là ${EXPERT_LANGUAGES.join(', ')}`, `languages.${index}`);
    }
    if (profile.languages.indexOf(language) !== index) {
      return invalid('DUPLICATE', `Ngôn ngữ "${language}" bị lặp lại`, `languages.${index}`);
    }
  }
  if (profile.specialties.length > EXPERT_LIMITS.specialties) {
    return invalid('TOO_MANY_SPECIALTIES', `Tối đa ${EXPERT_LIMITS.specialties} chuyên môn`, 'specialties');
  }
  for (const [index, id] of profile.specialties.entries()) {
    if (profile.specialties.indexOf(id) !== index) {
      return invalid('DUPLICATE', `Chuyên môn "${id}" bị lặp lại`, `specialties.${index}`);
    }
  }
  if (complete && profile.specialties.length === 0) {
    return invalid('SPECIALTY_REQUIRED', 'Chọn ít nhất một chuyên môn', 'specialties');
  }
  return specialtyProblem(profile.specialties, catalog, kept);
}

export const cleanProfile = (profile: ExpertProfile): ExpertProfile => ({
  headline: profile.headline.normalize('NFC').trim().replace(/\s+/g, ' '),
  bio: profile.bio.normalize('NFC').trim(),
  yearsOfExperience: profile.yearsOfExperience,
  languages: [...profile.languages],
  specialties: [...profile.specialties],
});

export function documentProblem(document: ExpertDocument, now: Date): DomainError | null {
  if (!(DOCUMENT_KINDS as readonly string[]).includes(document.kind)) {
    return invalid('DOCUMENT_KIND_INVALID', `Loại giấy tờ phải là ${DOCUMENT_KINDS.join(', ')}`, 'kind');
  }
  return (
    textProblem(document.title, 'title', EXPERT_LIMITS.documentText, true) ??
    textProblem(document.issuer, 'issuer', EXPERT_LIMITS.documentText, true) ??
    integerProblem(document.year, 'year', EXPERT_LIMITS.earliestYear, now.getUTCFullYear())
  );
}

/** A service as it would be after a change: offline sessions need an address, online ones keep none. */
export function serviceProblem(service: ExpertService, others: readonly ExpertService[]): DomainError | null {
  const text =
    textProblem(service.name, 'name', EXPERT_LIMITS.serviceName, true) ??
    textProblem(service.description, 'description', EXPERT_LIMITS.serviceDescription, false);
  if (text) return text;
  const folded = foldVietnamese(service.name);
  if (others.some((other) => other.id !== service.id && foldVietnamese(other.name) === folded)) {
    return new DomainError('conflict', 'SERVICE_NAME_TAKEN', `Đã có dịch vụ tên "${service.name}"`, {
      field: 'name',
    });
  }
  const numbers =
    integerProblem(
      service.durationMinutes,
      'durationMinutes',
      EXPERT_LIMITS.minDuration,
      EXPERT_LIMITS.maxDuration,
      5,
    ) ?? integerProblem(service.feeVnd, 'feeVnd', 0, EXPERT_LIMITS.maxFeeVnd);
  if (numbers) return numbers;
  if (!(SERVICE_MODES as readonly string[]).includes(service.mode)) {
    return invalid('SERVICE_MODE_INVALID', 'Hình thức phải là online hoặc offline', 'mode');
  }
  if (service.mode === 'offline') {
    if ((service.address ?? '').trim().length === 0) {
      return invalid('ADDRESS_REQUIRED', 'Dịch vụ trực tiếp cần địa chỉ', 'address');
    }
    return textProblem(service.address ?? '', 'address', EXPERT_LIMITS.address, true);
  }
  return null;
}

export const cleanService = (service: ExpertService): ExpertService => ({
  ...service,
  name: service.name.normalize('NFC').trim().replace(/\s+/g, ' '),
  description: service.description.normalize('NFC').trim(),
  address: service.mode === 'offline' ? (service.address ?? '').normalize('NFC').trim() : null,
});

export function settingsProblem(settings: ExpertBookingSettings): DomainError | null {
  if (settings.timeZone.length > 64 || !isKnownTimeZone(settings.timeZone)) {
    return invalid('TIME_ZONE_INVALID', `Múi giờ "${settings.timeZone}" không hợp lệ`, 'timeZone');
  }
  const { maxBufferMinutes, maxNoticeMinutes, maxWindowDays, maxStepMinutes } = EXPERT_LIMITS;
  const limit = (value: number | null, field: string, max: number) =>
    value === null ? null : integerProblem(value, field, 1, max);
  const problem =
    integerProblem(settings.bufferBeforeMinutes, 'bufferBeforeMinutes', 0, maxBufferMinutes, 5) ??
    integerProblem(settings.bufferAfterMinutes, 'bufferAfterMinutes', 0, maxBufferMinutes, 5) ??
    integerProblem(settings.minimumNoticeMinutes, 'minimumNoticeMinutes', 0, maxNoticeMinutes) ??
    integerProblem(settings.bookingWindowDays, 'bookingWindowDays', 1, maxWindowDays) ??
    integerProblem(settings.stepMinutes, 'stepMinutes', 5, maxStepMinutes, 5) ??
    limit(settings.dailyLimit, 'dailyLimit', EXPERT_LIMITS.maxDailyLimit) ??
    limit(settings.weeklyLimit, 'weeklyLimit', EXPERT_LIMITS.maxWeeklyLimit);
  if (problem) return problem;
  if (settings.dailyLimit !== null && settings.weeklyLimit !== null && settings.weeklyLimit < settings.dailyLimit) {
    return invalid('WEEKLY_LIMIT_BELOW_DAILY', 'Giới hạn mỗi tuần không được nhỏ hơn giới hạn mỗi ngày', 'weeklyLimit');
  }
  return null;
}

export function reasonProblem(reason: string): DomainError | null {
  if (reason.trim().length === 0) return invalid('REASON_REQUIRED', 'Nhập lý do', 'reason');
  return textProblem(reason, 'reason', EXPERT_LIMITS.reason, true);
}
