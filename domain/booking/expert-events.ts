import type { DomainEvent } from '../shared/decider.js';
import {
  type DateOverride,
  DEFAULT_TIME_ZONE,
  type OffTime,
  type RecurringOffTime,
  type RecurringRule,
  type SlotPolicy,
} from './schedule.js';

/**
 * draft → submitted → verified | rejected (reason; edit and submit again); an admin may suspend a
 * verified expert (reason) and verify them again. Only verified experts are shown and booked.
 */
export const EXPERT_STATUSES = ['draft', 'submitted', 'verified', 'rejected', 'suspended'] as const;
export type ExpertStatus = (typeof EXPERT_STATUSES)[number];

export const EXPERT_LANGUAGES = ['vi', 'en', 'fr', 'de', 'ja', 'ko', 'zh'] as const;
export type ExpertLanguage = (typeof EXPERT_LANGUAGES)[number];

export interface ExpertProfile {
  headline: string;
  bio: string;
  yearsOfExperience: number;
  languages: ExpertLanguage[];
  /** Ids from the specialty catalog. */
  specialties: string[];
}

export const DOCUMENT_KINDS = ['degree', 'certificate'] as const;
export type ExpertDocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/** A degree or certificate; `fileKey` is the scanned copy in FileStorage (reviewers open it). */
export interface ExpertDocument {
  id: string;
  kind: ExpertDocumentKind;
  title: string;
  issuer: string;
  year: number;
  fileKey: string | null;
}

export const SERVICE_MODES = ['online', 'offline'] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

/** One consultation an expert sells: how long, how much (integer VND), online or at an address. */
export interface ExpertService {
  id: string;
  name: string;
  description: string;
  durationMinutes: number;
  feeVnd: number;
  mode: ServiceMode;
  /** Where an offline session takes place; null online. */
  address: string | null;
  active: boolean;
}

/** How the expert's slots are cut and booked (Cal.com's event-type settings); see `slotPolicyOf`. */
export interface ExpertBookingSettings {
  timeZone: string;
  /** Bookings are confirmed at once instead of waiting for the expert. */
  autoConfirm: boolean;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  bookingWindowDays: number;
  dailyLimit: number | null;
  weeklyLimit: number | null;
  stepMinutes: number;
}

export const DEFAULT_BOOKING_SETTINGS: ExpertBookingSettings = {
  timeZone: DEFAULT_TIME_ZONE,
  autoConfirm: false,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 120,
  bookingWindowDays: 60,
  dailyLimit: null,
  weeklyLimit: null,
  stepMinutes: 30,
};

/** The slot policy of one of the expert's services: its duration with the expert's settings. */
export const slotPolicyOf = (settings: ExpertBookingSettings, service: Pick<ExpertService, 'durationMinutes'>) =>
  ({
    durationMinutes: service.durationMinutes,
    stepMinutes: settings.stepMinutes,
    bufferBeforeMinutes: settings.bufferBeforeMinutes,
    bufferAfterMinutes: settings.bufferAfterMinutes,
    minimumNoticeMinutes: settings.minimumNoticeMinutes,
    bookingWindowDays: settings.bookingWindowDays,
    dailyLimit: settings.dailyLimit,
    weeklyLimit: settings.weeklyLimit,
  }) satisfies SlotPolicy;

type X<Type extends string, Data> = DomainEvent<Type, { expertId: string } & Data>;

/**
 * Facts about one expert (stream `expert-<userId>`): profile, credentials, verification,
 * services, booking settings and availability. The schedule is the `ProviderSchedule` of
 * schedule.ts (its `additions` stay empty for experts); the booking core computes slots from it.
 */
export type ExpertEvent =
  | X<'ExpertProfileCreated', Record<never, never>>
  | X<'ExpertProfileUpdated', { profile: ExpertProfile }>
  | X<'ExpertDocumentAdded', { document: ExpertDocument }>
  | X<'ExpertDocumentRemoved', { documentId: string; fileKey: string | null }>
  | X<'ExpertSubmittedForVerification', Record<never, never>>
  | X<'ExpertVerified', Record<never, never>>
  | X<'ExpertRejected', { reason: string }>
  | X<'ExpertSuspended', { reason: string }>
  | X<'ExpertServiceAdded', { service: ExpertService }>
  | X<'ExpertServiceChanged', { service: ExpertService }>
  | X<'ExpertServiceDeactivated', { serviceId: string }>
  | X<'ExpertServiceReactivated', { serviceId: string }>
  | X<'ExpertBookingSettingsChanged', { settings: ExpertBookingSettings }>
  | X<'ExpertWeeklyRulesReplaced', { rules: RecurringRule[] }>
  | X<'ExpertDateOverrideSet', { override: DateOverride }>
  | X<'ExpertDateOverrideRemoved', { date: string }>
  | X<'ExpertOffTimeAdded', { offTime: OffTime }>
  | X<'ExpertOffTimeRemoved', { offTimeId: string }>
  | X<'ExpertRecurringOffTimeAdded', { recurringOffTime: RecurringOffTime }>
  | X<'ExpertRecurringOffTimeRemoved', { recurringOffTimeId: string }>;

export const EXPERT_EVENT_TYPES: ExpertEvent['type'][] = [
  'ExpertProfileCreated',
  'ExpertProfileUpdated',
  'ExpertDocumentAdded',
  'ExpertDocumentRemoved',
  'ExpertSubmittedForVerification',
  'ExpertVerified',
  'ExpertRejected',
  'ExpertSuspended',
  'ExpertServiceAdded',
  'ExpertServiceChanged',
  'ExpertServiceDeactivated',
  'ExpertServiceReactivated',
  'ExpertBookingSettingsChanged',
  'ExpertWeeklyRulesReplaced',
  'ExpertDateOverrideSet',
  'ExpertDateOverrideRemoved',
  'ExpertOffTimeAdded',
  'ExpertOffTimeRemoved',
  'ExpertRecurringOffTimeAdded',
  'ExpertRecurringOffTimeRemoved',
];

export const EXPERT_STREAM_PREFIX = 'expert-';
export const expertStream = (userId: string) => `${EXPERT_STREAM_PREFIX}${userId}`;
