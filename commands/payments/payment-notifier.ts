import type pg from 'pg';
import type { Logger } from 'pino';
import type { RealtimeHub } from '../../api/realtime/hub.js';
import { waitForProjection } from '../../projections/status.js';
import type { EventStore } from '../eventstore/port.js';
import { startLiveSubscription } from '../live-subscription.js';

const MONEY_STREAM = /^(payment|deposit)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

interface MoneyRow {
  user_id: string;
  payment_id: string | null;
  deposit_id: string | null;
  status: string;
}

/**
 * Pushes `payment.changed` to the payer's sockets whenever one of their payments or deposits gets
 * a new event, once the `payments` read model holds it (so the page's refetch sees the change).
 * A live subscription (startLiveSubscription): the past needs no push. Events that arrive
 * together wait for the read model once and are looked up with one query per table.
 */
export function startPaymentNotifier(deps: { store: EventStore; pool: pg.Pool; hub: RealtimeHub; logger: Logger }) {
  const filter = { streamPrefixes: ['payment-', 'deposit-'] };
  return startLiveSubscription(deps, 'payment notifier', filter, async (events) => {
    const changes = events.flatMap((event) => {
      const match = MONEY_STREAM.exec(event.streamName); // not deposit-policy-…
      return match ? [{ event, isPayment: match[1] === 'payment', id: match[2] as string }] : [];
    });
    const last = changes.at(-1);
    if (!last) return;
    await waitForProjection(deps.pool, 'payments', last.event.position, 5_000);
    const idsOf = (isPayment: boolean) => [
      ...new Set(changes.filter((c) => c.isPayment === isPayment).map((c) => c.id)),
    ];
    const [payments, deposits] = await Promise.all([
      rowsById(
        deps.pool,
        'select id, payer_id as user_id, id as payment_id, deposit_id, status from rm.payments where id = any($1::uuid[])',
        idsOf(true),
      ),
      rowsById(
        deps.pool,
        'select id, customer_id as user_id, payment_id, id as deposit_id, status from rm.deposits where id = any($1::uuid[])',
        idsOf(false),
      ),
    ]);
    await Promise.all(
      changes.flatMap(({ event, isPayment, id }) => {
        const row = (isPayment ? payments : deposits).get(id);
        if (!row) return [];
        return [
          deps.hub.publish(row.user_id, {
            type: 'payment.changed',
            data: { paymentId: row.payment_id, depositId: row.deposit_id, status: row.status, event: event.type },
          }),
        ];
      }),
    );
  });
}

async function rowsById(pool: pg.Pool, sql: string, ids: string[]): Promise<Map<string, MoneyRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool.query<MoneyRow & { id: string }>(sql, [ids]);
  return new Map(rows.map((row) => [row.id, row]));
}
