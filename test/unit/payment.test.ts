import { describe, test } from 'vitest';
import type { JournalEntry } from '../../domain/ledger/journal.js';
import { type GatewayNoticeInput, type PaymentCommand, paymentDecider } from '../../domain/payments/payment.js';
import type { Gateway, PaymentEvent, PaymentPurpose } from '../../domain/payments/payment-events.js';
import { scenario, testContext } from '../support/given-when-then.js';

const paymentId = 'payment-1';
const payerId = 'customer-1';
const expiresAt = '2026-11-22T03:15:00.000Z';
const depositPurpose: PaymentPurpose = { kind: 'deposit', depositId: 'deposit-1' };
const consultation: PaymentPurpose = { kind: 'consultation', bookingId: 'booking-1', expertId: 'expert-1' };

const payment = (now = '2026-11-22T03:00:00Z') => scenario(paymentDecider, testContext({ now: new Date(now) }));

const base = { paymentId, payerId, purpose: depositPurpose, gateway: 'vnpay' as Gateway, gatewayRef: 'VNP-1' };
type Over = { principalVnd?: number; feeVnd?: number; gateway?: Gateway; purpose?: PaymentPurpose };
const initiated = (over: Over = {}): PaymentEvent => ({
  type: 'PaymentInitiated',
  data: { ...base, principalVnd: 2_000_000, feeVnd: 20_000, expiresAt, ...over },
});
const initiate = (principalVnd: number, feeVnd: number): PaymentCommand => ({
  type: 'InitiatePayment',
  ...base,
  principalVnd,
  feeVnd,
  expiresAt: new Date(expiresAt),
});

const notice = (over: Partial<GatewayNoticeInput> = {}): PaymentCommand => ({
  type: 'RecordGatewayNotice',
  paymentId,
  notice: { outcome: 'paid', amountVnd: 2_020_000, currency: 'VND', gatewayTransactionId: 'gw-tx-1', ...ok, ...over },
});
const ok = { resultCode: '00', message: 'ok' };
const receivedJournal = (amountVnd: number): JournalEntry => ({
  memo: 'Nhận tiền từ cổng thanh toán',
  lines: [
    { account: 'gateway_clearing', subject: null, side: 'debit', amountVnd },
    { account: 'customer_funds', subject: 'user:customer-1', side: 'credit', amountVnd },
  ],
});
const authorized = (amountVnd = 2_020_000, late = false, gatewayTransactionId = 'gw-tx-1'): PaymentEvent => ({
  type: 'PaymentAuthorized',
  data: {
    paymentId,
    gatewayTransactionId,
    amountVnd,
    late,
    confirmedBy: null,
    proofFileId: null,
    journal: receivedJournal(amountVnd),
  },
});
const flagged = (
  reason: 'amount_mismatch' | 'currency_mismatch',
  receivedVnd: number,
  currency = 'VND',
): PaymentEvent => ({
  type: 'PaymentFlagged',
  data: {
    paymentId,
    reason,
    receivedVnd,
    currency,
    gatewayTransactionId: 'gw-tx-1',
    journal: receivedJournal(receivedVnd),
  },
});
const captured: PaymentEvent = {
  type: 'PaymentCaptured',
  data: {
    paymentId,
    principalVnd: 2_000_000,
    feeVnd: 20_000,
    journal: {
      memo: 'Ghi nhận thanh toán',
      lines: [
        { account: 'customer_funds', subject: 'user:customer-1', side: 'debit', amountVnd: 2_020_000 },
        { account: 'escrow', subject: 'deposit:deposit-1', side: 'credit', amountVnd: 2_000_000 },
        { account: 'platform_revenue', subject: null, side: 'credit', amountVnd: 20_000 },
      ],
    },
  },
};
const failed: PaymentEvent = { type: 'PaymentFailed', data: { paymentId, resultCode: '24', message: 'cancelled' } };
const voidRequested: PaymentEvent = { type: 'PaymentVoidRequested', data: { paymentId, reason: 'room_taken' } };

const refundRequested = (refundId: string, amountVnd: number, fromEscrow = false, subject = 'deposit:deposit-1') =>
  ({
    type: 'PaymentRefundRequested',
    data: {
      paymentId,
      refundId,
      amountVnd,
      reason: 'cancelled',
      journal: fromEscrow
        ? {
            memo: 'Chuyển tiền tạm giữ sang hoàn trả',
            lines: [
              { account: 'escrow', subject, side: 'debit', amountVnd },
              { account: 'refunds_payable', subject: 'user:customer-1', side: 'credit', amountVnd },
            ],
          }
        : null,
    },
  }) satisfies PaymentEvent;
