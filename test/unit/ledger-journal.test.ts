import { describe, expect, test } from 'vitest';
import {
  type AccountCode,
  balancesAfter,
  credit,
  debit,
  entryProblem,
  type JournalEntry,
  journal,
  normalBalance,
  reversalOf,
} from '../../domain/ledger/journal.js';
import { checkLedger, journalOf, LedgerTally } from '../../domain/ledger/postings.js';

const received = journal(
  'Nhận tiền',
  debit('gateway_clearing', null, 1_050_000),
  credit('customer_funds', 'user:c1', 1_050_000),
);
const captured = journal(
  'Ghi nhận',
  debit('customer_funds', 'user:c1', 1_050_000),
  credit('escrow', 'deposit:d1', 1_000_000),
  credit('platform_revenue', null, 50_000),
);

describe('entryProblem', () => {
  test('a balanced entry of known accounts and positive integers has none', () => {
    expect(entryProblem(received)).toBeNull();
    expect(entryProblem(captured)).toBeNull();
  });

  test.each([
    ['JOURNAL_TOO_SHORT', { memo: 'x', lines: [debit('escrow', null, 1)] }],
    ['JOURNAL_TOO_SHORT', { memo: 'x', lines: [] }],
    ['JOURNAL_UNBALANCED', { memo: 'x', lines: [debit('escrow', null, 2), credit('wallet', null, 1)] }],
    ['JOURNAL_AMOUNT_INVALID', { memo: 'x', lines: [debit('escrow', null, 1.5), credit('wallet', null, 1.5)] }],
    ['JOURNAL_AMOUNT_INVALID', { memo: 'x', lines: [debit('escrow', null, -5), credit('wallet', null, -5)] }],
    ['JOURNAL_AMOUNT_INVALID', { memo: 'x', lines: [debit('escrow', null, 0), credit('wallet', null, 0)] }],
    [
      'JOURNAL_UNKNOWN_ACCOUNT',
      { memo: 'x', lines: [debit('cash' as AccountCode, null, 1), credit('wallet', null, 1)] },
    ],
  ] as [string, JournalEntry][])('%s', (code, entry) => {
    expect(entryProblem(entry)?.code).toBe(code);
  });

  test('journal() drops zero lines: a 0 ₫ fee is no posting', () => {
    const entry = journal(
      'x',
      debit('customer_funds', 'u', 10),
      credit('escrow', 'd', 10),
      credit('platform_revenue', null, 0),
    );
    expect(entry.lines).toHaveLength(2);
    expect(entryProblem(entry)).toBeNull();
  });
});

describe('balances', () => {
  test('balances are on each account’s normal side', () => {
    const balances = balancesAfter([received, captured]);
    expect(balances.get('gateway_clearing')).toEqual({ account: 'gateway_clearing', balance: 1_050_000 });
    expect(balances.get('customer_funds:user:c1')?.balance).toBe(0);
    expect(balances.get('escrow:deposit:d1')?.balance).toBe(1_000_000);
    expect(balances.get('platform_revenue')?.balance).toBe(50_000);
    expect(normalBalance('gateway_clearing', 10, 3)).toBe(7);
    expect(normalBalance('escrow', 10, 3)).toBe(-7);
  });

  test('the tally agrees with balancesAfter and keeps debits and credits', () => {
    const tally = new LedgerTally();
    tally.post(received);
    tally.post(captured);
    for (const [key, { balance }] of balancesAfter([received, captured])) {
      expect(tally.accounts.get(key)?.balance).toBe(balance);
    }
    expect(tally.debits).toBe(2_100_000);
    expect(tally.credits).toBe(2_100_000);
    expect(tally.postings).toBe(5);
    expect(tally.accounts.get('customer_funds:user:c1')).toMatchObject({ debits: 1_050_000, credits: 1_050_000 });
  });

  test('checkLedger names unbalanced entries and overdrawn accounts', () => {
    expect(checkLedger([received, captured])).toEqual({
      balanced: true,
      unbalancedEntries: [],
      negativeAccounts: [],
      trialBalance: { debits: 2_100_000, credits: 2_100_000 },
    });
    const crooked = { memo: 'lệch', lines: [debit('escrow', 'deposit:d1', 5), credit('wallet', 'user:c1', 4)] };
    const result = checkLedger([received, crooked]);
    expect(result.balanced).toBe(false);
    expect(result.unbalancedEntries).toEqual([expect.objectContaining({ index: 1, code: 'JOURNAL_UNBALANCED' })]);
    expect(result.negativeAccounts).toEqual([{ key: 'escrow:deposit:d1', balance: -5 }]);
    expect(result.trialBalance).toEqual({ debits: 1_050_005, credits: 1_050_004 });
  });
});

describe('reversal', () => {
  test('a reversal swaps every side and brings every balance back to where it was', () => {
    const reversal = reversalOf(captured, 'Đảo bút toán');
    expect(reversal.memo).toBe('Đảo bút toán');
    expect(reversal.lines.map((l) => l.side)).toEqual(['credit', 'debit', 'debit']);
    expect(entryProblem(reversal)).toBeNull();
    const before = balancesAfter([received]);
    const after = balancesAfter([received, captured, reversal]);
    for (const [key, { balance }] of after) expect(balance).toBe(before.get(key)?.balance ?? 0);
  });

  test('reversing does not change the original entry', () => {
    const copy = structuredClone(captured);
    reversalOf(captured, 'x');
    expect(captured).toEqual(copy);
  });
});

describe('journalOf', () => {
  test('an event carries a journal when its data has a non-null one', () => {
    expect(journalOf({ type: 'PaymentCaptured', data: { paymentId: 'p', journal: captured } })).toBe(captured);
    expect(journalOf({ type: 'PaymentRefundRequested', data: { journal: null } })).toBeNull();
    expect(journalOf({ type: 'PaymentInitiated', data: { paymentId: 'p' } })).toBeNull();
    expect(journalOf({ type: 'X', data: null })).toBeNull();
    expect(journalOf({ type: 'X', data: 'text' })).toBeNull();
  });
});
