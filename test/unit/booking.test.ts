import { describe, expect, test } from 'vitest';
import type { BookingCommand } from '../../domain/booking/booking.js';
import type { BookingEvent } from '../../domain/booking/booking-events.js';
import {
  ACTORS,
  BOOKING_ID,
  booking,
  cancelled,
  confirmed,
  iso,
  paidConsultation,
  paymentCaptured,
  ref,
  request,
  requested,
  rescheduledTo,
  TERMINAL_HISTORIES,
} from '../support/booking-fixtures.js';

const { customer, provider, expert, owner, operator, admin, system, stranger } = ACTORS;
const confirm: BookingCommand = { ...ref, type: 'ConfirmBooking' };
const approve: BookingCommand = { ...ref, type: 'ApproveBooking' };
const reject = (reason = ' Nhân viên bận '): BookingCommand => ({ ...ref, type: 'RejectBooking', reason });
const cancel = (reason = ' Có việc đột xuất '): BookingCommand => ({ ...ref, type: 'CancelBooking', reason });
const reschedule = (start: string, end: string, reason: string | null = null): BookingCommand => ({
  ...ref,
  type: 'RescheduleBooking',
  start: new Date(iso(start)),
  end: new Date(iso(end)),
  reason,
});
const pay = (autoConfirm: boolean): BookingCommand => ({
  ...ref,
  type: 'RecordPaymentCaptured',
  paymentId: 'payment-1',
  amountVnd: 500_000,
  autoConfirm,
});
const awaiting = (providerId: string | null = 'staff-1') => requested({ status: 'awaiting_approval', providerId });
const at10 = { status: 'confirmed' as const, start: '10:00', end: '10:30' };

describe('booking: request, not found, strangers', () => {
  test('a request starts the stream once', () => {
    booking(customer).given([]).when({ type: 'RequestBooking', request: request() }).thenEmits([requested()]);
    booking(customer)
      .given([requested()])
      .when({ type: 'RequestBooking', request: request() })
      .thenFails('BOOKING_EXISTS');
  });

  test('BOOKING_NOT_FOUND on an empty stream', () => {
    const error = booking(operator).given([]).when(confirm).thenFails('BOOKING_NOT_FOUND');
    expect(error.status).toBe(404);
    booking(system)
      .given([])
      .when({ ...ref, type: 'EmitReminder', minutesBefore: 60 })
      .thenFails('BOOKING_NOT_FOUND');
  });

  test('BOOKING_FORBIDDEN for someone who is neither party nor platform staff, whatever their roles', () => {
    const commands: [BookingEvent[], BookingCommand][] = [
      [[requested()], confirm],
      [[awaiting()], approve],
      [[requested()], reject()],
      [[requested(), confirmed()], reschedule('11:00', '11:30')],
      [[requested(), confirmed()], cancel()],
      [[requested(), confirmed()], { ...ref, type: 'AssignStaff', staffId: 'staff-2', reason: 'x' }],
    ];
    for (const [given, command] of commands) {
      const error = booking(stranger).given(given).when(command).thenFails('BOOKING_FORBIDDEN');
      expect(error.status).toBe(403);
    }
  });
});

describe('booking: confirm', () => {
  test('the provider or platform staff confirm a requested booking', () => {
    for (const actor of [provider, operator, admin, system]) {
      booking(actor).given([requested()]).when(confirm).thenEmits([confirmed()]);
    }
    booking(customer).given([requested()]).when(confirm).thenFails('BOOKING_FORBIDDEN');
    booking(owner).given([requested()]).when(confirm).thenFails('BOOKING_FORBIDDEN');
  });

  test('only a requested booking', () => {
    booking(provider).given([requested(), confirmed()]).when(confirm).thenFails('BOOKING_STATUS');
    booking(provider).given([awaiting()]).when(confirm).thenFails('BOOKING_STATUS');
  });

  test('an unassigned viewing cannot be confirmed until staff is assigned', () => {
    const unassigned = requested({ providerId: null });
    booking(operator).given([unassigned]).when(confirm).thenFails('BOOKING_UNASSIGNED');
    const assigned: BookingEvent = {
      type: 'BookingStaffAssigned',
      data: { bookingId: BOOKING_ID, staffId: 'staff-1', previousStaffId: null, reason: 'Phân công' },
    };
    booking(provider).given([unassigned, assigned]).when(confirm).thenEmits([confirmed()]);
  });

  test('an unpaid paid consultation waits for its payment', () => {
    booking(expert).given([paidConsultation()]).when(confirm).thenFails('BOOKING_PAYMENT_REQUIRED');
    booking(operator).given([paidConsultation()]).when(confirm).thenFails('BOOKING_PAYMENT_REQUIRED');
    booking(expert).given([paidConsultation(), paymentCaptured]).when(confirm).thenEmits([confirmed()]);
  });
});

