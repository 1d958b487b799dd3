import type { Logger } from 'pino';
import { RECONCILE_AFTER_MINUTES } from '../../domain/payments/fees.js';
import { forEachItem } from '../jobs/job-items.js';
import type { ScheduledJob } from '../jobs/scheduler.js';
import { systemMetadata } from '../metadata.js';
import { CONSULTATION_OUTCOME } from './consultations.js';
import type { MoneyServices } from './index.js';

const MINUTE = 60_000;
const BATCH = 200;

/**
 * Time-driven money work (DESIGN.md §6), each idempotent:
 * - reconciliation asks the gateway about payments whose callback has not come, and expires the
 *   ones the payer abandoned (their deposits are cancelled);
 * - the sweeper finishes what a crash left halfway (authorized and not applied, voids and refunds
 *   not yet paid out);
 * - reservation deposits past their TTL are refunded by their policy's rules;
 * - consultations that ended are settled to the expert or refunded.
 */
export function paymentJobs(money: MoneyServices, logger: Logger): ScheduledJob[] {
  const system = () => systemMetadata(crypto.randomUUID());

  const reconcile: ScheduledJob = {
    name: 'payment-reconcile',
    cron: '* * * * *',
    async run({ pool, now }) {
      const { rows } = await pool.query<{ id: string }>(
        `select id from rm.payments where status = 'initiated' and created_at < $1 order by created_at limit $2`,
        [new Date(now.getTime() - RECONCILE_AFTER_MINUTES * MINUTE), BATCH],
      );
      return forEachItem(
        rows.map((r) => r.id),
        (paymentId) => reconcileOne(paymentId, now),
        logger,
        'payment-reconcile',
      );
    },
  };

  async function reconcileOne(paymentId: string, now: Date) {
    const payment = await money.handlers.paymentState(paymentId);
    const gateway = payment.gateway ? money.gateways[payment.gateway] : undefined;
    if (payment.status !== 'initiated' || !gateway) return;
    const metadata = system();
    const answer =
      payment.gateway === 'manual'
        ? null
        : await gateway.queryStatus({ paymentId, gatewayRef: payment.gatewayRef, createdAt: now });
    if (answer && (answer.state === 'paid' || answer.state === 'failed')) {
      const notice = {
        outcome: answer.state,
        amountVnd: answer.amountVnd ?? 0,
        currency: 'VND',
        gatewayTransactionId: answer.gatewayTransactionId ?? `query:${paymentId}`,
        resultCode: 'querydr',
        message: 'Kết quả đối soát với cổng thanh toán',
      };
      await money.handlers.payment({ type: 'RecordGatewayNotice', paymentId, notice }, metadata);
    } else if (payment.expiresAt !== null && now >= payment.expiresAt) {
      await money.handlers.payment({ type: 'ExpirePayment', paymentId }, metadata);
    }
    await money.settlement.settle(paymentId, metadata);
  }

  const sweep: ScheduledJob = {
    name: 'payment-settlement-sweep',
    cron: '* * * * *',
    async run({ pool, now }) {
      const before = new Date(now.getTime() - MINUTE);
      const { rows } = await pool.query<{ id: string }>(
        `select id from rm.payments where status in ('authorized', 'flagged') and updated_at < $1
         union select payment_id from rm.payment_refunds where status = 'requested' and requested_at < $1
         limit $2`,
        [before, BATCH],
      );
      return forEachItem(
        rows.map((r) => r.id),
        (id) => money.settlement.settle(id, system()),
        logger,
        'payment-sweep',
      );
    },
  };

  const reservationExpiry: ScheduledJob = {
    name: 'deposit-reservation-expiry',
    cron: '*/5 * * * *',
    async run({ pool, now }) {
      const { rows } = await pool.query<{ id: string }>(
        `select id from rm.deposits where kind = 'reservation' and status = 'held' and expires_at <= $1
         order by expires_at limit $2`,
        [now, BATCH],
      );
      return forEachItem(
        rows.map((r) => r.id),
        (depositId) => money.deposits.expire(depositId, { ...system(), idempotencyKey: `expire:${depositId}` }),
        logger,
        'deposit-reservation-expiry',
      );
    },
  };

  /** Refunds of deposits that ended recently, in case a crash came between the decision and the payout. */
  const endedDeposits: ScheduledJob = {
    name: 'deposit-payout-sweep',
    cron: '*/10 * * * *',
    async run({ pool, now }) {
      const { rows } = await pool.query<{ id: string }>(
        `select id from rm.deposits where status in ('refunded', 'forfeited', 'released')
           and updated_at between $1 and $2 order by updated_at limit $3`,
        [new Date(now.getTime() - 24 * 60 * MINUTE), new Date(now.getTime() - MINUTE), BATCH],
      );
      return forEachItem(
        rows.map((r) => r.id),
        (depositId) => money.deposits.afterDepositEnded(depositId, system()),
        logger,
        'deposit-payout-sweep',
      );
    },
  };

  /** Consultations that ended: the expert is paid (less the platform's share) or the fee goes back. */
  const consultationEnds: ScheduledJob = {
    name: 'consultation-settlement',
    cron: '* * * * *',
    async run({ pool }) {
      const { rows } = await pool.query<{ id: string }>(
        `select p.id from rm.payments p join rm.bookings b on b.id = p.booking_id
          where p.purpose_kind = 'consultation' and p.status = 'captured' and not p.settled
            and b.status = any($1) order by p.updated_at limit $2`,
        [Object.keys(CONSULTATION_OUTCOME), BATCH],
      );
      return forEachItem(
        rows.map((r) => r.id),
        async (paymentId) => {
          const metadata = system();
          await money.consultations.afterBookingEnded(paymentId, metadata);
          await money.settlement.settle(paymentId, metadata);
        },
        logger,
        'consultation-settlement',
      );
    },
  };

  return [reconcile, sweep, reservationExpiry, endedDeposits, consultationEnds];
}
