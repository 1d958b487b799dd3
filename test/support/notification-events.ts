import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '../../commands/eventstore/port.js';
import { eventMetadata, systemMetadata } from '../../commands/metadata.js';
import { iso, request } from './booking-fixtures.js';

/** Events appended straight to the store, as the booking engine would: what the notification reaction reads. */
const metadata = (actorId: string | null) =>
  eventMetadata({ ...systemMetadata(randomUUID()), actorId, roles: ['customer'] }, new Date(), 1);
export const event = (type: string, data: unknown, actorId: string | null = null): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: metadata(actorId),
});

let booked = 0;
/** A viewing requested by `customerId` with `providerId`, then confirmed: the first on 1 December 2026, each later one a day later (none overlaps). */
export async function confirmedBooking(store: EventStore, customerId: string, providerId: string | null) {
  const bookingId = randomUUID();
  const date = new Date(Date.UTC(2026, 11, 1 + booked++)).toISOString().slice(0, 10);
  const data = request({
    bookingId,
    customerId,
    providerId,
    listingId: null,
    ownerId: null,
    address: 'Phòng 101, 12 Lý Tự Trọng, Quận 1',
    start: iso('10:00', date),
    end: iso('10:30', date),
  });
  const stream = `booking-${bookingId}`;
  await store.appendToStream(stream, [event('BookingRequested', data, customerId)], { expectedRevision: 'no_stream' });
  const confirmed = { bookingId, status: 'confirmed', previousStatus: 'requested', automatic: false };
  await store.appendToStream(stream, [event('BookingConfirmed', confirmed, providerId)], { expectedRevision: 0n });
  return bookingId;
}
