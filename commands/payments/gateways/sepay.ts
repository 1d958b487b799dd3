import { asRecord, headerValue, requireAmount, sameSecret, text, wholeNumber } from './gateway-support.js';
import { type BankAccount, TRANSFER_REFERENCE_PREFIX, transferReference } from './manual.js';
import type { CallbackAnswer, CallbackOutcome, PaymentGateway, VerifiedCallback } from './port.js';

/**
 * SePay watches our bank account and POSTs each transfer to our webhook (`Authorization: Apikey <key>`).
 * The payer scans a VietQR image from qr.sepay.vn whose content carries our transfer reference; the webhook's
 * `content` (or `code`, when SePay's payment-code setting extracts it) is searched for that reference.
 */
export interface SepayConfig extends BankAccount {
  /** The API key set on the SePay webhook (sent back in the Authorization header). */
  apiKey: string;
  qrBaseUrl?: string;
}

const REFERENCE_PATTERN = new RegExp(`${TRANSFER_REFERENCE_PREFIX}[0-9A-F]{12}`, 'i');

export function findTransferReference(...texts: string[]): string | null {
  for (const value of texts) {
    const match = REFERENCE_PATTERN.exec(value);
    if (match) return match[0].toUpperCase();
  }
  return null;
}

export function sepayGateway(config: SepayConfig): PaymentGateway {
  const qrBase = config.qrBaseUrl ?? 'https://qr.sepay.vn/img';
  const account: BankAccount = {
    bank: config.bank,
    accountNumber: config.accountNumber,
    accountName: config.accountName,
  };

  function verify(headers: Record<string, string | string[] | undefined>, input: unknown): VerifiedCallback {
    const authorization = headerValue(headers, 'authorization') ?? '';
    const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
    if (scheme.toLowerCase() !== 'apikey' || !sameSecret(config.apiKey, rest.join(' '))) {
      return { ok: false, reason: 'bad_signature' };
    }
    const body = asRecord(input);
    const id = text(body?.id);
    const amountVnd = wholeNumber(body?.transferAmount);
    if (!body || !id || amountVnd === null || amountVnd === 0 || body.transferType !== 'in') {
      return { ok: false, reason: 'malformed' };
    }
    const reference = findTransferReference(text(body.code), text(body.content), text(body.description));
    if (!reference) return { ok: false, reason: 'malformed' };
    return {
      ok: true,
      notice: {
        gatewayRef: reference,
        outcome: 'paid',
        amountVnd,
        currency: 'VND',
        gatewayTransactionId: id,
        resultCode: 'in',
        message: `${text(body.gateway)} ${text(body.referenceCode)}`.trim(),
      },
    };
  }

  return {
    name: 'sepay',

    async createCheckout(request) {
      requireAmount(request.amountVnd);
      const reference = transferReference(request.paymentId);
      const qr = new URL(qrBase);
      qr.searchParams.set('acc', config.accountNumber);
      qr.searchParams.set('bank', config.bank);
      qr.searchParams.set('amount', String(request.amountVnd));
      qr.searchParams.set('des', reference);
      return { gatewayRef: reference, redirectUrl: null, transfer: { ...account, reference, qrUrl: qr.toString() } };
    },

    verifyCallback: (input) => verify(input.headers, input.body),

    answer(outcome: CallbackOutcome): CallbackAnswer {
      // SePay retries anything but a 2xx with success:true; retrying a transfer we cannot match would not help.
      return outcome === 'rejected'
        ? { status: 401, body: { success: false, message: 'rejected' } }
        : { status: 200, body: { success: true } };
    },

    // SePay pushes transfers; there is nothing to ask it about a payment that sent no webhook.
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
