import type { JournalEntry } from '../ledger/journal.js';
import type { DomainEvent } from '../shared/decider.js';

/** `wallet`: paid from the customer's own wallet (wallet policy on), no provider involved. */
export const GATEWAYS = ['vnpay', 'momo', 'zalopay', 'sepay', 'manual', 'wallet'] as const;
export type Gateway = (typeof GATEWAYS)[number];

/** GiaoDich states (GLOSSARY): `flagged` waits for review (wrong amount or currency) and is never captured. */
export const PAYMENT_STATUSES = [
  'initiated',
  'authorized',
  'captured',
  'refunded',
  'reversed',
  'failed',
  'expired',
  'flagged',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What a payment pays for. */
export type PaymentPurpose =
  | { kind: 'deposit'; depositId: string }
  | { kind: 'consultation'; bookingId: string; expertId: string }
  | { kind: 'wallet_topup' };

/** The customer's subject in per-party accounts. */
export const userSubject = (userId: string) => `user:${userId}`;

/** The escrow subject a deposit's or a consultation's money is held under once captured. */
export const escrowSubjectOf = (purpose: PaymentPurpose) =>
  purpose.kind === 'deposit'
    ? `deposit:${purpose.depositId}`
    : purpose.kind === 'consultation'
      ? `booking:${purpose.bookingId}`
      : null;

/**
 * Facts about one payment transaction (stream `payment-<paymentId>`). `principalVnd` is what the
 * purpose costs (the deposit, the session); `feeVnd` is the platform fee charged on top, booked on
 * its own line and never taken out of the principal (SRS §6.3).
 */
export type PaymentEvent =
  | DomainEvent<
      'PaymentInitiated',
      {
        paymentId: string;
        payerId: string;
        purpose: PaymentPurpose;
        principalVnd: number;
        feeVnd: number;
        gateway: Gateway;
        gatewayRef: string;
        expiresAt: string;
      }
    >
  /** The provider (or staff, for a bank transfer) says the money arrived; not yet applied. */
  | DomainEvent<
      'PaymentAuthorized',
      {
        paymentId: string;
        gatewayTransactionId: string;
        amountVnd: number;
        /** Arrived after the payment had failed or expired: it is applied only if still wanted. */
        late: boolean;
        confirmedBy: string | null;
        proofFileId: string | null;
        journal: JournalEntry;
      }
    >
  | DomainEvent<
      'PaymentFlagged',
      {
        paymentId: string;
        reason: 'amount_mismatch' | 'currency_mismatch';
        receivedVnd: number;
        currency: string;
        gatewayTransactionId: string;
        journal: JournalEntry;
      }
    >
  | DomainEvent<'PaymentCaptured', { paymentId: string; principalVnd: number; feeVnd: number; journal: JournalEntry }>
  | DomainEvent<'PaymentFailed', { paymentId: string; resultCode: string; message: string }>
  | DomainEvent<'PaymentExpired', { paymentId: string }>
  /** The money is to go back whole before capture (room taken, flagged, not wanted); the gateway is asked next. */
  | DomainEvent<'PaymentVoidRequested', { paymentId: string; reason: string }>
  | DomainEvent<
      'PaymentReversed',
      { paymentId: string; reason: string; amountVnd: number; refundRef: string | null; journal: JournalEntry }
    >
  | DomainEvent<
      'PaymentRefundRequested',
      { paymentId: string; refundId: string; amountVnd: number; reason: string; journal: JournalEntry | null }
    >
  | DomainEvent<
      'PaymentRefunded',
      { paymentId: string; refundId: string; amountVnd: number; refundRef: string | null; journal: JournalEntry }
    >
  /** A consultation held: its escrow goes to the expert, less the platform's commission. */
  | DomainEvent<
      'PaymentSettled',
      { paymentId: string; expertId: string; expertShareVnd: number; platformShareVnd: number; journal: JournalEntry }
    >;

export const PAYMENT_EVENT_TYPES: PaymentEvent['type'][] = [
  'PaymentInitiated',
  'PaymentAuthorized',
  'PaymentFlagged',
  'PaymentCaptured',
  'PaymentFailed',
  'PaymentExpired',
  'PaymentVoidRequested',
  'PaymentReversed',
  'PaymentRefundRequested',
  'PaymentRefunded',
  'PaymentSettled',
];

export const paymentStream = (paymentId: string) => `payment-${paymentId}`;
