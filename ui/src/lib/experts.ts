// Experts (chuyên gia): the public search and profile, the expert's own /me/expert, the review
// queue and the specialty catalog. Shapes mirror projections/booking/experts-queries.ts.
import { API_BASE, apiDownload, apiGet, apiSend } from './api';

export type ExpertStatus = 'draft' | 'submitted' | 'verified' | 'rejected' | 'suspended';
export const EXPERT_STATUSES: readonly ExpertStatus[] = ['submitted', 'verified', 'rejected', 'suspended', 'draft'];
export const LANGUAGES = ['vi', 'en', 'fr', 'de', 'ja', 'ko', 'zh'] as const;
export type ServiceMode = 'online' | 'offline';

export type Specialty = { id: string; nameVi: string; nameEn: string; active: boolean; position: number };

export type TimeRange = { start: string; end: string };
export type RecurringRule = {
  id: string;
  rrule: string;
  from: string;
  until: string | null;
  ranges: TimeRange[];
  exceptDates: string[];
};
export type DateOverride = { date: string; ranges: TimeRange[] };
export type OffTime = { id: string; start: string; end: string; reason: string | null };
export type RecurringOffTime = {
  id: string;
  rrule: string;
  from: string;
  until: string | null;
  ranges: TimeRange[] | null;
  reason: string | null;
};
export type Schedule = {
  timeZone: string;
  rules: RecurringRule[];
  overrides: DateOverride[];
  additions: unknown[];
  offTimes: OffTime[];
  recurringOffTimes: RecurringOffTime[];
};

export type BookingSettings = {
  timeZone: string;
  autoConfirm: boolean;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  bookingWindowDays: number;
  dailyLimit: number | null;
  weeklyLimit: number | null;
  stepMinutes: number;
};

export type ExpertService = {
  id: string;
  name: string;
  description: string;
  durationMinutes: number;
  feeVnd: number;
  mode: ServiceMode;
  address: string | null;
  active: boolean;
};

export type ExpertProfile = {
  headline: string;
  bio: string;
  yearsOfExperience: number;
  languages: string[];
  specialties: string[];
};

export type ExpertDocument = {
  id: string;
  kind: 'degree' | 'certificate';
  title: string;
  issuer: string;
  year: number;
  hasFile: boolean;
  url: string | null;
};

export type ExpertOwnerView = ExpertProfile & {
  expertId: string;
  displayName: string;
  status: ExpertStatus;
  reason: string | null;
  documents: ExpertDocument[];
  services: ExpertService[];
  settings: BookingSettings;
  schedule: Schedule;
  submittedAt: string | null;
  decidedAt: string | null;
};

export type ExpertReviewItem = ExpertOwnerView & { email: string; kycStatus: string };

export type ExpertCard = {
  expertId: string;
  displayName: string;
  avatarUrl: string | null;
  /** With a "free between dates" or "soonest" search: the expert's first free slot. */
  soonestSlot?: string | null;
  headline: string;
  yearsOfExperience: number;
  languages: string[];
  specialties: string[];
  minFeeVnd: number | null;
  maxFeeVnd: number | null;
  modes: ServiceMode[];
  rating: number | null;
  ratingCount: number;
  timeZone: string;
};

export type ExpertPublic = ExpertProfile & {
  expertId: string;
  displayName: string;
  avatarUrl: string | null;
  documents: Omit<ExpertDocument, 'hasFile' | 'url'>[];
  services: ExpertService[];
  timeZone: string;
  autoConfirm: boolean;
  minimumNoticeMinutes: number;
  bookingWindowDays: number;
  rating: number | null;
  ratingCount: number;
};

export type ExpertSort = 'rating' | 'fee_asc' | 'fee_desc' | 'experience' | 'soonest';
export type ExpertFilters = {
  specialty: string;
  minFee: string;
  maxFee: string;
  mode: '' | ServiceMode;
  q: string;
  sort: ExpertSort;
  /** "Has a free slot between" two local dates (YYYY-MM-DD, Asia/Ho_Chi_Minh). */
  freeFrom: string;
  freeTo: string;
};

const me = `${API_BASE}/me/expert`;

// Specialties
export const listSpecialties = () => apiGet<Specialty[]>(`${API_BASE}/specialties`);
export const listAllSpecialties = () => apiGet<Specialty[]>(`${API_BASE}/admin/specialties`);
export const addSpecialty = (input: { id: string; nameVi: string; nameEn: string }) =>
  apiSend<Specialty>('POST', `${API_BASE}/admin/specialties`, input);
