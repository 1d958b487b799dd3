import type pg from 'pg';
import { type BookingCommand, bookingDecider } from '../../domain/booking/booking.js';
import { bookingStream } from '../../domain/booking/booking-events.js';
import type { EventStore } from '../eventstore/port.js';
import { commandHandler } from '../handler.js';
import { calendarCommands } from './calendar.js';

/** The two aggregates a booking touches: its own stream and its provider's day calendars. */
export function bookingHandlers(deps: { store: EventStore; clock: () => Date; pool: pg.Pool }) {
  return {
    calendar: calendarCommands(deps),
    booking: commandHandler(deps, {
      decider: bookingDecider,
      stream: (command: BookingCommand) =>
        bookingStream(command.type === 'RequestBooking' ? command.request.bookingId : command.bookingId),
    }),
  };
}

export type BookingHandlers = ReturnType<typeof bookingHandlers>;
