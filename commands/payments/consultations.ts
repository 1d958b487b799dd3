import type pg from 'pg';
import type { BookingState } from '../../domain/booking/booking.js';
import { type BookingStatus, isActiveStatus } from '../../domain/booking/booking-events.js';
import { CONSULTATION_PLATFORM_PERCENT } from '../../domain/payments/fees.js';
import { type PaymentState, refundableVnd } from '../../domain/payments/payment.js';
import { conflict, notFound } from '../../domain/shared/errors.js';
import type { CommandMetadata } from '../metadata.js';
import type { GatewayName } from './gateways/port.js';
import { type MoneyHandlers, stepMetadata } from './money-handlers.js';
import type { PaymentStarter } from './payment-starter.js';

/** What the money side needs of the booking engine (its `load` and `act`, and the expert's setting). */
export interface ConsultationBookings {
  load(bookingId: string): Promise<BookingState>;
  recordPayment(
    command: { bookingId: string; paymentId: string; amountVnd: number; autoConfirm: boolean },
    metadata: CommandMetadata,
  ): Promise<unknown>;
  autoConfirms(expertId: string): Promise<boolean>;
}

/**
 * How a consultation's fee ends (platform rule; experts have no refund setting of their own yet):
 * held (completed) or missed by the customer (no-show) → the expert is paid, less the platform's
 * share; cancelled (customers may cancel only up to the change deadline), rejected, expired unpaid
 * or missed by the expert → the whole fee goes back.
 */
export const CONSULTATION_OUTCOME: Partial<Record<BookingStatus, 'settle' | 'refund'>> = {
  completed: 'settle',
  no_show: 'settle',
  cancelled_by_customer: 'refund',
  cancelled_by_system: 'refund',
  rejected: 'refund',
  missed: 'refund',
};

/** Paid consultations (the booking engine's payment seam): pay, apply, and settle or refund at the end. */
export function consultationPayments(deps: {
  pool: pg.Pool;
  handlers: MoneyHandlers;
  startPayment: PaymentStarter;
  bookings: ConsultationBookings;
}) {
  const { pool, handlers } = deps;

  async function pay(
    input: { bookingId: string; paymentId: string; gateway: GatewayName },
    customerId: string,
    clientIp: string,
    metadata: CommandMetadata,
  ) {
    const { rows } = await pool.query<{
      kind: string;
      fee_vnd: string;
      provider_id: string | null;
      service_name: string;
    }>('select kind, fee_vnd, provider_id, service_name from rm.bookings where id = $1 and customer_id = $2', [
      input.bookingId,
      customerId,
    ]);
    const row = rows[0];
    if (row?.kind !== 'consultation' || row.provider_id === null) {
      throw notFound('BOOKING_NOT_FOUND', 'Không tìm thấy lịch hẹn');
    }
    const booking = await deps.bookings.load(input.bookingId);
    if (booking.paid) throw conflict('BOOKING_ALREADY_PAID', 'Lịch hẹn đã được thanh toán');
    if (booking.paymentDueAt === null || !isActiveStatus(booking.status)) {
      throw conflict('BOOKING_NOT_PAYABLE', 'Lịch hẹn không chờ thanh toán', { status: booking.status });
    }
    const started = await deps.startPayment(
      {
        paymentId: input.paymentId,
        payerId: customerId,
        purpose: { kind: 'consultation', bookingId: input.bookingId, expertId: row.provider_id },
        principalVnd: Number(row.fee_vnd),
        feeVnd: 0,
        gateway: input.gateway,
        description: `Phi tu van ${row.service_name ?? ''}`.trim(),
        clientIp,
      },
      metadata,
    );
    return { paymentId: input.paymentId, ...started };
  }

  /** Whether arrived money can go to its booking: 'capture', or why it goes back. */
  async function verdict(payment: PaymentState): Promise<string> {
    if (payment.purpose?.kind !== 'consultation') return 'capture';
    const booking = await deps.bookings.load(payment.purpose.bookingId);
    if (booking.paid) return 'booking_already_paid';
    if (booking.paymentDueAt === null || !isActiveStatus(booking.status)) return `booking_${booking.status}`;
    return 'capture';
  }

  async function captured(payment: PaymentState, paymentId: string, metadata: CommandMetadata) {
    if (payment.purpose?.kind !== 'consultation') return;
    const { bookingId, expertId } = payment.purpose;
    const autoConfirm = await deps.bookings.autoConfirms(expertId);
    await deps.bookings.recordPayment({ bookingId, paymentId, amountVnd: payment.principalVnd, autoConfirm }, metadata);
  }

  /** After the booking ended: pays the expert (less the platform's share) or moves the fee to refunds. */
  async function afterBookingEnded(paymentId: string, origin: CommandMetadata | null) {
    const payment = await handlers.paymentState(paymentId);
    if (payment.purpose?.kind !== 'consultation' || payment.settled) return;
    const booking = await deps.bookings.load(payment.purpose.bookingId);
    const outcome = CONSULTATION_OUTCOME[booking.status];
    if (outcome === 'settle') {
      const platformPercent = CONSULTATION_PLATFORM_PERCENT;
      await handlers.payment(
        { type: 'SettleConsultation', paymentId, platformPercent },
        stepMetadata(origin, `settle:${paymentId}`),
      );
    } else if (outcome === 'refund' && refundableVnd(payment) > 0) {
      const refundId = `consultation:${paymentId}`;
      await handlers.payment(
        {
          type: 'RequestRefund',
          paymentId,
          refundId,
          amountVnd: refundableVnd(payment),
          reason: `booking_${booking.status}`,
          fromEscrow: true,
        },
        stepMetadata(origin, `refund:${refundId}`),
      );
    }
  }

  return { pay, verdict, captured, afterBookingEnded };
}

export type ConsultationPayments = ReturnType<typeof consultationPayments>;