export const renameSpecialty = (id: string, names: { nameVi?: string; nameEn?: string }) =>
  apiSend<Specialty>('PATCH', `${API_BASE}/admin/specialties/${encodeURIComponent(id)}`, names);
export const setSpecialtyActive = (id: string, active: boolean) =>
  apiSend<Specialty>(
    'POST',
    `${API_BASE}/admin/specialties/${encodeURIComponent(id)}/${active ? 'enable' : 'disable'}`,
  );
export const SPECIALTY_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

// Public
export function filtersToParams(filters: ExpertFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['specialty', 'minFee', 'maxFee', 'mode', 'q', 'freeFrom', 'freeTo'] as const) {
    const typed = String(filters[key]).trim();
    // Fees are typed with grouping ("500.000"): the API wants the plain integer.
    const value = key === 'minFee' || key === 'maxFee' ? typed.replace(/[\s.,]/g, '') : typed;
    if (value) params.set(key, value);
  }
  if (filters.sort !== 'rating') params.set('sort', filters.sort);
  return params;
}

export function filtersFromUrl(params: URLSearchParams): ExpertFilters {
  const sort = params.get('sort');
  const mode = params.get('mode');
  return {
    specialty: params.get('specialty') ?? '',
    minFee: params.get('minFee') ?? '',
    maxFee: params.get('maxFee') ?? '',
    mode: mode === 'online' || mode === 'offline' ? mode : '',
    q: params.get('q') ?? '',
    sort: sort === 'fee_asc' || sort === 'fee_desc' || sort === 'experience' || sort === 'soonest' ? sort : 'rating',
    freeFrom: params.get('freeFrom') ?? '',
    freeTo: params.get('freeTo') ?? '',
  };
}

const DAY_MS = 86_400_000;
/** Local midnight in Vietnam (UTC+7, no DST) of a `YYYY-MM-DD`, `days` later. */
const vnMidnight = (date: string, days = 0) =>
  new Date(Date.parse(`${date}T00:00:00+07:00`) + days * DAY_MS).toISOString();

/**
 * "Has a free slot between dates" and "soonest slot first": `/experts/free` answers which experts
 * are free and when, soonest first; the cards come from the search (its first 50 results).
 */
async function searchFree(filters: ExpertFilters) {
  const params = filtersToParams({ ...filters, sort: 'rating', freeFrom: '', freeTo: '' });
  params.set('limit', '50');
  const today = new Date().toISOString().slice(0, 10);
  const free = new URLSearchParams(params);
  free.set('from', filters.freeFrom ? vnMidnight(filters.freeFrom) : new Date().toISOString());
  free.set('to', vnMidnight(filters.freeTo || filters.freeFrom || today, filters.freeTo ? 1 : 14));
  const [page, soonest] = await Promise.all([
    apiGet<{ items: ExpertCard[]; nextCursor: string | null }>(`${API_BASE}/experts?${params}`),
    apiGet<{ expertId: string; soonestSlot: string }[]>(`${API_BASE}/experts/free?${free}`),
  ]);
  const order = new Map(soonest.map((s, i) => [s.expertId, { i, at: s.soonestSlot }]));
  const items = page.items
    .filter((card) => order.has(card.expertId))
    .map((card) => ({ ...card, soonestSlot: order.get(card.expertId)?.at ?? null }))
    .sort((a, b) => (order.get(a.expertId)?.i ?? 0) - (order.get(b.expertId)?.i ?? 0));
  return { items, nextCursor: null };
}

export const searchExperts = (filters: ExpertFilters, cursor: string | null = null) => {
  if (filters.sort === 'soonest' || filters.freeFrom || filters.freeTo) return searchFree(filters);
  const params = filtersToParams(filters);
  if (cursor) params.set('cursor', cursor);
  params.set('limit', '20');
  return apiGet<{ items: ExpertCard[]; nextCursor: string | null }>(`${API_BASE}/experts?${params}`);
};
export const getExpert = (id: string) => apiGet<ExpertPublic>(`${API_BASE}/experts/${encodeURIComponent(id)}`);

