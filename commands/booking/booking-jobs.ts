import type pg from 'pg';
import { bookingDecider } from '../../domain/booking/booking.js';
import { ACTIVE_BOOKING_STATUSES, bookingStream } from '../../domain/booking/booking-events.js';
import { BOOKING_POLICY } from '../../domain/booking/policy.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { EventStore } from '../eventstore/port.js';
import { currentState } from '../handler.js';
import type { ScheduledJob } from '../jobs/scheduler.js';
import { systemMetadata } from '../metadata.js';
import type { BookingHandlers } from './booking-handlers.js';
import type { BookingLifecycle } from './booking-lifecycle.js';
import { unassignFutureBookings } from './booking-reactions.js';

const MINUTE = 60_000;

/** Sends one system command per booking; a refusal means the booking moved on (counted, not thrown). */
async function forEach(ids: string[], send: (id: string) => Promise<unknown>) {
  let done = 0;
  let refused = 0;
  for (const id of ids) {
    try {
      await send(id);
      done += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused += 1;
    }
  }
  return `${done} sent, ${refused} refused`;
}

/**
 * Time-driven booking work (DESIGN.md §6), each idempotent: the deciders ignore a repeat, and the
 * idempotency keys name the booking and the moment, so a job run twice appends nothing twice.
 */
export function bookingJobs(deps: {
  lifecycle: BookingLifecycle;
  handlers: BookingHandlers;
  store: EventStore;
}): ScheduledJob[] {
  const system = (key: string) => ({ ...systemMetadata(crypto.randomUUID()), idempotencyKey: key });

  const autoMark: ScheduledJob = {
    name: 'booking-auto-mark',
    cron: '*/5 * * * *',
    async run({ pool, now }) {
      const { rows } = await pool.query<{ id: string }>(
        'select id from rm.bookings where status = any($1) and end_at < $2 order by end_at limit 500',
        [ACTIVE_BOOKING_STATUSES, new Date(now.getTime() - BOOKING_POLICY.autoMarkGraceMinutes * MINUTE)],
      );
      return forEach(
        rows.map((r) => r.id),
        (bookingId) => deps.lifecycle.act({ type: 'AutoMarkAfterEnd', bookingId }, system(`auto-mark:${bookingId}`)),
      );
    },
  };

  const reminders: ScheduledJob = {
    name: 'booking-reminders',
    cron: '* * * * *',
    async run({ pool, now }) {
      const sent: string[] = [];
      for (const minutesBefore of BOOKING_POLICY.remindersMinutesBefore) {
        const { rows } = await pool.query<{ id: string; start_at: Date }>(
          `select id, start_at from rm.bookings
            where status in ('confirmed', 'rescheduled') and start_at > $1 and start_at <= $2
              and not ($3 || '@' || to_char(start_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) = any(reminders)
            limit 500`,
          [now, new Date(now.getTime() + minutesBefore * MINUTE), String(minutesBefore)],
        );
        sent.push(
          await forEach(
            rows.map((r) => r.id),
            (bookingId) => {
              const start = rows.find((r) => r.id === bookingId)?.start_at.toISOString();
              return deps.lifecycle.act(
                { type: 'EmitReminder', bookingId, minutesBefore },
                system(`reminder:${bookingId}:${minutesBefore}:${start}`),
              );
            },
          ),
        );
      }
      return sent.join('; ');
    },
  };

  const paymentWindow: ScheduledJob = {
    name: 'booking-payment-window',
    cron: '* * * * *',
    async run({ pool, now }) {
      const { rows } = await pool.query<{ id: string }>(
        `select id from rm.bookings where status = 'requested' and not paid and payment_due_at < $1 limit 500`,
        [now],
      );
      return forEach(
        rows.map((r) => r.id),
        (bookingId) =>
          deps.lifecycle.act({ type: 'ExpireUnpaidBooking', bookingId }, system(`payment-window:${bookingId}`)),
      );
    },
  };

  /**
   * Repairs what a crash between two writes can leave on a calendar: a span whose booking was
   * never recorded, or that its booking no longer uses (cancelled, moved, reassigned). The booking
   * stream, not the read model, decides; spans younger than two minutes are left alone.
   */
  const calendarSweep: ScheduledJob = {
    name: 'booking-calendar-sweep',
    cron: '*/10 * * * *',
    async run({ pool, now }) {
      const stale = await staleSpans(pool, new Date(now.getTime() - 2 * MINUTE));
      let released = 0;
      for (const span of stale) {
        const booking = await currentState(deps.store, bookingStream(span.id), bookingDecider);
        const uses =
          booking.exists &&
          booking.providerId === span.provider_id &&
          booking.start.getTime() === span.start_at.getTime() &&
          !['rejected', 'cancelled_by_customer', 'cancelled_by_system'].includes(booking.status);
        if (uses) continue;
        await deps.handlers.calendar(
          { type: 'ReleaseSlot', providerId: span.provider_id, date: span.day, bookingId: span.id, reason: 'sweep' },
          system(`sweep:${span.provider_id}:${span.id}:${span.start_at.toISOString()}`),
        );
        released += 1;
      }
      return `${stale.length} suspicious spans, ${released} released`;
    },
  };

  /** Catches what the staff-departure reaction could not see yet (read model behind at the time). */
  const departedStaff: ScheduledJob = {
    name: 'booking-departed-staff',
    cron: '*/15 * * * *',
    async run({ pool, now }) {
      const { rows } = await pool.query<{ user_id: string }>(
        `select distinct s.user_id from rm.staff s join rm.bookings b on b.provider_id = s.user_id
          where s.status = 'left' and b.kind = 'viewing' and b.status = any($1) and b.end_at > $2`,
        [ACTIVE_BOOKING_STATUSES, now],
      );
      let unassigned = 0;
      for (const { user_id } of rows) {
        unassigned += await unassignFutureBookings({ pool, lifecycle: deps.lifecycle }, user_id, now, (id) =>
          system(`unassign:${id}:${user_id}`),
        );
      }
      return `${unassigned} bookings of ${rows.length} departed staff re-queued`;
    },
  };

  return [autoMark, reminders, paymentWindow, calendarSweep, departedStaff];
}

async function staleSpans(pool: pg.Pool, olderThan: Date) {
  const { rows } = await pool.query<{ provider_id: string; id: string; start_at: Date; day: string }>(
    `select s.provider_id, s.id, s.start_at, to_char(s.day, 'YYYY-MM-DD') as day
       from rm.calendar_spans s left join rm.bookings b on b.id = s.id
      where s.kind = 'booking' and s.created_at < $1
        and (b.id is null or b.provider_id is distinct from s.provider_id or b.start_at <> s.start_at
             or b.status in ('rejected', 'cancelled_by_customer', 'cancelled_by_system'))
      limit 500`,
    [olderThan],
  );
  return rows;
}
