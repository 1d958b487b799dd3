import { describe, expect, test } from 'vitest';
import {
  type CalendarCommand,
  type CalendarContext,
  calendarDecider,
  liveSpans,
} from '../../domain/booking/calendar.js';
import type { CalendarEvent } from '../../domain/booking/calendar-events.js';
import { fold } from '../../domain/shared/decider.js';
import { scenario } from '../support/given-when-then.js';

const day = { providerId: 'expert-1', date: '2026-11-24' };
const at = (time: string) => new Date(`2026-11-24T${time}:00+07:00`);
const iso = (time: string) => at(time).toISOString();

const context = (now = '08:00', bookingsElsewhereThisWeek = 0): CalendarContext => ({
  now: at(now),
  actorId: 'system',
  roles: ['system'],
  bookingsElsewhereThisWeek,
});
const calendar = (now = '08:00', bookingsElsewhereThisWeek = 0) =>
  scenario(calendarDecider, context(now, bookingsElsewhereThisWeek));

interface SpanOptions {
  before?: number;
  after?: number;
}
const spanData = (customerId: string, start: string, end: string, options: SpanOptions) => ({
  ...day,
  customerId,
  start: iso(start),
  end: iso(end),
  bufferBeforeMinutes: options.before ?? 0,
  bufferAfterMinutes: options.after ?? 0,
});

const held = (
  holdId: string,
  customerId: string,
  start: string,
  end: string,
  options: SpanOptions & { expiresAt?: string } = {},
): CalendarEvent => ({
  type: 'SlotHeld',
  data: { ...spanData(customerId, start, end, options), holdId, expiresAt: iso(options.expiresAt ?? '08:05') },
});
const booked = (
  bookingId: string,
  customerId: string,
  start: string,
  end: string,
  options: SpanOptions & { holdId?: string } = {},
): CalendarEvent => ({
  type: 'SlotBooked',
  data: { ...spanData(customerId, start, end, options), bookingId, holdId: options.holdId ?? null },
});
const holdReleased = (holdId: string, reason: 'released' | 'replaced'): CalendarEvent => ({
  type: 'SlotHoldReleased',
  data: { ...day, holdId, reason },
});

const holdSlot = (
  holdId: string,
  customerId: string,
  start: string,
  end: string,
  options: SpanOptions & { expiresAt?: string; dailyLimit?: number } = {},
): CalendarCommand => ({
  type: 'HoldSlot',
  ...day,
  holdId,
  customerId,
  start: at(start),
  end: at(end),
  bufferBeforeMinutes: options.before ?? 0,
  bufferAfterMinutes: options.after ?? 0,
  expiresAt: at(options.expiresAt ?? '08:05'),
  dailyLimit: options.dailyLimit ?? null,
});
const bookSlot = (
  bookingId: string,
  customerId: string,
  start: string,
  end: string,
  options: SpanOptions & { holdId?: string; dailyLimit?: number; weeklyLimit?: number } = {},
): CalendarCommand => ({
  type: 'BookSlot',
  ...day,
  bookingId,
  customerId,
  start: at(start),
  end: at(end),
  bufferBeforeMinutes: options.before ?? 0,
  bufferAfterMinutes: options.after ?? 0,
  holdId: options.holdId ?? null,
  dailyLimit: options.dailyLimit ?? null,
  weeklyLimit: options.weeklyLimit ?? null,
});
const moveBooking = (bookingId: string, start: string, end: string): CalendarCommand => ({
  type: 'MoveBooking',
  ...day,
  bookingId,
  start: at(start),
  end: at(end),
});

