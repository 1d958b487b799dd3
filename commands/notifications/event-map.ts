import { bookingDecider } from '../../domain/booking/booking.js';
import type { BookingEvent, BookingRequestedData, ViewingOutcome } from '../../domain/booking/booking-events.js';
import type { ListingEvent } from '../../domain/catalog/listing-events.js';
import type { NotificationKind, NotificationLocale } from '../../domain/notifications/catalog.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { MONEY_EVENT_TYPES, moneyIntents } from './event-map-money.js';
import {
  actorOf,
  type Localized,
  localTime,
  type NotificationIntent,
  reasonText,
  type SourceLookups,
} from './intent.js';

const BOOKING_EVENT_TYPES = [
  'BookingRequested',
  'BookingStaffAssigned',
  'BookingApproved',
  'BookingConfirmed',
  'BookingRejected',
  'BookingRescheduled',
  'BookingCancelled',
  'BookingReminderDue',
  'ViewingResultReported',
] as const;
const LISTING_EVENT_TYPES = ['ListingApproved', 'ListingRejected', 'ListingSuspended'] as const;

/** The event types the notification reaction subscribes to. */
export const NOTIFYING_EVENT_TYPES: string[] = [...BOOKING_EVENT_TYPES, ...LISTING_EVENT_TYPES, ...MONEY_EVENT_TYPES];

const KIND_LABELS = {
  viewing: { vi: 'xem phòng', en: 'viewing' },
  consultation: { vi: 'tư vấn', en: 'consultation' },
} as const;

const OUTCOME_LABELS: Record<ViewingOutcome, Record<NotificationLocale, string>> = {
  interested: { vi: 'khách quan tâm', en: 'interested' },
  no_show: { vi: 'khách không đến', en: 'did not come' },
  not_suitable: { vi: 'không phù hợp', en: 'not suitable' },
  follow_up: { vi: 'cần liên hệ lại', en: 'to follow up' },
};

async function bookingIntents(event: RecordedEvent, lookups: SourceLookups): Promise<NotificationIntent[]> {
  const history = await lookups.history(event.streamName, event.revision);
  const request = history[0]?.data as BookingRequestedData | undefined;
  if (!request || history[0]?.type !== 'BookingRequested') return [];
  const state = history.reduce(
    (current, e) => bookingDecider.evolve(current, { type: e.type, data: e.data } as BookingEvent),
    bookingDecider.initialState(),
  );
  const place =
    request.kind === 'viewing'
      ? (await lookups.listingTitle(request.listingId)) || (request.address ?? '')
      : (request.serviceName ?? '');
  const base = {
    bookingKind: KIND_LABELS[request.kind],
    place,
    start: localTime(state.start.toISOString(), state.timeZone),
  };
  const to = (userId: string | null, kind: NotificationKind, extra: Record<string, Localized> = {}) =>
    userId === null
      ? []
      : [
          {
            userId,
            kind,
            values: { ...base, ...extra },
            resource: { type: 'booking', id: request.bookingId },
            link: `/bookings/${request.bookingId}`,
          },
        ];
  const notActor = (userIds: (string | null)[]) => {
    const actor = actorOf(event);
    return [...new Set(userIds)].filter((id): id is string => id !== null && id !== actor);
  };
  const booking = { type: event.type, data: event.data } as BookingEvent;
  switch (booking.type) {
    case 'BookingRequested': {
      const customerName = { customerName: await lookups.userName(request.customerId) };
      const approver = request.status === 'awaiting_approval' ? request.ownerId : null;
      return [
        ...to(request.customerId, request.status === 'confirmed' ? 'booking.confirmed' : 'booking.requested'),
        ...to(request.providerId, 'booking.new_request', customerName),
        ...(approver !== request.providerId ? to(approver, 'booking.new_request', customerName) : []),
      ];
    }
    case 'BookingStaffAssigned':
      return to(booking.data.staffId, 'booking.assigned', { customerName: await lookups.userName(request.customerId) });
    case 'BookingApproved':
      return booking.data.status === 'confirmed' ? to(state.customerId, 'booking.confirmed') : [];
    case 'BookingConfirmed':
      return to(state.customerId, 'booking.confirmed');
    case 'BookingRejected':
      return to(state.customerId, 'booking.rejected', { reason: reasonText(booking.data.reason) });
    case 'BookingRescheduled': {
      const previousStart = localTime(booking.data.previousStart, state.timeZone);
      return notActor([state.customerId, state.providerId]).flatMap((id) =>
        to(id, 'booking.rescheduled', { previousStart }),
      );
    }
    case 'BookingCancelled':
      return notActor([state.customerId, state.providerId]).flatMap((id) =>
        to(id, 'booking.cancelled', { reason: reasonText(booking.data.reason) }),
      );
    case 'BookingReminderDue': {
      const kind = booking.data.minutesBefore >= 720 ? 'booking.reminder_24h' : 'booking.reminder_1h';
      return [...to(state.customerId, kind), ...to(state.providerId, kind)];
    }
    case 'ViewingResultReported':
      return to(state.ownerId, 'booking.result_reported', { outcome: OUTCOME_LABELS[booking.data.outcome] });
    default:
      return [];
  }
}

async function listingIntents(event: RecordedEvent, lookups: SourceLookups): Promise<NotificationIntent[]> {
  const history = await lookups.history(event.streamName, event.revision);
  let ownerId: string | null = null;
  let title = '';
  for (const recorded of history) {
    const e = { type: recorded.type, data: recorded.data } as ListingEvent;
    if (e.type === 'ListingDraftCreated') {
      ownerId = e.data.ownerId;
      title = e.data.title;
    } else if (e.type === 'ListingBasicsSaved') title = e.data.title;
  }
  if (ownerId === null) return [];
  const listing = { type: event.type, data: event.data } as ListingEvent;
  const kind: NotificationKind | null =
    listing.type === 'ListingApproved'
      ? 'listing.approved'
      : listing.type === 'ListingRejected'
        ? 'listing.rejected'
        : listing.type === 'ListingSuspended'
          ? 'listing.suspended'
          : null;
  if (kind === null) return [];
  const reason = 'reason' in listing.data ? listing.data.reason : '';
  return [
    {
      userId: ownerId,
      kind,
      values: { listingTitle: title, reason },
      resource: { type: 'listing', id: listing.data.listingId },
      link: `/owner/listings/${listing.data.listingId}`,
    },
  ];
}

/** The notifications one event causes (none for most events). */
export async function intentsFor(event: RecordedEvent, lookups: SourceLookups): Promise<NotificationIntent[]> {
  if ((BOOKING_EVENT_TYPES as readonly string[]).includes(event.type) && event.streamName.startsWith('booking-')) {
    return bookingIntents(event, lookups);
  }
  if ((LISTING_EVENT_TYPES as readonly string[]).includes(event.type) && event.streamName.startsWith('listing-')) {
    return listingIntents(event, lookups);
  }
  return moneyIntents(event, lookups);
}
