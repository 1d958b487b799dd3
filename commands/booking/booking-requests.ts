import { DateTime } from 'luxon';
import type pg from 'pg';
import { v5 as uuidv5 } from 'uuid';
import { fitsAvailability, localDateOf } from '../../domain/booking/availability.js';
import type { BookingMode, BookingRequestedData } from '../../domain/booking/booking-events.js';
import { BOOKING_POLICY, VIEWING_SLOT_POLICY } from '../../domain/booking/policy.js';
import { DEFAULT_TIME_ZONE, type SlotPolicy } from '../../domain/booking/schedule.js';
import { conflict, DomainError, invalid, notFound } from '../../domain/shared/errors.js';
import { customerOverlaps, requestsSince, viewingTarget } from '../../projections/booking/booking-lookups.js';
import type { CommandMetadata } from '../metadata.js';
import { rankStaff } from './assignment.js';
import type { BookingHandlers } from './booking-handlers.js';
import type { BookableProvider, ProviderDirectory } from './providers.js';

const MINUTE = 60_000;
const BOOKING_ID_NAMESPACE = 'b7a0c1d2-6f0e-4c55-9a1b-3e2d4c5b6a70';

export interface ViewingRequest {
  listingId: string;
  start: Date;
  note: string | null;
  holdId: string | null;
}

export interface ConsultationRequest {
  expertId: string;
  serviceId: string;
  start: Date;
  note: string | null;
  holdId: string | null;
  /** Recurring series: each occurrence names its own booking; only the first counts toward the daily limit. */
  seriesId?: string | null;
  occurrence?: number | null;
  bookingId?: string;
}

/** A retried request (same Idempotency-Key) names the same booking, so its streams are the same. */
export const bookingIdFor = (customerId: string, idempotencyKey: string | null) =>
  idempotencyKey === null ? crypto.randomUUID() : uuidv5(`${customerId}\u0000${idempotencyKey}`, BOOKING_ID_NAMESPACE);

/** Notice and window of the provider's policy (the calendar decides only overlaps and limits). */
export function timingProblem(policy: SlotPolicy, start: Date, now: Date): DomainError | null {
  if (start.getTime() < now.getTime() + policy.minimumNoticeMinutes * MINUTE) {
    return invalid('SLOT_TOO_SOON', `Cần đặt trước ít nhất ${policy.minimumNoticeMinutes} phút`, 'start');
  }
  if (start.getTime() > now.getTime() + policy.bookingWindowDays * 86_400_000) {
    return invalid('SLOT_TOO_FAR', `Chỉ có thể đặt trong vòng ${policy.bookingWindowDays} ngày tới`, 'start');
  }
  return null;
}

/**
 * Creating bookings. Order of writes: the provider's day calendar first (the decision that no
 * one else has that time), then the booking stream. A crash between the two leaves a calendar
 * span without a booking; the `booking-calendar-sweep` job releases it.
 */