describe('booking calendar: HoldSlot', () => {
  test('holds a free slot until expiresAt, with its buffers', () => {
    calendar()
      .given([])
      .when(holdSlot('h1', 'c1', '09:00', '09:30', { before: 5, after: 15 }))
      .thenEmits([held('h1', 'c1', '09:00', '09:30', { before: 5, after: 15 })]);
  });

  test('a booking or another customer’s live hold takes the slot', () => {
    const byBooking = calendar()
      .given([booked('b1', 'c2', '09:00', '10:00')])
      .when(holdSlot('h1', 'c1', '09:30', '10:00'))
      .thenFails('SLOT_TAKEN');
    expect(byBooking.status).toBe(409);
    expect(byBooking.details).toEqual({ takenBy: 'booking', start: iso('09:00'), end: iso('10:00') });
    const byHold = calendar('08:04')
      .given([held('h2', 'c2', '09:00', '09:30')])
      .when(holdSlot('h1', 'c1', '09:15', '09:45'))
      .thenFails('SLOT_TAKEN');
    expect(byHold.details).toMatchObject({ takenBy: 'hold' });
  });

  test('an expired hold blocks nobody (expiry is by time alone)', () => {
    calendar('08:05')
      .given([held('h2', 'c2', '09:00', '09:30', { expiresAt: '08:05' })])
      .when(holdSlot('h1', 'c1', '09:00', '09:30', { expiresAt: '08:10' }))
      .thenEmits([held('h1', 'c1', '09:00', '09:30', { expiresAt: '08:10' })]);
  });

  test('a customer’s new hold replaces their live hold on that day; an expired one is left alone', () => {
    calendar()
      .given([held('h1', 'c1', '09:00', '09:30')])
      .when(holdSlot('h2', 'c1', '09:15', '09:45'))
      .thenEmits([holdReleased('h1', 'replaced'), held('h2', 'c1', '09:15', '09:45')]);
    calendar('08:06')
      .given([held('h1', 'c1', '09:00', '09:30')])
      .when(holdSlot('h2', 'c1', '11:00', '11:30', { expiresAt: '08:11' }))
      .thenEmits([held('h2', 'c1', '11:00', '11:30', { expiresAt: '08:11' })]);
    // Another customer's hold elsewhere that day stays.
    calendar()
      .given([held('h3', 'c3', '14:00', '14:30')])
      .when(holdSlot('h2', 'c1', '09:00', '09:30'))
      .thenEmits([held('h2', 'c1', '09:00', '09:30')]);
  });

  test('PROVIDER_DAY_FULL counts bookings and other customers’ live holds against dailyLimit', () => {
    const busyDay = [booked('b1', 'c2', '09:00', '10:00'), held('h3', 'c3', '11:00', '11:30')];
    const full = calendar()
      .given(busyDay)
      .when(holdSlot('h1', 'c1', '14:00', '14:30', { dailyLimit: 2 }))
      .thenFails('PROVIDER_DAY_FULL');
    expect(full.details).toEqual({ limit: 2 });
    calendar()
      .given(busyDay)
      .when(holdSlot('h1', 'c1', '14:00', '14:30', { dailyLimit: 3 }))
      .thenEmits([held('h1', 'c1', '14:00', '14:30')]);
    calendar('08:06')
      .given(busyDay)
      .when(holdSlot('h1', 'c1', '14:00', '14:30', { dailyLimit: 2, expiresAt: '08:11' }))
      .thenEmits([held('h1', 'c1', '14:00', '14:30', { expiresAt: '08:11' })]);
    // The customer's own hold is being replaced, so it does not count.
    calendar()
      .given([booked('b1', 'c2', '09:00', '10:00'), held('h0', 'c1', '11:00', '11:30')])
      .when(holdSlot('h1', 'c1', '14:00', '14:30', { dailyLimit: 2 }))
      .thenEmits([holdReleased('h0', 'replaced'), held('h1', 'c1', '14:00', '14:30')]);
  });

  test('the same holdId again is a no-op while live; after expiry it holds anew', () => {
    calendar('08:03')
      .given([held('h1', 'c1', '09:00', '09:30')])
      .when(holdSlot('h1', 'c1', '09:00', '09:30'))
      .thenEmits([]);
    calendar('08:07')
      .given([held('h1', 'c1', '09:00', '09:30')])
      .when(holdSlot('h1', 'c1', '09:00', '09:30', { expiresAt: '08:12' }))
      .thenEmits([held('h1', 'c1', '09:00', '09:30', { expiresAt: '08:12' })]);
  });
});