const requestRefund = (refundId: string, amountVnd: number, fromEscrow = false): PaymentCommand => {
  return { type: 'RequestRefund', paymentId, refundId, amountVnd, reason: 'cancelled', fromEscrow };
};
const refunded = (refundId: string, amountVnd: number): PaymentEvent => ({
  type: 'PaymentRefunded',
  data: {
    paymentId,
    refundId,
    amountVnd,
    refundRef: `gw-${refundId}`,
    journal: {
      memo: 'Hoàn tiền qua cổng thanh toán',
      lines: [
        { account: 'refunds_payable', subject: 'user:customer-1', side: 'debit', amountVnd },
        { account: 'gateway_clearing', subject: null, side: 'credit', amountVnd },
      ],
    },
  },
});
const completeRefund = (refundId: string): PaymentCommand => ({
  type: 'CompleteRefund',
  paymentId,
  refundId,
  refundRef: `gw-${refundId}`,
});

const capture: PaymentCommand = { type: 'CapturePayment', paymentId };
const paidAndCaptured = [initiated(), authorized(), captured];

const consultCaptured: PaymentEvent = {
  type: 'PaymentCaptured',
  data: {
    paymentId,
    principalVnd: 500_001,
    feeVnd: 0,
    journal: {
      memo: 'Ghi nhận thanh toán',
      lines: [
        { account: 'customer_funds', subject: 'user:customer-1', side: 'debit', amountVnd: 500_001 },
        { account: 'escrow', subject: 'booking:booking-1', side: 'credit', amountVnd: 500_001 },
      ],
    },
  },
};
const consult = [
  initiated({ purpose: consultation, principalVnd: 500_001, feeVnd: 0 }),
  authorized(500_001),
  consultCaptured,
];

describe('initiating a payment', () => {
  test('records principal and fee; amounts are integer VND, named by field', () => {
    payment().given([]).when(initiate(2_000_000, 20_000)).thenEmits([initiated()]);
    payment().given([initiated()]).when(initiate(2_000_000, 20_000)).thenFails('PAYMENT_EXISTS');
    payment().given([]).when(initiate(0, 20_000)).thenFails('PAYMENT_AMOUNT_INVALID', 'amountVnd');
    payment().given([]).when(initiate(1_000.5, 0)).thenFails('PAYMENT_AMOUNT_INVALID', 'amountVnd');
    payment().given([]).when(initiate(10_000_000_001, 0)).thenFails('PAYMENT_AMOUNT_INVALID', 'amountVnd');
    payment().given([]).when(initiate(2_000_000, -1)).thenFails('PAYMENT_FEE_INVALID', 'feeVnd');
    payment().given([]).when(initiate(2_000_000, 0.5)).thenFails('PAYMENT_FEE_INVALID', 'feeVnd');
    payment().given([]).when(capture).thenFails('PAYMENT_NOT_FOUND');
  });
});

describe('gateway notices', () => {
  test('paid with the right amount authorizes with a balanced journal; a replay records nothing', () => {
    payment().given([initiated()]).when(notice()).thenEmits([authorized()]);
    payment().given([initiated(), authorized()]).when(notice()).thenEmits([]);
    payment().given(paidAndCaptured).when(notice()).thenEmits([]);
    payment()
      .given([initiated(), authorized()])
      .when(notice({ gatewayTransactionId: 'gw-tx-2' }))
      .thenFails('PAYMENT_ALREADY_PAID');
  });

  test('a wrong amount or currency is flagged and never captured', () => {
    payment()
      .given([initiated()])
      .when(notice({ amountVnd: 2_000_000 }))
      .thenEmits([flagged('amount_mismatch', 2_000_000)]);
    payment()
      .given([initiated(), flagged('amount_mismatch', 2_000_000)])
      .when(capture)
      .thenFails('PAYMENT_STATUS_CONFLICT');
    payment()
      .given([initiated()])
      .when(notice({ currency: 'USD' }))
      .thenEmits([flagged('currency_mismatch', 2_020_000, 'USD')]);
  });

  test('failure before success fails the payment; after success it is ignored', () => {
    payment()
      .given([initiated()])
      .when(notice({ outcome: 'failed', resultCode: '24', message: 'cancelled' }))
      .thenEmits([failed]);
    payment()
      .given([initiated(), authorized()])
      .when(notice({ outcome: 'failed' }))
      .thenEmits([]);
    payment()
      .given([initiated(), failed])
      .when(notice({ outcome: 'failed' }))
      .thenEmits([]);
  });

  test('money arriving after expiry or failure is authorized as late', () => {
    const expired: PaymentEvent = { type: 'PaymentExpired', data: { paymentId } };
    payment('2026-11-22T04:00:00Z')
      .given([initiated(), expired])
      .when(notice())
      .thenEmits([authorized(2_020_000, true)]);
    payment()
      .given([initiated(), failed])
      .when(notice())
      .thenEmits([authorized(2_020_000, true)]);
  });
});

