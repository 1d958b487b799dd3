import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, DomainError, invalid } from '../shared/errors.js';
import { localDateOf } from './availability.js';
import type { LocalDate, LocalTime } from './schedule.js';
import {
  addDays,
  covers,
  firstOverlap,
  instantOf,
  occursOn,
  patternOfWeekly,
  patternsOf,
  SHIFT_TIME_ZONE,
} from './shift-calendar.js';
import { type OneOffShift, type ShiftEvent, WEEKDAYS, type Weekday, type WeeklyShift } from './shift-events.js';
import {
  areasOf,
  dateProblem,
  inPast,
  notFoundShift,
  SHIFT_LIMITS,
  sameAreas,
  timesProblem,
  untilProblem,
} from './shift-rules.js';

export interface ShiftsState {
  shifts: Map<string, OneOffShift>;
  weekly: Map<string, WeeklyShift>;
  /** Every id ever used in this stream (a removed shift's id is not reused). */
  ids: Set<string>;
}

type Staff = { staffId: string };
type Times = { start: LocalTime; end: LocalTime };

export type ShiftCommand = Staff &
  (
    | ({ type: 'AddShift'; shiftId: string; date: LocalDate; areaIds: string[] } & Times)
    | { type: 'ChangeShift'; shiftId: string; date?: LocalDate; start?: LocalTime; end?: LocalTime; areaIds?: string[] }
    | { type: 'RemoveShift'; shiftId: string }
    | ({
        type: 'AddWeeklyShift';
        shiftId: string;
        weekdays: Weekday[];
        from: LocalDate;
        until: LocalDate | null;
        areaIds: string[];
      } & Times)
    | {
        type: 'ChangeWeeklyShift';
        shiftId: string;
        /** The continuation's id when the shift is already under way (its past stays as it was). */
        newShiftId: string;
        start?: LocalTime;
        end?: LocalTime;
        areaIds?: string[];
        until?: LocalDate | null;
      }
    | { type: 'EndWeeklyShift'; shiftId: string; until: LocalDate }
    | { type: 'RemoveWeeklyShift'; shiftId: string }
    | { type: 'AddShiftException'; shiftId: string; date: LocalDate }
    | { type: 'RemoveShiftException'; shiftId: string; date: LocalDate }
  );

export interface ConfirmedBooking {
  bookingId: string;
  start: Date;
  end: Date;
}

/** The staff member's confirmed bookings in the period the command may take away (see bookingPeriod). */
export interface ShiftsContext extends DecisionContext {
  confirmedBookings: readonly ConfirmedBooking[];
}

type Decision = ShiftEvent[] | DomainError;

function addShift(command: Extract<ShiftCommand, { type: 'AddShift' }>, state: ShiftsState, today: LocalDate) {
  if (state.ids.has(command.shiftId)) return conflict('SHIFT_EXISTS', 'Mã ca làm việc đã được dùng');
  const problem = dateProblem(command.date, 'date', today) ?? timesProblem(command);
  if (problem) return problem;
  const areaIds = areasOf(command.areaIds);
  if (areaIds instanceof DomainError) return areaIds;
  const { staffId, shiftId, date, start, end } = command;
  return [{ type: 'ShiftAdded', data: { staffId, shiftId, date, start, end, areaIds } }] satisfies ShiftEvent[];
}

function changeShift(command: Extract<ShiftCommand, { type: 'ChangeShift' }>, shift: OneOffShift, today: LocalDate) {
  if (shift.date < today) return inPast();
  const date = command.date ?? shift.date;
  const times = { start: command.start ?? shift.start, end: command.end ?? shift.end };
  const problem = dateProblem(date, 'date', today) ?? timesProblem(times);
  if (problem) return problem;
  const areaIds = command.areaIds === undefined ? shift.areaIds : areasOf(command.areaIds);
  if (areaIds instanceof DomainError) return areaIds;
  const unchanged =
    date === shift.date && times.start === shift.start && times.end === shift.end && sameAreas(areaIds, shift.areaIds);
  if (unchanged) return [];
  const previous = { date: shift.date, start: shift.start, end: shift.end, areaIds: shift.areaIds };
  const data = { staffId: command.staffId, shiftId: shift.id, date, ...times, areaIds, previous };
  return [{ type: 'ShiftChanged', data }] satisfies ShiftEvent[];
}

