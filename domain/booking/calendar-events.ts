import type { DomainEvent } from '../shared/decider.js';

/** One occupied span of a provider's day: a booking, or a customer's short hold on a slot. */
interface SpanData {
  providerId: string;
  date: string;
  start: string;
  end: string;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  customerId: string;
}

/**
 * A provider's day calendar, stream `calendar-<providerId>-<yyyy-mm-dd>` (provider-local date of
 * the start). It is the only place that decides whether a span is free (DESIGN.md §5).
 */
export type CalendarEvent =
  | DomainEvent<'SlotHeld', SpanData & { holdId: string; expiresAt: string }>
  | DomainEvent<
      'SlotHoldReleased',
      { providerId: string; date: string; holdId: string; reason: 'released' | 'replaced' }
    >
  | DomainEvent<'SlotBooked', SpanData & { bookingId: string; holdId: string | null }>
  | DomainEvent<'SlotMoved', { providerId: string; date: string; bookingId: string; start: string; end: string }>
  | DomainEvent<'SlotReleased', { providerId: string; date: string; bookingId: string; reason: string }>;

export const CALENDAR_EVENT_TYPES: CalendarEvent['type'][] = [
  'SlotHeld',
  'SlotHoldReleased',
  'SlotBooked',
  'SlotMoved',
  'SlotReleased',
];

export const calendarStream = (providerId: string, date: string) => `calendar-${providerId}-${date}`;