// The expert's own
export const getMyExpert = () => apiGet<ExpertOwnerView>(me);
export const saveMyProfile = (profile: ExpertProfile) => apiSend<ExpertOwnerView>('PUT', me, profile);
export const submitMyProfile = () => apiSend<ExpertOwnerView>('POST', `${me}/submit`);
export function addDocument(input: { kind: string; title: string; issuer: string; year: string; file: File | null }) {
  const form = new FormData();
  for (const key of ['kind', 'title', 'issuer', 'year'] as const) form.append(key, input[key]);
  if (input.file) form.append('file', input.file);
  return apiSend<ExpertOwnerView>('POST', `${me}/documents`, form);
}
export const removeDocument = (id: string) => apiSend<ExpertOwnerView>('DELETE', `${me}/documents/${id}`);
export const downloadDocument = (url: string) => apiDownload(url);

export type ServiceInput = Omit<ExpertService, 'id' | 'active'>;
export const addService = (input: ServiceInput) => apiSend<ExpertOwnerView>('POST', `${me}/services`, input);
export const changeService = (id: string, changes: Partial<ServiceInput> & { active?: boolean }) =>
  apiSend<ExpertOwnerView>('PATCH', `${me}/services/${id}`, changes);
export const saveSettings = (settings: BookingSettings) => apiSend<ExpertOwnerView>('PUT', `${me}/settings`, settings);

export type RuleInput = Omit<RecurringRule, 'id'> & { id?: string };
export const saveRules = (rules: RuleInput[]) => apiSend<ExpertOwnerView>('PUT', `${me}/availability/rules`, { rules });
export const setOverride = (date: string, ranges: TimeRange[]) =>
  apiSend<ExpertOwnerView>('PUT', `${me}/availability/overrides/${date}`, { ranges });
export const removeOverride = (date: string) =>
  apiSend<ExpertOwnerView>('DELETE', `${me}/availability/overrides/${date}`);
export const addOffTime = (input: { start: string; end: string; reason: string | null }) =>
  apiSend<ExpertOwnerView>('POST', `${me}/availability/off-times`, input);
export const removeOffTime = (id: string) => apiSend<ExpertOwnerView>('DELETE', `${me}/availability/off-times/${id}`);
export const addRecurringOffTime = (input: {
  rrule: string;
  from?: string;
  until: string | null;
  ranges: TimeRange[] | null;
  reason: string | null;
}) => apiSend<ExpertOwnerView>('POST', `${me}/availability/recurring-off-times`, input);
export const removeRecurringOffTime = (id: string) =>
  apiSend<ExpertOwnerView>('DELETE', `${me}/availability/recurring-off-times/${id}`);

// Review (expert:verify)
export const listExpertsForReview = (status: ExpertStatus) =>
  apiGet<ExpertReviewItem[]>(`${API_BASE}/admin/experts?status=${status}`);
export const verifyExpert = (id: string) => apiSend<ExpertReviewItem>('POST', `${API_BASE}/admin/experts/${id}/verify`);
export const rejectExpert = (id: string, reason: string) =>
  apiSend<ExpertReviewItem>('POST', `${API_BASE}/admin/experts/${id}/reject`, { reason });
export const suspendExpert = (id: string, reason: string) =>
  apiSend<ExpertReviewItem>('POST', `${API_BASE}/admin/experts/${id}/suspend`, { reason });

// Weekly rules as the editor shows them: weekdays + time ranges ⇄ FREQ=WEEKLY;BYDAY=…
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const weeklyRrule = (days: readonly Weekday[]) =>
  `FREQ=WEEKLY;BYDAY=${WEEKDAYS.filter((d) => days.includes(d)).join(',')}`;

/** The weekdays of a plain weekly rule; null for any other rule (shown as is, kept on save). */
export function weekdaysOf(rrule: string): Weekday[] | null {
  const match = /^FREQ=WEEKLY;BYDAY=([A-Z]{2}(?:,[A-Z]{2})*)$/.exec(rrule);
  if (!match?.[1]) return null;
  const days = match[1].split(',');
  return days.every((d) => (WEEKDAYS as readonly string[]).includes(d)) ? (days as Weekday[]) : null;
}

/** A yearly holiday: FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2. */
export const yearlyRrule = (month: number, day: number) => `FREQ=YEARLY;BYMONTH=${month};BYMONTHDAY=${day}`;

/** A `datetime-local` value (the browser's wall clock) as an ISO instant with its offset. */
export function instantOfLocal(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}