function addWeekly(command: Extract<ShiftCommand, { type: 'AddWeeklyShift' }>, state: ShiftsState, today: LocalDate) {
  if (state.ids.has(command.shiftId)) return conflict('SHIFT_EXISTS', 'Mã ca làm việc đã được dùng');
  const weekdays = WEEKDAYS.filter((day) => command.weekdays.includes(day));
  if (weekdays.length === 0 || command.weekdays.some((day) => !WEEKDAYS.includes(day))) {
    return invalid('SHIFT_WEEKDAYS_INVALID', 'Chọn ít nhất một ngày trong tuần (MO…SU)', 'weekdays');
  }
  const problem =
    dateProblem(command.from, 'from', today) ??
    (command.until === null ? null : dateProblem(command.until, 'until', today)) ??
    timesProblem(command);
  if (problem) return problem;
  if (command.until !== null && command.until < command.from) {
    return invalid('SHIFT_UNTIL_BEFORE_FROM', 'Ngày kết thúc phải từ ngày bắt đầu trở đi', 'until');
  }
  const areaIds = areasOf(command.areaIds);
  if (areaIds instanceof DomainError) return areaIds;
  const { staffId, shiftId, start, end, from, until } = command;
  const data = { staffId, shiftId, weekdays, start, end, from, until, areaIds, exceptDates: [], continues: null };
  return [{ type: 'WeeklyShiftAdded', data }] satisfies ShiftEvent[];
}

/**
 * Times and areas of a shift not yet started change in place. A shift already under way keeps its
 * past: it ends yesterday and continues from today under `newShiftId` with the new values.
 */
function changeWeekly(
  command: Extract<ShiftCommand, { type: 'ChangeWeeklyShift' }>,
  shift: WeeklyShift,
  state: ShiftsState,
  today: LocalDate,
) {
  const times = { start: command.start ?? shift.start, end: command.end ?? shift.end };
  const problem = timesProblem(times);
  if (problem) return problem;
  const areaIds = command.areaIds === undefined ? shift.areaIds : areasOf(command.areaIds);
  if (areaIds instanceof DomainError) return areaIds;
  const until = command.until === undefined ? shift.until : command.until;
  const reshaped = times.start !== shift.start || times.end !== shift.end || !sameAreas(areaIds, shift.areaIds);
  const started = shift.from < today;
  if (until !== null) {
    const untilRefused = untilProblem(until, shift, reshaped && started ? today : addDays(today, -1));
    if (untilRefused) return untilRefused;
  }
  if (!reshaped && until === shift.until) return [];
  const { staffId } = command;
  if (!reshaped || !started) {
    const previous = { start: shift.start, end: shift.end, areaIds: shift.areaIds, until: shift.until };
    const data = { staffId, shiftId: shift.id, ...times, areaIds, until, previous };
    return [{ type: 'WeeklyShiftChanged', data }] satisfies ShiftEvent[];
  }
  if (state.ids.has(command.newShiftId)) return conflict('SHIFT_EXISTS', 'Mã ca làm việc đã được dùng');
  const yesterday = addDays(today, -1);
  const continuation = {
    staffId,
    shiftId: command.newShiftId,
    weekdays: shift.weekdays,
    ...times,
    from: today,
    until,
    areaIds,
    exceptDates: shift.exceptDates.filter((date) => date >= today),
    continues: shift.id,
  };
  return [
    { type: 'WeeklyShiftEnded', data: { staffId, shiftId: shift.id, until: yesterday, previousUntil: shift.until } },
    { type: 'WeeklyShiftAdded', data: continuation },
  ] satisfies ShiftEvent[];
}

type WeeklyCommand = Extract<
  ShiftCommand,
  { type: 'ChangeWeeklyShift' | 'EndWeeklyShift' | 'RemoveWeeklyShift' | 'AddShiftException' | 'RemoveShiftException' }
>;

