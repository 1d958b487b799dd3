import { commissionTriggerOf, type DepositType, type RefundRule } from '../catalog/deposit-policy-events.js';
import { credit, debit, journal } from '../ledger/journal.js';
import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import { checkDeductions, deductedVnd } from './deposit-deductions.js';
import type {
  DepositDeduction,
  DepositEvent,
  DepositParties,
  DepositStatus,
  PolicySnapshot,
  ReleaseMode,
} from './deposit-events.js';
import { MAX_PAYMENT_VND } from './payment.js';
import { userSubject } from './payment-events.js';

const HOUR = 3_600_000;

export interface DepositState {
  status: DepositStatus | 'none';
  kind: DepositType;
  parties: DepositParties | null;
  amountVnd: number;
  policy: PolicySnapshot | null;
  paymentId: string | null;
  /** Every payment whose money is in this deposit (a converted reservation's first). */
  fundingPaymentIds: string[];
  convertedVnd: number;
  roomHoldId: string;
  heldAt: Date | null;
  expiresAt: Date | null;
  commissionAccrued: boolean;
  /** The security deposit this reservation became. */
  convertedIntoId: string | null;
  /** What the deposit's end gives back to the customer (refund, or release as refund). */
  refundDueVnd: number;
}

export type DepositCommand = { depositId: string } & (
  | {
      type: 'RequestDeposit';
      kind: DepositType;
      parties: DepositParties;
      amountVnd: number;
      feeVnd: number;
      policy: PolicySnapshot;
      paymentId: string | null;
      convertedFrom: { depositId: string; amountVnd: number; paymentIds: string[] } | null;
      roomHoldId: string;
    }
  | { type: 'MarkDepositPaid'; paymentId: string }
  | { type: 'CancelUnpaidDeposit'; reason: string }
  | { type: 'ConvertDeposit'; intoDepositId: string }
  | { type: 'CancelDeposit'; by: 'customer' | 'operator'; moveInAt: Date | null }
  | { type: 'ExpireReservation' }
  | { type: 'ReleaseDeposit'; mode: ReleaseMode; handoverId: string; deductions?: DepositDeduction[] }
);

const escrow = (depositId: string) => `deposit:${depositId}`;

/**
 * The refund rule that applies when a held deposit is given up at `now`: of the rules whose
 * deadline (paid time or move-in, plus the offset) is still ahead, the one due soonest. None left
 * means nothing comes back. Move-in rules count only once the move-in date is known.
 */
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

/**
 * The sales commission a held deposit earns: a percentage of the new money, or a fixed sum once
 * per deal (a security deposit converted from a reservation is the same deal: no second fixed sum).
 */
export function commissionOn(policy: PolicySnapshot, baseVnd: number, converted = false): number {
  const rule = policy.terms.commission;
  if (baseVnd <= 0) return 0;
  if (rule.kind === 'percent_of_deposit') return Math.floor((baseVnd * rule.percent) / 100);
  if (rule.kind === 'fixed') return converted ? 0 : rule.amount;
  return 0;
}

const wrongStatus = (state: DepositState, action: string) =>
  conflict('DEPOSIT_STATUS_CONFLICT', `Khoản cọc đang ở trạng thái ${state.status}, không thể ${action}`, {
    status: state.status,
  });

/**
 * A deposit (Coc): a reservation deposit (giữ chỗ) with a TTL, or a security deposit (an ninh)
 * held in escrow until the handover. Its escrow movements are posted here; money in and out of
 * the gateway is posted on its payments.
 */
