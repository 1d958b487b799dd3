import { createHash } from 'node:crypto';
import { requireAmount } from './gateway-support.js';
import type { CallbackAnswer, PaymentGateway } from './port.js';

/** Where customers transfer money when no provider is involved (staff confirm receipt elsewhere). */
export interface BankAccount {
  /** Bank short name as VietQR/SePay know it, e.g. "Vietcombank", "MBBank". */
  bank: string;
  accountNumber: string;
  accountName: string;
}

export const TRANSFER_REFERENCE_PREFIX = 'PTV';

/**
 * The code the payer writes in the transfer content. Letters and digits only, because banks strip or replace
 * punctuation in transfer contents; derived from the payment id so a repeated checkout shows the same code.
 */
export function transferReference(paymentId: string): string {
  const digest = createHash('sha256').update(paymentId).digest('hex').slice(0, 12).toUpperCase();
  return `${TRANSFER_REFERENCE_PREFIX}${digest}`;
}

export function manualTransferGateway(account: BankAccount): PaymentGateway {
  return {
    name: 'manual',

    async createCheckout(request) {
      requireAmount(request.amountVnd);
      const reference = transferReference(request.paymentId);
      return { gatewayRef: reference, redirectUrl: null, transfer: { ...account, reference, qrUrl: null } };
    },

    // No provider sends notices for a plain transfer: staff confirm it through their own command.
    verifyCallback: () => ({ ok: false, reason: 'malformed' }),
    answer: (): CallbackAnswer => ({ status: 404, body: { message: 'manual transfers have no provider callback' } }),

    async queryStatus() {
      return { state: 'unknown', amountVnd: null, gatewayTransactionId: null };
    },

    async refund(request) {
      return {
        ok: true,
        refundRef: null,
        message: `Staff pay ${request.amountVnd} VND back to the customer by bank transfer (refund ${request.refundId})`,
      };
    },
  };
}
