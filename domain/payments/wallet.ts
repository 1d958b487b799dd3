import { credit, debit, journal } from '../ledger/journal.js';
import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { MAX_PAYMENT_VND } from './payment.js';
import { userSubject } from './payment-events.js';
import type { BankAccountDetails, WalletEvent } from './wallet-events.js';

export interface WalletState {
  userId: string;
  balanceVnd: number;
  topUps: Set<string>;
  /** Payments taken from the wallet, by payment id, and what of each was given back. */
  debits: Map<string, number>;
  credits: Set<string>;
  /** Withdrawals requested and not yet paid, by id. */
  pendingWithdrawals: Map<string, number>;
  paidWithdrawals: Set<string>;
}

export type WalletCommand = { userId: string } & (
  | { type: 'TopUpWallet'; paymentId: string; amountVnd: number }
  | { type: 'DebitWallet'; paymentId: string; amountVnd: number }
  | { type: 'CreditWallet'; paymentId: string; refundId: string; amountVnd: number }
  | { type: 'RequestWithdrawal'; withdrawalId: string; amountVnd: number; bankAccount: BankAccountDetails }
  | { type: 'MarkWithdrawalPaid'; withdrawalId: string; reference: string }
);

const isVnd = (value: number) => Number.isSafeInteger(value) && value > 0 && value <= MAX_PAYMENT_VND;

/** A customer's wallet: top-ups, payments from it, money given back to it, withdrawals to a bank. */
export const walletDecider: Decider<WalletCommand, WalletState, WalletEvent, DecisionContext> = {
  initialState: () => ({
    userId: '',
    balanceVnd: 0,
    topUps: new Set(),
    debits: new Map(),
    credits: new Set(),
    pendingWithdrawals: new Map(),
    paidWithdrawals: new Set(),
  }),

  evolve(state, event) {
    state.userId = event.data.userId;
    switch (event.type) {
      case 'WalletToppedUp':
        state.topUps.add(event.data.paymentId);
        state.balanceVnd += event.data.amountVnd;
        return state;
      case 'WalletDebited':
        state.debits.set(event.data.paymentId, event.data.amountVnd);
        state.balanceVnd -= event.data.amountVnd;
        return state;
      case 'WalletCredited':
        state.credits.add(event.data.refundId);
        state.balanceVnd += event.data.amountVnd;
        return state;
      case 'WalletWithdrawalRequested':
        state.pendingWithdrawals.set(event.data.withdrawalId, event.data.amountVnd);
        state.balanceVnd -= event.data.amountVnd;
        return state;
      case 'WalletWithdrawalPaid':
        state.pendingWithdrawals.delete(event.data.withdrawalId);
        state.paidWithdrawals.add(event.data.withdrawalId);
        return state;
      default:
        return state;
    }
  },

  decide(command, state) {
    const { userId } = command;
    const user = userSubject(userId);
    switch (command.type) {
      case 'TopUpWallet':
        if (state.topUps.has(command.paymentId)) return [];
        if (!isVnd(command.amountVnd)) return invalid('AMOUNT_INVALID', 'Số tiền là số nguyên VND dương', 'amountVnd');
        return [
          { type: 'WalletToppedUp', data: { userId, paymentId: command.paymentId, amountVnd: command.amountVnd } },
        ];
      case 'DebitWallet':
        if (state.debits.has(command.paymentId)) return [];
        if (!isVnd(command.amountVnd)) return invalid('AMOUNT_INVALID', 'Số tiền là số nguyên VND dương', 'amountVnd');
        if (command.amountVnd > state.balanceVnd) {
          return conflict('WALLET_INSUFFICIENT', 'Số dư ví không đủ', { balanceVnd: state.balanceVnd });
        }
        return [
          { type: 'WalletDebited', data: { userId, paymentId: command.paymentId, amountVnd: command.amountVnd } },
        ];
      case 'CreditWallet': {
        if (state.credits.has(command.refundId)) return [];
        const debited = state.debits.get(command.paymentId);
        if (debited === undefined) return notFound('WALLET_PAYMENT_NOT_FOUND', 'Giao dịch không được trả từ ví này');
        if (!isVnd(command.amountVnd) || command.amountVnd > debited) {
          return invalid('AMOUNT_INVALID', `Hoàn về ví tối đa ${debited} đồng`, 'amountVnd');
        }
        const { paymentId, refundId, amountVnd } = command;
        return [{ type: 'WalletCredited', data: { userId, paymentId, refundId, amountVnd } }];
      }
      case 'RequestWithdrawal': {
        if (state.pendingWithdrawals.has(command.withdrawalId) || state.paidWithdrawals.has(command.withdrawalId))
          return [];
        if (!isVnd(command.amountVnd)) return invalid('AMOUNT_INVALID', 'Số tiền là số nguyên VND dương', 'amountVnd');
        if (command.amountVnd > state.balanceVnd) {
          return conflict('WALLET_INSUFFICIENT', 'Số dư ví không đủ', { balanceVnd: state.balanceVnd });
        }
        const { withdrawalId, amountVnd, bankAccount } = command;
        const entry = journal(
          'Yêu cầu rút tiền từ ví',
          debit('wallet', user, amountVnd),
          credit('refunds_payable', user, amountVnd),
        );
        return [
          { type: 'WalletWithdrawalRequested', data: { userId, withdrawalId, amountVnd, bankAccount, journal: entry } },
        ];
      }
      case 'MarkWithdrawalPaid': {
        if (state.paidWithdrawals.has(command.withdrawalId)) return [];
        const amountVnd = state.pendingWithdrawals.get(command.withdrawalId);
        if (amountVnd === undefined) return notFound('WITHDRAWAL_NOT_FOUND', 'Không tìm thấy yêu cầu rút tiền');
        const entry = journal(
          'Chi trả rút tiền ví',
          debit('refunds_payable', user, amountVnd),
          credit('gateway_clearing', null, amountVnd),
        );
        const { withdrawalId, reference } = command;
        return [{ type: 'WalletWithdrawalPaid', data: { userId, withdrawalId, amountVnd, reference, journal: entry } }];
      }
    }
  },
};
