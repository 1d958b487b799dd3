import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TakenHold } from '../../commands/booking/holds.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { listBookings } from '../../projections/booking/bookings-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';
import { bookingView, instant, rangeOf, uuid } from './booking-schemas.js';

const slot = z.object({ start: z.string(), end: z.string() });
const holdView = z.object({
  holdId: z.string(),
  providerId: z.string(),
  start: z.string(),
  end: z.string(),
  expiresAt: z.string(),
});
const rangeQuery = z.object({ from: instant.optional(), to: instant.optional() });
const idParams = z.object({ id: uuid });

/** Free slots (cached, pushed as `slots.changed` to sockets watching a calendar), holds, provider calendars. */
export function bookingSlotRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool, bookings, clock } = services;
  const signedIn = { onRequest: app.requires() };
  const tags = ['slots'];
  const me = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';
  /** A hold is answered once the read model shows it, so the next slot query leaves it out. */
  const settled = async ({ hold, position }: TakenHold) => {
    bookings.slots.invalidate(hold.providerId);
    if (position !== null) await waitForProjection(pool, 'bookings', position, 2000);
    return hold;
  };

  api.get(
    '/api/v1/providers/:id/slots',
    {
      schema: {
        tags,
        summary: "An expert's free slots for a service, or (no service) a sales staff member's viewing slots",
        params: idParams,
        querystring: rangeQuery.extend({ service: z.string().min(1).max(64).optional() }),
        response: {
          200: envelopeOf(
            z.object({
              providerId: z.string(),
              timeZone: z.string(),
              durationMinutes: z.number(),
              slots: z.array(slot),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { from, to } = rangeOf(request.query, clock());
      return ok(await bookings.slots.providerSlots(request.params.id, request.query.service ?? null, from, to));
    },
  );

  api.get(
    '/api/v1/listings/:id/viewing-slots',
    {
      schema: {
        tags,
        summary: "A listing's viewing slots: times when a sales staff member covering its area is free",
        params: idParams,
        querystring: rangeQuery,
        response: {
          200: envelopeOf(
            z.object({
              listingId: z.string(),
              durationMinutes: z.number(),
              slots: z.array(slot.extend({ freeStaff: z.number().int() })),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { from, to } = rangeOf(request.query, clock());
      return ok(await bookings.slots.viewingSlots(request.params.id, from, to));
    },
  );

  api.post(
    '/api/v1/providers/:id/holds',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Hold an expert slot for 5 minutes while the booking form is completed',
        params: idParams,
        body: z.object({ serviceId: z.string().min(1).max(64), start: instant }),
        response: { 201: envelopeOf(holdView) },
      },
    },
    async (request, reply) => {
      const taken = await bookings.holds.holdConsultation(
        { expertId: request.params.id, serviceId: request.body.serviceId, start: new Date(request.body.start) },
        me(request),
        commandMetadataOf(request),
      );
      return reply.status(201).send(ok(await settled(taken), 'Đã giữ chỗ trong 5 phút'));
    },
  );

  api.post(
    '/api/v1/listings/:id/viewing-holds',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Hold a viewing slot for 5 minutes (with the staff member the booking would be assigned to)',
        params: idParams,
        body: z.object({ start: instant }),
        response: { 201: envelopeOf(holdView) },
      },
    },
    async (request, reply) => {
      const taken = await bookings.holds.holdViewing(
        { listingId: request.params.id, start: new Date(request.body.start) },
        me(request),
        commandMetadataOf(request),
      );
      return reply.status(201).send(ok(await settled(taken), 'Đã giữ chỗ trong 5 phút'));
    },
  );

  api.delete(
    '/api/v1/holds/:id',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Give a hold back',
        params: idParams,
        response: { 200: envelopeOf(z.object({ holdId: z.string() })) },
      },
    },
    async (request) => {
      await bookings.holds.release(request.params.id, me(request), commandMetadataOf(request));
      return ok({ holdId: request.params.id }, 'Đã bỏ giữ chỗ');
    },
  );

  api.get(
    '/api/v1/providers/:id/calendar',
    {
      ...signedIn,
      schema: {
        tags,
        summary: "A provider's bookings in a range (day/week/month views): the provider themself or operators",
        params: idParams,
        querystring: rangeQuery,
        response: { 200: envelopeOf(z.object({ providerId: z.string(), bookings: z.array(bookingView) })) },
      },
    },
    async (request) => {
      const operator = request.actor?.roles.some((r) => r === 'operator' || r === 'admin') ?? false;
      if (!operator && me(request) !== request.params.id) throw notFound('PROVIDER_NOT_FOUND', 'Không tìm thấy lịch');
      const { from, to } = rangeOf(request.query, clock());
      const list = await listBookings(
        pool,
        { role: 'operator' },
        { providerId: request.params.id, from, to, limit: 200, offset: 0 },
      );
      return ok({ providerId: request.params.id, bookings: list });
    },
  );
}
