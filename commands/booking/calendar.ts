import type pg from 'pg';
import { isoWeekDates } from '../../domain/booking/availability.js';
import { type CalendarCommand, type CalendarContext, calendarDecider } from '../../domain/booking/calendar.js';
import { calendarStream } from '../../domain/booking/calendar-events.js';
import { providerBookingsOnDays } from '../../projections/booking/booking-lookups.js';
import type { EventStore } from '../eventstore/port.js';
import { commandHandler } from '../handler.js';

/**
 * The day calendars `calendar-<providerId>-<date>`. The weekly limit spans seven streams: the
 * other six days are counted from the read model, so two bookings on different days of one week
 * racing for the last weekly place may both pass (the daily limit, inside one stream, is exact).
 */
export function calendarCommands(deps: { store: EventStore; clock: () => Date; pool: pg.Pool }) {
  return commandHandler(deps, {
    decider: calendarDecider,
    stream: (command: CalendarCommand) => calendarStream(command.providerId, command.date),
    context: async (command, base): Promise<CalendarContext> => {
      if (command.type !== 'BookSlot' || command.weeklyLimit === null) return { ...base, bookingsElsewhereThisWeek: 0 };
      const otherDays = isoWeekDates(command.date).filter((day) => day !== command.date);
      return {
        ...base,
        bookingsElsewhereThisWeek: await providerBookingsOnDays(deps.pool, command.providerId, otherDays),
      };
    },
  });
}

export type CalendarCommands = ReturnType<typeof calendarCommands>;