export const depositDecider: Decider<DepositCommand, DepositState, DepositEvent, DecisionContext> = {
  initialState: () => ({
    status: 'none',
    kind: 'reservation',
    parties: null,
    amountVnd: 0,
    policy: null,
    paymentId: null,
    fundingPaymentIds: [],
    convertedVnd: 0,
    roomHoldId: '',
    heldAt: null,
    expiresAt: null,
    commissionAccrued: false,
    refundDueVnd: 0,
    convertedIntoId: null,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'DepositRequested': {
        const d = event.data;
        const { customerId, ownerId, listingId, roomId, projectId, areaId, salesStaffId } = d;
        return {
          ...state,
          status: 'awaiting_payment',
          kind: d.kind,
          parties: { customerId, ownerId, listingId, roomId, projectId, areaId, salesStaffId },
          amountVnd: d.amountVnd,
          policy: d.policy,
          paymentId: d.paymentId,
          fundingPaymentIds: [...(d.convertedFrom?.paymentIds ?? []), ...(d.paymentId ? [d.paymentId] : [])],
          convertedVnd: d.convertedFrom?.amountVnd ?? 0,
          roomHoldId: d.roomHoldId,
        };
      }
      case 'DepositHeld':
        return {
          ...state,
          status: 'held',
          heldAt: new Date(event.data.heldAt),
          expiresAt: event.data.expiresAt === null ? null : new Date(event.data.expiresAt),
        };
      case 'DepositCancelled':
        return { ...state, status: 'cancelled' };
      case 'DepositConverted':
        return { ...state, status: 'converted', convertedIntoId: event.data.intoDepositId };
      case 'DepositRefunded':
        return {
          ...state,
          status: event.data.refundVnd > 0 ? 'refunded' : 'forfeited',
          refundDueVnd: event.data.refundVnd,
        };
      case 'DepositReleased': {
        const { mode, amountVnd, deductions = [] } = event.data;
        return {
          ...state,
          status: 'released',
          refundDueVnd: mode === 'refund' ? amountVnd - deductedVnd(deductions) : 0,
        };
      }
      case 'CommissionAccrued':
        return { ...state, commissionAccrued: true };
      default:
        return state;
    }
  },

  decide(command, state, context) {
    const { depositId } = command;
    const { now } = context;
    if (command.type === 'RequestDeposit') return request(command, state, now);
    if (state.status === 'none' || !state.parties || !state.policy) {
      return notFound('DEPOSIT_NOT_FOUND', 'Không tìm thấy khoản cọc');
    }
    const { policy } = state;

    switch (command.type) {
      case 'MarkDepositPaid':
        if (state.status === 'held') return [];
        if (state.status !== 'awaiting_payment') return wrongStatus(state, 'ghi nhận thanh toán');
        if (command.paymentId !== state.paymentId) {
          return conflict('DEPOSIT_PAYMENT_MISMATCH', 'Giao dịch không thuộc khoản cọc này');
        }
        return held(state, depositId, now);
      case 'CancelUnpaidDeposit':
        if (state.status === 'cancelled') return [];
        if (state.status !== 'awaiting_payment') return wrongStatus(state, 'hủy');
        return [{ type: 'DepositCancelled', data: { depositId, reason: command.reason } }];
      case 'ConvertDeposit':
        if (state.status === 'converted') {
          if (state.convertedIntoId === command.intoDepositId) return [];
          return conflict('DEPOSIT_ALREADY_CONVERTED', 'Cọc giữ chỗ đã được chuyển thành một khoản cọc an ninh khác');
        }
        if (state.kind !== 'reservation' || state.status !== 'held')
          return wrongStatus(state, 'chuyển thành cọc an ninh');
        if (!policy.terms.convertReservationToSecurity || !policy.terms.allowedDepositTypes.includes('security')) {
          return conflict('CONVERSION_NOT_ALLOWED', 'Chính sách cọc không cho chuyển cọc giữ chỗ thành cọc an ninh');
        }
        return [
          {
            type: 'DepositConverted',
            data: {
              depositId,
              intoDepositId: command.intoDepositId,
              amountVnd: state.amountVnd,
              journal: journal(
                'Chuyển cọc giữ chỗ thành cọc an ninh',
                debit('escrow', escrow(depositId), state.amountVnd),
                credit('escrow', escrow(command.intoDepositId), state.amountVnd),
              ),
            },
          },
        ];
      case 'CancelDeposit': {
        if (state.status !== 'held') return wrongStatus(state, 'hủy');
        const percent =
          command.by === 'operator'
            ? 100
            : refundPercentAt(policy.terms.refundRules, state.heldAt ?? now, command.moveInAt, now);
        return refunded(
          state,
          depositId,
          command.by === 'operator' ? 'operator_cancelled' : 'customer_cancelled',
          percent,
        );
      }
      case 'ExpireReservation': {
        if (state.kind !== 'reservation' || state.status !== 'held' || state.expiresAt === null) return [];
        if (now < state.expiresAt) return conflict('DEPOSIT_NOT_EXPIRED', 'Cọc giữ chỗ chưa hết hạn');
        const percent = refundPercentAt(policy.terms.refundRules, state.heldAt ?? now, null, now);
        return refunded(state, depositId, 'ttl_expired', percent);
      }
      case 'ReleaseDeposit':
        return release(command, state);
    }
  },
};

