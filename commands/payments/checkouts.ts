import type pg from 'pg';
import type { Checkout, GatewayName } from './gateways/port.js';

/**
 * Which payment a gateway reference belongs to, and the checkout its payer was given (a
 * provider's URL is no domain fact, so it is kept here, not in an event). Written with the
 * payment's first event, before the payer is given the checkout, so a callback can always find
 * its payment.
 */
export const paymentCheckoutsSchema = `
create table if not exists ops.payment_checkouts (
  payment_id uuid primary key,
  gateway text not null,
  gateway_ref text not null,
  checkout_url text,
  transfer jsonb,
  created_at timestamptz not null default now(),
  unique (gateway, gateway_ref)
);`;

export function checkoutStore(pool: pg.Pool) {
  return {
    async remember(paymentId: string, gateway: GatewayName, checkout: Checkout): Promise<void> {
      await pool.query(
        `insert into ops.payment_checkouts (payment_id, gateway, gateway_ref, checkout_url, transfer)
         values ($1, $2, $3, $4, $5) on conflict (payment_id) do update
         set gateway_ref = excluded.gateway_ref, checkout_url = excluded.checkout_url, transfer = excluded.transfer`,
        [
          paymentId,
          gateway,
          checkout.gatewayRef,
          checkout.redirectUrl,
          checkout.transfer ? JSON.stringify(checkout.transfer) : null,
        ],
      );
    },
    async paymentOf(gateway: GatewayName, gatewayRef: string): Promise<string | null> {
      const { rows } = await pool.query<{ payment_id: string }>(
        'select payment_id from ops.payment_checkouts where gateway = $1 and gateway_ref = $2',
        [gateway, gatewayRef],
      );
      return rows[0]?.payment_id ?? null;
    },
    /** SePay and manual transfers name the payment by a reference found inside the transfer's text. */
    async paymentByReferenceIn(gateway: GatewayName, text: string): Promise<string | null> {
      const { rows } = await pool.query<{ payment_id: string }>(
        `select payment_id from ops.payment_checkouts
          where gateway = $1 and position(upper(gateway_ref) in upper($2)) > 0 limit 1`,
        [gateway, text],
      );
      return rows[0]?.payment_id ?? null;
    },
  };
}

export type CheckoutStore = ReturnType<typeof checkoutStore>;
