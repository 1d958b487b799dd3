import type { DomainEvent } from '../shared/decider.js';

export const DEPOSIT_TYPES = ['reservation', 'security'] as const;
export type DepositType = (typeof DEPOSIT_TYPES)[number];

export const REFUND_EVENTS = ['deposit_paid', 'move_in'] as const;
export type RefundEvent = (typeof REFUND_EVENTS)[number];

export const DEPOSIT_POLICY_STATUSES = ['active', 'disabled', 'deleted'] as const;
export type DepositPolicyStatus = (typeof DEPOSIT_POLICY_STATUSES)[number];

/** How much a deposit is: a fixed sum of VND, or a number of months of the listing's rent. */
export type DepositAmountRule = { kind: 'fixed'; amount: number } | { kind: 'months_of_rent'; months: number };

/**
 * Cancelled up to `offsetHours` around `event` (negative = before it), the customer gets
 * `refundPercent` of the deposit back.
 */
export interface RefundRule {
  event: RefundEvent;
  offsetHours: number;
  refundPercent: number;
}

/** When a commission is earned: once the deposit is held (the default), or at the completed handover. */
export const COMMISSION_TRIGGERS = ['deposit_held', 'handover_completed'] as const;
export type CommissionTrigger = (typeof COMMISSION_TRIGGERS)[number];

/** The sales commission of a deal (applied by the deposit); `on` absent in old events = deposit_held. */
export type CommissionRule =
  | { kind: 'none' }
  | { kind: 'percent_of_deposit'; percent: number; on?: CommissionTrigger }
  | { kind: 'fixed'; amount: number; on?: CommissionTrigger };

/**
 * What the completed move-in handover does with a security deposit: offset it against the first
 * rent (paid to the owner), refund it then, or keep it until the move-out handover.
 */
export const SECURITY_RELEASES = ['offset_first_rent', 'refund_at_move_in', 'refund_at_move_out'] as const;
export type SecurityRelease = (typeof SECURITY_RELEASES)[number];

/**
 * What a policy says (ChinhSachCoc, SRS UC-ADMIN-09). Reservation fields are null when
 * reservation deposits are not allowed, the security amount when security deposits are not.
 * Money is integer VND.
 */
export interface DepositPolicyTerms {
  allowedDepositTypes: DepositType[];
  reservationTtlHours: number | null;
  reservationAmount: DepositAmountRule | null;
  securityAmount: DepositAmountRule | null;
  /** Sorted: `deposit_paid` rules first, then `move_in`, each by offset. */
  refundRules: RefundRule[];
  convertReservationToSecurity: boolean;
  /** The SRS makes it a rule: a security deposit is released only after a completed handover. */
  releaseRequiresHandover: true;
  /** Absent in events written before it existed: read it with `securityReleaseOf`. */
  securityRelease?: SecurityRelease;
  commission: CommissionRule;
}

export const securityReleaseOf = (terms: DepositPolicyTerms): SecurityRelease =>
  terms.securityRelease ?? 'offset_first_rent';

export const commissionTriggerOf = (rule: CommissionRule): CommissionTrigger =>
  rule.kind === 'none' ? 'deposit_held' : (rule.on ?? 'deposit_held');

/**
 * Facts about one deposit policy (stream `deposit-policy-<policyId>`). `ownerId` null is an
 * admin template. Every revision is a new version; deposits snapshot the version they were
 * taken under, so earlier versions are never changed.
 */
export type DepositPolicyEvent =
  | DomainEvent<
      'DepositPolicyCreated',
      { policyId: string; ownerId: string | null; name: string; version: 1; terms: DepositPolicyTerms }
    >
  | DomainEvent<'DepositPolicyRevised', { policyId: string; version: number; name: string; terms: DepositPolicyTerms }>
  /** `byAdmin`: a template manager disabled someone else's policy; only a manager enables it again. */
  | DomainEvent<'DepositPolicyDisabled', { policyId: string; byAdmin: boolean }>
  | DomainEvent<'DepositPolicyEnabled', { policyId: string }>
  | DomainEvent<'DepositPolicyDeleted', { policyId: string }>;

export const DEPOSIT_POLICY_EVENT_TYPES: DepositPolicyEvent['type'][] = [
  'DepositPolicyCreated',
  'DepositPolicyRevised',
  'DepositPolicyDisabled',
  'DepositPolicyEnabled',
  'DepositPolicyDeleted',
];

export const depositPolicyStream = (policyId: string) => `deposit-policy-${policyId}`;
