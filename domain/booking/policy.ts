import type { SlotPolicy } from './schedule.js';

/**
 * Booking policies in force (SRS UC-CUST-03, UC-SALE-03; features §3). One place so that the
 * deciders, jobs and UI agree; a per-project or per-expert setting overrides where it exists.
 */
export const BOOKING_POLICY = {
  /** A chosen slot is held this long while the customer completes the form. */
  holdMinutes: 5,
  /** Booking requests a customer may make per Asia/Ho_Chi_Minh day. */
  dailyRequestsPerCustomer: 5,
  /** Reschedule and cancel are allowed until this long before the start. */
  changeDeadlineMinutes: 60,
  /** After the end plus this grace a job marks what is still open. */
  autoMarkGraceMinutes: 60,
  /** A paid consultation keeps its slot this long for the payment to be captured. */
  paymentWindowMinutes: 15,
  /** Reminder events are emitted this long before the start. */
  remindersMinutesBefore: [24 * 60, 60] as const,
} as const;

/** A viewing with sales staff: 30 minutes every 30 minutes, 15 minutes to travel after. */
export const VIEWING_SLOT_POLICY: SlotPolicy = {
  durationMinutes: 30,
  stepMinutes: 30,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 15,
  minimumNoticeMinutes: 60,
  bookingWindowDays: 30,
  dailyLimit: null,
  weeklyLimit: null,
};
