import { describe, test } from 'vitest';
import type { BookingCommand } from '../../domain/booking/booking.js';
import type { BookingEvent, BookingStatus, ViewingOutcome } from '../../domain/booking/booking-events.js';
import {
  ACTORS,
  BOOKING_ID,
  booking,
  cancelled,
  completed,
  confirmed,
  iso,
  paidConsultation,
  paymentCaptured,
  ref,
  requested,
  rescheduledTo,
} from '../support/booking-fixtures.js';

const { customer, provider, expert, owner, operator, system } = ACTORS;
const live = [requested(), confirmed()];
const transition = (status: BookingStatus, previousStatus: BookingStatus = 'confirmed') => ({
  bookingId: BOOKING_ID,
  status,
  previousStatus,
});

describe('booking: attendance and completion (start 10:00, end 10:30)', () => {
  const markNoShow: BookingCommand = { ...ref, type: 'MarkNoShow' };
  const noShowMarked: BookingEvent = {
    type: 'BookingNoShowMarked',
    data: { ...transition('no_show'), automatic: false },
  };
  const markMissed: BookingCommand = { ...ref, type: 'MarkMissed', reason: 'Nhân viên không đến' };
  const missedMarked: BookingEvent = {
    type: 'BookingMissedMarked',
    data: { ...transition('missed'), reason: 'Nhân viên không đến' },
  };
  const complete: BookingCommand = { ...ref, type: 'CompleteBooking' };

  test('the provider or an operator mark a no-show from the start on', () => {
    booking(provider, '10:00').given(live).when(markNoShow).thenEmits([noShowMarked]);
    booking(operator, '10:20').given(live).when(markNoShow).thenEmits([noShowMarked]);
    booking(provider, '09:59').given(live).when(markNoShow).thenFails('BOOKING_NOT_STARTED');
    booking(customer, '10:20').given(live).when(markNoShow).thenFails('BOOKING_FORBIDDEN');
    booking(owner, '10:20').given(live).when(markNoShow).thenFails('BOOKING_FORBIDDEN');
    booking(provider, '10:20').given([requested()]).when(markNoShow).thenFails('BOOKING_STATUS');
  });

  test('the customer or an operator report the provider missing from the start on', () => {
    booking(customer, '10:05').given(live).when(markMissed).thenEmits([missedMarked]);
    booking(operator, '10:05').given(live).when(markMissed).thenEmits([missedMarked]);
    booking(customer, '09:55').given(live).when(markMissed).thenFails('BOOKING_NOT_STARTED');
    booking(provider, '10:05').given(live).when(markMissed).thenFails('BOOKING_FORBIDDEN');
    booking(customer, '10:05').given([requested()]).when(markMissed).thenFails('BOOKING_STATUS');
  });

  test('the provider or an operator complete it from the end on, also after a reschedule', () => {
    booking(provider, '10:30')
      .given(live)
      .when(complete)
      .thenEmits([completed(false)]);
    booking(operator, '12:00')
      .given(live)
      .when(complete)
      .thenEmits([completed(false)]);
    booking(provider, '10:29').given(live).when(complete).thenFails('BOOKING_NOT_ENDED');
    booking(customer, '10:30').given(live).when(complete).thenFails('BOOKING_FORBIDDEN');
    booking(provider, '10:30').given([requested()]).when(complete).thenFails('BOOKING_STATUS');
    const moved = [...live, rescheduledTo('11:00', '11:30', { status: 'confirmed', start: '10:00', end: '10:30' })];
    booking(provider, '11:29').given(moved).when(complete).thenFails('BOOKING_NOT_ENDED');
    booking(provider, '11:30')
      .given(moved)
      .when(complete)
      .thenEmits([completed(false, 'rescheduled')]);
  });
});

