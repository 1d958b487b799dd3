import type pg from 'pg';
import type { DepositType } from '../../domain/catalog/deposit-policy-events.js';
import type { ContractStatus } from '../../domain/contracts/contract-events.js';
import type { HandoverKind, HandoverStatus } from '../../domain/contracts/handover-events.js';
import type { DepositStatus } from '../../domain/payments/deposit-events.js';
import { isUuid } from '../identity/profiles-queries.js';
import type { Row } from './read-helpers.js';

/**
 * Where a customer is in renting a room: paying/holding the deposit, the contract being prepared
 * (fields missing), signing it, the move-in handover, living there, moved out.
 */
export const RENTAL_STEPS = ['deposit', 'contract', 'signing', 'handover', 'living', 'moved_out'] as const;
export type RentalStep = (typeof RENTAL_STEPS)[number];

export interface RentalView {
  depositId: string;
  listingId: string;
  listingTitle: string | null;
  roomId: string;
  roomName: string | null;
  projectId: string;
  projectName: string | null;
  deposit: { id: string; kind: DepositType; status: DepositStatus; amountVnd: number };
  contract: { id: string; status: ContractStatus; missing: string[]; signedBy: string[] } | null;
  /** The latest report not cancelled (the latest one when all were). */
  handover: { id: string; kind: HandoverKind; status: HandoverStatus } | null;
  step: RentalStep;
  createdAt: string;
}

/** The facts a step is decided by. */
export interface RentalFacts {
  /** `signed`: both parties signed (it may have expired or been cancelled since). */
  contract: { missing: string[]; signed: boolean } | null;
  movedIn: boolean;
  movedOut: boolean;
}

/**
 * The furthest step reached. A cancelled or expired contract keeps the step it ended at: the
 * contract's own status tells that it ended.
 */
export function rentalStep({ contract, movedIn, movedOut }: RentalFacts): RentalStep {
  if (contract === null) return 'deposit';
  if (movedOut) return 'moved_out';
  if (movedIn) return 'living';
  if (contract.signed) return 'handover';
  return contract.missing.length > 0 ? 'contract' : 'signing';
}

/**
 * The customer's rentals, one per deposit, newest first. A reservation converted into a security
 * deposit continues as that deposit; deposits cancelled before payment are left out.
 */
export async function myRentals(pool: pg.Pool, customerId: string, limit = 100): Promise<RentalView[]> {
  if (!isUuid(customerId)) return [];
  const { rows } = await pool.query(
    `select d.id, d.kind, d.status, d.amount_vnd, d.listing_id, d.room_id, d.project_id, d.created_at,
        l.title as listing_title, r.name as room_name, p.name as project_name,
        c.id as contract_id, c.status as contract_status, c.missing as contract_missing,
        c.signatures as contract_signatures, c.signed_at as contract_signed_at,
        h.id as handover_id, h.kind as handover_kind, h.status as handover_status,
        coalesce(done.moved_in, false) as moved_in, coalesce(done.moved_out, false) as moved_out
      from rm.deposits d
      left join rm.listings l on l.id = d.listing_id
      left join rm.rooms r on r.id = d.room_id
      left join rm.projects p on p.id = d.project_id
      left join rm.contracts c on c.deposit_id = d.id
      left join lateral (
        select id, kind, status from rm.handovers
          where contract_id = c.id
          order by status = 'cancelled', created_at desc, id desc
          limit 1
      ) h on true
      left join lateral (
        select bool_or(kind = 'move_in' and status = 'completed') as moved_in,
            bool_or(kind = 'move_out' and status = 'completed') as moved_out
          from rm.handovers where contract_id = c.id
      ) done on true
      where d.customer_id = $1 and d.status not in ('converted', 'cancelled')
      order by d.created_at desc, d.id desc
      limit $2`,
    [customerId, limit],
  );
  return rows.map((row: Row): RentalView => {
    const contract =
      row.contract_id === null
        ? null
        : {
            id: row.contract_id,
            status: row.contract_status,
            missing: row.contract_missing,
            signedBy: (row.contract_signatures as { party: string }[]).map((s) => s.party),
          };
    return {
      depositId: row.id,
      listingId: row.listing_id,
      listingTitle: row.listing_title ?? null,
      roomId: row.room_id,
      roomName: row.room_name ?? null,
      projectId: row.project_id,
      projectName: row.project_name ?? null,
      deposit: { id: row.id, kind: row.kind, status: row.status, amountVnd: Number(row.amount_vnd) },
      contract,
      handover:
        row.handover_id === null ? null : { id: row.handover_id, kind: row.handover_kind, status: row.handover_status },
      step: rentalStep({
        contract: contract === null ? null : { missing: contract.missing, signed: row.contract_signed_at !== null },
        movedIn: row.moved_in,
        movedOut: row.moved_out,
      }),
      createdAt: row.created_at.toISOString(),
    };
  });
}
