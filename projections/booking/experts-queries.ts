import { type Kysely, sql } from 'kysely';
import { type ExpertState, emptyProfile, expertDecider } from '../../domain/booking/expert.js';
import type {
  ExpertBookingSettings,
  ExpertDocument,
  ExpertProfile,
  ExpertService,
  ExpertStatus,
} from '../../domain/booking/expert-events.js';
import type { ProviderSchedule } from '../../domain/booking/schedule.js';
import { avatarUrlOf, isUuid } from '../identity/profiles-queries.js';
import type { ExpertRow } from './experts-projection.js';

export {
  EXPERT_SORTS,
  type ExpertCandidate,
  type ExpertCard,
  type ExpertFilter,
  type ExpertSearchPage,
  type ExpertSearchRequest,
  type ExpertSort,
  listExpertCandidates,
  searchExperts,
} from './experts-search.js';

// biome-ignore lint/suspicious/noExplicitAny: read models bring their own table types
type Db = Kysely<any>;

/** What the booking core reads to compute an expert's slots and decide a booking. */
export interface ExpertBookingProfile {
  expertId: string;
  status: ExpertStatus;
  displayName: string;
  timeZone: string;
  autoConfirm: boolean;
  schedule: ProviderSchedule;
  settings: ExpertBookingSettings;
  /** Every service, inactive ones too (a booking names one; only active ones may be booked). */
  services: ExpertService[];
}

export interface ExpertDocumentView extends Omit<ExpertDocument, 'fileKey'> {
  hasFile: boolean;
  /** Where the caller fetches the file (their own, or a reviewer's link); null without one. */
  url: string | null;
}

/** What the expert edits: everything, with document links of their own. */
export interface ExpertOwnerView extends ExpertProfile {
  expertId: string;
  displayName: string;
  status: ExpertStatus;
  reason: string | null;
  documents: ExpertDocumentView[];
  services: ExpertService[];
  settings: ExpertBookingSettings;
  schedule: ProviderSchedule;
  submittedAt: Date | null;
  decidedAt: Date | null;
}

/** The public profile of a verified expert: credentials without files, active services only. */
export interface ExpertPublicView extends ExpertProfile {
  expertId: string;
  displayName: string;
  avatarUrl: string | null;
  documents: Omit<ExpertDocument, 'fileKey'>[];
  services: ExpertService[];
  timeZone: string;
  autoConfirm: boolean;
  minimumNoticeMinutes: number;
  bookingWindowDays: number;
  rating: number | null;
  ratingCount: number;
}

export interface ExpertReviewItem extends ExpertOwnerView {
  email: string;
  /** The person's identity verification (KYC), which reviewers weigh alongside the credentials. */
  kycStatus: string;
}

type JoinedRow = ExpertRow & { display_name: string; avatar_key: string | null; email: string; kyc_status: string };

export const ownDocumentUrl = (documentId: string) => `/api/v1/me/expert/documents/${documentId}/file`;
export const reviewDocumentUrl = (expertId: string, documentId: string) =>
  `/api/v1/admin/experts/${expertId}/documents/${documentId}/file`;

const JOINED = sql`select e.*, coalesce(p.name, u.name) as display_name, p.avatar_key,
       u.email, coalesce(k.status, 'unverified') as kyc_status
  from rm.experts e
  join rm.users u on u.id = e.expert_id
  left join rm.profiles p on p.user_id = e.expert_id
  left join rm.kyc k on k.user_id = e.expert_id`;

async function joinedRow(db: Db, expertId: string): Promise<JoinedRow | null> {
  if (!isUuid(expertId)) return null;
  const { rows } = await sql<JoinedRow>`${JOINED} where e.expert_id = ${expertId}`.execute(db);
  return rows[0] ?? null;
}

const profileOf = (row: ExpertRow): ExpertProfile => ({
  headline: row.headline,
  bio: row.bio,
  yearsOfExperience: row.years_of_experience,
  languages: row.languages as ExpertProfile['languages'],
  specialties: row.specialties,
});

