// What the money pages show: badge tones, final states, the customer's words for a reason, the
// refund a cancellation would give (a mirror of refundPercentAt in domain/payments/deposit.ts: the
// server decides, the UI only explains), and date ranges for the report filters.
import { ApiError } from '../api';
import { formatVnd } from '../catalog';
import type { RefundRule } from '../deposit-policies';
import { hasKey } from '../i18n';
import { errorText, locale, t } from '../locale.svelte';
import type { DepositStatus, PaymentStatus } from './types';

export type Tone = 'ok' | 'warn' | 'bad' | '';

export const PAYMENT_TONE: Record<PaymentStatus, Tone> = {
  initiated: 'warn',
  authorized: 'warn',
  captured: 'ok',
  refunded: '',
  reversed: '',
  failed: 'bad',
  expired: 'bad',
  flagged: 'bad',
};

export const DEPOSIT_TONE: Record<DepositStatus, Tone> = {
  awaiting_payment: 'warn',
  held: 'ok',
  converted: '',
  released: '',
  refunded: '',
  forfeited: 'bad',
  cancelled: 'bad',
};

/**
 * A payment page stops polling once the payment reaches one of these (`flagged` waits for an
 * administrator, which can take days: the socket still brings its change).
 */
export const FINAL_PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'captured',
  'reversed',
  'failed',
  'refunded',
  'expired',
  'flagged',
];
export const isFinalPayment = (status: PaymentStatus) => FINAL_PAYMENT_STATUSES.includes(status);

/** The customer's words for a reason code (room_taken, amount_mismatch, …); unknown codes as sent. */
export function reasonText(reason: string | null | undefined): string {
  if (!reason) return '';
  const key = `money.reason.${reason}`;
  return hasKey(key) ? t(key) : reason;
}

const HOUR = 3_600_000;

/** Percent of a held deposit given back if cancelled at `now` (move-in rules count once the date is known). */
export function refundPercentAt(rules: readonly RefundRule[], heldAt: Date, moveInAt: Date | null, now: Date): number {
  let best: { deadline: number; percent: number } | null = null;
  for (const rule of rules) {
    const base = rule.event === 'deposit_paid' ? heldAt : moveInAt;
    if (base === null) continue;
    const deadline = base.getTime() + rule.offsetHours * HOUR;
    if (deadline < now.getTime()) continue;
    if (best === null || deadline < best.deadline) best = { deadline, percent: rule.refundPercent };
  }
  return best?.percent ?? 0;
}

/** Refund and forfeit (integer VND) of cancelling a held deposit now. */
export function refundPreview(
  amountVnd: number,
  rules: readonly RefundRule[],
  heldAt: string | null,
  now = new Date(),
) {
  const percent = refundPercentAt(rules, heldAt ? new Date(heldAt) : now, null, now);
  const refundVnd = Math.floor((amountVnd * percent) / 100);
  return { percent, refundVnd, forfeitVnd: amountVnd - refundVnd };
}

// --- Date ranges (YYYY-MM-DD, the browser's calendar) ---

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The first and last day of the month `offset` months from this one. */
export function monthRange(offset = 0, today = new Date()): { from: string; to: string } {
  const first = new Date(today.getFullYear(), today.getMonth() + offset, 1);
  const last = new Date(today.getFullYear(), today.getMonth() + offset + 1, 0);
  return { from: isoDay(first), to: isoDay(last) };
}

/** The last `days` days up to today. */
export function lastDays(days: number, today = new Date()): { from: string; to: string } {
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - days + 1);
  return { from: isoDay(first), to: isoDay(today) };
}

/** Integer VND in the UI language ("1.250.000 ₫"). */
export const vnd = (amount: number) => formatVnd(amount, locale.lang);

/** A money API error in the UI language: `money.err.<CODE>` first, then the shared `err.<CODE>`. */
export function moneyErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    const key = `money.err.${e.code}`;
    if (hasKey(key)) return t(key);
  }
  return errorText(e);
}

/** A report period (`YYYY-MM-DD`, its first day) as a short label: 05/03, or 03/2025 for a month. */
export function periodLabel(period: string, groupBy: 'day' | 'week' | 'month'): string {
  const [y, m, d] = period.slice(0, 10).split('-');
  if (!y || !m) return period;
  return groupBy === 'month' ? `${m}/${y}` : `${d ?? '01'}/${m}`;
}
