import type { DepositPolicyTerms } from '../../domain/catalog/deposit-policy-events.js';
import type { Gateway, PaymentPurpose } from '../../domain/payments/payment-events.js';
import { HOUR, World } from './ledger-world.js';

/** One random step of a scenario; `payment` and `deposit` pick among the existing ones, newest first. */
export type Step =
  | {
      type: 'deposit';
      kind: 'reservation' | 'security';
      amount: number;
      fee: number;
      terms: DepositPolicyTerms;
      staff: boolean;
      gateway: Gateway;
      customer: string;
    }
  | { type: 'consultation'; amount: number; fee: number; gateway: Gateway; customer: string }
  | { type: 'notice'; payment: number; outcome: 'paid' | 'failed'; amount: 'right' | 'wrong' | 'usd'; tx: 'a' | 'b' }
  | { type: 'manual'; payment: number; right: boolean }
  | { type: 'capture'; payment: number }
  /** The usual path in one step: the right amount arrives and the reaction captures it. */
  | { type: 'payUp'; payment: number }
  | { type: 'void'; payment: number; complete: boolean }
  | { type: 'expirePayment'; payment: number }
  | { type: 'cancelUnpaid'; deposit: number }
  | { type: 'convert'; deposit: number; extra: number }
  | { type: 'cancel'; deposit: number; by: 'customer' | 'operator'; moveInHours: number | null }
  | { type: 'expireReservation'; deposit: number }
  | { type: 'release'; deposit: number; mode: 'refund' | 'offset_first_rent' }
  | { type: 'payOutRefunds'; deposit: number }
  | { type: 'consultationRefund'; payment: number; percent: number; replay: boolean }
  | { type: 'completeRefund'; payment: number; which: number }
  | { type: 'settle'; payment: number; percent: number }
  | { type: 'tick'; hours: number }
  /** A wallet top-up through a gateway: captured by the usual steps, then added to the wallet. */
  | { type: 'walletTopUp'; amount: number; customer: string }
  /** A consultation paid from the wallet at once, the way the command side does it. */
  | { type: 'walletPay'; amount: number; fee: number; customer: string }
  | { type: 'withdraw'; amount: number; customer: string; paid: boolean };

const nth = <T>(items: Iterable<T>, index: number): T | undefined => {
  const list = [...items];
  return list.length ? list[list.length - 1 - (index % list.length)] : undefined;
};

function newPayment(w: World, payerId: string, purpose: PaymentPurpose, principal: number, fee: number, gw: Gateway) {
  const paymentId = w.id('p');
  const expiresAt = new Date(w.now + 2 * HOUR);
  w.pay({
    type: 'InitiatePayment',
    paymentId,
    payerId,
    purpose,
    principalVnd: principal,
    feeVnd: fee,
    gateway: gw,
    gatewayRef: paymentId,
    expiresAt,
  });
  return paymentId;
}

