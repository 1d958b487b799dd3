import { fitsAvailability, localDateOf } from '../../domain/booking/availability.js';
import { type BookingCommand, type BookingState, bookingDecider } from '../../domain/booking/booking.js';
import { bookingStream, isActiveStatus } from '../../domain/booking/booking-events.js';
import type { DecisionContext } from '../../domain/shared/decider.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { conflict, notFound } from '../../domain/shared/errors.js';
import type { EventStore } from '../eventstore/port.js';
import { currentState } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';
import type { BookingHandlers } from './booking-handlers.js';
import { timingProblem } from './booking-requests.js';
import type { BookableProvider, ProviderDirectory } from './providers.js';

type LifecycleCommand = Exclude<BookingCommand, { type: 'RequestBooking' }>;

/**
 * Changes to an existing booking, with their effect on the providers' day calendars. A change that
 * needs new time takes it first (the calendar decides), then records the booking's change, then
 * frees the old time; if the booking refuses, the new time is given back. Where a crash could leave
 * a calendar span the booking no longer uses, `booking-calendar-sweep` releases it.
 */
export function bookingLifecycle(deps: {
  store: EventStore;
  clock: () => Date;
  providers: ProviderDirectory;
  handlers: BookingHandlers;
}) {
  const { store, clock, providers, handlers } = deps;

  const load = async (bookingId: string) => {
    const state = await currentState(store, bookingStream(bookingId), bookingDecider);
    if (!state.exists) throw notFound('BOOKING_NOT_FOUND', 'Không tìm thấy lịch hẹn');
    return state;
  };

  /** Runs the decider once on the current state so refusals come before any calendar write. */
  const precheck = (command: LifecycleCommand, state: BookingState, metadata: CommandMetadata) => {
    const context: DecisionContext = {
      now: clock(),
      actorId: metadata.actAsId ?? metadata.actorId,
      roles: metadata.roles,
    };
    const decision = bookingDecider.decide(command, state, context);
    if (isDomainError(decision)) throw decision;
  };

  /** The booking's provider as it is now (availability and policy), or null for an expert no longer bookable. */
  async function providerOf(state: BookingState, providerId: string): Promise<BookableProvider | null> {
    if (state.kind === 'viewing') return providers.salesStaff(providerId);
    return state.serviceId === null ? null : providers.expertOffer(providerId, state.serviceId);
  }

  const release = (
    providerId: string,
    start: Date,
    state: BookingState,
    reason: string,
    metadata: CommandMetadata,
    bookingId: string,
  ) =>
    handlers.calendar(
      { type: 'ReleaseSlot', providerId, date: localDateOf(start, state.timeZone), bookingId, reason },
      metadata,
    );

  const bookSpan = (
    provider: BookableProvider,
    state: BookingState,
    bookingId: string,
    start: Date,
    end: Date,
    metadata: CommandMetadata,
  ) =>
    handlers.calendar(
      {
        type: 'BookSlot',
        providerId: provider.providerId,
        date: localDateOf(start, state.timeZone),
        bookingId,
        customerId: state.customerId,
        start,
        end,
        bufferBeforeMinutes: provider.policy.bufferBeforeMinutes,
        bufferAfterMinutes: provider.policy.bufferAfterMinutes,
        holdId: null,
        dailyLimit: provider.policy.dailyLimit,
        weeklyLimit: provider.policy.weeklyLimit,
      },
      metadata,
    );

  async function reschedule(
    command: Extract<LifecycleCommand, { type: 'RescheduleBooking' }>,
    state: BookingState,
    metadata: CommandMetadata,
  ) {
    if (state.providerId === null) return handlers.booking(command, metadata);
    const provider = await providerOf(state, state.providerId);
    if (!provider) throw conflict('PROVIDER_UNAVAILABLE', 'Người phụ trách lịch hẹn hiện không nhận lịch');
    const timing = timingProblem(provider.policy, command.start, clock());
    if (timing) throw timing;
    if (!fitsAvailability(provider.schedule, command.start, command.end)) {
      throw conflict('SLOT_UNAVAILABLE', 'Người phụ trách không làm việc vào khung giờ mới');
    }
    const { bookingId } = command;
    const oldDate = localDateOf(state.start, state.timeZone);
    const newDate = localDateOf(command.start, state.timeZone);
    if (oldDate === newDate) {
      const move = { type: 'MoveBooking' as const, providerId: provider.providerId, date: newDate, bookingId };
      await handlers.calendar({ ...move, start: command.start, end: command.end }, metadata);
      try {
        return await handlers.booking(command, metadata);
      } catch (error) {
        await handlers.calendar({ ...move, start: state.start, end: state.end }, metadata);
        throw error;
      }
    }
    await bookSpan(provider, state, bookingId, command.start, command.end, metadata);
    try {
      const result = await handlers.booking(command, metadata);
      const released = await release(provider.providerId, state.start, state, 'rescheduled', metadata, bookingId);
      return { ...result, position: released.position ?? result.position };
    } catch (error) {
      await release(provider.providerId, command.start, state, 'reschedule_refused', metadata, bookingId);
      throw error;
    }
  }

  async function assign(
    command: Extract<LifecycleCommand, { type: 'AssignStaff' }>,
    state: BookingState,
    metadata: CommandMetadata,
  ) {
    if (state.providerId === command.staffId) return handlers.booking(command, metadata);
    const staff = await providers.salesStaff(command.staffId);
    if (!staff) throw notFound('STAFF_NOT_FOUND', 'Không tìm thấy nhân viên bán hàng đang làm việc');
    await bookSpan(staff, state, command.bookingId, state.start, state.end, metadata);
    try {
      const result = await handlers.booking(command, metadata);
      if (state.providerId !== null)
        await release(state.providerId, state.start, state, 'reassigned', metadata, command.bookingId);
      return result;
    } catch (error) {
      await release(command.staffId, state.start, state, 'assignment_refused', metadata, command.bookingId);
      throw error;
    }
  }

  /** Runs a lifecycle command with its calendar effects; a booking that stops using its time frees it. */
  async function act(asked: LifecycleCommand, metadata: CommandMetadata) {
    const state = await load(asked.bookingId);
    const command: LifecycleCommand =
      asked.type === 'RescheduleBooking' // a booking keeps its duration: the new end follows the new start
        ? { ...asked, end: new Date(asked.start.getTime() + (state.end.getTime() - state.start.getTime())) }
        : asked;
    precheck(command, state, metadata);
    if (command.type === 'RescheduleBooking') return reschedule(command, state, metadata);
    if (command.type === 'AssignStaff') return assign(command, state, metadata);
    const result = await handlers.booking(command, metadata);
    const after = result.events.reduce((s, e) => bookingDecider.evolve(s, e), {
      ...state,
      reminders: new Set(state.reminders),
    });
    const stillUsesTime =
      after.providerId !== null &&
      (isActiveStatus(after.status) || ['completed', 'no_show', 'missed'].includes(after.status));
    if (state.providerId !== null && !stillUsesTime) {
      const released = await release(state.providerId, state.start, state, after.status, metadata, command.bookingId);
      return { ...result, position: released.position ?? result.position };
    }
    return result;
  }

  return { act, load };
}

export type BookingLifecycle = ReturnType<typeof bookingLifecycle>;
