import { DateTime } from 'luxon';
import type pg from 'pg';
import type { BookingRequestedData } from '../../domain/booking/booking-events.js';
import { ACTIVE_BOOKING_STATUSES } from '../../domain/booking/booking-events.js';
import { BOOKING_POLICY } from '../../domain/booking/policy.js';
import { DEFAULT_TIME_ZONE } from '../../domain/booking/schedule.js';
import type { StaffProfileEvent } from '../../domain/identity/staff-events.js';
import { DomainError } from '../../domain/shared/errors.js';
import { customerOverlaps } from '../../projections/booking/booking-lookups.js';
import type { Projection } from '../../projections/projection.js';
import { waitForProjection } from '../../projections/status.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { type CommandMetadata, systemMetadata } from '../metadata.js';
import type { BookingLifecycle } from './booking-lifecycle.js';

const caughtUp = async (pool: pg.Pool, event: RecordedEvent) => {
  if (!(await waitForProjection(pool, 'bookings', event.position, 10_000))) {
    throw new Error(`bookings read model has not reached ${event.position}`);
  }
};

const metadataFor = (event: RecordedEvent, key: string) => ({
  ...systemMetadata(event.metadata.correlationId, event.eventId),
  idempotencyKey: `${key}:${event.eventId}`,
});

/** A refusal means the booking moved on meanwhile (cancelled, already done): nothing to compensate. */
async function unlessRefused(action: Promise<unknown>) {
  try {
    await action;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

/**
 * The customer-side rules that span streams — no overlapping active bookings of one customer, at
 * most `dailyRequestsPerCustomer` requests a day — are checked against the read model before a
 * request is written; concurrent requests can all pass that check. This reaction settles them in
 * the global order of their `BookingRequested` events: a request that overlaps an active booking
 * requested *earlier*, or that is beyond the daily limit counting earlier requests, is cancelled by
 * the system with reason `customer_overlap` or `daily_request_limit`. The earliest one always wins.
 */
export function bookingOverlapReaction(deps: { pool: pg.Pool; lifecycle: BookingLifecycle }): Projection {
  async function earlierRequestsToday(data: BookingRequestedData, event: RecordedEvent) {
    const created = DateTime.fromISO(event.metadata.occurredAt, { zone: DEFAULT_TIME_ZONE }).startOf('day').toJSDate();
    const { rows } = await deps.pool.query<{ n: number }>(
      `select count(distinct coalesce(series_id, id))::int as n from rm.bookings
        where customer_id = $1 and created_at >= $2 and requested_position < $3
          and coalesce(series_id, id) <> coalesce($4::uuid, $5::uuid)`,
      [data.customerId, created, event.position.toString(), data.seriesId, data.bookingId],
    );
    return rows[0]?.n ?? 0;
  }

  return {
    name: 'booking-overlaps',
    version: 1,
    filter: { eventTypes: ['BookingRequested'] },
    tables: [],
    async setup() {},
    async apply(events) {
      // The read model up to the batch's last request holds each one's past (decisions compare
      // requested positions, so later requests it also holds change nothing): wait once.
      const last = events.at(-1);
      if (last) await caughtUp(deps.pool, last);
      for (const event of events) {
        const data = event.data as BookingRequestedData;
        const overlaps = await customerOverlaps(
          deps.pool,
          data.customerId,
          new Date(data.start),
          new Date(data.end),
          data.bookingId,
        );
        const earlier = overlaps.find((other) => other.requestedPosition < event.position);
        const reason = earlier
          ? 'customer_overlap'
          : (data.occurrence ?? 0) === 0 &&
              (await earlierRequestsToday(data, event)) >= BOOKING_POLICY.dailyRequestsPerCustomer
            ? 'daily_request_limit'
            : null;
        if (reason === null) continue;
        await unlessRefused(
          deps.lifecycle.act(
            { type: 'CancelBooking', bookingId: data.bookingId, reason },
            metadataFor(event, 'compensate'),
          ),
        );
      }
    },
  };
}

/** A sales staff member who leaves has their future bookings unassigned: they go back to the operators' queue. */
export function staffDepartureReaction(deps: { pool: pg.Pool; lifecycle: BookingLifecycle }): Projection {
  return {
    name: 'booking-staff-departures',
    version: 1,
    filter: { eventTypes: ['StaffStatusChanged'] },
    tables: [],
    async setup() {},
    async apply(events) {
      for (const event of events) {
        const data = (event as unknown as { data: Extract<StaffProfileEvent, { type: 'StaffStatusChanged' }>['data'] })
          .data;
        if (data.status !== 'left') continue;
        // The bookings read model's checkpoint only moves on booking events, so "caught up with this
        // staff event" cannot be awaited exactly: give it a moment; `booking-departed-staff` sweeps later.
        await waitForProjection(deps.pool, 'bookings', event.position, 2_000);
        await unassignFutureBookings(deps, data.userId, new Date(event.metadata.occurredAt), (id) =>
          metadataFor(event, `unassign:${id}`),
        );
      }
    },
  };
}

/** Sends every future active viewing of a departed staff member back to the operators' queue. */
export async function unassignFutureBookings(
  deps: { pool: pg.Pool; lifecycle: BookingLifecycle },
  staffId: string,
  after: Date,
  metadataOf: (bookingId: string) => CommandMetadata,
) {
  const { rows } = await deps.pool.query<{ id: string }>(
    `select id from rm.bookings where provider_id = $1 and kind = 'viewing' and status = any($2) and end_at > $3`,
    [staffId, ACTIVE_BOOKING_STATUSES, after],
  );
  for (const { id } of rows) {
    await unlessRefused(
      deps.lifecycle.act({ type: 'UnassignStaff', bookingId: id, reason: 'staff_left' }, metadataOf(id)),
    );
  }
  return rows.length;
}
