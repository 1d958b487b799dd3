import { type AccountCode, credit, debit, journal } from '../ledger/journal.js';
import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import {
  escrowSubjectOf,
  type Gateway,
  type PaymentEvent,
  type PaymentPurpose,
  type PaymentStatus,
  userSubject,
} from './payment-events.js';

export const MAX_PAYMENT_VND = 10_000_000_000;

export interface PaymentState {
  status: PaymentStatus | 'none';
  payerId: string;
  purpose: PaymentPurpose | null;
  principalVnd: number;
  feeVnd: number;
  gateway: Gateway | null;
  gatewayRef: string;
  expiresAt: Date | null;
  gatewayTransactionId: string | null;
  /** What actually arrived (equals principal + fee unless flagged). */
  receivedVnd: number;
  voidReason: string | null;
  refundedVnd: number;
  /** Refunds asked of the gateway and not yet confirmed, by refund id. */
  pendingRefunds: Map<string, number>;
  /** Every refund id ever requested (a repeated request is a retry, not a second refund). */
  refundIds: Set<string>;
  settled: boolean;
}

export interface GatewayNoticeInput {
  outcome: 'paid' | 'failed';
  amountVnd: number;
  currency: string;
  gatewayTransactionId: string;
  resultCode: string;
  message: string;
}

export type PaymentCommand = { paymentId: string } & (
  | {
      type: 'InitiatePayment';
      payerId: string;
      purpose: PaymentPurpose;
      principalVnd: number;
      feeVnd: number;
      gateway: Gateway;
      gatewayRef: string;
      expiresAt: Date;
    }
  | { type: 'RecordGatewayNotice'; notice: GatewayNoticeInput }
  | { type: 'ConfirmManualPayment'; confirmedBy: string; proofFileId: string; amountVnd: number }
  | { type: 'CapturePayment' }
  | { type: 'RequestVoid'; reason: string }
  | { type: 'CompleteVoid'; refundRef: string | null }
  | { type: 'ExpirePayment' }
  | { type: 'RequestRefund'; refundId: string; amountVnd: number; reason: string; fromEscrow: boolean }
  | { type: 'CompleteRefund'; refundId: string; refundRef: string | null }
  | { type: 'SettleConsultation'; platformPercent: number }
);

const totalOf = (state: PaymentState) => state.principalVnd + state.feeVnd;
const isVnd = (value: number, min = 0) => Number.isSafeInteger(value) && value >= min && value <= MAX_PAYMENT_VND;
/** Principal that is captured and neither refunded nor being refunded. */
export const refundableVnd = (state: PaymentState) =>
  // A top-up is in the wallet once captured: it leaves by a withdrawal, not a refund.
  !state.settled &&
  state.purpose?.kind !== 'wallet_topup' &&
  (state.status === 'captured' || state.status === 'refunded')
    ? state.principalVnd - state.refundedVnd - [...state.pendingRefunds.values()].reduce((a, b) => a + b, 0)
    : 0;

/** Where the payer's money comes from and goes back to: the gateway, or their own wallet. */
const sourceOf = (state: PaymentState): [AccountCode, string | null] =>
  state.gateway === 'wallet' ? ['wallet', userSubject(state.payerId)] : ['gateway_clearing', null];

/** Where captured principal goes: escrow for a deposit or consultation, the wallet for a top-up. */
const capturedInto = (state: PaymentState): [AccountCode, string | null] => {
  const purpose = state.purpose as PaymentPurpose;
  return purpose.kind === 'wallet_topup'
    ? ['wallet', userSubject(state.payerId)]
    : ['escrow', escrowSubjectOf(purpose)];
};

const wrongStatus = (state: PaymentState, action: string) =>
  conflict('PAYMENT_STATUS_CONFLICT', `Giao dịch đang ở trạng thái ${state.status}, không thể ${action}`, {
    status: state.status,
  });

/**
 * One payment transaction (GiaoDich): initiated → authorized (money arrived) → captured (applied
 * to its purpose) → refunded (in part or whole); an authorized or flagged payment may instead be
 * reversed (given back whole: the room was taken, the amount was wrong). Money in and out is
 * posted to the ledger inside the events; the platform fee is its own line.
 */
