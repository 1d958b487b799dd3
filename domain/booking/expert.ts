import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import {
  DEFAULT_BOOKING_SETTINGS,
  type ExpertBookingSettings,
  type ExpertDocument,
  type ExpertEvent,
  type ExpertProfile,
  type ExpertService,
  type ExpertStatus,
} from './expert-events.js';
import {
  cleanProfile,
  cleanService,
  documentProblem,
  EXPERT_LIMITS,
  profileProblem,
  reasonProblem,
  serviceProblem,
  settingsProblem,
} from './expert-rules.js';
import { decideSchedule, type ExpertScheduleCommand, evolveSchedule } from './expert-schedule.js';
import { emptySchedule, type ProviderSchedule } from './schedule.js';
import type { SpecialtyLookup } from './specialty-catalog.js';

/** Plain data (no Maps), so the experts projection folds the same `evolve` into its rows. */
export interface ExpertState {
  exists: boolean;
  status: ExpertStatus;
  profile: ExpertProfile;
  documents: ExpertDocument[];
  services: ExpertService[];
  settings: ExpertBookingSettings;
  schedule: ProviderSchedule;
  /** Why the expert was last rejected or suspended, while they are. */
  reason: string | null;
}

export type NewService = Omit<ExpertService, 'active'>;
export type ServiceChanges = Partial<Omit<ExpertService, 'id' | 'active'>>;

export type ExpertCommand =
  | ExpertScheduleCommand
  | ({ expertId: string } & (
      | { type: 'UpdateExpertProfile'; profile: ExpertProfile }
      | { type: 'AddExpertDocument'; document: ExpertDocument }
      | { type: 'RemoveExpertDocument'; documentId: string }
      | { type: 'SubmitExpertProfile' }
      | { type: 'VerifyExpert' }
      | { type: 'RejectExpert'; reason: string }
      | { type: 'SuspendExpert'; reason: string }
      | { type: 'AddExpertService'; service: NewService }
      | { type: 'ChangeExpertService'; serviceId: string; changes: ServiceChanges }
      | { type: 'DeactivateExpertService'; serviceId: string }
      | { type: 'ReactivateExpertService'; serviceId: string }
      | { type: 'ChangeExpertBookingSettings'; settings: ExpertBookingSettings }
    ));

/** Which specialties exist and are active (the catalog stream, loaded for profile changes only). */
export interface ExpertContext extends DecisionContext {
  specialties: SpecialtyLookup;
}

const REVIEW_COMMANDS = new Set(['VerifyExpert', 'RejectExpert', 'SuspendExpert']);

export const emptyProfile = (): ExpertProfile => ({
  headline: '',
  bio: '',
  yearsOfExperience: 0,
  languages: ['vi'],
  specialties: [],
});

const statusConflict = (status: ExpertStatus, action: string) =>
  conflict('EXPERT_STATUS_CONFLICT', `Hồ sơ chuyên gia đang ở trạng thái ${status}, không thể ${action}`, { status });

/** Submitted, verified and suspended profiles stay complete: a reviewer saw (or sees) all of it. */
const mustStayComplete = (status: ExpertStatus) => status !== 'draft' && status !== 'rejected';

function decideReview(command: ExpertCommand, state: ExpertState, context: ExpertContext): ExpertEvent[] | DomainError {
  const { expertId } = command;
  if (!state.exists) return notFound('EXPERT_NOT_FOUND', 'Không tìm thấy chuyên gia');
  if (context.actorId === expertId) {
    return new DomainError('forbidden', 'EXPERT_SELF_REVIEW', 'Không thể tự duyệt hồ sơ chuyên gia của mình');
  }
  switch (command.type) {
    case 'VerifyExpert':
      if (state.status === 'verified') return [];
      if (state.status !== 'submitted' && state.status !== 'suspended') return statusConflict(state.status, 'xác minh');
      return [{ type: 'ExpertVerified', data: { expertId } }];
    case 'RejectExpert':
    case 'SuspendExpert': {
      const bad = reasonProblem(command.reason);
      if (bad) return bad;
      const reason = command.reason.trim();
      if (command.type === 'RejectExpert') {
        if (state.status !== 'submitted') return statusConflict(state.status, 'từ chối');
        return [{ type: 'ExpertRejected', data: { expertId, reason } }];
      }
      if (state.status === 'suspended') return [];
      if (state.status !== 'verified') return statusConflict(state.status, 'tạm ngưng');
      return [{ type: 'ExpertSuspended', data: { expertId, reason } }];
    }
    default:
      return [];
  }
}