function request(command: Extract<DepositCommand, { type: 'RequestDeposit' }>, state: DepositState, now: Date) {
  if (state.status !== 'none') return conflict('DEPOSIT_EXISTS', 'Khoản cọc đã tồn tại');
  const { terms } = command.policy;
  if (!terms.allowedDepositTypes.includes(command.kind)) {
    return invalid('DEPOSIT_TYPE_NOT_ALLOWED', 'Chính sách cọc của tin đăng không cho loại cọc này', 'kind');
  }
  if (!Number.isSafeInteger(command.amountVnd) || command.amountVnd < 1 || command.amountVnd > MAX_PAYMENT_VND) {
    return invalid('DEPOSIT_AMOUNT_INVALID', 'Số tiền cọc là số nguyên VND dương', 'amountVnd');
  }
  const converted = command.convertedFrom?.amountVnd ?? 0;
  if (command.convertedFrom && command.kind !== 'security') {
    return invalid('CONVERSION_INVALID', 'Chỉ cọc an ninh nhận chuyển đổi từ cọc giữ chỗ', 'kind');
  }
  if (converted > command.amountVnd) {
    return invalid('CONVERSION_EXCEEDS_DEPOSIT', 'Cọc giữ chỗ lớn hơn cọc an ninh', 'convertFromDepositId');
  }
  if ((command.paymentId === null) !== (converted === command.amountVnd)) {
    return invalid('DEPOSIT_PAYMENT_REQUIRED', 'Phần cọc còn lại cần một giao dịch thanh toán', 'paymentId');
  }
  const { depositId, kind, parties, amountVnd, feeVnd, policy, paymentId, convertedFrom, roomHoldId } = command;
  const requested: DepositEvent = {
    type: 'DepositRequested',
    data: { depositId, kind, ...parties, amountVnd, feeVnd, policy, paymentId, convertedFrom, roomHoldId },
  };
  if (paymentId !== null) return [requested];
  const state1 = depositDecider.evolve(depositDecider.initialState(), requested);
  return [requested, ...held(state1, depositId, now)];
}

function held(state: DepositState, depositId: string, now: Date): DepositEvent[] {
  const ttl = state.kind === 'reservation' ? (state.policy?.terms.reservationTtlHours ?? null) : null;
  const events: DepositEvent[] = [
    {
      type: 'DepositHeld',
      data: {
        depositId,
        heldAt: now.toISOString(),
        expiresAt: ttl === null ? null : new Date(now.getTime() + ttl * HOUR).toISOString(),
      },
    },
  ];
  if (state.policy && commissionTriggerOf(state.policy.terms.commission) === 'deposit_held') {
    const amountVnd = commissionOn(state.policy, state.amountVnd - state.convertedVnd, state.convertedVnd > 0);
    events.push(...commissionAccrued(state, depositId, amountVnd));
  }
  return events;
}

