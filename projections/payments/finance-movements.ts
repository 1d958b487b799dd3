import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { RecordedEvent } from '../../commands/eventstore/port.js';

/**
 * What a finance report sums, one row per amount of one event: `principal` (captured, of a deposit
 * or a consultation), `fee` (the platform fee captured on top), `refund` (decided to go back to the
 * customer: credits to refunds_payable), `forfeit` (a cancelled deposit's part kept for the owner),
 * `commission` (accrued to sales staff).
 */
export const MOVEMENT_KINDS = ['principal', 'fee', 'refund', 'forfeit', 'commission'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** Where and when an event's changes are written. */
export type Write = { trx: Transaction<unknown>; t: (name: string) => RawBuilder<unknown>; at: Date };

/** One amount a report sums; zero amounts are no movement. */
export async function recordMovement(
  { trx, t, at }: Write,
  recorded: RecordedEvent,
  kind: MovementKind,
  amountVnd: number,
  ref: { paymentId: string | null; depositId: string | null },
) {
  if (amountVnd <= 0) return;
  const depositOfPayment = ref.depositId ?? sql`(select deposit_id from ${t('payments')} where id = ${ref.paymentId})`;
  await sql`insert into ${t('finance_movements')} (event_id, kind, amount_vnd, at, payment_id, deposit_id)
    values (${recorded.eventId}, ${kind}, ${amountVnd}, ${at}, ${ref.paymentId}, ${depositOfPayment})
    on conflict do nothing`.execute(trx);
}
