import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ShiftCommand } from '../../domain/booking/shifts.js';
import type { Permission } from '../../domain/identity/permissions.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { salesRoster, shiftOccurrences, staffShifts } from '../../projections/booking/shifts-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';
import { subjectOf } from './catalog-schemas.js';
import {
  checkRange,
  exceptionParams,
  localDate,
  occurrenceView,
  rangeQuery,
  rosterView,
  shiftBody,
  shiftParams,
  shiftPatch,
  shiftView,
  staffParams,
  weeklyBody,
  weeklyPatch,
  weeklyView,
} from './shift-schemas.js';

interface Scope {
  base: string;
  permission: Permission;
  /** Whose shifts: the signed-in sales member (`/me`), or the `:staffId` an operator names. */
  staffOf(request: FastifyRequest): string;
}

const done = envelopeOf(z.null());
const throwing = (error: Error): never => {
  throw error;
};

/**
 * Work shifts of sales staff (LichLamViec): each sales member manages their own under `/me`
 * (`shift:manage_own`, UC-SALE-01); operators (`shift:manage_all`, UC-OPER-03) manage anyone's
 * under `/staff/:staffId` and see everyone's at `/shifts`. Rules live in domain/booking/shifts.ts.
 */
export function shiftRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;
  const commands = services.commands.shifts;
  const tags = ['shifts'];

  /**
   * Runs a command and waits for the read model (read-your-writes); answers the shift as the write
   * side has it now (a weekly shift changed while under way answers its continuation).
   */
  async function run(request: FastifyRequest, command: ShiftCommand) {
    const result = await commands.handle(command, commandMetadataOf(request));
    if (result.position !== null) await waitForProjection(pool, 'shifts', result.position, 2000);
    const continued = result.events.find((event) => event.type === 'WeeklyShiftAdded');
    const id = continued ? continued.data.shiftId : command.shiftId;
    const state = await commands.load(command.staffId);
    const missing = () => notFound('SHIFT_NOT_FOUND', 'Không tìm thấy ca làm việc');
    return {
      oneOff: () => state.shifts.get(id) ?? throwing(missing()),
      weekly: () => state.weekly.get(id) ?? throwing(missing()),
    };
  }

  function register(scope: Scope) {
    const guard = { onRequest: app.requires(scope.permission) };
    const { base, staffOf } = scope;

    api.get(
      `${base}/shifts`,
      {
        ...guard,
        schema: {
          tags,
          summary: 'Shift occurrences between two dates (inclusive, at most 62 days)',
          params: staffParams,
          querystring: rangeQuery,
          response: { 200: envelopeOf(z.array(occurrenceView)) },
        },
      },
      async (request) => {
        checkRange(request.query);
        return ok(await shiftOccurrences(pool, { staffId: staffOf(request), ...request.query }));
      },
    );

    api.get(
      `${base}/weekly-shifts`,
      {
        ...guard,
        schema: {
          tags,
          summary: 'Weekly shifts still running from a date (all when `from` is not given)',
          params: staffParams,
          querystring: z.object({ from: localDate.optional() }),
          response: { 200: envelopeOf(z.array(weeklyView)) },
        },
      },
      async (request) => ok((await staffShifts(pool, staffOf(request), request.query.from)).weekly),
    );

    api.post(
      `${base}/shifts`,
      {
        ...guard,
        schema: {
          tags,
          summary: 'Add a one-off shift (empty areaIds = the profile areas)',
          params: staffParams,
          body: shiftBody,
          response: { 201: envelopeOf(shiftView) },
        },
      },
      async (request, reply) => {
        const command = { type: 'AddShift' as const, staffId: staffOf(request), shiftId: newIdFor(request) };
        const shift = (await run(request, { ...command, ...request.body })).oneOff();
        return reply.status(201).send(ok(shift, 'Đã thêm ca làm việc'));
      },
    );

    api.patch(
      `${base}/shifts/:id`,
      {
        ...guard,
        schema: {
          tags,
          summary: 'Change date, times or areas',
          params: shiftParams,
          body: shiftPatch,
          response: { 200: envelopeOf(shiftView) },
        },
      },
      async (request) => {
        const command = { type: 'ChangeShift' as const, staffId: staffOf(request), shiftId: request.params.id };
        return ok((await run(request, { ...command, ...request.body })).oneOff(), 'Đã cập nhật ca làm việc');
      },
    );

    api.delete(
      `${base}/shifts/:id`,
      { ...guard, schema: { tags, summary: 'Remove a one-off shift', params: shiftParams, response: { 200: done } } },
      async (request) => {
        await run(request, { type: 'RemoveShift', staffId: staffOf(request), shiftId: request.params.id });
        return ok(null, 'Đã xóa ca làm việc');
      },
    );

    api.post(
      `${base}/weekly-shifts`,
      {
        ...guard,
        schema: {
          tags,
          summary: 'Add a weekly shift (until null = open-ended)',
          params: staffParams,
          body: weeklyBody,
          response: { 201: envelopeOf(weeklyView) },
        },
      },
      async (request, reply) => {
        const command = { type: 'AddWeeklyShift' as const, staffId: staffOf(request), shiftId: newIdFor(request) };
        const shift = (await run(request, { ...command, ...request.body })).weekly();
        return reply.status(201).send(ok(shift, 'Đã thêm ca lặp lại'));
      },
    );

    api.patch(
      `${base}/weekly-shifts/:id`,
      {
        ...guard,
        schema: {
          tags,
          summary:
            'Change times, areas or the last date; a shift already under way ends yesterday and continues ' +
            'from today under a new id (the answer)',
          params: shiftParams,
          body: weeklyPatch,
          response: { 200: envelopeOf(weeklyView) },
        },
      },
      async (request) => {
        const staffId = staffOf(request);
        const shiftId = request.params.id;
        const { until, ...rest } = request.body;
        const command: ShiftCommand =
          Object.keys(rest).length === 0 && typeof until === 'string'
            ? { type: 'EndWeeklyShift', staffId, shiftId, until }
            : { type: 'ChangeWeeklyShift', staffId, shiftId, newShiftId: newIdFor(request, 1), ...request.body };
        return ok((await run(request, command)).weekly(), 'Đã cập nhật ca lặp lại');
      },
    );

    api.delete(
      `${base}/weekly-shifts/:id`,
      {
        ...guard,
        schema: {
          tags,
          summary: 'Remove a weekly shift not yet started (one under way is ended instead: PATCH until)',
          params: shiftParams,
          response: { 200: done },
        },
      },
      async (request) => {
        await run(request, { type: 'RemoveWeeklyShift', staffId: staffOf(request), shiftId: request.params.id });
        return ok(null, 'Đã xóa ca lặp lại');
      },
    );

    for (const method of ['post', 'delete'] as const) {
      api[method](
        `${base}/weekly-shifts/:id/exceptions/:date`,
        {
          ...guard,
          schema: {
            tags,
            summary: method === 'post' ? 'Skip one date of a weekly shift' : 'Work that date again',
            params: exceptionParams,
            response: { 200: envelopeOf(weeklyView) },
          },
        },
        async (request) => {
          const type = method === 'post' ? ('AddShiftException' as const) : ('RemoveShiftException' as const);
          const { id, date } = request.params;
          const shift = (await run(request, { type, staffId: staffOf(request), shiftId: id, date })).weekly();
          return ok(shift, method === 'post' ? 'Đã thêm ngày nghỉ' : 'Đã bỏ ngày nghỉ');
        },
      );
    }
  }

  register({ base: '/api/v1/me', permission: 'shift:manage_own', staffOf: subjectOf });
  register({
    base: '/api/v1/staff/:staffId',
    permission: 'shift:manage_all',
    staffOf: (request) => (request.params as { staffId: string }).staffId,
  });

  const manageAll = { onRequest: app.requires('shift:manage_all') };

  api.get(
    '/api/v1/shifts',
    {
      ...manageAll,
      schema: {
        tags,
        summary: "Every sales member's shift occurrences between two dates (at most 62 days)",
        querystring: rangeQuery.extend({ staffId: z.uuid().optional() }),
        response: { 200: envelopeOf(z.array(occurrenceView)) },
      },
    },
    async (request) => {
      checkRange(request.query);
      return ok(await shiftOccurrences(pool, request.query));
    },
  );

  api.get(
    '/api/v1/shifts/roster',
    {
      ...manageAll,
      schema: {
        tags,
        summary: 'Active sales staff with their profile areas and the shifts still running from `from`',
        querystring: z.object({ from: localDate.optional() }),
        response: { 200: envelopeOf(z.array(rosterView)) },
      },
    },
    async (request) => ok(await salesRoster(pool, request.query)),
  );
}
