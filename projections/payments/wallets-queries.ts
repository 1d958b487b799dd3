import type pg from 'pg';
import type { BankAccountDetails } from '../../domain/payments/wallet-events.js';
import { isUuid } from '../identity/profiles-queries.js';
import type { WalletWithdrawalRow, WithdrawalStatus } from './wallets-projection.js';

export type { WithdrawalStatus } from './wallets-projection.js';

/** A withdrawal from a wallet to a bank account, as the API shows it (times as ISO strings). */
export interface WithdrawalView {
  id: string;
  userId: string;
  userName: string | null;
  amountVnd: number;
  bank: BankAccountDetails;
  status: WithdrawalStatus;
  /** The bank transfer's reference, once paid. */
  reference: string | null;
  requestedAt: string;
  paidAt: string | null;
}

export interface WalletView {
  balanceVnd: number;
  /** The customer's withdrawals, newest first. */
  withdrawals: WithdrawalView[];
}

export interface WithdrawalFilter {
  status?: WithdrawalStatus;
  limit: number;
}

const SELECT = `
  select w.*, u.name as user_name
    from rm.wallet_withdrawals w
    left join rm.users u on u.id = w.user_id`;

const viewOf = (row: WalletWithdrawalRow & { user_name: string | null }): WithdrawalView => ({
  id: row.id,
  userId: row.user_id,
  userName: row.user_name ?? null,
  amountVnd: Number(row.amount_vnd),
  bank: { bank: row.bank.bank, accountNumber: row.bank.accountNumber, accountName: row.bank.accountName },
  status: row.status,
  reference: row.reference,
  requestedAt: row.requested_at.toISOString(),
  paidAt: row.paid_at === null ? null : row.paid_at.toISOString(),
});

/** A customer's balance (0 before their first top-up) and withdrawals, newest first. */
export async function getWallet(pool: pg.Pool, userId: string, withdrawalLimit = 100): Promise<WalletView> {
  if (!isUuid(userId)) return { balanceVnd: 0, withdrawals: [] };
  const [balance, withdrawals] = await Promise.all([
    pool.query<{ balance_vnd: string }>('select balance_vnd from rm.wallets where user_id = $1', [userId]),
    pool.query(`${SELECT} where w.user_id = $1 order by w.requested_at desc, w.id desc limit $2`, [
      userId,
      withdrawalLimit,
    ]),
  ]);
  return { balanceVnd: Number(balance.rows[0]?.balance_vnd ?? 0), withdrawals: withdrawals.rows.map(viewOf) };
}

/**
 * Withdrawals of every customer for the finance desk, oldest first (paid in the order asked),
 * optionally of one status.
 */
export async function listWithdrawals(pool: pg.Pool, filter: WithdrawalFilter): Promise<WithdrawalView[]> {
  const { rows } = await pool.query(
    `${SELECT} where ($1::text is null or w.status = $1) order by w.requested_at, w.id limit $2`,
    [filter.status ?? null, filter.limit],
  );
  return rows.map(viewOf);
}

export async function getWithdrawal(pool: pg.Pool, id: string): Promise<WithdrawalView | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query(`${SELECT} where w.id = $1`, [id]);
  return rows[0] ? viewOf(rows[0]) : null;
}