function ownerViewOf(row: JoinedRow, url: (documentId: string) => string): ExpertOwnerView {
  return {
    expertId: row.expert_id,
    displayName: row.display_name,
    status: row.status,
    reason: row.reason,
    ...profileOf(row),
    documents: row.documents.map(({ fileKey, ...document }) => ({
      ...document,
      hasFile: fileKey !== null,
      url: fileKey === null ? null : url(document.id),
    })),
    services: row.services,
    settings: row.settings,
    schedule: row.schedule,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
  };
}

export async function getExpertBookingProfile(db: Db, expertId: string): Promise<ExpertBookingProfile | null> {
  const row = await joinedRow(db, expertId);
  if (!row) return null;
  return {
    expertId: row.expert_id,
    status: row.status,
    displayName: row.display_name,
    timeZone: row.time_zone,
    autoConfirm: row.auto_confirm,
    schedule: row.schedule,
    settings: row.settings,
    services: row.services,
  };
}

/** A verified expert's public profile; null for anyone else (not verified, suspended, unknown). */
export async function getExpertPublic(db: Db, expertId: string): Promise<ExpertPublicView | null> {
  const row = await joinedRow(db, expertId);
  if (row?.status !== 'verified') return null;
  return {
    expertId: row.expert_id,
    displayName: row.display_name,
    avatarUrl: avatarUrlOf(row.expert_id, row.avatar_key),
    ...profileOf(row),
    documents: row.documents.map(({ fileKey: _, ...document }) => document),
    services: row.services.filter((s) => s.active),
    timeZone: row.time_zone,
    autoConfirm: row.auto_confirm,
    minimumNoticeMinutes: row.settings.minimumNoticeMinutes,
    bookingWindowDays: row.settings.bookingWindowDays,
    rating: row.rating === null ? null : Number(row.rating),
    ratingCount: row.rating_count,
  };
}

/**
 * The expert's own profile. Someone who has not written anything yet gets the empty draft
 * (defaults of expert.ts); null only when the user does not exist.
 */
export async function getExpertForOwner(db: Db, userId: string): Promise<ExpertOwnerView | null> {
  const row = await joinedRow(db, userId);
  if (row) return ownerViewOf(row, ownDocumentUrl);
  if (!isUuid(userId)) return null;
  const { rows } = await sql<{ display_name: string }>`
    select coalesce(p.name, u.name) as display_name
      from rm.users u left join rm.profiles p on p.user_id = u.id where u.id = ${userId}`.execute(db);
  const user = rows[0];
  if (!user) return null;
  const empty: ExpertState = expertDecider.initialState();
  return {
    expertId: userId,
    displayName: user.display_name,
    status: empty.status,
    reason: null,
    ...emptyProfile(),
    documents: [],
    services: [],
    settings: empty.settings,
    schedule: empty.schedule,
    submittedAt: null,
    decidedAt: null,
  };
}

/** The review queue: oldest submission first (never-submitted drafts last), with reviewer links. */
export async function listExpertsForReview(
  db: Db,
  options: { status?: ExpertStatus; limit?: number } = {},
): Promise<ExpertReviewItem[]> {
  const status = options.status ?? null;
  const { rows } = await sql<JoinedRow>`${JOINED}
     where (${status}::text is null or e.status = ${status})
     order by e.submitted_at asc nulls last, e.created_at asc
     limit ${options.limit ?? 200}`.execute(db);
  return rows.map((row) => ({
    ...ownerViewOf(row, (documentId) => reviewDocumentUrl(row.expert_id, documentId)),
    email: row.email,
    kycStatus: row.kyc_status,
  }));
}

/** One expert as a reviewer sees them, whatever the status. */
export async function getExpertForReview(db: Db, expertId: string): Promise<ExpertReviewItem | null> {
  const row = await joinedRow(db, expertId);
  if (!row) return null;
  return {
    ...ownerViewOf(row, (documentId) => reviewDocumentUrl(row.expert_id, documentId)),
    email: row.email,
    kycStatus: row.kyc_status,
  };
}
