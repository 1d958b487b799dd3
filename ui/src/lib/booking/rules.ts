// What a viewer may do with a booking: a mirror of domain/booking/booking.ts that only decides
// which buttons to show (the server decides for real and answers 409/404 otherwise).
import { ApiError } from '../api';
import { hasKey } from '../i18n';
import { errorText, t } from '../locale.svelte';
import type { Role } from '../roles';
import { ACTIVE_STATUSES, type Booking, type BookingStatus, CHANGE_DEADLINE_MINUTES } from './api';

export type BookingAction =
  | 'confirm'
  | 'approve'
  | 'reject'
  | 'cancel'
  | 'reschedule'
  | 'noShow'
  | 'missed'
  | 'complete'
  | 'result'
  | 'assign';

/** Who is looking: the person acted for (or the user) and whether they act for the platform. */
export type Viewer = { userId: string; platform: boolean };

export function viewerOf(
  user: { id: string; roles: readonly Role[] } | null,
  actAs: { id: string } | null,
): Viewer | null {
  if (!user) return null;
  return { userId: actAs?.id ?? user.id, platform: user.roles.some((r) => r === 'operator' || r === 'admin') };
}

export const isActive = (status: BookingStatus) => (ACTIVE_STATUSES as readonly string[]).includes(status);
const isConfirmed = (status: BookingStatus) => status === 'confirmed' || status === 'rescheduled';

/** Actions the viewer may take now (`now` in ms, the browser's clock). */
export function allowedActions(b: Booking, viewer: Viewer, now: number = Date.now()): Set<BookingAction> {
  const customer = viewer.userId === b.customerId;
  const provider = b.providerId !== null && viewer.userId === b.providerId;
  const owner = b.ownerId !== null && viewer.userId === b.ownerId;
  const { platform } = viewer;
  const start = Date.parse(b.start);
  const end = Date.parse(b.end);
  const beforeDeadline = now <= start - CHANGE_DEADLINE_MINUTES * 60_000;
  const allowed = new Set<BookingAction>();
  const allow = (action: BookingAction, when: boolean) => when && allowed.add(action);

  if (isActive(b.status)) {
    const awaitingPayment = b.paymentDueAt !== null && !b.paid;
    allow('confirm', b.status === 'requested' && (provider || platform) && b.providerId !== null && !awaitingPayment);
    allow('approve', b.status === 'awaiting_approval' && (owner || platform));
    allow('reject', (b.status === 'requested' || b.status === 'awaiting_approval') && (provider || owner || platform));
    allow('reschedule', (customer || provider || platform) && (platform || beforeDeadline));
    allow('cancel', (customer || provider || owner || platform) && (platform || beforeDeadline));
    allow('assign', b.kind === 'viewing' && platform);
  }
  if (isConfirmed(b.status) && now >= start) {
    allow('noShow', provider || platform);
    allow('missed', customer || platform);
    allow('complete', (provider || platform) && now >= end);
  }
  allow(
    'result',
    b.kind === 'viewing' &&
      b.outcome === null &&
      (provider || platform) &&
      (isConfirmed(b.status) || b.status === 'completed') &&
      now >= start,
  );
  return allowed;
}

/** Upcoming: still active and not over; everything else is history. */
export const isUpcoming = (b: Booking, now: number = Date.now()) => isActive(b.status) && Date.parse(b.end) > now;

export const STATUS_TONE: Record<BookingStatus, 'ok' | 'warn' | 'bad' | ''> = {
  requested: 'warn',
  awaiting_approval: 'warn',
  confirmed: 'ok',
  rescheduled: 'ok',
  rejected: 'bad',
  cancelled_by_customer: '',
  cancelled_by_system: '',
  no_show: 'bad',
  missed: 'bad',
  completed: 'ok',
};

/** A booking error in words: booking-specific texts first (some codes mean other things elsewhere). */
export function bookingErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    const key = `book.err.${e.code}`;
    if (hasKey(key)) return t(key);
  }
  return errorText(e);
}

/** Slot errors after which the shown slots are stale and are fetched again. */
export const SLOT_GONE = ['SLOT_TAKEN', 'SLOT_UNAVAILABLE', 'SLOT_TOO_SOON', 'PROVIDER_DAY_FULL', 'PROVIDER_WEEK_FULL'];