describe('booking: viewing result', () => {
  const report = (outcome: ViewingOutcome, note: string | null = 'Khách thích phòng'): BookingCommand => ({
    ...ref,
    type: 'ReportViewingResult',
    outcome,
    note,
  });
  const reported = (
    outcome: ViewingOutcome,
    status: BookingStatus,
    previousStatus: BookingStatus = 'confirmed',
  ): BookingEvent => ({
    type: 'ViewingResultReported',
    data: { ...transition(status, previousStatus), outcome, note: 'Khách thích phòng' },
  });

  test('a no_show outcome marks the booking no_show, any other outcome completes it', () => {
    booking(provider, '10:40')
      .given(live)
      .when(report('interested'))
      .thenEmits([reported('interested', 'completed')]);
    booking(provider, '10:40')
      .given(live)
      .when(report('follow_up'))
      .thenEmits([reported('follow_up', 'completed')]);
    booking(operator, '10:40')
      .given(live)
      .when(report('no_show'))
      .thenEmits([reported('no_show', 'no_show')]);
  });

  test('allowed once on an auto-completed booking; a second report is refused', () => {
    const autoCompleted = [...live, completed(true)];
    booking(provider, '12:00')
      .given(autoCompleted)
      .when(report('not_suitable'))
      .thenEmits([reported('not_suitable', 'completed', 'completed')]);
    const again = [...autoCompleted, reported('not_suitable', 'completed', 'completed')];
    booking(provider, '12:05').given(again).when(report('interested')).thenFails('VIEWING_RESULT_REPORTED');
    booking(provider, '10:40')
      .given([...live, reported('interested', 'completed')])
      .when(report('interested'))
      .thenFails('VIEWING_RESULT_REPORTED');
  });

  test('by the provider or an operator, from the start, on a viewing that took place', () => {
    booking(provider, '09:59').given(live).when(report('interested')).thenFails('BOOKING_NOT_STARTED');
    booking(customer, '10:40').given(live).when(report('interested')).thenFails('BOOKING_FORBIDDEN');
    booking(owner, '10:40').given(live).when(report('interested')).thenFails('BOOKING_FORBIDDEN');
    booking(provider, '10:40').given([requested()]).when(report('interested')).thenFails('BOOKING_STATUS');
    booking(provider, '10:40')
      .given([...live, cancelled('system', 'Nhân viên nghỉ')])
      .when(report('interested'))
      .thenFails('BOOKING_STATUS');
    booking(expert, '10:40')
      .given([paidConsultation(), paymentCaptured, confirmed()])
      .when(report('interested'))
      .thenFails('BOOKING_NOT_VIEWING', 'outcome');
    booking(provider, '10:40')
      .given(live)
      .when(report('interested', 'x'.repeat(2001)))
      .thenFails('NOTE_TOO_LONG', 'note');
  });
});

describe('booking: reminders', () => {
  const remind = (minutesBefore: number): BookingCommand => ({ ...ref, type: 'EmitReminder', minutesBefore });
  const reminder = (minutesBefore: number, start = '10:00'): BookingEvent => ({
    type: 'BookingReminderDue',
    data: { bookingId: BOOKING_ID, minutesBefore, start: iso(start) },
  });

  test('once per (minutesBefore, start) of a confirmed booking, before it starts', () => {
    booking(system, '09:00')
      .given(live)
      .when(remind(60))
      .thenEmits([reminder(60)]);
    booking(system, '09:01')
      .given([...live, reminder(60)])
      .when(remind(60))
      .thenEmits([]);
    booking(system, '09:01')
      .given([...live, reminder(60)])
      .when(remind(1440))
      .thenEmits([reminder(1440)]);
    booking(system, '09:00').given([requested()]).when(remind(60)).thenEmits([]);
    booking(system, '10:00').given(live).when(remind(60)).thenEmits([]);
    booking(operator, '09:00').given(live).when(remind(60)).thenFails('BOOKING_FORBIDDEN');
  });

  test('due again after a reschedule, for the new start', () => {
    const moved = rescheduledTo('14:00', '14:30', { status: 'confirmed', start: '10:00', end: '10:30' });
    booking(system, '09:05')
      .given([...live, reminder(60), moved])
      .when(remind(60))
      .thenEmits([reminder(60, '14:00')]);
    booking(system, '13:05')
      .given([...live, reminder(60), moved, reminder(60, '14:00')])
      .when(remind(60))
      .thenEmits([]);
  });
});

describe('booking: automatic marking after the end (10:30 + 60 minutes grace)', () => {
  const autoMark: BookingCommand = { ...ref, type: 'AutoMarkAfterEnd' };

  test('a confirmed booking completes automatically; an unconfirmed one is cancelled', () => {
    booking(system, '11:30')
      .given(live)
      .when(autoMark)
      .thenEmits([completed(true)]);
    booking(system, '11:30')
      .given([requested()])
      .when(autoMark)
      .thenEmits([cancelled('system', 'not_confirmed_in_time', 'requested')]);
    booking(system, '11:30')
      .given([requested({ status: 'awaiting_approval' })])
      .when(autoMark)
      .thenEmits([cancelled('system', 'not_confirmed_in_time', 'awaiting_approval')]);
  });

  test('nothing before the end plus grace; only the system runs it', () => {
    booking(system, '11:29').given(live).when(autoMark).thenEmits([]);
    booking(system, '11:29').given([requested()]).when(autoMark).thenEmits([]);
    booking(operator, '11:30').given(live).when(autoMark).thenFails('BOOKING_FORBIDDEN');
    booking(system, '11:30')
      .given([...live, completed(true)])
      .when(autoMark)
      .thenEmits([]);
  });

  test('an auto-completed viewing still accepts its one result', () => {
    const decision = booking(provider, '12:00')
      .given([...live, completed(true)])
      .when({ ...ref, type: 'ReportViewingResult', outcome: 'no_show', note: null });
    decision.thenEmits([
      {
        type: 'ViewingResultReported',
        data: { ...transition('no_show', 'completed'), outcome: 'no_show', note: null },
      },
    ]);
  });
});