function decideSubmit(state: ExpertState, context: ExpertContext, expertId: string): ExpertEvent[] | DomainError {
  if (state.status === 'submitted') return conflict('EXPERT_ALREADY_SUBMITTED', 'Hồ sơ đang chờ duyệt');
  if (state.status === 'verified') return conflict('EXPERT_ALREADY_VERIFIED', 'Hồ sơ đã được xác minh');
  if (state.status === 'suspended') return statusConflict(state.status, 'gửi duyệt');
  const incomplete = profileProblem(state.profile, context.specialties, state.profile.specialties, true);
  if (incomplete) {
    return invalid('EXPERT_PROFILE_INCOMPLETE', `Hồ sơ chưa đủ để gửi duyệt: ${incomplete.message}`, incomplete.field);
  }
  if (!state.documents.some((document) => document.fileKey !== null)) {
    return invalid('DOCUMENT_REQUIRED', 'Tải lên ít nhất một bằng cấp hoặc chứng chỉ', 'documents');
  }
  return [{ type: 'ExpertSubmittedForVerification', data: { expertId } }];
}

function decideService(command: ExpertCommand, state: ExpertState): ExpertEvent[] | DomainError {
  const { expertId } = command;
  if (command.type === 'AddExpertService') {
    if (state.services.some((s) => s.id === command.service.id)) return [];
    if (state.services.length >= EXPERT_LIMITS.services) {
      return conflict('SERVICE_LIMIT', `Tối đa ${EXPERT_LIMITS.services} dịch vụ`);
    }
    const service = cleanService({ ...command.service, active: true });
    const bad = serviceProblem(service, state.services);
    if (bad) return bad;
    return [{ type: 'ExpertServiceAdded', data: { expertId, service } }];
  }
  if (!('serviceId' in command)) return [];
  const current = state.services.find((s) => s.id === command.serviceId);
  if (!current) return notFound('SERVICE_NOT_FOUND', 'Không tìm thấy dịch vụ');
  const serviceId = current.id;
  switch (command.type) {
    case 'ChangeExpertService': {
      const service = cleanService({ ...current, ...command.changes, id: serviceId, active: current.active });
      const bad = serviceProblem(service, state.services);
      if (bad) return bad;
      if (JSON.stringify(service) === JSON.stringify(current)) return [];
      return [{ type: 'ExpertServiceChanged', data: { expertId, service } }];
    }
    case 'DeactivateExpertService':
      return current.active ? [{ type: 'ExpertServiceDeactivated', data: { expertId, serviceId } }] : [];
    case 'ReactivateExpertService':
      return current.active ? [] : [{ type: 'ExpertServiceReactivated', data: { expertId, serviceId } }];
    default:
      return [];
  }
}

