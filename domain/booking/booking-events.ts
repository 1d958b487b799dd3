import type { DomainEvent } from '../shared/decider.js';

export const BOOKING_KINDS = ['viewing', 'consultation'] as const;
export type BookingKind = (typeof BOOKING_KINDS)[number];

/** GLOSSARY: booking states (SRS §6.2 plus `rejected` and `missed` from the features list). */
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

/** States in which the booking still occupies its provider's time. */
export const ACTIVE_BOOKING_STATUSES = ['requested', 'awaiting_approval', 'confirmed', 'rescheduled'] as const;
export const isActiveStatus = (status: BookingStatus) =>
  (ACTIVE_BOOKING_STATUSES as readonly string[]).includes(status);

/** GLOSSARY: viewing result (UC-SALE-05). */
export const VIEWING_OUTCOMES = ['interested', 'no_show', 'not_suitable', 'follow_up'] as const;
export type ViewingOutcome = (typeof VIEWING_OUTCOMES)[number];

export type BookingMode = 'online' | 'offline';

export interface BookingRequestedData {
  bookingId: string;
  kind: BookingKind;
  status: 'requested' | 'awaiting_approval' | 'confirmed';
  customerId: string;
  /** The sales staff member (viewing) or expert (consultation); null = queued for operators. */
  providerId: string | null;
  listingId: string | null;
  projectId: string | null;
  ownerId: string | null;
  areaId: string | null;
  serviceId: string | null;
  serviceName: string | null;
  feeVnd: number;
  mode: BookingMode;
  address: string | null;
  note: string | null;
  start: string;
  end: string;
  timeZone: string;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** A paid consultation waits for its payment until then; null when nothing is to pay. */
  paymentDueAt: string | null;
  /** Recurring consultations: the series and this occurrence's index. */
  seriesId: string | null;
  occurrence: number | null;
}

type Ref = { bookingId: string };
type Transition = Ref & { status: BookingStatus; previousStatus: BookingStatus };

export type BookingEvent =
  | DomainEvent<'BookingRequested', BookingRequestedData>
  | DomainEvent<'BookingStaffAssigned', Ref & { staffId: string; previousStaffId: string | null; reason: string }>
  | DomainEvent<'BookingStaffUnassigned', Transition & { staffId: string; reason: string }>
  | DomainEvent<'BookingApproved', Transition>
  | DomainEvent<'BookingConfirmed', Transition & { automatic: boolean }>
  | DomainEvent<'BookingRejected', Transition & { reason: string }>
  | DomainEvent<
      'BookingRescheduled',
      Transition & { start: string; end: string; previousStart: string; previousEnd: string; reason: string | null }
    >
  | DomainEvent<'BookingCancelled', Transition & { by: 'customer' | 'system'; reason: string }>
  | DomainEvent<'BookingNoShowMarked', Transition & { automatic: boolean }>
  | DomainEvent<'BookingMissedMarked', Transition & { reason: string | null }>
  | DomainEvent<'BookingCompleted', Transition & { automatic: boolean }>
  | DomainEvent<'ViewingResultReported', Transition & { outcome: ViewingOutcome; note: string | null }>
  | DomainEvent<'BookingPaymentCaptured', Ref & { paymentId: string; amountVnd: number }>
  | DomainEvent<'BookingReminderDue', Ref & { minutesBefore: number; start: string }>;

export const BOOKING_EVENT_TYPES: BookingEvent['type'][] = [
  'BookingRequested',
  'BookingStaffAssigned',
  'BookingStaffUnassigned',
  'BookingApproved',
  'BookingConfirmed',
  'BookingRejected',
  'BookingRescheduled',
  'BookingCancelled',
  'BookingNoShowMarked',
  'BookingMissedMarked',
  'BookingCompleted',
  'ViewingResultReported',
  'BookingPaymentCaptured',
  'BookingReminderDue',
];

export const bookingStream = (bookingId: string) => `booking-${bookingId}`;