function decideWeekly(command: WeeklyCommand, shift: WeeklyShift, state: ShiftsState, today: LocalDate): Decision {
  const { staffId } = command;
  const shiftId = shift.id;
  switch (command.type) {
    case 'RemoveWeeklyShift':
      if (shift.from < today) {
        return conflict('WEEKLY_SHIFT_STARTED', 'Ca lặp lại đã bắt đầu; hãy kết thúc ca thay vì xóa', {
          shiftId,
        });
      }
      return [{ type: 'WeeklyShiftRemoved', data: { staffId, shiftId } }];
    case 'ChangeWeeklyShift':
      return changeWeekly(command, shift, state, today);
    case 'EndWeeklyShift': {
      const problem = untilProblem(command.until, shift, addDays(today, -1));
      if (problem) return problem;
      if (command.until === shift.until) return [];
      return [
        { type: 'WeeklyShiftEnded', data: { staffId, shiftId, until: command.until, previousUntil: shift.until } },
      ];
    }
    case 'AddShiftException':
    case 'RemoveShiftException': {
      const problem = dateProblem(command.date, 'date', today);
      if (problem) return problem;
      const excepted = shift.exceptDates.includes(command.date);
      if (command.type === 'RemoveShiftException') {
        return excepted ? [{ type: 'ShiftExceptionRemoved', data: { staffId, shiftId, date: command.date } }] : [];
      }
      if (excepted) return [];
      if (!occursOn(patternOfWeekly(shift), command.date)) {
        return invalid('SHIFT_NOT_OCCURRING', 'Ca lặp lại không diễn ra vào ngày này', 'date');
      }
      if (shift.exceptDates.length >= SHIFT_LIMITS.exceptDates) {
        return conflict('TOO_MANY_EXCEPTIONS', `Tối đa ${SHIFT_LIMITS.exceptDates} ngày nghỉ cho một ca lặp lại`);
      }
      return [{ type: 'ShiftExceptionAdded', data: { staffId, shiftId, date: command.date } }];
    }
  }
}

function decideEvents(command: ShiftCommand, state: ShiftsState, today: LocalDate): Decision {
  switch (command.type) {
    case 'AddShift':
      return addShift(command, state, today);
    case 'AddWeeklyShift':
      return addWeekly(command, state, today);
    case 'ChangeShift':
    case 'RemoveShift': {
      const shift = state.shifts.get(command.shiftId);
      if (!shift) return notFoundShift();
      if (command.type === 'ChangeShift') return changeShift(command, shift, today);
      if (shift.date < today) return inPast();
      return [{ type: 'ShiftRemoved', data: { staffId: command.staffId, shiftId: shift.id, date: shift.date } }];
    }
    default: {
      const shift = state.weekly.get(command.shiftId);
      if (!shift) return notFoundShift();
      if (command.type !== 'RemoveWeeklyShift' && shift.until !== null && shift.until < today) return inPast();
      return decideWeekly(command, shift, state, today);
    }
  }
}

function cloneState(state: ShiftsState): ShiftsState {
  return {
    shifts: new Map([...state.shifts].map(([id, shift]) => [id, { ...shift }])),
    weekly: new Map([...state.weekly].map(([id, shift]) => [id, { ...shift, exceptDates: [...shift.exceptDates] }])),
    ids: new Set(state.ids),
  };
}

/** The shifts the events add or widen: only they can collide with another shift. */
const grownIds = (events: ShiftEvent[]) =>
  events.flatMap((event) =>
    event.type.endsWith('Removed') && event.type !== 'ShiftExceptionRemoved' ? [] : [event.data.shiftId],
  );

/** No two shifts of one person overlap; no confirmed booking loses the shift it lies in. */
function invariantProblem(before: ShiftsState, events: ShiftEvent[], bookings: readonly ConfirmedBooking[]) {
  const after = events.reduce(evolve, cloneState(before));
  const patterns = patternsOf(after);
  for (const id of new Set(grownIds(events))) {
    const mine = patterns.find((pattern) => pattern.id === id);
    if (!mine) continue;
    for (const other of patterns) {
      if (other.id === id) continue;
      const date = firstOverlap(mine, other);
      if (date !== null) {
        return conflict('SHIFT_OVERLAP', `Trùng giờ với một ca làm việc khác (ngày ${date})`, {
          shiftId: other.id,
          date,
        });
      }
    }
  }
  const coveredIn = (state: ShiftsState) => {
    const all = patternsOf(state);
    return (booking: ConfirmedBooking) => all.some((pattern) => covers(pattern, booking.start, booking.end));
  };
  const wasCovered = coveredIn(before);
  const isCovered = coveredIn(after);
  const dropped = bookings.filter((booking) => wasCovered(booking) && !isCovered(booking));
  if (dropped.length > 0) {
    return conflict(
      'SHIFT_HAS_CONFIRMED_BOOKINGS',
      'Ca làm việc có cuộc hẹn đã xác nhận; hãy chuyển hoặc hủy cuộc hẹn trước',
      { bookingIds: dropped.map((booking) => booking.bookingId) },
    );
  }
  return null;
}

