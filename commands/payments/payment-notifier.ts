import type pg from 'pg';
import type { Logger } from 'pino';
import type { RealtimeHub } from '../../api/realtime/hub.js';
import { waitForProjection } from '../../projections/status.js';
import type { EventStore } from '../eventstore/port.js';
import { startLiveSubscription } from '../live-subscription.js';

const MONEY_STREAM = /^(payment|deposit)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Pushes `payment.changed` to the payer's sockets whenever one of their payments or deposits gets
 * a new event, once the `payments` read model holds it (so the page's refetch sees the change).
 * A live subscription (startLiveSubscription): the past needs no push.
 */
export function startPaymentNotifier(deps: { store: EventStore; pool: pg.Pool; hub: RealtimeHub; logger: Logger }) {
  const filter = { streamPrefixes: ['payment-', 'deposit-'] };
  return startLiveSubscription(deps, 'payment notifier', filter, async (event) => {
    const match = MONEY_STREAM.exec(event.streamName); // not deposit-policy-…
    if (!match) return;
    await waitForProjection(deps.pool, 'payments', event.position, 5_000);
    const isPayment = match[1] === 'payment';
    const { rows } = await deps.pool.query<{
      user_id: string;
      payment_id: string | null;
      deposit_id: string | null;
      status: string;
    }>(
      isPayment
        ? 'select payer_id as user_id, id as payment_id, deposit_id, status from rm.payments where id = $1'
        : 'select customer_id as user_id, payment_id, id as deposit_id, status from rm.deposits where id = $1',
      [match[2]],
    );
    const row = rows[0];
    if (!row) return;
    await deps.hub.publish(row.user_id, {
      type: 'payment.changed',
      data: { paymentId: row.payment_id, depositId: row.deposit_id, status: row.status, event: event.type },
    });
  });
}