export const paymentDecider: Decider<PaymentCommand, PaymentState, PaymentEvent, DecisionContext> = {
  initialState: () => ({
    status: 'none',
    payerId: '',
    purpose: null,
    principalVnd: 0,
    feeVnd: 0,
    gateway: null,
    gatewayRef: '',
    expiresAt: null,
    gatewayTransactionId: null,
    receivedVnd: 0,
    voidReason: null,
    refundedVnd: 0,
    pendingRefunds: new Map(),
    refundIds: new Set(),
    settled: false,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'PaymentInitiated': {
        const d = event.data;
        return {
          ...state,
          status: 'initiated',
          payerId: d.payerId,
          purpose: d.purpose,
          principalVnd: d.principalVnd,
          feeVnd: d.feeVnd,
          gateway: d.gateway,
          gatewayRef: d.gatewayRef,
          expiresAt: new Date(d.expiresAt),
        };
      }
      case 'PaymentAuthorized':
        return {
          ...state,
          status: 'authorized',
          gatewayTransactionId: event.data.gatewayTransactionId,
          receivedVnd: event.data.amountVnd,
        };
      case 'PaymentFlagged':
        return {
          ...state,
          status: 'flagged',
          gatewayTransactionId: event.data.gatewayTransactionId,
          receivedVnd: event.data.receivedVnd,
        };
      case 'PaymentCaptured':
        return { ...state, status: 'captured' };
      case 'PaymentFailed':
        return { ...state, status: 'failed' };
      case 'PaymentExpired':
        return { ...state, status: 'expired' };
      case 'PaymentVoidRequested':
        return { ...state, voidReason: event.data.reason };
      case 'PaymentReversed':
        return { ...state, status: 'reversed' };
      case 'PaymentRefundRequested':
        state.pendingRefunds.set(event.data.refundId, event.data.amountVnd);
        state.refundIds.add(event.data.refundId);
        return state;
      case 'PaymentRefunded':
        state.pendingRefunds.delete(event.data.refundId);
        return { ...state, status: 'refunded', refundedVnd: state.refundedVnd + event.data.amountVnd };
      case 'PaymentSettled':
        return { ...state, settled: true };
      default:
        return state;
    }
  },

  decide(command, state, context) {
    const { paymentId } = command;
    if (command.type === 'InitiatePayment') {
      if (state.status !== 'none') return conflict('PAYMENT_EXISTS', 'Giao dịch đã tồn tại');
      if (!isVnd(command.principalVnd, 1)) {
        return invalid('PAYMENT_AMOUNT_INVALID', 'Số tiền là số nguyên VND dương', 'amountVnd');
      }
      if (!isVnd(command.feeVnd)) return invalid('PAYMENT_FEE_INVALID', 'Phí là số nguyên VND không âm', 'feeVnd');
      const { payerId, purpose, principalVnd, feeVnd, gateway, gatewayRef } = command;
      const expiresAt = command.expiresAt.toISOString();
      return [
        {
          type: 'PaymentInitiated',
          data: { paymentId, payerId, purpose, principalVnd, feeVnd, gateway, gatewayRef, expiresAt },
        },
      ];
    }
    if (state.status === 'none') return notFound('PAYMENT_NOT_FOUND', 'Không tìm thấy giao dịch');
    const payer = userSubject(state.payerId);
    const purpose = state.purpose as PaymentPurpose;

    switch (command.type) {
      case 'RecordGatewayNotice':
        return recordNotice(paymentId, command.notice, state);
      case 'ConfirmManualPayment': {
        if (state.gateway !== 'manual') {
          return conflict('PAYMENT_NOT_MANUAL', 'Chỉ giao dịch chuyển khoản thủ công mới được NVBH xác nhận');
        }
        if (state.gatewayTransactionId !== null) return [];
        if (state.status !== 'initiated' && state.status !== 'expired') return wrongStatus(state, 'xác nhận');
        if (command.amountVnd !== totalOf(state)) {
          return invalid('PAYMENT_AMOUNT_MISMATCH', `Số tiền nhận phải đúng ${totalOf(state)} đồng`, 'amountVnd');
        }
        return [
          {
            type: 'PaymentAuthorized',
            data: {
              paymentId,
              gatewayTransactionId: `manual:${command.proofFileId}`,
              amountVnd: command.amountVnd,
              late: state.status === 'expired',
              confirmedBy: command.confirmedBy,
              proofFileId: command.proofFileId,
              journal: journal(
                'Nhận chuyển khoản',
                debit('gateway_clearing', null, command.amountVnd),
                credit('customer_funds', payer, command.amountVnd),
              ),
            },
          },
        ];
      }
      case 'CapturePayment':
        if (state.status === 'captured' || state.status === 'refunded') return [];
        if (state.status !== 'authorized' || state.voidReason !== null) return wrongStatus(state, 'ghi nhận');
        return [
          {
            type: 'PaymentCaptured',
            data: {
              paymentId,
              principalVnd: state.principalVnd,
              feeVnd: state.feeVnd,
              journal: journal(
                'Ghi nhận thanh toán',
                debit('customer_funds', payer, totalOf(state)),
                credit(...capturedInto(state), state.principalVnd),
                credit('platform_revenue', null, state.feeVnd),
              ),
            },
          },
        ];
      case 'RequestVoid':
        if (state.voidReason !== null || state.status === 'reversed') return [];
        if (state.status !== 'authorized' && state.status !== 'flagged') return wrongStatus(state, 'hủy');
        return [{ type: 'PaymentVoidRequested', data: { paymentId, reason: command.reason } }];
      case 'CompleteVoid':
        if (state.status === 'reversed') return [];
        if (state.voidReason === null) return wrongStatus(state, 'hoàn tất hủy');
        return [
          {
            type: 'PaymentReversed',
            data: {
              paymentId,
              reason: state.voidReason,
              amountVnd: state.receivedVnd,
              refundRef: command.refundRef,
              journal: journal(
                'Trả lại tiền chưa ghi nhận',
                debit('customer_funds', payer, state.receivedVnd),
                credit(...sourceOf(state), state.receivedVnd),
              ),
            },
          },
        ];
      case 'ExpirePayment':
        if (state.status !== 'initiated') return [];
        if (state.expiresAt !== null && context.now < state.expiresAt) {
          return conflict('PAYMENT_NOT_EXPIRED', 'Giao dịch chưa hết hạn');
        }
        return [{ type: 'PaymentExpired', data: { paymentId } }];
      case 'RequestRefund': {
        if (state.refundIds.has(command.refundId)) return [];
        if (state.status !== 'captured' && state.status !== 'refunded') return wrongStatus(state, 'hoàn tiền');
        if (!isVnd(command.amountVnd, 1) || command.amountVnd > refundableVnd(state)) {
          return invalid('REFUND_AMOUNT_INVALID', `Hoàn tối đa ${refundableVnd(state)} đồng`, 'amountVnd');
        }
        const escrowMove = command.fromEscrow
          ? journal(
              'Chuyển tiền tạm giữ sang hoàn trả',
              debit('escrow', escrowSubjectOf(purpose), command.amountVnd),
              credit('refunds_payable', payer, command.amountVnd),
            )
          : null;
        const { refundId, amountVnd, reason } = command;
        return [
          { type: 'PaymentRefundRequested', data: { paymentId, refundId, amountVnd, reason, journal: escrowMove } },
        ];
      }
      case 'CompleteRefund': {
        const amountVnd = state.pendingRefunds.get(command.refundId);
        if (amountVnd === undefined) return [];
        return [
          {
            type: 'PaymentRefunded',
            data: {
              paymentId,
              refundId: command.refundId,
              amountVnd,
              refundRef: command.refundRef,
              journal: journal(
                'Hoàn tiền qua cổng thanh toán',
                debit('refunds_payable', payer, amountVnd),
                credit(...sourceOf(state), amountVnd),
              ),
            },
          },
        ];
      }
      case 'SettleConsultation': {
        if (purpose.kind !== 'consultation') return conflict('PAYMENT_NOT_CONSULTATION', 'Không phải phí tư vấn');
        if (state.settled) return [];
        if (state.status !== 'captured' && state.status !== 'refunded') return wrongStatus(state, 'quyết toán');
        const held = refundableVnd(state);
        if (held === 0) return []; // refunded in full: nothing left to settle
        const platformShareVnd = Math.floor((held * command.platformPercent) / 100);
        const expertShareVnd = held - platformShareVnd;
        return [
          {
            type: 'PaymentSettled',
            data: {
              paymentId,
              expertId: purpose.expertId,
              expertShareVnd,
              platformShareVnd,
              journal: journal(
                'Quyết toán phí tư vấn',
                debit('escrow', escrowSubjectOf(purpose), held),
                credit('expert_payable', userSubject(purpose.expertId), expertShareVnd),
                credit('platform_revenue', null, platformShareVnd),
              ),
            },
          },
        ];
      }
    }
  },
};

