import type { DepositAmountRule } from '../catalog/deposit-policy-events.js';

/**
 * The platform fee on a deposit (system policy, UC-ADMIN-05): a percentage of the deposit within
 * a floor and a ceiling, charged on top of the deposit and booked on its own line (SRS §6.3).
 */
export const PLATFORM_FEE_POLICY = { percent: 1, minVnd: 10_000, maxVnd: 500_000 } as const;

/** The platform's share of a consultation fee when the session is held; the expert gets the rest. */
export const CONSULTATION_PLATFORM_PERCENT = 10;

/** How long a payer has on the gateway's page before the payment expires. */
export const PAYMENT_WINDOW_MINUTES = 15;

/** A bank transfer (SePay, manual) takes longer: the payer goes to their bank, staff may confirm by hand. */
export const TRANSFER_WINDOW_HOURS = 24;

/** A callback missing this long after the payer was sent to the gateway makes us ask the gateway. */
export const RECONCILE_AFTER_MINUTES = 5;

export function platformFeeFor(depositVnd: number): number {
  if (depositVnd <= 0) return 0;
  const { percent, minVnd, maxVnd } = PLATFORM_FEE_POLICY;
  return Math.min(maxVnd, Math.max(minVnd, Math.floor((depositVnd * percent) / 100)));
}

/** A deposit rule applied to a monthly rent: a fixed sum, or months of rent rounded to the đồng. */
export function depositAmountFor(rule: DepositAmountRule, monthlyRentVnd: number): number {
  return rule.kind === 'fixed' ? rule.amount : Math.round(monthlyRentVnd * rule.months);
}
