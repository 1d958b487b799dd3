import { DateTime } from 'luxon';
import type pg from 'pg';
import { v5 as uuidv5 } from 'uuid';
import { DEFAULT_TIME_ZONE } from '../../domain/booking/schedule.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { EventStore } from '../eventstore/port.js';
import type { CommandMetadata } from '../metadata.js';
import { bookingHandlers } from './booking-handlers.js';
import { bookingLifecycle } from './booking-lifecycle.js';
import { bookingIdFor, bookingRequests, type ConsultationRequest } from './booking-requests.js';
import { slotHolds } from './holds.js';
import type { ProviderDirectory } from './providers.js';
import { slotFinder } from './slot-finder.js';

const SERIES_NAMESPACE = '0c9f3a51-2e4b-4f8a-8d6c-7b1e5a2f9c34';

export interface SeriesOccurrence {
  occurrence: number;
  start: string;
  bookingId: string | null;
  error: { code: string; message: string } | null;
}

/** The booking engine's write side and slot queries, wired together. */
export function bookingService(deps: {
  store: EventStore;
  pool: pg.Pool;
  clock: () => Date;
  providers: ProviderDirectory;
}) {
  const handlers = bookingHandlers(deps);
  const requests = bookingRequests({ ...deps, handlers });
  const lifecycle = bookingLifecycle({ ...deps, handlers });

  /**
   * Weekly × N consultations: every occurrence is booked on its own (each can conflict), and the
   * answer lists which were booked and which were refused and why. A retry with the same
   * Idempotency-Key names the same bookings.
   */
  async function requestSeries(
    input: ConsultationRequest & { weeks: number },
    customerId: string,
    metadata: CommandMetadata,
  ) {
    const seriesId =
      metadata.idempotencyKey === null
        ? crypto.randomUUID()
        : uuidv5(`${customerId}\u0000${metadata.idempotencyKey}`, SERIES_NAMESPACE);
    const offer = await deps.providers.expertOffer(input.expertId, input.serviceId);
    const first = DateTime.fromJSDate(input.start, { zone: offer?.schedule.timeZone ?? DEFAULT_TIME_ZONE });
    const results: SeriesOccurrence[] = [];
    let position: bigint | null = null;
    for (let occurrence = 0; occurrence < input.weeks; occurrence++) {
      const start = first.plus({ weeks: occurrence }).toJSDate(); // same local time across DST
      const key = metadata.idempotencyKey === null ? null : `${metadata.idempotencyKey}:${occurrence}`;
      const bookingId = bookingIdFor(customerId, key ?? crypto.randomUUID());
      try {
        const booked = await requests.requestConsultation(
          { ...input, start, seriesId, occurrence, bookingId, holdId: occurrence === 0 ? input.holdId : null },
          customerId,
          { ...metadata, idempotencyKey: key },
        );
        position = booked.position ?? position;
        results.push({ occurrence, start: start.toISOString(), bookingId, error: null });
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
        results.push({
          occurrence,
          start: start.toISOString(),
          bookingId: null,
          error: { code: error.code, message: error.message },
        });
      }
    }
    return { series: { seriesId, occurrences: results }, position };
  }

  return {
    ...requests,
    requestSeries,
    ...lifecycle,
    holds: slotHolds({ ...deps, handlers }),
    slots: slotFinder(deps),
    handlers,
  };
}

export type BookingService = ReturnType<typeof bookingService>;
