// Typed calls of the booking API (api/routes/bookings.ts, booking-slots.ts). Shapes mirror
// api/routes/booking-schemas.ts and projections/booking/bookings-queries.ts (BookingView).
import { API_BASE, apiGet, apiSend } from '../api';

export const BOOKING_STATUSES = [
  'requested',
  'awaiting_approval',
  'confirmed',
  'rescheduled',
  'rejected',
  'cancelled_by_customer',
  'cancelled_by_system',
  'no_show',
  'missed',
  'completed',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const ACTIVE_STATUSES = ['requested', 'awaiting_approval', 'confirmed', 'rescheduled'] as const;
export const VIEWING_OUTCOMES = ['interested', 'no_show', 'not_suitable', 'follow_up'] as const;
export type ViewingOutcome = (typeof VIEWING_OUTCOMES)[number];
export type BookingKind = 'viewing' | 'consultation';
export type BookingRole = 'customer' | 'sales' | 'expert' | 'owner' | 'operator';

/** Mirrors domain/booking/policy.ts (BOOKING_POLICY): the server decides, the UI only explains. */
export const HOLD_MINUTES = 5;
export const CHANGE_DEADLINE_MINUTES = 60;
export const BUSINESS_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export type Booking = {
  bookingId: string;
  kind: BookingKind;
  status: BookingStatus;
  customerId: string;
  customerName: string | null;
  providerId: string | null;
  providerName: string | null;
  listingId: string | null;
  listingTitle: string | null;
  projectId: string | null;
  ownerId: string | null;
  areaId: string | null;
  serviceId: string | null;
  serviceName: string | null;
  feeVnd: number;
  mode: string;
  address: string | null;
  note: string | null;
  start: string;
  end: string;
  timeZone: string;
  paymentDueAt: string | null;
  paid: boolean;
  outcome: ViewingOutcome | null;
  outcomeNote: string | null;
  reason: string | null;
  seriesId: string | null;
  occurrence: number | null;
  createdAt: string;
  updatedAt: string;
};

export type Slot = { start: string; end: string; freeStaff?: number };
export type SlotAnswer = { timeZone: string; durationMinutes: number; slots: Slot[] };
export type Hold = { holdId: string; providerId: string; start: string; end: string; expiresAt: string };
export type Conflict = { kind: 'provider' | 'customer'; personId: string; bookingIds: string[]; start: string };

/** What a slot picker books or shows: a listing's viewings, an expert's service, or one staff member's time. */
export type SlotSource =
  | { kind: 'viewing'; listingId: string }
  | { kind: 'consultation'; expertId: string; serviceId: string }
  | { kind: 'staff'; providerId: string };

const bookings = `${API_BASE}/bookings`;
const one = (id: string) => `${bookings}/${encodeURIComponent(id)}`;

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return qs ? `?${qs}` : '';
}

/** Free slots of a source between two instants (the server answers at most 62 days). */
export async function fetchSlots(source: SlotSource, from: Date, to: Date): Promise<SlotAnswer> {
  const range = { from: from.toISOString(), to: to.toISOString() };
  if (source.kind === 'viewing') {
    const answer = await apiGet<{ durationMinutes: number; slots: Slot[] }>(
      `${API_BASE}/listings/${encodeURIComponent(source.listingId)}/viewing-slots${query(range)}`,
    );
    return { ...answer, timeZone: BUSINESS_TIME_ZONE };
  }
  const providerId = source.kind === 'consultation' ? source.expertId : source.providerId;
  const service = source.kind === 'consultation' ? source.serviceId : undefined;
  return apiGet<SlotAnswer>(
    `${API_BASE}/providers/${encodeURIComponent(providerId)}/slots${query({ ...range, service })}`,
  );
}

/** Holds a slot for HOLD_MINUTES while the form is completed (a staff source cannot be held). */
export function holdSlot(source: SlotSource, start: string): Promise<Hold> {
  if (source.kind === 'viewing')
    return apiSend<Hold>('POST', `${API_BASE}/listings/${encodeURIComponent(source.listingId)}/viewing-holds`, {
      start,
    });
  if (source.kind === 'consultation')
    return apiSend<Hold>('POST', `${API_BASE}/providers/${encodeURIComponent(source.expertId)}/holds`, {
      serviceId: source.serviceId,
      start,
    });
  return Promise.reject(new Error('staff slots are not held'));
}

export const releaseHold = (holdId: string) =>
  apiSend<{ holdId: string }>('DELETE', `${API_BASE}/holds/${encodeURIComponent(holdId)}`);

export type BookingRequest =
  | { kind: 'viewing'; listingId: string; start: string; note: string | null; holdId: string | null }
  | {
      kind: 'consultation';
      expertId: string;
      serviceId: string;
      start: string;
      note: string | null;
      holdId: string | null;
    };

/** `key` is the Idempotency-Key: the same one for retries of the same request. */
export const requestBooking = (body: BookingRequest, key: string) =>
  apiSend<Booking>('POST', bookings, body, { headers: { 'Idempotency-Key': key } });

export type BookingQuery = {
  role: BookingRole;
  status?: readonly BookingStatus[];
  kind?: BookingKind;
  from?: string;
  to?: string;
  unassigned?: boolean;
  limit?: number;
  offset?: number;
};

export const listBookings = (q: BookingQuery) =>
  apiGet<Booking[]>(
    `${bookings}${query({
      role: q.role,
      status: q.status?.join(','),
      kind: q.kind,
      from: q.from,
      to: q.to,
      unassigned: q.unassigned ? 'true' : undefined,
      limit: q.limit ?? 200,
      offset: q.offset,
    })}`,
  );

export const getBooking = (id: string) => apiGet<Booking>(one(id));
export const bookingConflicts = () => apiGet<Conflict[]>(`${bookings}/conflicts`);

const act = (id: string, action: string, body: unknown = {}) => apiSend<Booking>('POST', `${one(id)}/${action}`, body);

export const confirmBooking = (id: string) => act(id, 'confirm');
export const approveBooking = (id: string) => act(id, 'approve');
export const rejectBooking = (id: string, reason: string) => act(id, 'reject', { reason });
export const cancelBooking = (id: string, reason: string) => act(id, 'cancel', { reason });
export const rescheduleBooking = (id: string, start: string, reason: string | null = null) =>
  act(id, 'reschedule', { start, reason });
export const markNoShow = (id: string) => act(id, 'no-show');
export const markMissed = (id: string, reason: string | null = null) => act(id, 'missed', { reason });
export const completeBooking = (id: string) => act(id, 'complete');
export const reportResult = (id: string, outcome: ViewingOutcome, note: string | null) =>
  act(id, 'result', { outcome, note });
export const assignStaff = (id: string, staffId: string) => act(id, 'assign', { staffId });

/** The slots a booking may move to: its own provider's, else (unassigned viewing) the listing's. */
export function rescheduleSource(b: Booking): SlotSource | null {
  if (b.kind === 'consultation')
    return b.providerId && b.serviceId
      ? { kind: 'consultation', expertId: b.providerId, serviceId: b.serviceId }
      : null;
  if (b.providerId) return { kind: 'staff', providerId: b.providerId };
  return b.listingId ? { kind: 'viewing', listingId: b.listingId } : null;
}
