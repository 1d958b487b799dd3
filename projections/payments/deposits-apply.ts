import { type RawBuilder, sql } from 'kysely';
import type { RecordedEvent } from '../../commands/eventstore/port.js';
import { deductedVnd } from '../../domain/payments/deposit-deductions.js';
import type { DepositEvent } from '../../domain/payments/deposit-events.js';
import { recordMovement, type Write } from './finance-movements.js';

/** Deposit events into `deposits`, `commissions` and `finance_movements` (see payments-projection.ts). */
export async function applyDepositEvent(recorded: RecordedEvent, write: Write) {
  const { trx, t, at } = write;
  const event = { type: recorded.type, data: recorded.data } as DepositEvent;
  const id = event.data.depositId;
  const update = (changes: RawBuilder<unknown>) =>
    sql`update ${t('deposits')} set ${changes}, updated_at = ${at} where id = ${id}`.execute(trx);
  const ref = { paymentId: null, depositId: id };
  switch (event.type) {
    case 'DepositRequested': {
      const d = event.data;
      await sql`insert into ${t('deposits')} (id, kind, status, customer_id, owner_id, listing_id, room_id, project_id,
          area_id, sales_staff_id, amount_vnd, fee_vnd, converted_vnd, converted_from_id, payment_id, policy_id,
          policy_version, created_at, updated_at)
        values (${id}, ${d.kind}, 'awaiting_payment', ${d.customerId}, ${d.ownerId}, ${d.listingId}, ${d.roomId},
          ${d.projectId}, ${d.areaId}, ${d.salesStaffId}, ${d.amountVnd}, ${d.feeVnd},
          ${d.convertedFrom?.amountVnd ?? 0}, ${d.convertedFrom?.depositId ?? null}, ${d.paymentId},
          ${d.policy.policyId}, ${d.policy.version}, ${at}, ${at})
        on conflict (id) do nothing`.execute(trx);
      // The payment may have been projected first (the two streams' order is not relied on).
      await sql`update ${t('payments')} set deposit_kind = ${d.kind}, customer_id = ${d.customerId},
          owner_id = ${d.ownerId}, listing_id = ${d.listingId}, room_id = ${d.roomId}, project_id = ${d.projectId},
          area_id = ${d.areaId}, sales_staff_id = ${d.salesStaffId}
        where deposit_id = ${id}`.execute(trx);
      return;
    }
    case 'DepositHeld': {
      const expiresAt = event.data.expiresAt === null ? null : new Date(event.data.expiresAt);
      await update(sql`status = 'held', held_at = ${new Date(event.data.heldAt)}, expires_at = ${expiresAt}`);
      return;
    }
    case 'DepositCancelled':
      await update(sql`status = 'cancelled', reason = ${event.data.reason}`);
      return;
    case 'DepositConverted':
      await update(sql`status = 'converted', converted_into_id = ${event.data.intoDepositId}`);
      return;
    case 'DepositRefunded': {
      const d = event.data;
      const status = d.refundVnd > 0 ? 'refunded' : 'forfeited';
      await update(sql`status = ${status}, refund_vnd = ${d.refundVnd}, forfeit_vnd = ${d.forfeitVnd},
        reason = ${d.reason}`);
      await recordMovement(write, recorded, 'refund', d.refundVnd, ref);
      await recordMovement(write, recorded, 'forfeit', d.forfeitVnd, ref);
      return;
    }
    case 'DepositReleased': {
      const d = event.data;
      // Move-out deductions are kept for the owner: reported like a forfeit.
      const deducted = deductedVnd(d.deductions ?? []);
      const refundVnd = d.mode === 'refund' ? d.amountVnd - deducted : 0;
      await update(sql`status = 'released', release_mode = ${d.mode}, refund_vnd = ${refundVnd},
        forfeit_vnd = ${deducted}, reason = ${d.mode}`);
      await recordMovement(write, recorded, 'refund', refundVnd, ref);
      await recordMovement(write, recorded, 'forfeit', deducted, ref);
      return;
    }
    case 'CommissionAccrued': {
      const d = event.data;
      await sql`insert into ${t('commissions')} (deposit_id, staff_id, basis, amount_vnd, accrued_at)
        values (${id}, ${d.staffId}, ${d.basis}, ${d.amountVnd}, ${at}) on conflict do nothing`.execute(trx);
      await recordMovement(write, recorded, 'commission', d.amountVnd, ref);
      return;
    }
  }
}
