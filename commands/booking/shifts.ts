import type pg from 'pg';
import { shiftsStream } from '../../domain/booking/shift-events.js';
import {
  bookingPeriod,
  type ConfirmedBooking,
  type ShiftCommand,
  type ShiftsContext,
  shiftsDecider,
} from '../../domain/booking/shifts.js';
import type { StaffProfileEvent, StaffRole } from '../../domain/identity/staff-events.js';
import { staffStream } from '../../domain/identity/staff-events.js';
import { type StaffProfileState, staffProfileDecider } from '../../domain/identity/staff-profile.js';
import { conflict, invalid, notFound } from '../../domain/shared/errors.js';
import { commandHandler, currentState, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';

/**
 * The confirmed bookings of a staff member between two instants (the bookings read model answers;
 * the booking core provides it). A shift change that would leave one of them outside every shift
 * is refused.
 */
export type ConfirmedBookingsOf = (staffId: string, from: Date, to: Date) => Promise<ConfirmedBooking[]>;

export interface ShiftDeps extends HandlerDeps {
  pool: pg.Pool;
  confirmedBookingsOf: ConfirmedBookingsOf;
}

/** Commands that add working time: only active sales staff may be given more. */
const ADDS_TIME = new Set<ShiftCommand['type']>([
  'AddShift',
  'ChangeShift',
  'AddWeeklyShift',
  'ChangeWeeklyShift',
  'EndWeeklyShift',
  'RemoveShiftException',
]);

/** A staff profile with the role it was created for (the profile decider's state has no role). */
const staffMember = {
  initialState: () => ({ role: null as StaffRole | null, profile: staffProfileDecider.initialState() }),
  evolve: (state: { role: StaffRole | null; profile: StaffProfileState }, event: StaffProfileEvent) => ({
    role: event.type === 'StaffProfileCreated' ? event.data.role : state.role,
    profile: staffProfileDecider.evolve(state.profile, event),
  }),
};

/**
 * Sales staff shifts (UC-SALE-01 by the person, UC-OPER-03 by an operator), stream
 * `shifts-<staffId>`. The staff profile (`staff-<staffId>`) is read from the event store, so a
 * member who just left cannot be given a shift a moment later.
 */
export function shiftCommands(deps: ShiftDeps) {
  const handle = commandHandler(deps, {
    decider: shiftsDecider,
    stream: (command: ShiftCommand) => shiftsStream(command.staffId),
    context: async (command, base, state): Promise<ShiftsContext> => {
      const period = bookingPeriod(command, state, base.now);
      const confirmedBookings = period ? await deps.confirmedBookingsOf(command.staffId, period.from, period.to) : [];
      return { ...base, confirmedBookings };
    },
  });

  async function assertSalesStaff(command: ShiftCommand) {
    const member = await currentState(deps.store, staffStream(command.staffId), staffMember);
    if (!member.profile.exists || member.role !== 'sales') {
      throw notFound('SALES_STAFF_NOT_FOUND', 'Không tìm thấy nhân viên bán hàng');
    }
    if (member.profile.status !== 'active' && ADDS_TIME.has(command.type)) {
      throw conflict('STAFF_NOT_ACTIVE', 'Nhân viên đang tạm nghỉ hoặc đã nghỉ việc; không thể thêm lịch làm việc', {
        status: member.profile.status,
      });
    }
  }

  /** Areas must exist in the area tree (read model; areas are not deleted while in use). */
  async function assertAreas(areaIds: readonly string[] | undefined) {
    if (!areaIds || areaIds.length === 0) return;
    const { rows } = await deps.pool.query<{ id: string }>('select id from rm.areas where id = any($1::text[])', [
      [...areaIds],
    ]);
    const known = new Set(rows.map((row) => row.id));
    const missing = areaIds.findIndex((id) => !known.has(id));
    if (missing >= 0) {
      throw invalid('AREA_NOT_FOUND', `Không tìm thấy khu vực ${areaIds[missing]}`, `areaIds.${missing}`);
    }
  }

  return {
    async handle(command: ShiftCommand, metadata: CommandMetadata) {
      await assertSalesStaff(command);
      if ('areaIds' in command) await assertAreas(command.areaIds);
      return handle(command, metadata);
    },
    /** The write side's view of a person's shifts (what the decider sees). */
    load: (staffId: string) => currentState(deps.store, shiftsStream(staffId), shiftsDecider),
  };
}

export type ShiftCommands = ReturnType<typeof shiftCommands>;
