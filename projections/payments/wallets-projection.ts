import { sql } from 'kysely';
import { type BankAccountDetails, WALLET_EVENT_TYPES, type WalletEvent } from '../../domain/payments/wallet-events.js';
import type { Projection } from '../projection.js';

export interface WalletRow {
  user_id: string;
  /** What the customer may spend or withdraw: pending withdrawals are already out. */
  balance_vnd: string | number;
  updated_at: Date;
}

export type WithdrawalStatus = 'requested' | 'paid';

export interface WalletWithdrawalRow {
  id: string;
  user_id: string;
  amount_vnd: string | number;
  bank: BankAccountDetails;
  status: WithdrawalStatus;
  /** The bank transfer's reference, once paid. */
  reference: string | null;
  requested_at: Date;
  paid_at: Date | null;
}

export interface WalletTables {
  wallets: WalletRow;
  wallet_withdrawals: WalletWithdrawalRow;
}

/** Customers' wallet balances (rm.wallets) and their withdrawals to a bank account (rm.wallet_withdrawals). */
export const walletsProjection: Projection<WalletTables> = {
  name: 'wallets',
  version: 1,
  filter: { eventTypes: WALLET_EVENT_TYPES },
  tables: ['wallets', 'wallet_withdrawals'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'wallets')} (
      user_id uuid primary key,
      balance_vnd bigint not null default 0,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create table if not exists ${sql.id(schema, 'wallet_withdrawals')} (
      id uuid primary key,
      user_id uuid not null,
      amount_vnd bigint not null,
      bank jsonb not null,
      status text not null check (status in ('requested', 'paid')),
      reference text,
      requested_at timestamptz not null,
      paid_at timestamptz
    )`.execute(db);
    await sql`create index if not exists wallet_withdrawals_status
      on ${sql.id(schema, 'wallet_withdrawals')} (status, requested_at)`.execute(db);
    await sql`create index if not exists wallet_withdrawals_user
      on ${sql.id(schema, 'wallet_withdrawals')} (user_id, requested_at)`.execute(db);
  },

  async apply(events, { trx, schema }) {
    const wallets = sql.id(schema, 'wallets');
    const withdrawals = sql.id(schema, 'wallet_withdrawals');
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as WalletEvent;
      const at = new Date(recorded.metadata.occurredAt);
      const { userId } = event.data;
      const change = (deltaVnd: number) =>
        sql`insert into ${wallets} (user_id, balance_vnd, updated_at) values (${userId}, ${deltaVnd}, ${at})
          on conflict (user_id) do update
            set balance_vnd = ${wallets}.balance_vnd + excluded.balance_vnd, updated_at = excluded.updated_at`.execute(
          trx,
        );
      switch (event.type) {
        case 'WalletToppedUp':
        case 'WalletCredited':
          await change(event.data.amountVnd);
          break;
        case 'WalletDebited':
          await change(-event.data.amountVnd);
          break;
        case 'WalletWithdrawalRequested': {
          const { withdrawalId, amountVnd, bankAccount } = event.data;
          const bank = JSON.stringify({
            bank: bankAccount.bank,
            accountNumber: bankAccount.accountNumber,
            accountName: bankAccount.accountName,
          });
          await change(-amountVnd);
          await sql`insert into ${withdrawals} (id, user_id, amount_vnd, bank, status, requested_at)
            values (${withdrawalId}, ${userId}, ${amountVnd}, ${bank}::jsonb, 'requested', ${at})
            on conflict (id) do nothing`.execute(trx);
          break;
        }
        case 'WalletWithdrawalPaid':
          await sql`update ${withdrawals} set status = 'paid', reference = ${event.data.reference}, paid_at = ${at}
            where id = ${event.data.withdrawalId}`.execute(trx);
          break;
        default:
          break;
      }
    }
  },
};
