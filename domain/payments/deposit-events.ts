import type { DepositPolicyTerms, DepositType } from '../catalog/deposit-policy-events.js';
import type { JournalEntry } from '../ledger/journal.js';
import type { DomainEvent } from '../shared/decider.js';

/**
 * Coc states (GLOSSARY): `awaiting_payment` until its payment is captured, then `held`; it ends
 * `converted` (a reservation became part of a security deposit), `released` (after handover),
 * `refunded` (all or part back; the rest forfeited), `forfeited` (nothing back), or, if never
 * paid, `cancelled` (payment failed, expired, or the room was taken first).
 */
export const DEPOSIT_STATUSES = [
  'awaiting_payment',
  'held',
  'converted',
  'released',
  'refunded',
  'forfeited',
  'cancelled',
] as const;
export type DepositStatus = (typeof DEPOSIT_STATUSES)[number];

export const RELEASE_MODES = ['refund', 'offset_first_rent'] as const;
export type ReleaseMode = (typeof RELEASE_MODES)[number];

/** Part of a security deposit kept for the owner at release (damage, unpaid bills), with why. */
export interface DepositDeduction {
  reason: string;
  amountVnd: number;
}

/** The policy version a deposit was taken under; later revisions never change it. */
export interface PolicySnapshot {
  policyId: string;
  version: number;
  terms: DepositPolicyTerms;
}

export interface DepositParties {
  customerId: string;
  ownerId: string;
  listingId: string;
  roomId: string;
  projectId: string;
  areaId: string | null;
  /** The sales staff member credited with the deal (the viewing's, or who confirmed the transfer). */
  salesStaffId: string | null;
}

export type DepositEvent =
  | DomainEvent<
      'DepositRequested',
      DepositParties & {
        depositId: string;
        kind: DepositType;
        amountVnd: number;
        feeVnd: number;
        policy: PolicySnapshot;
        /** The payment of the part still due; null when a conversion covers it all. */
        paymentId: string | null;
        /** The reservation deposit converted into this one and the amount it brings. */
        convertedFrom: { depositId: string; amountVnd: number; paymentIds: string[] } | null;
        /** Which hold the room stream knows (a converted deposit keeps the reservation's hold). */
        roomHoldId: string;
      }
    >
  | DomainEvent<'DepositHeld', { depositId: string; heldAt: string; expiresAt: string | null }>
  | DomainEvent<'DepositCancelled', { depositId: string; reason: string }>
  | DomainEvent<
      'DepositConverted',
      { depositId: string; intoDepositId: string; amountVnd: number; journal: JournalEntry }
    >
  | DomainEvent<
      'DepositRefunded',
      {
        depositId: string;
        reason: 'customer_cancelled' | 'ttl_expired' | 'operator_cancelled';
        refundPercent: number;
        refundVnd: number;
        forfeitVnd: number;
        journal: JournalEntry;
      }
    >
  | DomainEvent<
      'DepositReleased',
      {
        depositId: string;
        mode: ReleaseMode;
        handoverId: string;
        amountVnd: number;
        /** Kept for the owner at move-out, each its own owner_payable line; absent in older events. */
        deductions?: DepositDeduction[];
        journal: JournalEntry;
      }
    >
  | DomainEvent<
      'CommissionAccrued',
      { depositId: string; staffId: string; basis: 'deposit'; amountVnd: number; journal: JournalEntry }
    >;

export const DEPOSIT_EVENT_TYPES: DepositEvent['type'][] = [
  'DepositRequested',
  'DepositHeld',
  'DepositCancelled',
  'DepositConverted',
  'DepositRefunded',
  'DepositReleased',
  'CommissionAccrued',
];

export const depositStream = (depositId: string) => `deposit-${depositId}`;
