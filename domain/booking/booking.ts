import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, DomainError, invalid } from '../shared/errors.js';
import {
  type BookingEvent,
  type BookingKind,
  type BookingRequestedData,
  type BookingStatus,
  isActiveStatus,
  type ViewingOutcome,
} from './booking-events.js';
import { BOOKING_POLICY } from './policy.js';
import { DEFAULT_TIME_ZONE } from './schedule.js';

export interface BookingState {
  exists: boolean;
  kind: BookingKind;
  status: BookingStatus;
  customerId: string;
  providerId: string | null;
  ownerId: string | null;
  serviceId: string | null;
  /** The provider's zone: which local day calendar holds the booking. */
  timeZone: string;
  start: Date;
  end: Date;
  paymentDueAt: Date | null;
  paid: boolean;
  outcome: ViewingOutcome | null;
  /** `minutesBefore@start` of reminders already emitted (a reschedule makes new ones due). */
  reminders: Set<string>;
}

type Ref = { bookingId: string };
export type BookingCommand =
  | { type: 'RequestBooking'; request: BookingRequestedData }
  | (Ref & { type: 'AssignStaff'; staffId: string; reason: string })
  | (Ref & { type: 'UnassignStaff'; reason: string })
  | (Ref & { type: 'ApproveBooking' })
  | (Ref & { type: 'ConfirmBooking' })
  | (Ref & { type: 'RejectBooking'; reason: string })
  | (Ref & { type: 'RescheduleBooking'; start: Date; end: Date; reason: string | null })
  | (Ref & { type: 'CancelBooking'; reason: string })
  | (Ref & { type: 'MarkNoShow' })
  | (Ref & { type: 'MarkMissed'; reason: string | null })
  | (Ref & { type: 'CompleteBooking' })
  | (Ref & { type: 'ReportViewingResult'; outcome: ViewingOutcome; note: string | null })
  | (Ref & { type: 'RecordPaymentCaptured'; paymentId: string; amountVnd: number; autoConfirm: boolean })
  | (Ref & { type: 'EmitReminder'; minutesBefore: number })
  | (Ref & { type: 'AutoMarkAfterEnd' })
  | (Ref & { type: 'ExpireUnpaidBooking' });

const MINUTE = 60_000;
const STAFF_ROLES = ['operator', 'admin', 'system'];

/** Who the actor is to this booking; operators and the system act for the platform. */
function partiesOf(state: BookingState, context: DecisionContext) {
  const me = context.actorId;
  return {
    customer: me !== null && me === state.customerId,
    provider: me !== null && me === state.providerId,
    owner: me !== null && me === state.ownerId,
    platform: context.roles.some((role) => STAFF_ROLES.includes(role)),
    system: context.roles.includes('system'),
  };
}

const forbidden = () =>
  new DomainError('forbidden', 'BOOKING_FORBIDDEN', 'Bạn không có quyền thực hiện thao tác này với lịch hẹn');
const wrongStatus = (state: BookingState, action: string) =>
  conflict('BOOKING_STATUS', `Không thể ${action} lịch hẹn ở trạng thái ${state.status}`, { status: state.status });
const reasonProblem = (reason: string) =>
  reason.trim().length === 0 || reason.length > 500
    ? invalid('REASON_REQUIRED', 'Vui lòng nhập lý do (tối đa 500 ký tự)', 'reason')
    : null;

/** Reschedule and cancel close `changeDeadlineMinutes` before the start (SRS UC-SALE-03: 1 h). */
const pastChangeDeadline = (state: BookingState, now: Date) =>
  now.getTime() > state.start.getTime() - BOOKING_POLICY.changeDeadlineMinutes * MINUTE;
const deadlinePassed = () =>
  conflict(
    'BOOKING_CHANGE_DEADLINE_PASSED',
    `Chỉ có thể đổi lịch hoặc hủy trước giờ hẹn ít nhất ${BOOKING_POLICY.changeDeadlineMinutes} phút`,
    { deadlineMinutes: BOOKING_POLICY.changeDeadlineMinutes },
  );

const transition = (state: BookingState, bookingId: string, status: BookingStatus) => ({
  bookingId,
  status,
  previousStatus: state.status,
});