describe('booking: approve and reject', () => {
  test('the owner or an operator approve: confirmed with staff, back to requested without', () => {
    const approved = (status: 'confirmed' | 'requested'): BookingEvent => ({
      type: 'BookingApproved',
      data: { bookingId: BOOKING_ID, status, previousStatus: 'awaiting_approval' },
    });
    booking(owner)
      .given([awaiting()])
      .when(approve)
      .thenEmits([approved('confirmed')]);
    booking(operator)
      .given([awaiting()])
      .when(approve)
      .thenEmits([approved('confirmed')]);
    booking(owner)
      .given([awaiting(null)])
      .when(approve)
      .thenEmits([approved('requested')]);
    booking(provider).given([awaiting()]).when(approve).thenFails('BOOKING_FORBIDDEN');
    booking(customer).given([awaiting()]).when(approve).thenFails('BOOKING_FORBIDDEN');
    booking(owner).given([requested()]).when(approve).thenFails('BOOKING_STATUS');
  });

  test('provider, owner or operator reject a pending booking with a reason', () => {
    const rejected = (previousStatus: 'requested' | 'awaiting_approval'): BookingEvent => ({
      type: 'BookingRejected',
      data: { bookingId: BOOKING_ID, status: 'rejected', previousStatus, reason: 'Nhân viên bận' },
    });
    booking(provider)
      .given([requested()])
      .when(reject())
      .thenEmits([rejected('requested')]);
    booking(operator)
      .given([requested()])
      .when(reject())
      .thenEmits([rejected('requested')]);
    booking(owner)
      .given([awaiting()])
      .when(reject())
      .thenEmits([rejected('awaiting_approval')]);
    booking(customer).given([requested()]).when(reject()).thenFails('BOOKING_FORBIDDEN');
    booking(provider).given([requested(), confirmed()]).when(reject()).thenFails('BOOKING_STATUS');
  });

  test('REASON_REQUIRED names the field: blank or longer than 500 characters', () => {
    for (const reason of ['', '   ', 'x'.repeat(501)]) {
      const error = booking(provider).given([requested()]).when(reject(reason)).thenFails('REASON_REQUIRED', 'reason');
      expect(error.status).toBe(400);
    }
  });
});

describe('booking: reschedule', () => {
  test('a confirmed booking becomes rescheduled; a requested one stays requested', () => {
    booking(customer)
      .given([requested(), confirmed()])
      .when(reschedule('11:00', '11:30', 'Kẹt xe'))
      .thenEmits([rescheduledTo('11:00', '11:30', at10, 'Kẹt xe')]);
    booking(provider)
      .given([requested()])
      .when(reschedule('11:00', '11:30'))
      .thenEmits([rescheduledTo('11:00', '11:30', { ...at10, status: 'requested' })]);
    const once = rescheduledTo('11:00', '11:30', at10);
    booking(customer)
      .given([requested(), confirmed(), once])
      .when(reschedule('14:00', '14:30'))
      .thenEmits([rescheduledTo('14:00', '14:30', { status: 'rescheduled', start: '11:00', end: '11:30' })]);
    booking(owner).given([requested(), confirmed()]).when(reschedule('11:00', '11:30')).thenFails('BOOKING_FORBIDDEN');
  });

  test('closes 60 minutes before the start for customer and provider, not for operators', () => {
    const given = [requested(), confirmed()];
    for (const actor of [customer, provider]) {
      const late = booking(actor, '09:01').given(given).when(reschedule('11:00', '11:30'));
      expect(late.thenFails('BOOKING_CHANGE_DEADLINE_PASSED').details).toEqual({ deadlineMinutes: 60 });
      booking(actor, '09:00')
        .given(given)
        .when(reschedule('11:00', '11:30'))
        .thenEmits([rescheduledTo('11:00', '11:30', at10)]);
    }
    booking(operator, '09:45')
      .given(given)
      .when(reschedule('11:00', '11:30'))
      .thenEmits([rescheduledTo('11:00', '11:30', at10)]);
    booking(operator, '10:10')
      .given(given)
      .when(reschedule('11:00', '11:30'))
      .thenEmits([rescheduledTo('11:00', '11:30', at10)]);
  });

  test('the new time must be a future span; the same time is a no-op', () => {
    const given = [requested(), confirmed()];
    booking(customer).given(given).when(reschedule('11:30', '11:00')).thenFails('SLOT_INVALID', 'start');
    booking(customer).given(given).when(reschedule('11:00', '11:00')).thenFails('SLOT_INVALID', 'start');
    booking(operator, '10:10').given(given).when(reschedule('10:05', '10:35')).thenFails('SLOT_IN_PAST', 'start');
    booking(customer).given(given).when(reschedule('10:00', '10:30')).thenEmits([]);
  });
});

