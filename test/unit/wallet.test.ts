import { describe, expect, test } from 'vitest';
import { type WalletCommand, walletDecider } from '../../domain/payments/wallet.js';
import type { BankAccountDetails, WalletEvent } from '../../domain/payments/wallet-events.js';
import { fold } from '../../domain/shared/decider.js';
import { scenario } from '../support/given-when-then.js';

const U = 'user-1';
const wallet = () => scenario(walletDecider);
const bankAccount: BankAccountDetails = { bank: 'VCB', accountNumber: '0123456789', accountName: 'NGUYEN VAN KHACH' };

const toppedUp = (paymentId: string, amountVnd: number): WalletEvent => ({
  type: 'WalletToppedUp',
  data: { userId: U, paymentId, amountVnd },
});
const debited = (paymentId: string, amountVnd: number): WalletEvent => ({
  type: 'WalletDebited',
  data: { userId: U, paymentId, amountVnd },
});
const credited = (paymentId: string, refundId: string, amountVnd: number): WalletEvent => ({
  type: 'WalletCredited',
  data: { userId: U, paymentId, refundId, amountVnd },
});
const withdrawalRequested = (withdrawalId: string, amountVnd: number): WalletEvent => ({
  type: 'WalletWithdrawalRequested',
  data: {
    userId: U,
    withdrawalId,
    amountVnd,
    bankAccount,
    journal: {
      memo: 'Yêu cầu rút tiền từ ví',
      lines: [
        { account: 'wallet', subject: 'user:user-1', side: 'debit', amountVnd },
        { account: 'refunds_payable', subject: 'user:user-1', side: 'credit', amountVnd },
      ],
    },
  },
});
const withdrawalPaid = (withdrawalId: string, amountVnd: number, reference = 'VCB-123'): WalletEvent => ({
  type: 'WalletWithdrawalPaid',
  data: {
    userId: U,
    withdrawalId,
    amountVnd,
    reference,
    journal: {
      memo: 'Chi trả rút tiền ví',
      lines: [
        { account: 'refunds_payable', subject: 'user:user-1', side: 'debit', amountVnd },
        { account: 'gateway_clearing', subject: null, side: 'credit', amountVnd },
      ],
    },
  },
});

const topUp = (paymentId: string, amountVnd: number): WalletCommand => ({
  type: 'TopUpWallet',
  userId: U,
  paymentId,
  amountVnd,
});
const debit = (paymentId: string, amountVnd: number): WalletCommand => ({
  type: 'DebitWallet',
  userId: U,
  paymentId,
  amountVnd,
});
const creditBack = (paymentId: string, refundId: string, amountVnd: number): WalletCommand => ({
  type: 'CreditWallet',
  userId: U,
  paymentId,
  refundId,
  amountVnd,
});
const withdraw = (withdrawalId: string, amountVnd: number): WalletCommand => ({
  type: 'RequestWithdrawal',
  userId: U,
  withdrawalId,
  amountVnd,
  bankAccount,
});
const markPaid = (withdrawalId: string, reference = 'VCB-123'): WalletCommand => ({
  type: 'MarkWithdrawalPaid',
  userId: U,
  withdrawalId,
  reference,
});

const balanceAfter = (events: WalletEvent[]) => fold(walletDecider, events).balanceVnd;
const funded = [toppedUp('top-1', 1_000_000)];

describe('topping up a wallet', () => {
  test('a captured top-up adds to the balance, once per payment', () => {
    wallet()
      .given([])
      .when(topUp('top-1', 1_000_000))
      .thenEmits([toppedUp('top-1', 1_000_000)]);
    wallet().given(funded).when(topUp('top-1', 1_000_000)).thenEmits([]);
    wallet()
      .given(funded)
      .when(topUp('top-2', 250_000))
      .thenEmits([toppedUp('top-2', 250_000)]);
    expect(balanceAfter([...funded, toppedUp('top-2', 250_000)])).toBe(1_250_000);
  });

  test('the amount is a positive integer VND within the payment limit', () => {
    for (const amountVnd of [0, -1, 1_000.5, Number.NaN, Number.MAX_SAFE_INTEGER]) {
      wallet().given([]).when(topUp('top-1', amountVnd)).thenFails('AMOUNT_INVALID', 'amountVnd');
    }
  });
});

describe('paying from the wallet', () => {
  test('a payment takes its amount from the balance, once per payment', () => {
    wallet()
      .given(funded)
      .when(debit('pay-1', 400_000))
      .thenEmits([debited('pay-1', 400_000)]);
    wallet()
      .given(funded)
      .when(debit('pay-1', 1_000_000))
      .thenEmits([debited('pay-1', 1_000_000)]);
    wallet()
      .given([...funded, debited('pay-1', 400_000)])
      .when(debit('pay-1', 400_000))
      .thenEmits([]);
    expect(balanceAfter([...funded, debited('pay-1', 400_000)])).toBe(600_000);
  });

  test('never more than the balance', () => {
    const refused = wallet().given(funded).when(debit('pay-1', 1_000_001)).thenFails('WALLET_INSUFFICIENT');
    expect(refused.details).toEqual({ balanceVnd: 1_000_000 });
    wallet().given([]).when(debit('pay-1', 1)).thenFails('WALLET_INSUFFICIENT');
    wallet()
      .given([...funded, debited('pay-1', 700_000)])
      .when(debit('pay-2', 300_001))
      .thenFails('WALLET_INSUFFICIENT');
    wallet().given(funded).when(debit('pay-1', 0)).thenFails('AMOUNT_INVALID', 'amountVnd');
  });
});

