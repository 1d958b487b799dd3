import { bookingDecider } from '../../domain/booking/booking.js';
import type { BookingEvent, BookingRequestedData, BookingStatus } from '../../domain/booking/booking-events.js';
import { scenario } from './given-when-then.js';

/** Booking decider fixtures: one viewing on 2026-11-24 10:00–10:30 (Asia/Ho_Chi_Minh). */
export const BOOKING_ID = 'booking-1';
export const at = (time: string, date = '2026-11-24') => new Date(`${date}T${time}:00+07:00`);
export const iso = (time: string, date = '2026-11-24') => at(time, date).toISOString();

export const request = (overrides: Partial<BookingRequestedData> = {}): BookingRequestedData => ({
  bookingId: BOOKING_ID,
  kind: 'viewing',
  status: 'requested',
  customerId: 'customer-1',
  providerId: 'staff-1',
  listingId: 'listing-1',
  projectId: null,
  ownerId: 'owner-1',
  areaId: null,
  serviceId: null,
  serviceName: null,
  feeVnd: 0,
  mode: 'offline',
  address: null,
  note: null,
  start: iso('10:00'),
  end: iso('10:30'),
  timeZone: 'Asia/Ho_Chi_Minh',
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 15,
  paymentDueAt: null,
  seriesId: null,
  occurrence: null,
  ...overrides,
});
export const requested = (overrides: Partial<BookingRequestedData> = {}): BookingEvent => ({
  type: 'BookingRequested',
  data: request(overrides),
});
/** A paid consultation with an expert, waiting for its payment until 08:15. */
export const paidConsultation = () =>
  requested({
    kind: 'consultation',
    providerId: 'expert-1',
    listingId: null,
    ownerId: null,
    serviceId: 'service-1',
    serviceName: 'Tư vấn pháp lý',
    feeVnd: 500_000,
    mode: 'online',
    paymentDueAt: iso('08:15'),
  });

const transition = (status: BookingStatus, previousStatus: BookingStatus) => ({
  bookingId: BOOKING_ID,
  status,
  previousStatus,
});
export const confirmed = (previous: BookingStatus = 'requested', automatic = false): BookingEvent => ({
  type: 'BookingConfirmed',
  data: { ...transition('confirmed', previous), automatic },
});
export const rescheduledTo = (
  start: string,
  end: string,
  from: { status: BookingStatus; start: string; end: string },
  reason: string | null = null,
): BookingEvent => ({
  type: 'BookingRescheduled',
  data: {
    ...transition(
      from.status === 'confirmed' || from.status === 'rescheduled' ? 'rescheduled' : from.status,
      from.status,
    ),
    start: iso(start),
    end: iso(end),
    previousStart: iso(from.start),
    previousEnd: iso(from.end),
    reason,
  },
});
export const cancelled = (
  by: 'customer' | 'system',
  reason: string,
  previous: BookingStatus = 'confirmed',
): BookingEvent => ({
  type: 'BookingCancelled',
  data: { ...transition(by === 'customer' ? 'cancelled_by_customer' : 'cancelled_by_system', previous), by, reason },
});
export const completed = (automatic: boolean, previous: BookingStatus = 'confirmed'): BookingEvent => ({
  type: 'BookingCompleted',
  data: { ...transition('completed', previous), automatic },
});
export const paymentCaptured: BookingEvent = {
  type: 'BookingPaymentCaptured',
  data: { bookingId: BOOKING_ID, paymentId: 'payment-1', amountVnd: 500_000 },
};

/** Every terminal state, reached from a confirmed viewing. */
export const TERMINAL_HISTORIES: Record<string, BookingEvent[]> = {
  rejected: [requested(), { type: 'BookingRejected', data: { ...transition('rejected', 'requested'), reason: 'Bận' } }],
  cancelled_by_customer: [requested(), confirmed(), cancelled('customer', 'Đổi ý')],
  cancelled_by_system: [requested(), confirmed(), cancelled('system', 'Nhân viên nghỉ')],
  no_show: [
    requested(),
    confirmed(),
    { type: 'BookingNoShowMarked', data: { ...transition('no_show', 'confirmed'), automatic: false } },
  ],
  missed: [
    requested(),
    confirmed(),
    { type: 'BookingMissedMarked', data: { ...transition('missed', 'confirmed'), reason: null } },
  ],
  completed: [requested(), confirmed(), completed(false)],
};

export interface Actor {
  actorId: string | null;
  roles: string[];
}
export const ACTORS = {
  customer: { actorId: 'customer-1', roles: ['customer'] },
  provider: { actorId: 'staff-1', roles: ['sales'] },
  expert: { actorId: 'expert-1', roles: ['expert'] },
  owner: { actorId: 'owner-1', roles: ['owner'] },
  operator: { actorId: 'operator-1', roles: ['operator'] },
  admin: { actorId: 'admin-1', roles: ['admin'] },
  system: { actorId: 'system', roles: ['system'] },
  stranger: { actorId: 'customer-2', roles: ['customer', 'sales', 'owner'] },
} satisfies Record<string, Actor>;

/** `booking(ACTORS.customer, '09:30')`: a given/when/then scenario as that actor at that local time. */
export const booking = (actor: Actor, now = '08:00') => scenario(bookingDecider, { now: at(now), ...actor });
export const ref = { bookingId: BOOKING_ID };
