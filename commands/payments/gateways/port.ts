/**
 * A payment gateway as the money flows see it. Each adapter speaks its provider's published
 * protocol (VNPay, MoMo, ZaloPay, SePay) or records an offline bank transfer (manual). Amounts
 * are integer VND; `paymentId` is our payment transaction's id (stream `payment-<paymentId>`).
 */
import type { Gateway } from '../../../domain/payments/payment-events.js';

/** Every way to pay (the domain's list); `wallet` is the customer's own wallet, no provider. */
export type GatewayName = Gateway;
/** The payment providers configured from the environment. */
export type ProviderName = Exclude<GatewayName, 'wallet'>;

export interface CheckoutRequest {
  paymentId: string;
  /** Who pays (the wallet checks their balance; providers do not need it). */
  payerId: string;
  /** The whole sum the customer pays (deposit + platform fee), integer VND. */
  amountVnd: number;
  /** Shown to the payer (ASCII is safest: some providers reject accents). */
  description: string;
  /** Where the provider sends the payer's browser back. */
  returnUrl: string;
  /** Where the provider posts its server-to-server notice (IPN / callback / webhook). */
  notifyUrl: string;
  clientIp: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface Checkout {
  /** The provider's reference for this payment (VNPay vnp_TxnRef, MoMo orderId, ZaloPay app_trans_id, SePay code). */
  gatewayRef: string;
  /** Where to send the payer's browser; null when they pay by transferring money (SePay, manual). */
  redirectUrl: string | null;
  /** Bank transfer instructions (SePay QR, manual): the transfer content must carry `reference`. */
  transfer?: { bank: string; accountNumber: string; accountName: string; reference: string; qrUrl: string | null };
}

/** What a verified provider notice says happened. */
export interface GatewayNotice {
  gatewayRef: string;
  outcome: 'paid' | 'failed';
  /** What the provider says it took, integer VND. */
  amountVnd: number;
  currency: string;
  /** The provider's own id of the money movement (dedupes replays; used for refunds). */
  gatewayTransactionId: string;
  /** Provider result code and message, for the audit trail. */
  resultCode: string;
  message: string;
}

/** An incoming HTTP callback as received (query for GET IPNs, body for POSTs). */
export interface CallbackInput {
  query: Record<string, string | undefined>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** The provider-specific answer our endpoint must give (VNPay wants JSON RspCode, ZaloPay return_code…). */
export interface CallbackAnswer {
  status: number;
  body: unknown;
}

export type CallbackOutcome = 'accepted' | 'duplicate' | 'unknown_payment' | 'amount_mismatch' | 'rejected';

export type VerifiedCallback =
  | { ok: true; notice: GatewayNotice }
  | { ok: false; reason: 'bad_signature' | 'malformed' };

export interface GatewayStatus {
  state: 'paid' | 'failed' | 'pending' | 'unknown';
  amountVnd: number | null;
  gatewayTransactionId: string | null;
}

export interface RefundRequest {
  paymentId: string;
  gatewayRef: string;
  gatewayTransactionId: string;
  /** Full amount originally paid (some providers need it) and the amount to return now. */
  paidVnd: number;
  amountVnd: number;
  refundId: string;
  reason: string;
  at: Date;
}

export interface RefundResult {
  ok: boolean;
  refundRef: string | null;
  message: string;
}

export interface PaymentGateway {
  readonly name: GatewayName;
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  /** Checks the signature before reading anything else; never throws for bad input. */
  verifyCallback(input: CallbackInput): VerifiedCallback;
  /** What to answer the provider once we handled (or refused) the notice. */
  answer(outcome: CallbackOutcome): CallbackAnswer;
  /** Verifies the payer's browser return (same signature rules); null when the provider has none. */
  verifyReturn?(query: Record<string, string | undefined>): VerifiedCallback;
  /** Asks the provider what became of a payment (reconciliation when a callback is missing). */
  queryStatus(request: { paymentId: string; gatewayRef: string; createdAt: Date }): Promise<GatewayStatus>;
  refund(request: RefundRequest): Promise<RefundResult>;
}