describe('giving a wallet payment back', () => {
  const spent = [...funded, debited('pay-1', 400_000)];

  test('a voided or refunded wallet payment goes back to the balance, once per refund', () => {
    wallet()
      .given(spent)
      .when(creditBack('pay-1', 'rf-1', 400_000))
      .thenEmits([credited('pay-1', 'rf-1', 400_000)]);
    wallet()
      .given(spent)
      .when(creditBack('pay-1', 'rf-1', 150_000))
      .thenEmits([credited('pay-1', 'rf-1', 150_000)]);
    wallet()
      .given([...spent, credited('pay-1', 'rf-1', 150_000)])
      .when(creditBack('pay-1', 'rf-1', 150_000))
      .thenEmits([]);
    expect(balanceAfter([...spent, credited('pay-1', 'rf-1', 400_000)])).toBe(1_000_000);
  });

  test('only up to what that payment took, and only for a payment the wallet paid', () => {
    wallet()
      .given(spent)
      .when(creditBack('pay-1', 'rf-1', 400_001))
      .thenFails('AMOUNT_INVALID', 'amountVnd');
    wallet()
      .given(spent)
      .when(creditBack('pay-1', 'rf-1', 0))
      .thenFails('AMOUNT_INVALID', 'amountVnd');
    wallet()
      .given(spent)
      .when(creditBack('pay-other', 'rf-1', 1_000))
      .thenFails('WALLET_PAYMENT_NOT_FOUND');
    // A top-up is not a payment taken from the wallet.
    wallet()
      .given(spent)
      .when(creditBack('top-1', 'rf-1', 1_000))
      .thenFails('WALLET_PAYMENT_NOT_FOUND');
  });
});

describe('withdrawing to a bank account', () => {
  test('a request moves the amount from the wallet to refunds payable at once', () => {
    wallet()
      .given(funded)
      .when(withdraw('wd-1', 300_000))
      .thenEmits([withdrawalRequested('wd-1', 300_000)]);
    const after = [...funded, withdrawalRequested('wd-1', 300_000)];
    expect(balanceAfter(after)).toBe(700_000);
    // The balance already counts the pending withdrawal: a second one cannot spend it again.
    wallet().given(after).when(withdraw('wd-2', 700_001)).thenFails('WALLET_INSUFFICIENT');
    wallet().given(after).when(debit('pay-1', 700_001)).thenFails('WALLET_INSUFFICIENT');
    wallet()
      .given(after)
      .when(withdraw('wd-2', 700_000))
      .thenEmits([withdrawalRequested('wd-2', 700_000)]);
  });

  test('never more than the balance; the amount is integer VND; a repeat is no new request', () => {
    const refused = wallet().given(funded).when(withdraw('wd-1', 1_000_001)).thenFails('WALLET_INSUFFICIENT');
    expect(refused.details).toEqual({ balanceVnd: 1_000_000 });
    wallet().given([]).when(withdraw('wd-1', 1)).thenFails('WALLET_INSUFFICIENT');
    wallet().given(funded).when(withdraw('wd-1', 0)).thenFails('AMOUNT_INVALID', 'amountVnd');
    wallet().given(funded).when(withdraw('wd-1', 10.5)).thenFails('AMOUNT_INVALID', 'amountVnd');
    const requested = [...funded, withdrawalRequested('wd-1', 300_000)];
    wallet().given(requested).when(withdraw('wd-1', 300_000)).thenEmits([]);
    wallet()
      .given([...requested, withdrawalPaid('wd-1', 300_000)])
      .when(withdraw('wd-1', 300_000))
      .thenEmits([]);
  });

  test('marked paid: refunds payable is settled from the gateway clearing account', () => {
    const requested = [...funded, withdrawalRequested('wd-1', 300_000)];
    wallet()
      .given(requested)
      .when(markPaid('wd-1', 'VCB-123'))
      .thenEmits([withdrawalPaid('wd-1', 300_000, 'VCB-123')]);
    const paid = [...requested, withdrawalPaid('wd-1', 300_000)];
    wallet().given(paid).when(markPaid('wd-1', 'VCB-456')).thenEmits([]);
    expect(balanceAfter(paid)).toBe(700_000);
    wallet().given(funded).when(markPaid('wd-1')).thenFails('WITHDRAWAL_NOT_FOUND');
    wallet().given(requested).when(markPaid('wd-other')).thenFails('WITHDRAWAL_NOT_FOUND');
  });
});
