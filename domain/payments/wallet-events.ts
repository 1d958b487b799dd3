import type { JournalEntry } from '../ledger/journal.js';
import type { DomainEvent } from '../shared/decider.js';

export interface BankAccountDetails {
  bank: string;
  accountNumber: string;
  accountName: string;
}

/**
 * Facts about one customer's wallet (Vi, stream `wallet-<userId>`), kept when the wallet policy is
 * on. The stream guards the balance: a payment from the wallet is taken here first (`WalletDebited`)
 * and can never overdraw it. Money in and out of the wallet through payments is posted on the
 * payments (their journals name the `wallet` account); withdrawals post their own entries here.
 */
export type WalletEvent =
  /** A captured top-up payment. */
  | DomainEvent<'WalletToppedUp', { userId: string; paymentId: string; amountVnd: number }>
  /** A payment made from the wallet. */
  | DomainEvent<'WalletDebited', { userId: string; paymentId: string; amountVnd: number }>
  /** A payment made from the wallet given back (voided or refunded) to it. */
  | DomainEvent<'WalletCredited', { userId: string; paymentId: string; refundId: string; amountVnd: number }>
  | DomainEvent<
      'WalletWithdrawalRequested',
      {
        userId: string;
        withdrawalId: string;
        amountVnd: number;
        bankAccount: BankAccountDetails;
        journal: JournalEntry;
      }
    >
  | DomainEvent<
      'WalletWithdrawalPaid',
      { userId: string; withdrawalId: string; amountVnd: number; reference: string; journal: JournalEntry }
    >;

export const WALLET_EVENT_TYPES: WalletEvent['type'][] = [
  'WalletToppedUp',
  'WalletDebited',
  'WalletCredited',
  'WalletWithdrawalRequested',
  'WalletWithdrawalPaid',
];

export const walletStream = (userId: string) => `wallet-${userId}`;
