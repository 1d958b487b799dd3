// The ways an appended event reaches a `/ws` socket that ops/bench/realtime.ts measures: what each
// appends for a sample, and how its message names the sample. Adding a path = one entry of PATHS.
import { randomUUID } from 'node:crypto';
import type { RealtimeMessage } from '../../api/realtime/hub.js';
import type { AppendResult, NewEvent } from '../../commands/eventstore/port.js';
import type { BookingRequestedData } from '../../domain/booking/booking-events.js';
import type { RunningApp } from '../app.js';
import { benchMetadata } from './support.js';

const HOUR = 3_600_000;

export interface Context {
  app: RunningApp;
  userId: string;
  /** A provider whose day calendars the socket watches (slots path). */
  providerId: string;
}

/** One way an event reaches the socket: what to append for sample `key`, and which key a message answers. */
export interface RealtimePath {
  name: string;
  chain: string;
  /** The read model or reaction the message waits for: its checkpoint splits the latency in two. */
  checkpoint: string;
  append(ctx: Context, key: string, i: number): Promise<AppendResult>;
  keyOf(message: RealtimeMessage): string | null;
}

const event = (type: string, data: unknown): NewEvent[] => [
  { eventId: randomUUID(), type, data, metadata: benchMetadata() },
];
/** 2030-01-01 plus i days: every slots sample gets a calendar stream (and so a message) of its own. */
export const dayOf = (i: number) => new Date(Date.UTC(2030, 0, 1) + i * 24 * HOUR).toISOString().slice(0, 10);

export const PATHS: Record<string, RealtimePath> = {
  notifications: {
    name: 'notifications',
    chain: 'BookingRequested → notification reaction → inbox row + pg_notify → publisher → hub → ws',
    checkpoint: 'notifications',
    append({ app, userId }, bookingId, i) {
      const start = new Date(Date.UTC(2031, 0, 1) + i * 2 * HOUR);
      const data: BookingRequestedData = {
        bookingId,
        kind: 'consultation',
        status: 'requested',
        // A customer per booking: the same one would trip the overlap and daily-limit reactions.
        customerId: randomUUID(),
        providerId: userId,
        listingId: null,
        projectId: null,
        ownerId: null,
        areaId: null,
        serviceId: null,
        serviceName: 'Tư vấn hợp đồng thuê',
        feeVnd: 0,
        mode: 'online',
        address: null,
        note: null,
        start: start.toISOString(),
        end: new Date(start.getTime() + HOUR).toISOString(),
        timeZone: 'Asia/Ho_Chi_Minh',
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        paymentDueAt: null,
        seriesId: null,
        occurrence: null,
      };
      return app.services.store.appendToStream(`booking-${bookingId}`, event('BookingRequested', data), {
        expectedRevision: 'no_stream',
      });
    },
    keyOf(message) {
      if (message.type !== 'notification.created') return null;
      const link = (message.data as { notification?: { link?: string | null } }).notification?.link ?? '';
      return link.startsWith('/bookings/') ? link.slice('/bookings/'.length) : null;
    },
  },
  payments: {
    name: 'payments',
    chain: 'PaymentInitiated → payments read model → payment notifier → hub → ws',
    checkpoint: 'payments',
    append({ app, userId }, paymentId, i) {
      const data = {
        paymentId,
        payerId: userId,
        purpose: { kind: 'wallet_topup' },
        principalVnd: 100_000 + i,
        feeVnd: 0,
        gateway: 'manual',
        gatewayRef: `BENCH-${i}`,
        expiresAt: new Date(Date.now() + 24 * HOUR).toISOString(),
      };
      return app.services.store.appendToStream(`payment-${paymentId}`, event('PaymentInitiated', data), {
        expectedRevision: 'no_stream',
      });
    },
    keyOf: (message) =>
      message.type === 'payment.changed' ? ((message.data as { paymentId?: string }).paymentId ?? null) : null,
  },
  slots: {
    name: 'slots',
    chain: 'SlotHeld → bookings read model → slot change notifier → hub → ws (watched calendar)',
    checkpoint: 'bookings',
    append({ app, providerId }, _key, i) {
      const date = dayOf(i);
      const start = new Date(`${date}T03:00:00Z`);
      const data = {
        providerId,
        date,
        holdId: randomUUID(),
        customerId: randomUUID(),
        start: start.toISOString(),
        end: new Date(start.getTime() + HOUR).toISOString(),
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        expiresAt: new Date(Date.now() + 5 * 60_000).toISOString(),
      };
      return app.services.store.appendToStream(`calendar-${providerId}-${date}`, event('SlotHeld', data), {
        expectedRevision: 'no_stream',
      });
    },
    keyOf: (message) =>
      message.type === 'slots.changed' ? ((message.data as { days?: string[] }).days?.[0] ?? null) : null,
  },
};