const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');

/**
 * The period whose confirmed bookings a command could leave outside every shift (what the
 * commands service asks the bookings for); null for commands that only add working time.
 */
export function bookingPeriod(command: ShiftCommand, state: ShiftsState, now: Date): { from: Date; to: Date } | null {
  if (command.type === 'AddShift' || command.type === 'AddWeeklyShift' || command.type === 'RemoveShiftException') {
    return null;
  }
  if (command.type === 'ChangeShift' || command.type === 'RemoveShift') {
    const shift = state.shifts.get(command.shiftId);
    return shift ? { from: instantOf(shift.date, '00:00'), to: instantOf(shift.date, '24:00') } : null;
  }
  const shift = state.weekly.get(command.shiftId);
  if (!shift) return null;
  if (command.type === 'AddShiftException') {
    return { from: instantOf(command.date, '00:00'), to: instantOf(command.date, '24:00') };
  }
  const today = localDateOf(now, SHIFT_TIME_ZONE);
  const from = instantOf(shift.from > today ? shift.from : today, '00:00');
  return { from, to: shift.until === null ? FAR_FUTURE : instantOf(shift.until, '24:00') };
}

/** Updates the state it owns (see Decider) and returns it. */
function evolve(state: ShiftsState, event: ShiftEvent): ShiftsState {
  const { shiftId } = event.data;
  const weekly = state.weekly.get(shiftId);
  switch (event.type) {
    case 'ShiftAdded':
    case 'ShiftChanged': {
      const { date, start, end, areaIds } = event.data;
      state.shifts.set(shiftId, { id: shiftId, date, start, end, areaIds });
      state.ids.add(shiftId);
      break;
    }
    case 'ShiftRemoved':
      state.shifts.delete(shiftId);
      break;
    case 'WeeklyShiftAdded': {
      const { weekdays, start, end, from, until, areaIds, exceptDates } = event.data;
      state.weekly.set(shiftId, { id: shiftId, weekdays, start, end, from, until, areaIds, exceptDates });
      state.ids.add(shiftId);
      break;
    }
    case 'WeeklyShiftChanged':
      if (weekly) {
        const { start, end, areaIds, until } = event.data;
        Object.assign(weekly, { start, end, areaIds, until });
      }
      break;
    case 'WeeklyShiftEnded':
      if (weekly) weekly.until = event.data.until;
      break;
    case 'WeeklyShiftRemoved':
      state.weekly.delete(shiftId);
      break;
    case 'ShiftExceptionAdded':
      if (weekly) weekly.exceptDates = [...weekly.exceptDates, event.data.date].sort();
      break;
    case 'ShiftExceptionRemoved':
      if (weekly) weekly.exceptDates = weekly.exceptDates.filter((date) => date !== event.data.date);
      break;
  }
  return state;
}

/**
 * A sales staff member's shifts, stream `shifts-<staffId>` (UC-SALE-01, UC-OPER-03). Dates are
 * Asia/Ho_Chi_Minh dates; the past is not added to or changed.
 */
export const shiftsDecider: Decider<ShiftCommand, ShiftsState, ShiftEvent, ShiftsContext> = {
  initialState: () => ({ shifts: new Map(), weekly: new Map(), ids: new Set() }),
  evolve,
  decide(command, state, context) {
    const today = localDateOf(context.now, SHIFT_TIME_ZONE);
    const events = decideEvents(command, state, today);
    if (events instanceof DomainError || events.length === 0) return events;
    return invariantProblem(state, events, context.confirmedBookings) ?? events;
  },
};
