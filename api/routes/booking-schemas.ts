import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BOOKING_KINDS, BOOKING_STATUSES, VIEWING_OUTCOMES } from '../../domain/booking/booking-events.js';
import { invalid } from '../../domain/shared/errors.js';
import type { BookingScope } from '../../projections/booking/bookings-queries.js';
import { envelopeOf } from '../envelope.js';

export const uuid = z.string().uuid();
export const instant = z.string().datetime({ offset: true });
const note = z.string().trim().max(1000).nullable().default(null);
export const reason = z.string().trim().min(1).max(500);

export const viewingRequestBody = z.object({
  kind: z.literal('viewing'),
  listingId: uuid,
  start: instant,
  note,
  holdId: uuid.nullable().default(null),
});

export const consultationRequestBody = z.object({
  kind: z.literal('consultation'),
  expertId: uuid,
  serviceId: z.string().min(1).max(64),
  start: instant,
  note,
  holdId: uuid.nullable().default(null),
  /** Weekly × N (2–12): a recurring series. */
  weeks: z.number().int().min(2).max(12).optional(),
});

export const bookingRequestBody = z.discriminatedUnion('kind', [viewingRequestBody, consultationRequestBody]);

export const bookingView = z.object({
  bookingId: z.string(),
  kind: z.enum(BOOKING_KINDS),
  status: z.enum(BOOKING_STATUSES),
  customerId: z.string(),
  customerName: z.string().nullable(),
  providerId: z.string().nullable(),
  providerName: z.string().nullable(),
  listingId: z.string().nullable(),
  listingTitle: z.string().nullable(),
  projectId: z.string().nullable(),
  ownerId: z.string().nullable(),
  areaId: z.string().nullable(),
  serviceId: z.string().nullable(),
  serviceName: z.string().nullable(),
  feeVnd: z.number().int(),
  mode: z.string(),
  address: z.string().nullable(),
  note: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  timeZone: z.string(),
  paymentDueAt: z.string().nullable(),
  paid: z.boolean(),
  outcome: z.string().nullable(),
  outcomeNote: z.string().nullable(),
  reason: z.string().nullable(),
  seriesId: z.string().nullable(),
  occurrence: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const bookingEnvelope = envelopeOf(bookingView);

export const seriesEnvelope = envelopeOf(
  z.object({
    seriesId: z.string(),
    occurrences: z.array(
      z.object({
        occurrence: z.number().int(),
        start: z.string(),
        bookingId: z.string().nullable(),
        error: z.object({ code: z.string(), message: z.string() }).nullable(),
      }),
    ),
  }),
);

export const listQuery = z.object({
  role: z.enum(['customer', 'sales', 'expert', 'owner', 'operator']).optional(),
  status: z
    .string()
    .transform((value) => value.split(',').filter(Boolean))
    .pipe(z.array(z.enum(BOOKING_STATUSES)))
    .optional(),
  kind: z.enum(BOOKING_KINDS).optional(),
  from: instant.optional(),
  to: instant.optional(),
  listingId: uuid.optional(),
  projectId: uuid.optional(),
  providerId: uuid.optional(),
  unassigned: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});

export const resultBody = z.object({
  outcome: z.enum(VIEWING_OUTCOMES),
  note: z.string().trim().max(2000).nullable().default(null),
});

/** `from`/`to` of a slot or calendar query: defaults to the next 7 days, at most 62 days. */
export function rangeOf(query: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const from = query.from ? new Date(query.from) : now;
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + 7 * 86_400_000);
  if (to <= from) throw invalid('RANGE_INVALID', '`to` phải sau `from`', 'to');
  if (to.getTime() - from.getTime() > 62 * 86_400_000)
    throw invalid('RANGE_TOO_LONG', 'Khoảng thời gian tối đa 62 ngày', 'to');
  return { from, to };
}

/** The list scope of the request: the role asked for (one the user holds), else the active role. */
export function scopeOf(request: FastifyRequest, asked: BookingScope['role'] | undefined): BookingScope {
  const actor = request.actor;
  if (!actor) throw invalid('SIGN_IN_REQUIRED', 'Vui lòng đăng nhập', 'role');
  const userId = actor.actAsId ?? actor.id;
  const role = asked ?? (actor.activeRole === 'admin' ? 'operator' : actor.activeRole);
  const staff = actor.roles.some((r) => r === 'operator' || r === 'admin');
  // An operator acting as a user (X-Act-As) may see any of that user's views.
  const holds = role === 'operator' || actor.actAsId !== null ? staff : actor.roles.includes(role);
  if (!holds) throw invalid('ROLE_NOT_HELD', `Bạn không có vai trò ${role}`, 'role');
  return role === 'operator' ? { role } : { role, userId };
}