describe('capture, void and expiry', () => {
  test('capture moves the principal to escrow and the fee to revenue on its own line', () => {
    payment().given([initiated(), authorized()]).when(capture).thenEmits([captured]);
    payment().given(paidAndCaptured).when(capture).thenEmits([]);
    payment().given([initiated()]).when(capture).thenFails('PAYMENT_STATUS_CONFLICT');
  });

  test('with no fee there is no revenue line', () => {
    payment().given(consult.slice(0, 2)).when(capture).thenEmits([consultCaptured]);
  });

  test('a void request blocks capture; completing it gives the money back to the gateway', () => {
    const paid = [initiated(), authorized()];
    payment().given(paid).when({ type: 'RequestVoid', paymentId, reason: 'room_taken' }).thenEmits([voidRequested]);
    payment()
      .given([...paid, voidRequested])
      .when({ type: 'RequestVoid', paymentId, reason: 'x' })
      .thenEmits([]);
    payment()
      .given([...paid, voidRequested])
      .when(capture)
      .thenFails('PAYMENT_STATUS_CONFLICT');
    const reversed: PaymentEvent = {
      type: 'PaymentReversed',
      data: {
        paymentId,
        reason: 'room_taken',
        amountVnd: 2_020_000,
        refundRef: 'gw-void-1',
        journal: {
          memo: 'Trả lại tiền chưa ghi nhận',
          lines: [
            { account: 'customer_funds', subject: 'user:customer-1', side: 'debit', amountVnd: 2_020_000 },
            { account: 'gateway_clearing', subject: null, side: 'credit', amountVnd: 2_020_000 },
          ],
        },
      },
    };
    payment()
      .given([...paid, voidRequested])
      .when({ type: 'CompleteVoid', paymentId, refundRef: 'gw-void-1' })
      .thenEmits([reversed]);
    payment()
      .given([...paid, voidRequested, reversed])
      .when({ type: 'CompleteVoid', paymentId, refundRef: 'gw-void-1' })
      .thenEmits([]);
    payment()
      .given(paid)
      .when({ type: 'CompleteVoid', paymentId, refundRef: null })
      .thenFails('PAYMENT_STATUS_CONFLICT');
  });

  test('expiry only once expiresAt has passed (context.now)', () => {
    const expire: PaymentCommand = { type: 'ExpirePayment', paymentId };
    payment('2026-11-22T03:14:59Z').given([initiated()]).when(expire).thenFails('PAYMENT_NOT_EXPIRED');
    payment('2026-11-22T03:15:00Z')
      .given([initiated()])
      .when(expire)
      .thenEmits([{ type: 'PaymentExpired', data: { paymentId } }]);
    payment('2026-11-22T04:00:00Z').given([initiated(), authorized()]).when(expire).thenEmits([]);
  });
});

