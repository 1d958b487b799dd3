import type pg from 'pg';
import { fitsAvailability, localDateOf } from '../../domain/booking/availability.js';
import { BOOKING_POLICY, VIEWING_SLOT_POLICY } from '../../domain/booking/policy.js';
import { conflict, DomainError, notFound } from '../../domain/shared/errors.js';
import { viewingTarget } from '../../projections/booking/booking-lookups.js';
import type { CommandMetadata } from '../metadata.js';
import { rankStaff } from './assignment.js';
import type { BookingHandlers } from './booking-handlers.js';
import { timingProblem } from './booking-requests.js';
import type { BookableProvider, ProviderDirectory } from './providers.js';

const MINUTE = 60_000;

export interface HoldView {
  holdId: string;
  providerId: string;
  start: string;
  end: string;
  expiresAt: string;
}

/** A hold as taken: the view, and where its event stands (routes wait for the read model to reach it). */
export interface TakenHold {
  hold: HoldView;
  position: bigint | null;
}

/**
 * Choosing a slot holds it for `holdMinutes` (SRS UC-CUST-03 "slot locking") while the customer
 * completes the form; the hold expires by itself, a new hold of the same customer on that day
 * replaces the old one, and the booking that follows takes it over.
 */
export function slotHolds(deps: {
  pool: pg.Pool;
  clock: () => Date;
  providers: ProviderDirectory;
  handlers: BookingHandlers;
}) {
  const { pool, clock, providers, handlers } = deps;

  async function holdWith(
    provider: BookableProvider,
    customerId: string,
    start: Date,
    durationMinutes: number,
    metadata: CommandMetadata,
  ): Promise<TakenHold> {
    const end = new Date(start.getTime() + durationMinutes * MINUTE);
    const holdId = crypto.randomUUID();
    const expiresAt = new Date(clock().getTime() + BOOKING_POLICY.holdMinutes * MINUTE);
    const result = await handlers.calendar(
      {
        type: 'HoldSlot',
        providerId: provider.providerId,
        date: localDateOf(start, provider.schedule.timeZone),
        holdId,
        customerId,
        start,
        end,
        bufferBeforeMinutes: provider.policy.bufferBeforeMinutes,
        bufferAfterMinutes: provider.policy.bufferAfterMinutes,
        expiresAt,
        dailyLimit: provider.policy.dailyLimit,
      },
      metadata,
    );
    const hold: HoldView = {
      holdId,
      providerId: provider.providerId,
      start: start.toISOString(),
      end: end.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    return { hold, position: result.position };
  }

  async function holdConsultation(
    input: { expertId: string; serviceId: string; start: Date },
    customerId: string,
    metadata: CommandMetadata,
  ) {
    const offer = await providers.expertOffer(input.expertId, input.serviceId);
    if (!offer) throw notFound('SERVICE_NOT_FOUND', 'Không tìm thấy dịch vụ tư vấn của chuyên gia này');
    const timing = timingProblem(offer.policy, input.start, clock());
    if (timing) throw timing;
    const end = new Date(input.start.getTime() + offer.service.durationMinutes * MINUTE);
    if (!fitsAvailability(offer.schedule, input.start, end))
      throw conflict('SLOT_UNAVAILABLE', 'Chuyên gia không làm việc vào khung giờ này');
    return holdWith(offer, customerId, input.start, offer.service.durationMinutes, metadata);
  }

  /** Holds the slot with the staff member the booking would be assigned to (least loaded and free). */
  async function holdViewing(input: { listingId: string; start: Date }, customerId: string, metadata: CommandMetadata) {
    const target = await viewingTarget(pool, input.listingId);
    if (!target?.visible) throw notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
    const timing = timingProblem(VIEWING_SLOT_POLICY, input.start, clock());
    if (timing) throw timing;
    const end = new Date(input.start.getTime() + VIEWING_SLOT_POLICY.durationMinutes * MINUTE);
    const staff = (await providers.viewingStaff(target)).filter((s) => fitsAvailability(s.schedule, input.start, end));
    for (const candidate of await rankStaff(pool, staff, input.start, null)) {
      try {
        return await holdWith(candidate, customerId, input.start, VIEWING_SLOT_POLICY.durationMinutes, metadata);
      } catch (error) {
        if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      }
    }
    throw conflict('SLOT_TAKEN', 'Khung giờ này không còn nhân viên trống, vui lòng chọn khung giờ khác');
  }

  async function release(holdId: string, customerId: string, metadata: CommandMetadata) {
    const { rows } = await pool.query<{ provider_id: string; day: string }>(
      `select provider_id, to_char(day, 'YYYY-MM-DD') as day from rm.calendar_spans where id = $1 and kind = 'hold' and customer_id = $2`,
      [holdId, customerId],
    );
    const span = rows[0];
    if (!span) return;
    await handlers.calendar(
      { type: 'ReleaseHold', providerId: span.provider_id, date: span.day, holdId, customerId },
      metadata,
    );
  }

  return { holdConsultation, holdViewing, release };
}
