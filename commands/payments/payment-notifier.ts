import type pg from 'pg';
import type { Logger } from 'pino';
import type { RealtimeHub } from '../../api/realtime/hub.js';
import { waitForProjection } from '../../projections/status.js';
import type { EventStore } from '../eventstore/port.js';

const MONEY_STREAM = /^(payment|deposit)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Pushes `payment.changed` to the payer's sockets whenever one of their payments or deposits gets
 * a new event, once the `payments` read model holds it (so the page's refetch sees the change).
 * A live subscription from the end, like the slot-change notifier: the past needs no push.
 */
export function startPaymentNotifier(deps: { store: EventStore; pool: pg.Pool; hub: RealtimeHub; logger: Logger }) {
  const subscription = deps.store.subscribeToAll({ from: 'end', filter: { streamPrefixes: ['payment-', 'deposit-'] } });
  const running = (async () => {
    for await (const event of subscription) {
      const match = MONEY_STREAM.exec(event.streamName); // not deposit-policy-…
      if (!match) continue;
      await waitForProjection(deps.pool, 'payments', event.position, 5_000);
      const isPayment = match[1] === 'payment';
      const id = match[2] as string;
      const { rows } = await deps.pool.query<{
        user_id: string;
        payment_id: string | null;
        deposit_id: string | null;
        status: string;
      }>(
        isPayment
          ? 'select payer_id as user_id, id as payment_id, deposit_id, status from rm.payments where id = $1'
          : 'select customer_id as user_id, payment_id, id as deposit_id, status from rm.deposits where id = $1',
        [id],
      );
      const row = rows[0];
      if (!row) continue;
      await deps.hub.publish(row.user_id, {
        type: 'payment.changed',
        data: { paymentId: row.payment_id, depositId: row.deposit_id, status: row.status, event: event.type },
      });
    }
  })().catch((error: unknown) => deps.logger.error({ err: error }, 'payment notifier stopped'));
  return {
    async stop() {
      await subscription.close();
      await running;
    },
  };
}