function decideActive(command: BookingCommand, state: BookingState, context: DecisionContext) {
  const who = partiesOf(state, context);
  const { now } = context;
  const id = (command as Ref).bookingId;
  switch (command.type) {
    case 'AssignStaff':
      if (state.kind !== 'viewing')
        return invalid('BOOKING_NOT_VIEWING', 'Chỉ lịch xem phòng mới có nhân viên', 'staffId');
      if (!who.platform) return forbidden();
      if (state.providerId === command.staffId) return [];
      return [
        {
          type: 'BookingStaffAssigned',
          data: { bookingId: id, staffId: command.staffId, previousStaffId: state.providerId, reason: command.reason },
        },
      ] satisfies BookingEvent[];
    case 'UnassignStaff': {
      if (!who.platform) return forbidden();
      if (state.providerId === null || state.kind !== 'viewing') return [];
      const status = state.status === 'awaiting_approval' ? 'awaiting_approval' : 'requested';
      return [
        {
          type: 'BookingStaffUnassigned',
          data: { ...transition(state, id, status), staffId: state.providerId, reason: command.reason },
        },
      ] satisfies BookingEvent[];
    }
    case 'ApproveBooking':
      if (state.status !== 'awaiting_approval') return wrongStatus(state, 'duyệt');
      if (!(who.owner || who.platform)) return forbidden();
      return [
        { type: 'BookingApproved', data: transition(state, id, state.providerId === null ? 'requested' : 'confirmed') },
      ] satisfies BookingEvent[];
    case 'ConfirmBooking':
      if (state.status !== 'requested') return wrongStatus(state, 'xác nhận');
      if (!(who.provider || who.platform)) return forbidden();
      if (state.providerId === null) {
        return conflict('BOOKING_UNASSIGNED', 'Lịch hẹn chưa được phân công nhân viên');
      }
      if (state.paymentDueAt !== null && !state.paid) {
        return conflict(
          'BOOKING_PAYMENT_REQUIRED',
          'Lịch tư vấn có phí chỉ được xác nhận sau khi thanh toán thành công',
        );
      }
      return [
        { type: 'BookingConfirmed', data: { ...transition(state, id, 'confirmed'), automatic: false } },
      ] satisfies BookingEvent[];
    case 'RejectBooking': {
      if (state.status !== 'requested' && state.status !== 'awaiting_approval') return wrongStatus(state, 'từ chối');
      if (!(who.provider || who.owner || who.platform)) return forbidden();
      const problem = reasonProblem(command.reason);
      if (problem) return problem;
      return [
        { type: 'BookingRejected', data: { ...transition(state, id, 'rejected'), reason: command.reason.trim() } },
      ] satisfies BookingEvent[];
    }
    case 'RescheduleBooking': {
      if (!(who.customer || who.provider || who.platform)) return forbidden();
      if (!who.platform && pastChangeDeadline(state, now)) return deadlinePassed();
      if (command.start.getTime() >= command.end.getTime())
        return invalid('SLOT_INVALID', 'Giờ kết thúc phải sau giờ bắt đầu', 'start');
      if (command.start.getTime() <= now.getTime())
        return invalid('SLOT_IN_PAST', 'Không thể đổi sang thời điểm đã qua', 'start');
      if (command.start.getTime() === state.start.getTime() && command.end.getTime() === state.end.getTime()) return [];
      const confirmed = state.status === 'confirmed' || state.status === 'rescheduled';
      return [
        {
          type: 'BookingRescheduled',
          data: {
            ...transition(state, id, confirmed ? 'rescheduled' : state.status),
            start: command.start.toISOString(),
            end: command.end.toISOString(),
            previousStart: state.start.toISOString(),
            previousEnd: state.end.toISOString(),
            reason: command.reason,
          },
        },
      ] satisfies BookingEvent[];
    }
    case 'CancelBooking': {
      if (!(who.customer || who.provider || who.owner || who.platform)) return forbidden();
      if (!who.platform && pastChangeDeadline(state, now)) return deadlinePassed();
      const problem = reasonProblem(command.reason);
      if (problem) return problem;
      const by = who.customer ? 'customer' : 'system'; // an operator acting as the customer cancels for them
      const status = by === 'customer' ? 'cancelled_by_customer' : 'cancelled_by_system';
      return [
        { type: 'BookingCancelled', data: { ...transition(state, id, status), by, reason: command.reason.trim() } },
      ] satisfies BookingEvent[];
    }
    default:
      return decideAfterStart(command, state, context);
  }
}