function run(w: World, s: Step): void {
  const paymentId = 'payment' in s ? nth(w.payments.keys(), s.payment) : undefined;
  const payment = paymentId ? w.payments.get(paymentId) : undefined;
  const depositId = 'deposit' in s ? nth(w.deposits.keys(), s.deposit) : undefined;
  const deposit = depositId ? w.deposits.get(depositId) : undefined;
  const total = payment ? payment.state.principalVnd + payment.state.feeVnd : 0;
  switch (s.type) {
    case 'deposit': {
      const id = w.id('d');
      const parties = {
        customerId: s.customer,
        ownerId: 'o1',
        listingId: 'l1',
        roomId: 'r1',
        projectId: 'pr1',
        areaId: null,
        salesStaffId: s.staff ? 's1' : null,
      };
      const paymentId = `p-of-${id}`;
      const requested = w.deposit({
        type: 'RequestDeposit',
        depositId: id,
        kind: s.kind,
        parties,
        amountVnd: s.amount,
        feeVnd: s.fee,
        policy: { policyId: 'pol', version: 1, terms: s.terms },
        paymentId,
        convertedFrom: null,
        roomHoldId: id,
      });
      if (!requested) return;
      w.pay({
        type: 'InitiatePayment',
        paymentId,
        payerId: s.customer,
        purpose: { kind: 'deposit', depositId: id },
        principalVnd: s.amount,
        feeVnd: s.fee,
        gateway: s.gateway,
        gatewayRef: paymentId,
        expiresAt: new Date(w.now + 2 * HOUR),
      });
      return;
    }
    case 'consultation':
      newPayment(
        w,
        s.customer,
        { kind: 'consultation', bookingId: w.id('b'), expertId: 'e1' },
        s.amount,
        s.fee,
        s.gateway,
      );
      return;
    case 'notice': {
      if (!paymentId) return;
      const amountVnd = s.amount === 'wrong' ? total + 1000 : total;
      w.pay({
        type: 'RecordGatewayNotice',
        paymentId,
        notice: {
          outcome: s.outcome,
          amountVnd,
          currency: s.amount === 'usd' ? 'USD' : 'VND',
          gatewayTransactionId: s.tx,
          resultCode: '00',
          message: '',
        },
      });
      return;
    }
    case 'manual':
      if (paymentId)
        w.pay({
          type: 'ConfirmManualPayment',
          paymentId,
          confirmedBy: 's1',
          proofFileId: 'f1',
          amountVnd: s.right ? total : total - 1,
        });
      return;
    case 'payUp':
      if (paymentId) run(w, { type: 'notice', payment: s.payment, outcome: 'paid', amount: 'right', tx: 'a' });
      run(w, { type: 'capture', payment: s.payment });
      return;
    case 'capture': {
      if (!paymentId || !payment) return;
      const owner = payment.depositId ? w.deposits.get(payment.depositId) : undefined;
      // The reaction captures a deposit's payment only while the deposit still waits for it, then marks it paid.
      if (payment.depositId && (owner?.status !== 'awaiting_payment' || owner.paymentId !== paymentId)) return;
      const captured = w.pay({ type: 'CapturePayment', paymentId });
      if (captured && payment.depositId) {
        w.deposit({ type: 'MarkDepositPaid', depositId: payment.depositId, paymentId });
      }
      if (captured?.length && payment.state.purpose?.kind === 'wallet_topup') {
        const { payerId, principalVnd } = payment.state;
        w.wallet({ type: 'TopUpWallet', userId: payerId, paymentId, amountVnd: principalVnd });
      }
      return;
    }
    case 'void':
      if (paymentId)
        w.pay(
          s.complete
            ? { type: 'CompleteVoid', paymentId, refundRef: null }
            : { type: 'RequestVoid', paymentId, reason: 'not wanted' },
        );
      return;
    case 'expirePayment':
      if (paymentId) w.pay({ type: 'ExpirePayment', paymentId });
      return;
    case 'cancelUnpaid':
      if (depositId) w.deposit({ type: 'CancelUnpaidDeposit', depositId, reason: 'payment failed' });
      return;
    case 'convert': {
      if (!depositId || !deposit?.parties || !deposit.policy) return;
      const into = w.id('d');
      // [] (already converted, into whichever deposit) is no conversion: only a DepositConverted into `into` is.
      const converted = w.deposit({ type: 'ConvertDeposit', depositId, intoDepositId: into });
      if (!converted?.some((e) => e.type === 'DepositConverted' && e.data.intoDepositId === into)) return;
      const amountVnd = deposit.amountVnd + s.extra;
      const paymentId = s.extra > 0 ? `p-of-${into}` : null;
      const convertedFrom = { depositId, amountVnd: deposit.amountVnd, paymentIds: deposit.fundingPaymentIds };
      const requested = w.deposit({
        type: 'RequestDeposit',
        depositId: into,
        kind: 'security',
        parties: deposit.parties,
        amountVnd,
        feeVnd: 0,
        policy: deposit.policy,
        paymentId,
        convertedFrom,
        roomHoldId: deposit.roomHoldId,
      });
      if (!requested) throw new Error('the converted deposit was refused after its reservation was converted');
      if (paymentId) newPaymentWithId(w, paymentId, deposit.parties.customerId, into, s.extra);
      return;
    }
    case 'cancel':
      if (depositId)
        w.deposit({
          type: 'CancelDeposit',
          depositId,
          by: s.by,
          moveInAt: s.moveInHours === null ? null : new Date(w.now + s.moveInHours * HOUR),
        });
      return;
    case 'expireReservation':
      if (depositId) w.deposit({ type: 'ExpireReservation', depositId });
      return;
    case 'release':
      if (depositId) w.deposit({ type: 'ReleaseDeposit', depositId, mode: s.mode, handoverId: 'ho1' });
      return;
    case 'payOutRefunds': {
      if (!depositId || !deposit) return;
      let due = w.refundDue.get(depositId) ?? 0;
      for (const funding of deposit.fundingPaymentIds) {
        const state = w.payments.get(funding)?.state;
        if (!state || due === 0) continue;
        const refundable =
          state.principalVnd - state.refundedVnd - [...state.pendingRefunds.values()].reduce((a, b) => a + b, 0);
        const amountVnd = Math.min(due, refundable);
        if (amountVnd <= 0) continue;
        if (
          w.pay({
            type: 'RequestRefund',
            paymentId: funding,
            refundId: w.id('rf'),
            amountVnd,
            reason: 'deposit refund',
            fromEscrow: false,
          })
        )
          due -= amountVnd;
      }
      w.refundDue.set(depositId, due);
      return;
    }
    case 'consultationRefund': {
      if (!paymentId || !payment || payment.depositId) return;
      const amountVnd = Math.max(1, Math.floor((payment.state.principalVnd * s.percent) / 100));
      // A retry reuses a refund id of this payment, pending or completed; World fails if it is refunded twice.
      const earlier = [...w.refundIds]
        .filter((key) => key.startsWith(`${paymentId}/`))
        .map((key) => key.slice(paymentId.length + 1));
      const refundId = (s.replay && nth(earlier, 0)) || w.id('rf');
      w.pay({ type: 'RequestRefund', paymentId, refundId, amountVnd, reason: 'session cancelled', fromEscrow: true });
      return;
    }
    case 'completeRefund': {
      const refundId = payment ? nth(payment.state.pendingRefunds.keys(), s.which) : undefined;
      if (!paymentId || !payment) return;
      const refunded = w.pay({ type: 'CompleteRefund', paymentId, refundId: refundId ?? 'unknown', refundRef: null });
      // A wallet payment's refund goes back to the wallet.
      for (const event of payment.state.gateway === 'wallet' ? (refunded ?? []) : []) {
        if (event.type !== 'PaymentRefunded') continue;
        const { refundId: id, amountVnd } = event.data;
        w.wallet({ type: 'CreditWallet', userId: payment.state.payerId, paymentId, refundId: id, amountVnd });
      }
      return;
    }
    case 'settle':
      if (paymentId) w.pay({ type: 'SettleConsultation', paymentId, platformPercent: s.percent });
      return;
    case 'tick':
      w.now += s.hours * HOUR;
      return;
    case 'walletTopUp':
      newPayment(w, s.customer, { kind: 'wallet_topup' }, s.amount, 0, 'vnpay');
      return;
    case 'walletPay': {
      const paymentId = w.id('p');
      const amountVnd = s.amount + s.fee;
      // The wallet is debited first: it refuses an overdraft before any payment exists.
      if (!w.wallet({ type: 'DebitWallet', userId: s.customer, paymentId, amountVnd })) return;
      const purpose = { kind: 'consultation' as const, bookingId: w.id('b'), expertId: 'e1' };
      const expiresAt = new Date(w.now + 2 * HOUR);
      const base = { paymentId, payerId: s.customer, purpose, principalVnd: s.amount, feeVnd: s.fee };
      w.pay({ type: 'InitiatePayment', ...base, gateway: 'wallet', gatewayRef: paymentId, expiresAt });
      const notice = {
        outcome: 'paid' as const,
        amountVnd,
        currency: 'VND',
        gatewayTransactionId: `wallet-${paymentId}`,
        resultCode: '00',
        message: '',
      };
      w.pay({ type: 'RecordGatewayNotice', paymentId, notice });
      w.pay({ type: 'CapturePayment', paymentId });
      return;
    }
    case 'withdraw': {
      const withdrawalId = w.id('wd');
      const bankAccount = { bank: 'VCB', accountNumber: '0123', accountName: 'KHACH' };
      const userId = s.customer;
      if (!w.wallet({ type: 'RequestWithdrawal', userId, withdrawalId, amountVnd: s.amount, bankAccount })) return;
      if (s.paid) w.wallet({ type: 'MarkWithdrawalPaid', userId, withdrawalId, reference: 'FT1' });
      return;
    }
  }
}

function newPaymentWithId(w: World, paymentId: string, payerId: string, depositId: string, principal: number) {
  w.pay({
    type: 'InitiatePayment',
    paymentId,
    payerId,
    purpose: { kind: 'deposit', depositId },
    principalVnd: principal,
    feeVnd: 0,
    gateway: 'vnpay',
    gatewayRef: paymentId,
    expiresAt: new Date(w.now + 2 * HOUR),
  });
}

/** Plays a scenario; throws (naming the event) at the first faulty or overdrawing entry. */
export function play(steps: Step[]): World {
  const world = new World();
  for (const s of steps) run(world, s);
  return world;
}