describe('refunds', () => {
  test('at most the captured principal, in parts; a repeated refund id is a retry', () => {
    payment()
      .given(paidAndCaptured)
      .when(requestRefund('r-1', 2_000_001))
      .thenFails('REFUND_AMOUNT_INVALID', 'amountVnd');
    payment().given(paidAndCaptured).when(requestRefund('r-1', 0)).thenFails('REFUND_AMOUNT_INVALID', 'amountVnd');
    payment()
      .given(paidAndCaptured)
      .when(requestRefund('r-1', 500_000))
      .thenEmits([refundRequested('r-1', 500_000)]);
    const partial = [...paidAndCaptured, refundRequested('r-1', 500_000)];
    payment().given(partial).when(requestRefund('r-1', 500_000)).thenEmits([]);
    payment().given(partial).when(requestRefund('r-2', 1_500_001)).thenFails('REFUND_AMOUNT_INVALID', 'amountVnd');
    payment()
      .given(partial)
      .when(requestRefund('r-2', 1_500_000))
      .thenEmits([refundRequested('r-2', 1_500_000)]);
    const afterFirst = [...partial, refunded('r-1', 500_000)];
    payment()
      .given(afterFirst)
      .when(requestRefund('r-2', 1_500_000))
      .thenEmits([refundRequested('r-2', 1_500_000)]);
    const all = [...afterFirst, refundRequested('r-2', 1_500_000), refunded('r-2', 1_500_000)];
    payment().given(all).when(requestRefund('r-3', 1)).thenFails('REFUND_AMOUNT_INVALID', 'amountVnd');
    payment().given([initiated(), authorized()]).when(requestRefund('r-1', 1)).thenFails('PAYMENT_STATUS_CONFLICT');
  });

  test('completion pays out of refunds_payable through the gateway and leaves the payment refunded', () => {
    const pending = [...paidAndCaptured, refundRequested('r-1', 500_000)];
    payment()
      .given(pending)
      .when(completeRefund('r-1'))
      .thenEmits([refunded('r-1', 500_000)]);
    payment()
      .given([...pending, refunded('r-1', 500_000)])
      .when(completeRefund('r-1'))
      .thenEmits([]);
    // status is `refunded`: a capture is already done, and the rest may still be refunded
    payment()
      .given([...pending, refunded('r-1', 500_000)])
      .when(capture)
      .thenEmits([]);
  });
});

describe('manual bank transfers', () => {
  const manual = initiated({ gateway: 'manual' });
  const confirm = (amountVnd: number): PaymentCommand => ({
    type: 'ConfirmManualPayment',
    paymentId,
    confirmedBy: 'sales-1',
    proofFileId: 'file-1',
    amountVnd,
  });

  test('staff confirm the exact amount of a manual payment only', () => {
    payment().given([initiated()]).when(confirm(2_020_000)).thenFails('PAYMENT_NOT_MANUAL');
    payment().given([manual]).when(confirm(2_000_000)).thenFails('PAYMENT_AMOUNT_MISMATCH', 'amountVnd');
    payment()
      .given([manual])
      .when(confirm(2_020_000))
      .thenEmits([
        {
          type: 'PaymentAuthorized',
          data: {
            paymentId,
            gatewayTransactionId: 'manual:file-1',
            amountVnd: 2_020_000,
            late: false,
            confirmedBy: 'sales-1',
            proofFileId: 'file-1',
            journal: {
              memo: 'Nhận chuyển khoản',
              lines: [
                { account: 'gateway_clearing', subject: null, side: 'debit', amountVnd: 2_020_000 },
                { account: 'customer_funds', subject: 'user:customer-1', side: 'credit', amountVnd: 2_020_000 },
              ],
            },
          },
        },
      ]);
  });
});

describe('consultation settlement', () => {
  const settle: PaymentCommand = { type: 'SettleConsultation', paymentId, platformPercent: 10 };

  test('escrow splits into the expert share and the platform share (floor of the percent)', () => {
    const settled: PaymentEvent = {
      type: 'PaymentSettled',
      data: {
        paymentId,
        expertId: 'expert-1',
        expertShareVnd: 450_001,
        platformShareVnd: 50_000,
        journal: {
          memo: 'Quyết toán phí tư vấn',
          lines: [
            { account: 'escrow', subject: 'booking:booking-1', side: 'debit', amountVnd: 500_001 },
            { account: 'expert_payable', subject: 'user:expert-1', side: 'credit', amountVnd: 450_001 },
            { account: 'platform_revenue', subject: null, side: 'credit', amountVnd: 50_000 },
          ],
        },
      },
    };
    payment().given(consult).when(settle).thenEmits([settled]);
    payment()
      .given([...consult, settled])
      .when(settle)
      .thenEmits([]);
    payment().given(paidAndCaptured).when(settle).thenFails('PAYMENT_NOT_CONSULTATION');
  });

  test('a refund from escrow moves escrow to refunds_payable; refunded in full, nothing to settle', () => {
    const fullRefund = refundRequested('r-1', 500_001, true, 'booking:booking-1');
    payment()
      .given(consult)
      .when(requestRefund('r-1', 500_001, true))
      .thenEmits([fullRefund]);
    payment()
      .given([...consult, fullRefund, refunded('r-1', 500_001)])
      .when(settle)
      .thenEmits([]);
  });
});