export function bookingRequests(deps: {
  pool: pg.Pool;
  clock: () => Date;
  providers: ProviderDirectory;
  handlers: BookingHandlers;
}) {
  const { pool, clock, providers, handlers } = deps;

  /** Customer-side limits, checked against the read model (a race is compensated, see booking-reactions.ts). */
  async function customerChecks(customerId: string, start: Date, end: Date, countsAsNewRequest = true) {
    if (countsAsNewRequest) await dailyLimit(customerId);
    const overlaps = await customerOverlaps(pool, customerId, start, end);
    if (overlaps.length > 0) {
      throw conflict('BOOKING_OVERLAPS_YOURS', 'Bạn đã có một lịch hẹn khác trùng thời gian này', {
        bookingId: overlaps[0]?.id,
      });
    }
  }

  async function dailyLimit(customerId: string) {
    const dayStart = DateTime.fromJSDate(clock(), { zone: DEFAULT_TIME_ZONE }).startOf('day').toJSDate();
    if ((await requestsSince(pool, customerId, dayStart)) >= BOOKING_POLICY.dailyRequestsPerCustomer) {
      throw new DomainError(
        'too_many',
        'BOOKING_DAILY_LIMIT',
        `Mỗi ngày chỉ được tạo tối đa ${BOOKING_POLICY.dailyRequestsPerCustomer} yêu cầu đặt lịch`,
      );
    }
  }

  async function bookCalendar(
    provider: BookableProvider,
    bookingId: string,
    customerId: string,
    start: Date,
    end: Date,
    holdId: string | null,
    metadata: CommandMetadata,
  ) {
    const { policy } = provider;
    return handlers.calendar(
      {
        type: 'BookSlot',
        providerId: provider.providerId,
        date: localDateOf(start, provider.schedule.timeZone),
        bookingId,
        customerId,
        start,
        end,
        bufferBeforeMinutes: policy.bufferBeforeMinutes,
        bufferAfterMinutes: policy.bufferAfterMinutes,
        holdId,
        dailyLimit: policy.dailyLimit,
        weeklyLimit: policy.weeklyLimit,
      },
      metadata,
    );
  }

  async function heldProvider(holdId: string | null): Promise<string | null> {
    if (holdId === null) return null;
    const { rows } = await pool.query<{ provider_id: string }>(
      `select provider_id from rm.calendar_spans where id = $1 and kind = 'hold'`,
      [holdId],
    );
    return rows[0]?.provider_id ?? null;
  }

  async function requestViewing(input: ViewingRequest, customerId: string, metadata: CommandMetadata) {
    const target = await viewingTarget(pool, input.listingId);
    if (!target?.visible) throw notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
    if (target.ownerId === customerId)
      throw conflict('BOOKING_OWN_LISTING', 'Không thể đặt lịch xem tin đăng của chính bạn');
    const end = new Date(input.start.getTime() + VIEWING_SLOT_POLICY.durationMinutes * MINUTE);
    const timing = timingProblem(VIEWING_SLOT_POLICY, input.start, clock());
    if (timing) throw timing;
    const staff = await providers.viewingStaff(target);
    await customerChecks(customerId, input.start, end);

    const bookingId = bookingIdFor(customerId, metadata.idempotencyKey);
    const covering = staff.filter((s) => s.providerId !== customerId && fitsAvailability(s.schedule, input.start, end));
    let assigned: BookableProvider | null = null;
    for (const candidate of await rankStaff(pool, covering, input.start, await heldProvider(input.holdId))) {
      try {
        await bookCalendar(candidate, bookingId, customerId, input.start, end, input.holdId, metadata);
        assigned = candidate;
        break;
      } catch (error) {
        if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      }
    }
    const request: BookingRequestedData = {
      bookingId,
      kind: 'viewing',
      status: target.requiresOwnerApproval ? 'awaiting_approval' : 'requested',
      customerId,
      providerId: assigned?.providerId ?? null,
      listingId: target.listingId,
      projectId: target.projectId,
      ownerId: target.ownerId,
      areaId: target.areaId,
      serviceId: null,
      serviceName: null,
      feeVnd: 0,
      mode: 'offline',
      address: target.address,
      note: input.note,
      start: input.start.toISOString(),
      end: end.toISOString(),
      timeZone: DEFAULT_TIME_ZONE,
      bufferBeforeMinutes: assigned?.policy.bufferBeforeMinutes ?? 0,
      bufferAfterMinutes: assigned?.policy.bufferAfterMinutes ?? 0,
      paymentDueAt: null,
      seriesId: null,
      occurrence: null,
    };
    return handlers.booking({ type: 'RequestBooking', request }, metadata);
  }

  async function requestConsultation(input: ConsultationRequest, customerId: string, metadata: CommandMetadata) {
    const offer = await providers.expertOffer(input.expertId, input.serviceId);
    if (!offer) throw notFound('SERVICE_NOT_FOUND', 'Không tìm thấy dịch vụ tư vấn của chuyên gia này');
    if (offer.providerId === customerId) throw conflict('BOOKING_OWN_SERVICE', 'Không thể tự đặt lịch với chính mình');
    const end = new Date(input.start.getTime() + offer.service.durationMinutes * MINUTE);
    const now = clock();
    const timing = timingProblem(offer.policy, input.start, now);
    if (timing) throw timing;
    if (!fitsAvailability(offer.schedule, input.start, end)) {
      throw conflict('SLOT_UNAVAILABLE', 'Chuyên gia không làm việc vào khung giờ này');
    }
    await customerChecks(customerId, input.start, end, (input.occurrence ?? 0) === 0);
    const bookingId = input.bookingId ?? bookingIdFor(customerId, metadata.idempotencyKey);
    await bookCalendar(offer, bookingId, customerId, input.start, end, input.holdId, metadata);
    const paid = offer.service.feeVnd > 0;
    const mode: BookingMode = offer.service.mode;
    const request: BookingRequestedData = {
      bookingId,
      kind: 'consultation',
      status: !paid && offer.autoConfirm ? 'confirmed' : 'requested',
      customerId,
      providerId: offer.providerId,
      listingId: null,
      projectId: null,
      ownerId: null,
      areaId: null,
      serviceId: offer.service.id,
      serviceName: offer.service.name,
      feeVnd: offer.service.feeVnd,
      mode,
      address: offer.service.address,
      note: input.note,
      start: input.start.toISOString(),
      end: end.toISOString(),
      timeZone: offer.schedule.timeZone,
      bufferBeforeMinutes: offer.policy.bufferBeforeMinutes,
      bufferAfterMinutes: offer.policy.bufferAfterMinutes,
      paymentDueAt: paid ? new Date(now.getTime() + BOOKING_POLICY.paymentWindowMinutes * MINUTE).toISOString() : null,
      seriesId: input.seriesId ?? null,
      occurrence: input.occurrence ?? null,
    };
    return handlers.booking({ type: 'RequestBooking', request }, metadata);
  }

  return { requestViewing, requestConsultation };
}