describe('booking calendar: BookSlot', () => {
  test('books a free slot; takes over the customer’s own live hold, which then leaves the calendar', () => {
    calendar()
      .given([])
      .when(bookSlot('b1', 'c1', '09:00', '09:30', { after: 15 }))
      .thenEmits([booked('b1', 'c1', '09:00', '09:30', { after: 15 })]);
    calendar()
      .given([held('h1', 'c1', '09:00', '09:30')])
      .when(bookSlot('b1', 'c1', '09:00', '09:30', { holdId: 'h1' }))
      .thenEmits([booked('b1', 'c1', '09:00', '09:30', { holdId: 'h1' })]);
    const state = fold(calendarDecider, [
      held('h1', 'c1', '09:00', '09:30'),
      booked('b1', 'c1', '09:00', '09:30', { holdId: 'h1' }),
    ]);
    expect(liveSpans(state, at('08:00')).map((span) => [span.id, span.kind])).toEqual([['b1', 'booking']]);
  });

  test('takes over only a live hold of the same customer', () => {
    calendar('08:06')
      .given([held('h1', 'c1', '09:00', '09:30')])
      .when(bookSlot('b1', 'c1', '09:00', '09:30', { holdId: 'h1' }))
      .thenEmits([booked('b1', 'c1', '09:00', '09:30')]);
    calendar()
      .given([held('h2', 'c2', '11:00', '11:30')])
      .when(bookSlot('b1', 'c1', '09:00', '09:30', { holdId: 'h2' }))
      .thenEmits([booked('b1', 'c1', '09:00', '09:30')]);
    calendar()
      .given([held('h2', 'c2', '09:00', '09:30')])
      .when(bookSlot('b1', 'c1', '09:00', '09:30', { holdId: 'h2' }))
      .thenFails('SLOT_TAKEN');
  });

  test('buffers on both sides: a booking ending 10:00 with 15 minutes after blocks a 10:10 start', () => {
    const earlier = booked('b1', 'c2', '09:30', '10:00', { after: 15 });
    calendar()
      .given([earlier])
      .when(bookSlot('b2', 'c1', '10:10', '10:40'))
      .thenFails('SLOT_TAKEN');
    calendar()
      .given([earlier])
      .when(bookSlot('b2', 'c1', '10:15', '10:45'))
      .thenEmits([booked('b2', 'c1', '10:15', '10:45')]);
    // The new booking's own buffers count too, before and after.
    const plain = booked('b1', 'c2', '09:00', '10:00');
    calendar()
      .given([plain])
      .when(bookSlot('b2', 'c1', '10:10', '10:40', { before: 15 }))
      .thenFails('SLOT_TAKEN');
    calendar()
      .given([plain])
      .when(bookSlot('b2', 'c1', '08:00', '08:50', { after: 15 }))
      .thenFails('SLOT_TAKEN');
    calendar()
      .given([booked('b1', 'c2', '09:00', '10:00', { before: 15 })])
      .when(bookSlot('b2', 'c1', '08:15', '08:50'))
      .thenFails('SLOT_TAKEN');
    calendar()
      .given([plain])
      .when(bookSlot('b2', 'c1', '10:15', '10:45', { before: 15 }))
      .thenEmits([booked('b2', 'c1', '10:15', '10:45', { before: 15 })]);
  });

  test('touching spans without buffers are allowed', () => {
    calendar()
      .given([booked('b1', 'c2', '09:00', '10:00')])
      .when(bookSlot('b2', 'c1', '10:00', '10:30'))
      .thenEmits([booked('b2', 'c1', '10:00', '10:30')]);
    calendar()
      .given([booked('b1', 'c2', '09:00', '10:00')])
      .when(bookSlot('b2', 'c1', '08:30', '09:00'))
      .thenEmits([booked('b2', 'c1', '08:30', '09:00')]);
  });

  test('PROVIDER_DAY_FULL and PROVIDER_WEEK_FULL (with the bookings elsewhere that week)', () => {
    const oneBooking = [booked('b1', 'c2', '09:00', '10:00'), held('h3', 'c3', '11:00', '11:30')];
    calendar()
      .given(oneBooking)
      .when(bookSlot('b2', 'c1', '14:00', '14:30', { dailyLimit: 2 }))
      .thenFails('PROVIDER_DAY_FULL');
    const week = calendar('08:00', 2)
      .given(oneBooking)
      .when(bookSlot('b2', 'c1', '14:00', '14:30', { weeklyLimit: 3 }))
      .thenFails('PROVIDER_WEEK_FULL');
    expect(week.details).toEqual({ limit: 3 });
    // Holds do not count against the week.
    calendar('08:00', 1)
      .given(oneBooking)
      .when(bookSlot('b2', 'c1', '14:00', '14:30', { weeklyLimit: 3 }))
      .thenEmits([booked('b2', 'c1', '14:00', '14:30')]);
    calendar('08:00', 3)
      .given([])
      .when(bookSlot('b2', 'c1', '14:00', '14:30', { weeklyLimit: 3 }))
      .thenFails('PROVIDER_WEEK_FULL');
  });

  test('the same bookingId at the same time is idempotent; at another time it is refused', () => {
    const b1 = booked('b1', 'c1', '09:00', '09:30');
    calendar()
      .given([b1])
      .when(bookSlot('b1', 'c1', '09:00', '09:30'))
      .thenEmits([]);
    calendar()
      .given([b1])
      .when(bookSlot('b1', 'c1', '09:30', '10:00'))
      .thenFails('BOOKING_ALREADY_ON_CALENDAR');
  });
});