describe('booking: cancel', () => {
  test('the customer cancels as the customer; provider, owner and operators as the system', () => {
    booking(customer)
      .given([requested(), confirmed()])
      .when(cancel())
      .thenEmits([cancelled('customer', 'Có việc đột xuất')]);
    for (const actor of [provider, owner, operator]) {
      booking(actor)
        .given([requested(), confirmed()])
        .when(cancel())
        .thenEmits([cancelled('system', 'Có việc đột xuất')]);
    }
    booking(customer)
      .given([awaiting()])
      .when(cancel())
      .thenEmits([cancelled('customer', 'Có việc đột xuất', 'awaiting_approval')]);
  });

  test('closes 60 minutes before the start except for operators; a reason is required', () => {
    const given = [requested(), confirmed()];
    booking(customer, '09:30').given(given).when(cancel()).thenFails('BOOKING_CHANGE_DEADLINE_PASSED');
    booking(provider, '09:30').given(given).when(cancel()).thenFails('BOOKING_CHANGE_DEADLINE_PASSED');
    booking(operator, '09:30')
      .given(given)
      .when(cancel())
      .thenEmits([cancelled('system', 'Có việc đột xuất')]);
    booking(customer).given(given).when(cancel('  ')).thenFails('REASON_REQUIRED', 'reason');
  });
});

describe('booking: payment', () => {
  test('a captured payment is recorded once, and confirms a requested booking when autoConfirm', () => {
    const autoConfirmed = confirmed('requested', true);
    booking(system).given([paidConsultation()]).when(pay(true)).thenEmits([paymentCaptured, autoConfirmed]);
    booking(system).given([paidConsultation()]).when(pay(false)).thenEmits([paymentCaptured]);
    booking(system).given([paidConsultation(), paymentCaptured]).when(pay(true)).thenEmits([]);
    booking(system).given([requested()]).when(pay(true)).thenEmits([]);
    booking(operator).given([paidConsultation()]).when(pay(true)).thenFails('BOOKING_FORBIDDEN');
    // The money is recorded even after the booking was cancelled (for the refund), without confirming it.
    const expired = cancelled('system', 'payment_not_received', 'requested');
    booking(system).given([paidConsultation(), expired]).when(pay(true)).thenEmits([paymentCaptured]);
  });

  test('ExpireUnpaidBooking cancels an unpaid booking once its payment window has passed', () => {
    const expire: BookingCommand = { ...ref, type: 'ExpireUnpaidBooking' };
    const expired = cancelled('system', 'payment_not_received', 'requested');
    booking(system, '08:15').given([paidConsultation()]).when(expire).thenEmits([expired]);
    booking(system, '08:14').given([paidConsultation()]).when(expire).thenEmits([]);
    booking(system, '08:20').given([paidConsultation(), paymentCaptured]).when(expire).thenEmits([]);
    booking(system, '08:20').given([requested()]).when(expire).thenEmits([]);
    booking(system, '08:20').given([paidConsultation(), expired]).when(expire).thenEmits([]);
    booking(operator, '08:20').given([paidConsultation()]).when(expire).thenFails('BOOKING_FORBIDDEN');
  });
});

describe('booking: terminal states', () => {
  test('refuse changes with BOOKING_STATUS; the jobs’ commands are quiet no-ops', () => {
    const changes: BookingCommand[] = [confirm, approve, reject(), cancel(), reschedule('11:00', '11:30')];
    const quiet: BookingCommand[] = [
      { ...ref, type: 'EmitReminder', minutesBefore: 60 },
      { ...ref, type: 'AutoMarkAfterEnd' },
      { ...ref, type: 'ExpireUnpaidBooking' },
      { ...ref, type: 'UnassignStaff', reason: 'x' },
    ];
    for (const [status, history] of Object.entries(TERMINAL_HISTORIES)) {
      for (const command of changes) {
        const error = booking(operator).given(history).when(command).thenFails('BOOKING_STATUS');
        expect(error.details).toEqual({ status });
      }
      for (const command of quiet) booking(system, '12:00').given(history).when(command).thenEmits([]);
    }
  });
});