/** The sales staff's commission, once per deposit, when a staff member is credited with the deal. */
function commissionAccrued(state: DepositState, depositId: string, amountVnd: number): DepositEvent[] {
  const staffId = state.parties?.salesStaffId ?? null;
  if (staffId === null || amountVnd <= 0 || state.commissionAccrued) return [];
  return [
    {
      type: 'CommissionAccrued',
      data: {
        depositId,
        staffId,
        basis: 'deposit',
        amountVnd,
        journal: journal(
          'Hoa hồng NVBH trên khoản cọc',
          debit('commission_expense', null, amountVnd),
          credit('sales_commission_payable', userSubject(staffId), amountVnd),
        ),
      },
    },
  ];
}

/**
 * Releases a security deposit after a completed handover: deductions go to the owner (one line
 * each, reasons in the memo), the rest back to the customer (refund) or to the owner against the
 * first rent (offset). A commission the policy pays at handover is accrued with it.
 */
function release(command: Extract<DepositCommand, { type: 'ReleaseDeposit' }>, state: DepositState) {
  const { depositId, handoverId, mode } = command;
  if (state.status === 'released') return [];
  if (state.kind !== 'security' || state.status !== 'held') return wrongStatus(state, 'giải tỏa');
  if (command.handoverId.length === 0) {
    return invalid('HANDOVER_REQUIRED', 'Cọc an ninh chỉ giải tỏa sau biên bản bàn giao', 'handoverId');
  }
  const deductions = checkDeductions(command.deductions ?? [], state.amountVnd);
  if (deductions instanceof DomainError) return deductions;
  const { customerId, ownerId } = state.parties as DepositParties;
  const restVnd = state.amountVnd - deductedVnd(deductions);
  const rest =
    mode === 'refund'
      ? credit('refunds_payable', userSubject(customerId), restVnd)
      : credit('owner_payable', userSubject(ownerId), restVnd);
  const memo =
    deductions.length === 0
      ? 'Giải tỏa cọc an ninh'
      : `Giải tỏa cọc an ninh, khấu trừ: ${deductions.map((d) => d.reason).join('; ')}`;
  const events: DepositEvent[] = [
    {
      type: 'DepositReleased',
      data: {
        depositId,
        mode,
        handoverId,
        amountVnd: state.amountVnd,
        deductions,
        journal: journal(
          memo,
          debit('escrow', escrow(depositId), state.amountVnd),
          ...deductions.map((d) => credit('owner_payable', userSubject(ownerId), d.amountVnd)),
          rest,
        ),
      },
    },
  ];
  const policy = state.policy as PolicySnapshot;
  if (commissionTriggerOf(policy.terms.commission) === 'handover_completed') {
    events.push(...commissionAccrued(state, depositId, commissionOn(policy, state.amountVnd)));
  }
  return events;
}

function refunded(
  state: DepositState,
  depositId: string,
  reason: 'customer_cancelled' | 'ttl_expired' | 'operator_cancelled',
  refundPercent: number,
): DepositEvent[] {
  const parties = state.parties as DepositParties;
  const refundVnd = Math.floor((state.amountVnd * refundPercent) / 100);
  const forfeitVnd = state.amountVnd - refundVnd;
  return [
    {
      type: 'DepositRefunded',
      data: {
        depositId,
        reason,
        refundPercent,
        refundVnd,
        forfeitVnd,
        journal: journal(
          reason === 'ttl_expired' ? 'Hoàn cọc giữ chỗ hết hạn' : 'Hoàn cọc khi hủy',
          debit('escrow', escrow(depositId), state.amountVnd),
          credit('refunds_payable', userSubject(parties.customerId), refundVnd),
          credit('owner_payable', userSubject(parties.ownerId), forfeitVnd),
        ),
      },
    },
  ];
}