describe('booking calendar: MoveBooking', () => {
  test('moves a booking, excluding its own old span from the check', () => {
    calendar()
      .given([booked('b1', 'c1', '09:00', '10:00', { after: 15 })])
      .when(moveBooking('b1', '09:30', '10:30'))
      .thenEmits([{ type: 'SlotMoved', data: { ...day, bookingId: 'b1', start: iso('09:30'), end: iso('10:30') } }]);
    const state = fold(calendarDecider, [
      booked('b1', 'c1', '09:00', '10:00'),
      { type: 'SlotMoved', data: { ...day, bookingId: 'b1', start: iso('11:00'), end: iso('12:00') } },
    ]);
    expect(calendarDecider.decide(holdSlot('h2', 'c2', '09:00', '10:00'), state, context())).toEqual([
      held('h2', 'c2', '09:00', '10:00'),
    ]);
  });

  test('SLOT_TAKEN by another booking (with its buffer) or another customer’s hold; not by the own hold', () => {
    const given = [booked('b1', 'c1', '09:00', '09:30'), booked('b2', 'c2', '11:00', '11:30', { after: 15 })];
    calendar()
      .given(given)
      .when(moveBooking('b1', '11:30', '12:00'))
      .thenFails('SLOT_TAKEN');
    calendar()
      .given([...given, held('h3', 'c3', '14:00', '14:30')])
      .when(moveBooking('b1', '14:15', '14:45'))
      .thenFails('SLOT_TAKEN');
    calendar()
      .given([...given, held('h1', 'c1', '14:00', '14:30')])
      .when(moveBooking('b1', '14:15', '14:45'))
      .thenEmits([{ type: 'SlotMoved', data: { ...day, bookingId: 'b1', start: iso('14:15'), end: iso('14:45') } }]);
  });

  test('the same time is a no-op; a booking not on this day is refused', () => {
    calendar()
      .given([booked('b1', 'c1', '09:00', '09:30')])
      .when(moveBooking('b1', '09:00', '09:30'))
      .thenEmits([]);
    calendar()
      .given([])
      .when(moveBooking('b1', '09:00', '09:30'))
      .thenFails('BOOKING_NOT_ON_CALENDAR');
    calendar()
      .given([held('b1', 'c1', '09:00', '09:30')])
      .when(moveBooking('b1', '10:00', '10:30'))
      .thenFails('BOOKING_NOT_ON_CALENDAR');
  });
});

describe('booking calendar: releases', () => {
  const releaseSlot: CalendarCommand = { type: 'ReleaseSlot', ...day, bookingId: 'b1', reason: 'cancelled' };
  const releaseHold = (customerId = 'c1'): CalendarCommand => ({
    type: 'ReleaseHold',
    ...day,
    holdId: 'h1',
    customerId,
  });
  const slotReleased: CalendarEvent = { type: 'SlotReleased', data: { ...day, bookingId: 'b1', reason: 'cancelled' } };

  test('ReleaseSlot frees the booking’s time once; again or unknown is a no-op', () => {
    const b1 = booked('b1', 'c1', '09:00', '09:30');
    calendar().given([b1]).when(releaseSlot).thenEmits([slotReleased]);
    calendar().given([b1, slotReleased]).when(releaseSlot).thenEmits([]);
    calendar().given([]).when(releaseSlot).thenEmits([]);
    calendar()
      .given([b1, slotReleased])
      .when(holdSlot('h2', 'c2', '09:00', '09:30'))
      .thenEmits([held('h2', 'c2', '09:00', '09:30')]);
  });

  test('ReleaseHold releases the customer’s own live hold once; others, expired or unknown are no-ops', () => {
    const h1 = held('h1', 'c1', '09:00', '09:30');
    calendar()
      .given([h1])
      .when(releaseHold())
      .thenEmits([holdReleased('h1', 'released')]);
    calendar()
      .given([h1, holdReleased('h1', 'released')])
      .when(releaseHold())
      .thenEmits([]);
    calendar().given([h1]).when(releaseHold('c2')).thenEmits([]);
    calendar('08:05').given([h1]).when(releaseHold()).thenEmits([]);
    calendar().given([]).when(releaseHold()).thenEmits([]);
    calendar()
      .given([h1, holdReleased('h1', 'released')])
      .when(holdSlot('h2', 'c2', '09:00', '09:30'))
      .thenEmits([held('h2', 'c2', '09:00', '09:30')]);
  });
});
