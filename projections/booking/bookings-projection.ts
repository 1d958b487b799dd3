import { type QueryCreator, sql } from 'kysely';
import { BOOKING_EVENT_TYPES, type BookingEvent } from '../../domain/booking/booking-events.js';
import { CALENDAR_EVENT_TYPES, type CalendarEvent } from '../../domain/booking/calendar-events.js';
import type { Projection } from '../projection.js';

/**
 * Bookings per role (`rm.bookings`) and the providers' occupied spans (`rm.calendar_spans`: bookings
 * and holds as the calendar streams recorded them), which slot queries subtract from availability.
 */
/** Rows are written field by field from events; their shapes are in bookings-queries.ts. */
interface BookingTables {
  bookings: Record<string, unknown>;
  calendar_spans: Record<string, unknown>;
}

export const bookingsProjection: Projection<BookingTables> = {
  name: 'bookings',
  version: 1,
  filter: { eventTypes: [...BOOKING_EVENT_TYPES, ...CALENDAR_EVENT_TYPES] },
  tables: ['bookings', 'calendar_spans'],

  async setup(db, schema) {
    const t = (name: string) => sql.id(schema, name);
    await sql`create table if not exists ${t('bookings')} (
      id uuid primary key,
      kind text not null,
      status text not null,
      customer_id uuid not null,
      provider_id uuid,
      listing_id uuid,
      project_id uuid,
      owner_id uuid,
      area_id text,
      service_id text,
      service_name text,
      fee_vnd bigint not null default 0,
      mode text not null,
      address text,
      note text,
      start_at timestamptz not null,
      end_at timestamptz not null,
      time_zone text not null,
      buffer_before integer not null default 0,
      buffer_after integer not null default 0,
      payment_due_at timestamptz,
      paid boolean not null default false,
      outcome text,
      outcome_note text,
      reason text,
      series_id uuid,
      occurrence integer,
      requested_position bigint not null,
      reminders text[] not null default '{}',
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    for (const [name, columns] of [
      ['bookings_customer', sql`(customer_id, start_at)`],
      ['bookings_provider', sql`(provider_id, start_at)`],
      ['bookings_owner', sql`(owner_id, start_at)`],
      ['bookings_status', sql`(status, start_at)`],
      ['bookings_series', sql`(series_id)`],
    ] as const) {
      await sql`create index if not exists ${sql.id(name)} on ${t('bookings')} ${columns}`.execute(db);
    }
    await sql`create table if not exists ${t('calendar_spans')} (
      provider_id uuid not null,
      id uuid not null,
      kind text not null,
      customer_id uuid not null,
      day date not null,
      start_at timestamptz not null,
      end_at timestamptz not null,
      buffer_before integer not null,
      buffer_after integer not null,
      expires_at timestamptz,
      created_at timestamptz not null,
      primary key (provider_id, id)
    )`.execute(db);
    await sql`create index if not exists calendar_spans_time on ${t('calendar_spans')} (provider_id, start_at)`.execute(
      db,
    );
  },

  async apply(events, { db }) {
    for (const recorded of events) {
      const at = new Date(recorded.metadata.occurredAt);
      if (recorded.streamName.startsWith('calendar-')) {
        await applyCalendar({ type: recorded.type, data: recorded.data } as CalendarEvent, at, db);
        continue;
      }
      const event = { type: recorded.type, data: recorded.data } as BookingEvent;
      if (event.type === 'BookingRequested') {
        const d = event.data;
        await db
          .insertInto('bookings')
          .values({
            id: d.bookingId,
            kind: d.kind,
            status: d.status,
            customer_id: d.customerId,
            provider_id: d.providerId,
            listing_id: d.listingId,
            project_id: d.projectId,
            owner_id: d.ownerId,
            area_id: d.areaId,
            service_id: d.serviceId,
            service_name: d.serviceName,
            fee_vnd: d.feeVnd,
            mode: d.mode,
            address: d.address,
            note: d.note,
            start_at: new Date(d.start),
            end_at: new Date(d.end),
            time_zone: d.timeZone,
            buffer_before: d.bufferBeforeMinutes,
            buffer_after: d.bufferAfterMinutes,
            payment_due_at: d.paymentDueAt === null ? null : new Date(d.paymentDueAt),
            series_id: d.seriesId,
            occurrence: d.occurrence,
            requested_position: recorded.position.toString(),
            created_at: at,
            updated_at: at,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        continue;
      }
      await db.updateTable('bookings').set(changesOf(event, at)).where('id', '=', event.data.bookingId).execute();
    }
  },
};

function changesOf(event: Exclude<BookingEvent, { type: 'BookingRequested' }>, at: Date): Record<string, unknown> {
  const base = { updated_at: at };
  switch (event.type) {
    case 'BookingStaffAssigned':
      return { ...base, provider_id: event.data.staffId };
    case 'BookingStaffUnassigned':
      return { ...base, provider_id: null, status: event.data.status };
    case 'BookingRescheduled':
      return {
        ...base,
        status: event.data.status,
        start_at: new Date(event.data.start),
        end_at: new Date(event.data.end),
        reason: event.data.reason,
      };
    case 'BookingRejected':
    case 'BookingCancelled':
      return { ...base, status: event.data.status, reason: event.data.reason };
    case 'ViewingResultReported':
      return { ...base, status: event.data.status, outcome: event.data.outcome, outcome_note: event.data.note };
    case 'BookingPaymentCaptured':
      return { ...base, paid: true };
    case 'BookingReminderDue':
      return { ...base, reminders: sql`array_append(reminders, ${`${event.data.minutesBefore}@${event.data.start}`})` };
    default:
      return { ...base, status: event.data.status };
  }
}

async function applyCalendar(event: CalendarEvent, at: Date, db: QueryCreator<BookingTables>) {
  const { providerId } = event.data;
  switch (event.type) {
    case 'SlotHeld':
    case 'SlotBooked': {
      const d = event.data;
      const id = event.type === 'SlotHeld' ? event.data.holdId : event.data.bookingId;
      if (event.type === 'SlotBooked' && event.data.holdId) {
        await db
          .deleteFrom('calendar_spans')
          .where('provider_id', '=', providerId)
          .where('id', '=', event.data.holdId)
          .execute();
      }
      await db
        .insertInto('calendar_spans')
        .values({
          provider_id: providerId,
          id,
          kind: event.type === 'SlotHeld' ? 'hold' : 'booking',
          customer_id: d.customerId,
          day: d.date,
          start_at: new Date(d.start),
          end_at: new Date(d.end),
          buffer_before: d.bufferBeforeMinutes,
          buffer_after: d.bufferAfterMinutes,
          expires_at: event.type === 'SlotHeld' ? new Date(event.data.expiresAt) : null,
          created_at: at,
        })
        .onConflict((oc) => oc.columns(['provider_id', 'id']).doNothing())
        .execute();
      return;
    }
    case 'SlotMoved':
      await db
        .updateTable('calendar_spans')
        .set({ start_at: new Date(event.data.start), end_at: new Date(event.data.end) })
        .where('provider_id', '=', providerId)
        .where('id', '=', event.data.bookingId)
        .execute();
      return;
    case 'SlotHoldReleased':
    case 'SlotReleased': {
      const id = event.type === 'SlotHoldReleased' ? event.data.holdId : event.data.bookingId;
      await db.deleteFrom('calendar_spans').where('provider_id', '=', providerId).where('id', '=', id).execute();
      return;
    }
  }
}
