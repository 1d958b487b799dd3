import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BookingCommand } from '../../domain/booking/booking.js';
import type { BookingRequestedData } from '../../domain/booking/booking-events.js';
import { DomainError, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import {
  type BookingScope,
  bookingConflicts,
  bookingOfRequest,
  getBooking,
  listBookings,
  visibleTo,
} from '../../projections/booking/bookings-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf, idempotencyKeyOf } from '../request-metadata.js';
import {
  bookingEnvelope,
  bookingRequestBody,
  bookingView,
  instant,
  listQuery,
  reason,
  resultBody,
  scopeOf,
  seriesEnvelope,
  uuid,
} from './booking-schemas.js';

const idParams = z.object({ id: uuid });
type LifecycleCommand = Exclude<BookingCommand, { type: 'RequestBooking' }>;

/** Bookings (UC-CUST-03, UC-SALE-02/03/05, UC-PROJ-02, UC-OPER-03, UC-GEN-04): request, lists per role, lifecycle. */
export function bookingRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool, bookings } = services;
  const signedIn = { onRequest: app.requires() };
  const tags = ['bookings'];
  const me = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';

  const settled = async (position: bigint | null) => {
    if (position !== null) await waitForProjection(pool, 'bookings', position, 2000);
  };
  const current = async (id: string) => {
    const booking = await getBooking(pool, id);
    if (!booking) throw notFound('BOOKING_NOT_FOUND', 'Không tìm thấy lịch hẹn');
    return booking;
  };
  /** A person who is not a party sees 404, not 403: booking ids are not to be probed. */
  const ofParty = async (request: FastifyRequest, id: string) => {
    const booking = await current(id);
    const actor = request.actor;
    const roles: BookingScope['role'][] = ['customer', 'sales', 'expert', 'owner'];
    const operator = actor?.roles.some((r) => r === 'operator' || r === 'admin') ?? false;
    const party = operator || roles.some((role) => visibleTo(booking, { role, userId: me(request) } as BookingScope));
    if (!party) throw notFound('BOOKING_NOT_FOUND', 'Không tìm thấy lịch hẹn');
    return booking;
  };

  api.post(
    '/api/v1/bookings',
    {
      onRequest: app.requires('booking:create'),
      schema: {
        tags,
        summary: 'Request a viewing or a consultation (Idempotency-Key required; `weeks` books a weekly series)',
        body: bookingRequestBody,
        response: { 201: z.union([bookingEnvelope, seriesEnvelope]) },
      },
    },
    async (request, reply) => {
      idempotencyKeyOf(request);
      const body = request.body;
      const metadata = commandMetadataOf(request);
      const start = new Date(body.start);
      if (body.kind === 'consultation' && body.weeks !== undefined) {
        const { series, position } = await bookings.requestSeries(
          { ...body, start, weeks: body.weeks },
          me(request),
          metadata,
        );
        await settled(position);
        return reply.status(201).send(ok(series, 'Đã xử lý yêu cầu đặt lịch định kỳ'));
      }
      const result =
        body.kind === 'viewing'
          ? await bookings.requestViewing({ ...body, start }, me(request), metadata)
          : await bookings.requestConsultation({ ...body, start }, me(request), metadata);
      await settled(result.position);
      const requested = result.events.find((e) => e.type === 'BookingRequested')?.data as BookingRequestedData;
      const booking = (await getBooking(pool, requested.bookingId)) ?? bookingOfRequest(requested, services.clock());
      if (booking.providerId) bookings.slots.invalidate(booking.providerId);
      return reply.status(201).send(ok(booking, 'Đã gửi yêu cầu đặt lịch'));
    },
  );

  api.get(
    '/api/v1/bookings',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Bookings in a role: customer own, sales assigned, expert own, owner their projects, operator all',
        querystring: listQuery,
        response: { 200: envelopeOf(z.array(bookingView)) },
      },
    },
    async (request) => {
      const q = request.query;
      const scope = scopeOf(request, q.role);
      return ok(
        await listBookings(pool, scope, {
          ...(q.status && { status: q.status }),
          ...(q.kind && { kind: q.kind }),
          ...(q.from && { from: new Date(q.from) }),
          ...(q.to && { to: new Date(q.to) }),
          ...(q.listingId && { listingId: q.listingId }),
          ...(q.projectId && { projectId: q.projectId }),
          ...(q.providerId && { providerId: q.providerId }),
          unassigned: q.unassigned === 'true',
          limit: q.limit,
          offset: q.offset,
        }),
      );
    },
  );

  api.get(
    '/api/v1/bookings/conflicts',
    {
      onRequest: app.requires('booking:assign'),
      schema: {
        tags,
        summary: "Operators' board: active bookings overlapping for one provider or one customer",
        response: {
          200: envelopeOf(
            z.array(
              z.object({
                kind: z.enum(['provider', 'customer']),
                personId: z.string(),
                bookingIds: z.array(z.string()),
                start: z.string(),
              }),
            ),
          ),
        },
      },
    },
    async () => ok(await bookingConflicts(pool)),
  );

  api.get(
    '/api/v1/bookings/:id',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'One booking (its parties and operators)',
        params: idParams,
        response: { 200: bookingEnvelope },
      },
    },
    async (request) => ok(await ofParty(request, request.params.id)),
  );

  const lifecycle = <B extends z.ZodTypeAny>(
    path: string,
    summary: string,
    body: B,
    command: (bookingId: string, body: z.infer<B>) => LifecycleCommand,
    message: string,
    permission?: 'booking:assign',
  ) =>
    api.post(
      `/api/v1/bookings/:id/${path}`,
      {
        onRequest: app.requires(permission),
        schema: { tags, summary, params: idParams, body, response: { 200: bookingEnvelope } },
      },
      async (request) => {
        const before = await ofParty(request, request.params.id);
        const result = await bookings.act(
          command(before.bookingId, request.body as z.infer<B>),
          commandMetadataOf(request),
        );
        await settled(result.position);
        const after = await current(before.bookingId);
        for (const providerId of new Set([before.providerId, after.providerId]))
          if (providerId) bookings.slots.invalidate(providerId);
        return ok(after, message);
      },
    );

  const none = z.object({}).strict().default({});
  lifecycle(
    'confirm',
    'Provider (or operator) confirms a requested booking',
    none,
    (bookingId) => ({ type: 'ConfirmBooking', bookingId }),
    'Đã xác nhận lịch hẹn',
  );
  lifecycle(
    'approve',
    'Owner approves a viewing awaiting approval (UC-PROJ-02)',
    none,
    (bookingId) => ({ type: 'ApproveBooking', bookingId }),
    'Đã duyệt lịch hẹn',
  );
  lifecycle(
    'reject',
    'Owner, provider or operator rejects with a reason',
    z.object({ reason }),
    (bookingId, b) => ({ type: 'RejectBooking', bookingId, reason: b.reason }),
    'Đã từ chối lịch hẹn',
  );
  lifecycle(
    'cancel',
    'Cancel (customer: until the deadline; others as the system)',
    z.object({ reason }),
    (bookingId, b) => ({ type: 'CancelBooking', bookingId, reason: b.reason }),
    'Đã hủy lịch hẹn',
  );
  lifecycle(
    'reschedule',
    'Move to a new start (same duration); the new time is taken before the old one is freed',
    z.object({ start: instant, reason: z.string().trim().max(500).nullable().default(null) }),
    (bookingId, b) => ({
      type: 'RescheduleBooking',
      bookingId,
      start: new Date(b.start),
      end: new Date(0),
      reason: b.reason,
    }),
    'Đã đổi lịch hẹn',
  );
  lifecycle(
    'no-show',
    'The customer did not come',
    none,
    (bookingId) => ({ type: 'MarkNoShow', bookingId }),
    'Đã ghi nhận khách không đến',
  );
  lifecycle(
    'missed',
    'The provider did not come',
    z.object({ reason: z.string().trim().max(500).nullable().default(null) }),
    (bookingId, b) => ({ type: 'MarkMissed', bookingId, reason: b.reason }),
    'Đã ghi nhận người phụ trách vắng mặt',
  );
  lifecycle(
    'complete',
    'Mark a confirmed booking completed after its end',
    none,
    (bookingId) => ({ type: 'CompleteBooking', bookingId }),
    'Đã hoàn thành lịch hẹn',
  );
  lifecycle(
    'result',
    'Viewing result report by the staff (UC-SALE-05)',
    resultBody,
    (bookingId, b) => ({ type: 'ReportViewingResult', bookingId, outcome: b.outcome, note: b.note }),
    'Đã lưu kết quả cuộc hẹn',
  );
  lifecycle(
    'assign',
    'Operator assigns or reassigns the sales staff member (conflict-checked)',
    z.object({ staffId: uuid }),
    (bookingId, b) => ({ type: 'AssignStaff', bookingId, staffId: b.staffId, reason: 'operator' }),
    'Đã phân công nhân viên',
    'booking:assign',
  );

  api.post(
    '/api/v1/bookings/series/:id/cancel',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Cancel every remaining occurrence of a recurring series',
        params: idParams,
        body: z.object({ reason }),
        response: {
          200: envelopeOf(
            z.object({
              cancelled: z.array(z.string()),
              refused: z.array(z.object({ bookingId: z.string(), code: z.string() })),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { rows } = await pool.query<{ id: string }>(
        `select id from rm.bookings where series_id = $1 and status in ('requested', 'awaiting_approval', 'confirmed', 'rescheduled')
            and start_at > now() order by start_at`,
        [request.params.id],
      );
      const cancelled: string[] = [];
      const refused: { bookingId: string; code: string }[] = [];
      for (const { id } of rows) {
        await ofParty(request, id);
        try {
          const result = await bookings.act(
            { type: 'CancelBooking', bookingId: id, reason: request.body.reason },
            commandMetadataOf(request),
          );
          await settled(result.position);
          cancelled.push(id);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          refused.push({ bookingId: id, code: error.code });
        }
      }
      return ok({ cancelled, refused }, 'Đã hủy các buổi còn lại');
    },
  );
}