function decideOwn(command: ExpertCommand, state: ExpertState, context: ExpertContext): ExpertEvent[] | DomainError {
  const { expertId } = command;
  switch (command.type) {
    case 'UpdateExpertProfile': {
      const profile = cleanProfile(command.profile);
      const complete = mustStayComplete(state.status);
      const bad = profileProblem(profile, context.specialties, state.profile.specialties, complete);
      if (bad) return bad;
      if (JSON.stringify(profile) === JSON.stringify(state.profile)) return [];
      return [{ type: 'ExpertProfileUpdated', data: { expertId, profile } }];
    }
    case 'AddExpertDocument': {
      const document = {
        ...command.document,
        title: command.document.title.trim(),
        issuer: command.document.issuer.trim(),
      };
      if (state.documents.some((d) => d.id === document.id)) return [];
      if (state.documents.length >= EXPERT_LIMITS.documents) {
        return conflict('DOCUMENT_LIMIT', `Tối đa ${EXPERT_LIMITS.documents} bằng cấp, chứng chỉ`);
      }
      const bad = documentProblem(document, context.now);
      if (bad) return bad;
      return [{ type: 'ExpertDocumentAdded', data: { expertId, document } }];
    }
    case 'RemoveExpertDocument': {
      const document = state.documents.find((d) => d.id === command.documentId);
      if (!document) return notFound('DOCUMENT_NOT_FOUND', 'Không tìm thấy giấy tờ');
      return [
        { type: 'ExpertDocumentRemoved', data: { expertId, documentId: document.id, fileKey: document.fileKey } },
      ];
    }
    case 'SubmitExpertProfile':
      return decideSubmit(state, context, expertId);
    case 'ChangeExpertBookingSettings': {
      const settings = { ...command.settings, timeZone: command.settings.timeZone.trim() };
      const bad = settingsProblem(settings);
      if (bad) return bad;
      if (JSON.stringify(settings) === JSON.stringify(state.settings)) return [];
      return [{ type: 'ExpertBookingSettingsChanged', data: { expertId, settings } }];
    }
    case 'AddExpertService':
    case 'ChangeExpertService':
    case 'DeactivateExpertService':
    case 'ReactivateExpertService':
      return decideService(command, state);
    default:
      return decideSchedule(command as ExpertScheduleCommand, state.schedule);
  }
}

function evolve(state: ExpertState, event: ExpertEvent): ExpertState {
  const next = { ...state, exists: true };
  switch (event.type) {
    case 'ExpertProfileCreated':
      return next;
    case 'ExpertProfileUpdated':
      return { ...next, profile: event.data.profile };
    case 'ExpertDocumentAdded':
      return { ...next, documents: [...state.documents, event.data.document] };
    case 'ExpertDocumentRemoved':
      return { ...next, documents: state.documents.filter((d) => d.id !== event.data.documentId) };
    case 'ExpertSubmittedForVerification':
      return { ...next, status: 'submitted', reason: null };
    case 'ExpertVerified':
      return { ...next, status: 'verified', reason: null };
    case 'ExpertRejected':
      return { ...next, status: 'rejected', reason: event.data.reason };
    case 'ExpertSuspended':
      return { ...next, status: 'suspended', reason: event.data.reason };
    case 'ExpertServiceAdded':
      return { ...next, services: [...state.services, event.data.service] };
    case 'ExpertServiceChanged': {
      const { service } = event.data;
      return { ...next, services: state.services.map((s) => (s.id === service.id ? service : s)) };
    }
    case 'ExpertServiceDeactivated':
    case 'ExpertServiceReactivated': {
      const active = event.type === 'ExpertServiceReactivated';
      const { serviceId } = event.data;
      return { ...next, services: state.services.map((s) => (s.id === serviceId ? { ...s, active } : s)) };
    }
    case 'ExpertBookingSettingsChanged':
      return { ...next, settings: event.data.settings, schedule: evolveSchedule(state.schedule, event) };
    default:
      return { ...next, schedule: evolveSchedule(state.schedule, event) };
  }
}

/**
 * One expert (`expert-<userId>`): the expert writes the profile, credentials, services, settings
 * and availability; reviewers (`expert:verify`) verify, reject and suspend. A verified expert who
 * changes specialties, credentials or services stays verified: the change is in the audit trail,
 * and a reviewer who disagrees suspends. The stream starts with `ExpertProfileCreated` before
 * the expert's first change.
 */
export const expertDecider: Decider<ExpertCommand, ExpertState, ExpertEvent, ExpertContext> = {
  initialState: () => ({
    exists: false,
    status: 'draft',
    profile: emptyProfile(),
    documents: [],
    services: [],
    settings: DEFAULT_BOOKING_SETTINGS,
    schedule: emptySchedule(DEFAULT_BOOKING_SETTINGS.timeZone),
    reason: null,
  }),
  evolve,
  decide(command, state, context) {
    if (REVIEW_COMMANDS.has(command.type)) return decideReview(command, state, context);
    const decision = decideOwn(command, state, context);
    if (decision instanceof DomainError || decision.length === 0 || state.exists) return decision;
    const created: ExpertEvent = { type: 'ExpertProfileCreated', data: { expertId: command.expertId } };
    return [created, ...decision];
  },
};