const isConfirmed = (state: BookingState) => state.status === 'confirmed' || state.status === 'rescheduled';
const notYet = (what: string) => conflict('BOOKING_NOT_STARTED', `Chưa đến giờ hẹn, chưa thể ${what}`);

/** What happens at and after the time: attendance, completion, the viewing result, automatic marking. */
function decideAfterStart(command: BookingCommand, state: BookingState, context: DecisionContext) {
  const who = partiesOf(state, context);
  const { now } = context;
  const id = (command as Ref).bookingId;
  switch (command.type) {
    case 'MarkNoShow':
      if (!isConfirmed(state)) return wrongStatus(state, 'đánh dấu khách không đến');
      if (!(who.provider || who.platform)) return forbidden();
      if (now < state.start) return notYet('đánh dấu khách không đến');
      return [
        { type: 'BookingNoShowMarked', data: { ...transition(state, id, 'no_show'), automatic: false } },
      ] satisfies BookingEvent[];
    case 'MarkMissed':
      if (!isConfirmed(state)) return wrongStatus(state, 'báo người tư vấn vắng mặt');
      if (!(who.customer || who.platform)) return forbidden();
      if (now < state.start) return notYet('báo vắng mặt');
      return [
        { type: 'BookingMissedMarked', data: { ...transition(state, id, 'missed'), reason: command.reason } },
      ] satisfies BookingEvent[];
    case 'CompleteBooking':
      if (!isConfirmed(state)) return wrongStatus(state, 'hoàn thành');
      if (!(who.provider || who.platform)) return forbidden();
      if (now < state.end) return conflict('BOOKING_NOT_ENDED', 'Lịch hẹn chưa kết thúc');
      return [
        { type: 'BookingCompleted', data: { ...transition(state, id, 'completed'), automatic: false } },
      ] satisfies BookingEvent[];
    case 'EmitReminder': {
      if (!who.system) return forbidden();
      const key = `${command.minutesBefore}@${state.start.toISOString()}`;
      if (!isConfirmed(state) || state.reminders.has(key) || now >= state.start) return [];
      return [
        {
          type: 'BookingReminderDue',
          data: { bookingId: id, minutesBefore: command.minutesBefore, start: state.start.toISOString() },
        },
      ] satisfies BookingEvent[];
    }
    case 'AutoMarkAfterEnd': {
      if (!who.system) return forbidden();
      if (now.getTime() < state.end.getTime() + BOOKING_POLICY.autoMarkGraceMinutes * MINUTE) return [];
      if (isConfirmed(state)) {
        return [
          { type: 'BookingCompleted', data: { ...transition(state, id, 'completed'), automatic: true } },
        ] satisfies BookingEvent[];
      }
      return [
        {
          type: 'BookingCancelled',
          data: { ...transition(state, id, 'cancelled_by_system'), by: 'system', reason: 'not_confirmed_in_time' },
        },
      ] satisfies BookingEvent[];
    }
    case 'ExpireUnpaidBooking':
      if (!who.system) return forbidden();
      if (state.paid || state.paymentDueAt === null || now < state.paymentDueAt) return [];
      return [
        {
          type: 'BookingCancelled',
          data: { ...transition(state, id, 'cancelled_by_system'), by: 'system', reason: 'payment_not_received' },
        },
      ] satisfies BookingEvent[];
    default:
      return wrongStatus(state, 'thực hiện thao tác này với');
  }
}