function recordNotice(
  paymentId: string,
  notice: GatewayNoticeInput,
  state: PaymentState,
): PaymentEvent[] | ReturnType<typeof conflict> {
  if (notice.outcome === 'failed') {
    if (state.status !== 'initiated') return []; // a failure after success, or a repeat: nothing to do
    return [{ type: 'PaymentFailed', data: { paymentId, resultCode: notice.resultCode, message: notice.message } }];
  }
  if (state.gatewayTransactionId === notice.gatewayTransactionId) return []; // a replayed notice
  if (state.gatewayTransactionId !== null) {
    return conflict('PAYMENT_ALREADY_PAID', 'Giao dịch đã được thanh toán bằng một lần chuyển tiền khác');
  }
  if (!isVnd(notice.amountVnd, 1)) return invalid('NOTICE_AMOUNT_INVALID', 'Số tiền không hợp lệ', 'amountVnd');
  const received = journal(
    'Nhận tiền từ cổng thanh toán',
    debit(...sourceOf(state), notice.amountVnd),
    credit('customer_funds', userSubject(state.payerId), notice.amountVnd),
  );
  const { gatewayTransactionId } = notice;
  if (notice.currency !== 'VND' || notice.amountVnd !== totalOf(state)) {
    const reason = notice.currency !== 'VND' ? 'currency_mismatch' : 'amount_mismatch';
    return [
      {
        type: 'PaymentFlagged',
        data: {
          paymentId,
          reason,
          receivedVnd: notice.amountVnd,
          currency: notice.currency,
          gatewayTransactionId,
          journal: received,
        },
      },
    ];
  }
  return [
    {
      type: 'PaymentAuthorized',
      data: {
        paymentId,
        gatewayTransactionId,
        amountVnd: notice.amountVnd,
        late: state.status !== 'initiated',
        confirmedBy: null,
        proofFileId: null,
        journal: received,
      },
    },
  ];
}