function reportResult(
  command: Extract<BookingCommand, { type: 'ReportViewingResult' }>,
  state: BookingState,
  context: DecisionContext,
) {
  const who = partiesOf(state, context);
  if (state.kind !== 'viewing')
    return invalid('BOOKING_NOT_VIEWING', 'Chỉ lịch xem phòng có báo cáo kết quả', 'outcome');
  if (!(who.provider || who.platform)) return forbidden();
  if (state.outcome !== null) return conflict('VIEWING_RESULT_REPORTED', 'Kết quả cuộc hẹn đã được báo cáo');
  const autoCompleted = state.status === 'completed';
  if (!isConfirmed(state) && !autoCompleted) return wrongStatus(state, 'báo cáo kết quả');
  if (context.now < state.start) return notYet('báo cáo kết quả');
  if (command.note !== null && command.note.length > 2000)
    return invalid('NOTE_TOO_LONG', 'Ghi chú tối đa 2000 ký tự', 'note');
  const status = command.outcome === 'no_show' ? 'no_show' : 'completed';
  return [
    {
      type: 'ViewingResultReported',
      data: { ...transition(state, command.bookingId, status), outcome: command.outcome, note: command.note },
    },
  ] satisfies BookingEvent[];
}

function recordPayment(
  command: Extract<BookingCommand, { type: 'RecordPaymentCaptured' }>,
  state: BookingState,
  context: DecisionContext,
) {
  if (!partiesOf(state, context).system) return forbidden();
  if (state.paid || state.paymentDueAt === null) return [];
  const events: BookingEvent[] = [
    {
      type: 'BookingPaymentCaptured',
      data: { bookingId: command.bookingId, paymentId: command.paymentId, amountVnd: command.amountVnd },
    },
  ];
  if (command.autoConfirm && state.status === 'requested') {
    events.push({
      type: 'BookingConfirmed',
      data: { ...transition(state, command.bookingId, 'confirmed'), automatic: true },
    });
  }
  return events;
}

/**
 * One booking, stream `booking-<id>`: its lifecycle (GLOSSARY booking states). The calendar
 * streams decide whether its time is free; this decides who may change it and when.
 */
export const bookingDecider: Decider<BookingCommand, BookingState, BookingEvent> = {
  initialState: () => ({
    exists: false,
    kind: 'viewing',
    status: 'requested',
    customerId: '',
    providerId: null,
    ownerId: null,
    serviceId: null,
    timeZone: DEFAULT_TIME_ZONE,
    start: new Date(0),
    end: new Date(0),
    paymentDueAt: null,
    paid: false,
    outcome: null,
    reminders: new Set(),
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'BookingRequested': {
        const d = event.data;
        return {
          ...state,
          exists: true,
          kind: d.kind,
          status: d.status,
          customerId: d.customerId,
          providerId: d.providerId,
          ownerId: d.ownerId,
          serviceId: d.serviceId,
          timeZone: d.timeZone,
          start: new Date(d.start),
          end: new Date(d.end),
          paymentDueAt: d.paymentDueAt === null ? null : new Date(d.paymentDueAt),
        };
      }
      case 'BookingStaffAssigned':
        return { ...state, providerId: event.data.staffId };
      case 'BookingStaffUnassigned':
        return { ...state, providerId: null, status: event.data.status };
      case 'BookingRescheduled':
        return {
          ...state,
          status: event.data.status,
          start: new Date(event.data.start),
          end: new Date(event.data.end),
        };
      case 'ViewingResultReported':
        return { ...state, status: event.data.status, outcome: event.data.outcome };
      case 'BookingPaymentCaptured':
        return { ...state, paid: true };
      case 'BookingReminderDue':
        state.reminders.add(`${event.data.minutesBefore}@${event.data.start}`);
        return state;
      default:
        return { ...state, status: event.data.status };
    }
  },

  decide(command, state, context) {
    if (command.type === 'RequestBooking') {
      return state.exists
        ? conflict('BOOKING_EXISTS', 'Lịch hẹn đã tồn tại')
        : [{ type: 'BookingRequested', data: command.request }];
    }
    if (!state.exists) return new DomainError('not_found', 'BOOKING_NOT_FOUND', 'Không tìm thấy lịch hẹn');
    if (command.type === 'ReportViewingResult') return reportResult(command, state, context);
    if (command.type === 'RecordPaymentCaptured') return recordPayment(command, state, context);
    if (!isActiveStatus(state.status)) {
      const quiet = ['EmitReminder', 'AutoMarkAfterEnd', 'ExpireUnpaidBooking', 'UnassignStaff'];
      return quiet.includes(command.type) ? [] : wrongStatus(state, 'thay đổi');
    }
    return decideActive(command, state, context);
  },
};

export const bookingIsActive = (state: BookingState) => state.exists && isActiveStatus(state.status);
