import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { DepositPolicyTerms, RefundRule } from '../../domain/catalog/deposit-policy-events.js';
import { entryProblem, totalOf } from '../../domain/ledger/journal.js';
import { commissionOn, type DepositCommand, depositDecider, refundPercentAt } from '../../domain/payments/deposit.js';
import type {
  DepositDeduction,
  DepositEvent,
  DepositParties,
  PolicySnapshot,
  ReleaseMode,
} from '../../domain/payments/deposit-events.js';
import { fold, isDomainError } from '../../domain/shared/decider.js';
import { scenario, testContext } from '../support/given-when-then.js';

const HELD_AT = '2026-11-22T03:00:00.000Z';
const hoursAfterHeld = (hours: number) => new Date(Date.parse(HELD_AT) + hours * 3_600_000);
const deposit = (now: Date = new Date(HELD_AT)) => scenario(depositDecider, testContext({ now }));

const terms: DepositPolicyTerms = {
  allowedDepositTypes: ['reservation', 'security'],
  reservationTtlHours: 48,
  reservationAmount: { kind: 'fixed', amount: 1_000_000 },
  securityAmount: { kind: 'months_of_rent', months: 1 },
  refundRules: [
    { event: 'deposit_paid', offsetHours: 24, refundPercent: 100 },
    { event: 'move_in', offsetHours: -72, refundPercent: 50 },
    { event: 'move_in', offsetHours: 0, refundPercent: 0 },
  ],
  convertReservationToSecurity: true,
  releaseRequiresHandover: true,
  commission: { kind: 'percent_of_deposit', percent: 10 },
};
const policyOf = (over: Partial<DepositPolicyTerms> = {}): PolicySnapshot => ({
  policyId: 'policy-1',
  version: 1,
  terms: { ...terms, ...over },
});
const parties: DepositParties = {
  customerId: 'customer-1',
  ownerId: 'owner-1',
  listingId: 'listing-1',
  roomId: 'room-1',
  projectId: 'project-1',
  areaId: null,
  salesStaffId: 'sales-1',
};

type Request = Extract<DepositCommand, { type: 'RequestDeposit' }>;
const request = (over: Partial<Request> = {}): Request => ({
  type: 'RequestDeposit',
  depositId: 'res-1',
  kind: 'reservation',
  parties,
  amountVnd: 1_000_000,
  feeVnd: 10_000,
  policy: policyOf(),
  paymentId: 'pay-r',
  convertedFrom: null,
  roomHoldId: 'res-1',
  ...over,
});
const requested = (over: Partial<Request> = {}): DepositEvent => {
  const { type: _type, parties: p, ...data } = request(over);
  return { type: 'DepositRequested', data: { ...data, ...p } };
};
const heldEvent = (depositId: string, expiresAt: string | null, heldAt = HELD_AT): DepositEvent => ({
  type: 'DepositHeld',
  data: { depositId, heldAt, expiresAt },
});
const commission = (depositId: string, amountVnd: number): DepositEvent => ({
  type: 'CommissionAccrued',
  data: {
    depositId,
    staffId: 'sales-1',
    basis: 'deposit',
    amountVnd,
    journal: {
      memo: 'Hoa hồng NVBH trên khoản cọc',
      lines: [
        { account: 'commission_expense', subject: null, side: 'debit', amountVnd },
        { account: 'sales_commission_payable', subject: 'user:sales-1', side: 'credit', amountVnd },
      ],
    },
  },
});
const paid = (paymentId = 'pay-r'): DepositCommand => ({ type: 'MarkDepositPaid', depositId: 'res-1', paymentId });

const reservationHeld = [requested(), heldEvent('res-1', '2026-11-24T03:00:00.000Z')];
const fromReservation = { depositId: 'res-1', amountVnd: 1_000_000, paymentIds: ['pay-r'] };
const security = { depositId: 'sec-1', kind: 'security', roomHoldId: 'res-1' } as const;
const securityHeld = [
  requested({ ...security, amountVnd: 3_000_000, paymentId: 'pay-s', convertedFrom: fromReservation }),
  heldEvent('sec-1', null),
];

describe('requesting and paying a deposit', () => {
  test('the kind must be allowed by the policy and the amount integer VND', () => {
    const securityOnly = policyOf({ allowedDepositTypes: ['security'], reservationTtlHours: null });
    deposit().given([]).when(request()).thenEmits([requested()]);
    deposit().given([requested()]).when(request()).thenFails('DEPOSIT_EXISTS');
    deposit()
      .given([])
      .when(request({ policy: securityOnly }))
      .thenFails('DEPOSIT_TYPE_NOT_ALLOWED', 'kind');
    for (const amountVnd of [1_000_000.5, 0, -1, Number.NaN]) {
      deposit().given([]).when(request({ amountVnd })).thenFails('DEPOSIT_AMOUNT_INVALID', 'amountVnd');
    }
  });

  test('paid: a reservation is held until heldAt + TTL and accrues a percent commission', () => {
    deposit()
      .given([requested()])
      .when(paid())
      .thenEmits([heldEvent('res-1', '2026-11-24T03:00:00.000Z'), commission('res-1', 100_000)]);
    deposit().given(reservationHeld).when(paid()).thenEmits([]);
    deposit().given([requested()]).when(paid('pay-other')).thenFails('DEPOSIT_PAYMENT_MISMATCH');
  });

  test('a fixed commission, and none without a sales staff member', () => {
    const fixed = policyOf({ commission: { kind: 'fixed', amount: 150_000 } });
    deposit()
      .given([requested({ policy: fixed })])
      .when(paid())
      .thenEmits([heldEvent('res-1', '2026-11-24T03:00:00.000Z'), commission('res-1', 150_000)]);
    deposit()
      .given([requested({ parties: { ...parties, salesStaffId: null } })])
      .when(paid())
      .thenEmits([heldEvent('res-1', '2026-11-24T03:00:00.000Z')]);
    expect(commissionOn(policyOf(), 1_234_567)).toBe(123_456);
    expect(commissionOn(policyOf({ commission: { kind: 'none' } }), 1_000_000)).toBe(0);
  });

  test('a security deposit has no expiry', () => {
    const sec = requested({ depositId: 'sec-1', kind: 'security', amountVnd: 3_000_000, paymentId: 'pay-s' });
    deposit()
      .given([sec])
      .when({ type: 'MarkDepositPaid', depositId: 'sec-1', paymentId: 'pay-s' })
      .thenEmits([heldEvent('sec-1', null), commission('sec-1', 300_000)]);
  });

  test('an unpaid deposit may be cancelled, a held one not that way', () => {
    const cancel: DepositCommand = { type: 'CancelUnpaidDeposit', depositId: 'res-1', reason: 'payment_failed' };
    const cancelled: DepositEvent = {
      type: 'DepositCancelled',
      data: { depositId: 'res-1', reason: 'payment_failed' },
    };
    deposit().given([requested()]).when(cancel).thenEmits([cancelled]);
    deposit().given([requested(), cancelled]).when(cancel).thenEmits([]);
    deposit().given(reservationHeld).when(cancel).thenFails('DEPOSIT_STATUS_CONFLICT');
    deposit().given([requested(), cancelled]).when(paid()).thenFails('DEPOSIT_STATUS_CONFLICT');
    deposit().given([]).when(paid()).thenFails('DEPOSIT_NOT_FOUND');
  });
});

describe('converting a reservation into a security deposit', () => {
  const convert = (intoDepositId = 'sec-1'): DepositCommand => ({
    type: 'ConvertDeposit',
    depositId: 'res-1',
    intoDepositId,
  });
  const converted: DepositEvent = {
    type: 'DepositConverted',
    data: {
      depositId: 'res-1',
      intoDepositId: 'sec-1',
      amountVnd: 1_000_000,
      journal: {
        memo: 'Chuyển cọc giữ chỗ thành cọc an ninh',
        lines: [
          { account: 'escrow', subject: 'deposit:res-1', side: 'debit', amountVnd: 1_000_000 },
          { account: 'escrow', subject: 'deposit:sec-1', side: 'credit', amountVnd: 1_000_000 },
        ],
      },
    },
  };

  test('moves the escrow once, into one deposit', () => {
    deposit().given(reservationHeld).when(convert()).thenEmits([converted]);
    deposit()
      .given([...reservationHeld, converted])
      .when(convert())
      .thenEmits([]);
    deposit()
      .given([...reservationHeld, converted])
      .when(convert('sec-2'))
      .thenFails('DEPOSIT_ALREADY_CONVERTED');
    deposit().given([requested()]).when(convert()).thenFails('DEPOSIT_STATUS_CONFLICT');
  });

  test('only when the policy allows it', () => {
    const noConversion = policyOf({ convertReservationToSecurity: false });
    deposit()
      .given([requested({ policy: noConversion }), heldEvent('res-1', '2026-11-24T03:00:00.000Z')])
      .when(convert())
      .thenFails('CONVERSION_NOT_ALLOWED');
  });

  test('fully covered by the conversion: held at once, no commission on the converted part', () => {
    const whole = { ...security, amountVnd: 1_000_000, paymentId: null, convertedFrom: fromReservation };
    deposit()
      .given([])
      .when(request(whole))
      .thenEmits([requested(whole), heldEvent('sec-1', null)]);
  });

  test('partly covered: commission only on the part paid now', () => {
    const part = { ...security, amountVnd: 3_000_000, paymentId: 'pay-s', convertedFrom: fromReservation };
    deposit()
      .given([])
      .when(request(part))
      .thenEmits([requested(part)]);
    deposit()
      .given([requested(part)])
      .when({ type: 'MarkDepositPaid', depositId: 'sec-1', paymentId: 'pay-s' })
      .thenEmits([heldEvent('sec-1', null), commission('sec-1', 200_000)]);
  });

  test('fully covered with a fixed commission rule accrues nothing more', () => {
    const fixed = policyOf({ commission: { kind: 'fixed', amount: 150_000 } });
    const whole = { ...security, amountVnd: 1_000_000, paymentId: null, convertedFrom: fromReservation, policy: fixed };
    deposit()
      .given([])
      .when(request(whole))
      .thenEmits([requested(whole), heldEvent('sec-1', null)]);
  });
});

type Line = {
  account: 'escrow' | 'refunds_payable' | 'owner_payable';
  subject: string;
  side: 'debit' | 'credit';
  amountVnd: number;
};
const refundedEvent = (
  reason: 'customer_cancelled' | 'ttl_expired' | 'operator_cancelled',
  refundPercent: number,
  refundVnd: number,
  forfeitVnd: number,
  lines: Line[],
): DepositEvent => ({
  type: 'DepositRefunded',
  data: {
    depositId: 'res-1',
    reason,
    refundPercent,
    refundVnd,
    forfeitVnd,
    journal: { memo: reason === 'ttl_expired' ? 'Hoàn cọc giữ chỗ hết hạn' : 'Hoàn cọc khi hủy', lines },
  },
});
const allBack: Line[] = [
  { account: 'escrow', subject: 'deposit:res-1', side: 'debit', amountVnd: 1_000_000 },
  { account: 'refunds_payable', subject: 'user:customer-1', side: 'credit', amountVnd: 1_000_000 },
];
const allForfeited: Line[] = [
  { account: 'escrow', subject: 'deposit:res-1', side: 'debit', amountVnd: 1_000_000 },
  { account: 'owner_payable', subject: 'user:owner-1', side: 'credit', amountVnd: 1_000_000 },
];

describe('cancelling a held deposit', () => {
  const cancel = (by: 'customer' | 'operator', moveInAt: Date | null = null): DepositCommand => ({
    type: 'CancelDeposit',
    depositId: 'res-1',
    by,
    moveInAt,
  });
  const moveIn = new Date('2026-12-01T00:00:00Z');

  test('by the customer inside 24 h: all back; by an operator: all back, whenever', () => {
    deposit(hoursAfterHeld(24))
      .given(reservationHeld)
      .when(cancel('customer'))
      .thenEmits([refundedEvent('customer_cancelled', 100, 1_000_000, 0, allBack)]);
    deposit(hoursAfterHeld(40))
      .given(reservationHeld)
      .when(cancel('operator'))
      .thenEmits([refundedEvent('operator_cancelled', 100, 1_000_000, 0, allBack)]);
  });

  test('after it, the next rule; with no rule left, forfeited to the owner', () => {
    deposit(hoursAfterHeld(25))
      .given(reservationHeld)
      .when(cancel('customer', moveIn))
      .thenEmits([
        refundedEvent('customer_cancelled', 50, 500_000, 500_000, [
          { account: 'escrow', subject: 'deposit:res-1', side: 'debit', amountVnd: 1_000_000 },
          { account: 'refunds_payable', subject: 'user:customer-1', side: 'credit', amountVnd: 500_000 },
          { account: 'owner_payable', subject: 'user:owner-1', side: 'credit', amountVnd: 500_000 },
        ]),
      ]);
    const forfeited = refundedEvent('customer_cancelled', 0, 0, 1_000_000, allForfeited);
    deposit(hoursAfterHeld(25)).given(reservationHeld).when(cancel('customer')).thenEmits([forfeited]);
    expect(fold(depositDecider, [...reservationHeld, forfeited]).status).toBe('forfeited');
    deposit(hoursAfterHeld(26))
      .given([...reservationHeld, forfeited])
      .when(cancel('customer'))
      .thenFails('DEPOSIT_STATUS_CONFLICT');
  });

  test('the refund is floored; the remainder is forfeited to the owner', () => {
    const odd = [requested({ amountVnd: 1_000_001 }), heldEvent('res-1', '2026-11-24T03:00:00.000Z')];
    deposit(hoursAfterHeld(25))
      .given(odd)
      .when(cancel('customer', moveIn))
      .thenEmits([
        refundedEvent('customer_cancelled', 50, 500_000, 500_001, [
          { account: 'escrow', subject: 'deposit:res-1', side: 'debit', amountVnd: 1_000_001 },
          { account: 'refunds_payable', subject: 'user:customer-1', side: 'credit', amountVnd: 500_000 },
          { account: 'owner_payable', subject: 'user:owner-1', side: 'credit', amountVnd: 500_001 },
        ]),
      ]);
  });
});

describe('reservation expiry', () => {
  const expire: DepositCommand = { type: 'ExpireReservation', depositId: 'res-1' };

  test('not before its TTL; after it, refunded by the rules as ttl_expired', () => {
    deposit(hoursAfterHeld(47.9)).given(reservationHeld).when(expire).thenFails('DEPOSIT_NOT_EXPIRED');
    deposit(hoursAfterHeld(48))
      .given(reservationHeld)
      .when(expire)
      .thenEmits([refundedEvent('ttl_expired', 0, 0, 1_000_000, allForfeited)]);
    const lenient = policyOf({ refundRules: [{ event: 'deposit_paid', offsetHours: 72, refundPercent: 100 }] });
    deposit(hoursAfterHeld(48))
      .given([requested({ policy: lenient }), heldEvent('res-1', '2026-11-24T03:00:00.000Z')])
      .when(expire)
      .thenEmits([refundedEvent('ttl_expired', 100, 1_000_000, 0, allBack)]);
    deposit(hoursAfterHeld(100))
      .given(securityHeld)
      .when({ ...expire, depositId: 'sec-1' })
      .thenEmits([]);
  });
});

describe('releasing a security deposit after the handover', () => {
  const release = (mode: 'refund' | 'offset_first_rent', handoverId = 'handover-1'): DepositCommand => ({
    type: 'ReleaseDeposit',
    depositId: 'sec-1',
    mode,
    handoverId,
  });
  const released = (
    mode: 'refund' | 'offset_first_rent',
    account: 'refunds_payable' | 'owner_payable',
    subject: string,
  ) =>
    ({
      type: 'DepositReleased',
      data: {
        depositId: 'sec-1',
        mode,
        handoverId: 'handover-1',
        amountVnd: 3_000_000,
        deductions: [],
        journal: {
          memo: 'Giải tỏa cọc an ninh',
          lines: [
            { account: 'escrow', subject: 'deposit:sec-1', side: 'debit', amountVnd: 3_000_000 },
            { account, subject, side: 'credit', amountVnd: 3_000_000 },
          ],
        },
      },
    }) satisfies DepositEvent;

  test('to the customer or to the owner against the first rent; never a reservation, never without handover', () => {
    deposit()
      .given(reservationHeld)
      .when({ ...release('refund'), depositId: 'res-1' })
      .thenFails('DEPOSIT_STATUS_CONFLICT');
    deposit().given(securityHeld).when(release('refund', '')).thenFails('HANDOVER_REQUIRED', 'handoverId');
    const toCustomer = released('refund', 'refunds_payable', 'user:customer-1');
    deposit().given(securityHeld).when(release('refund')).thenEmits([toCustomer]);
    deposit()
      .given(securityHeld)
      .when(release('offset_first_rent'))
      .thenEmits([released('offset_first_rent', 'owner_payable', 'user:owner-1')]);
    deposit()
      .given([...securityHeld, toCustomer])
      .when(release('refund'))
      .thenEmits([]);
  });
});

describe('release with move-out deductions, and a commission paid at handover', () => {
  const release = (deductions: DepositDeduction[], mode: ReleaseMode = 'refund'): DepositCommand => ({
    type: 'ReleaseDeposit',
    depositId: 'sec-1',
    mode,
    handoverId: 'handover-2',
    deductions,
  });
  const decideOn = (events: DepositEvent[], command: DepositCommand) => {
    const decision = depositDecider.decide(command, fold(depositDecider, events), testContext());
    if (isDomainError(decision)) throw decision;
    return decision;
  };

  test('each deduction is its own owner line, the rest goes back; the memo names the reasons', () => {
    const deductions = [
      { reason: 'Hỏng khoá cửa', amountVnd: 500_000 },
      { reason: 'Tiền điện tháng cuối', amountVnd: 300_000 },
    ];
    deposit()
      .given(securityHeld)
      .when(release(deductions))
      .thenEmits([
        {
          type: 'DepositReleased',
          data: {
            depositId: 'sec-1',
            mode: 'refund',
            handoverId: 'handover-2',
            amountVnd: 3_000_000,
            deductions,
            journal: {
              memo: 'Giải tỏa cọc an ninh, khấu trừ: Hỏng khoá cửa; Tiền điện tháng cuối',
              lines: [
                { account: 'escrow', subject: 'deposit:sec-1', side: 'debit', amountVnd: 3_000_000 },
                { account: 'owner_payable', subject: 'user:owner-1', side: 'credit', amountVnd: 500_000 },
                { account: 'owner_payable', subject: 'user:owner-1', side: 'credit', amountVnd: 300_000 },
                { account: 'refunds_payable', subject: 'user:customer-1', side: 'credit', amountVnd: 2_200_000 },
              ],
            },
          },
        },
      ]);
    const events = decideOn(securityHeld, release(deductions));
    expect(fold(depositDecider, [...securityHeld, ...events]).refundDueVnd).toBe(2_200_000);
  });

  test('deductions may take it all but never more; each needs a reason and a positive amount', () => {
    const all = decideOn(securityHeld, release([{ reason: 'Phá hỏng nội thất', amountVnd: 3_000_000 }]));
    const [releasedAll] = all as Extract<DepositEvent, { type: 'DepositReleased' }>[];
    expect(releasedAll?.data.journal.lines.map((line) => line.account)).toEqual(['escrow', 'owner_payable']);
    expect(fold(depositDecider, [...securityHeld, ...all]).refundDueVnd).toBe(0);
    const over = [
      { reason: 'A', amountVnd: 2_000_000 },
      { reason: 'B', amountVnd: 1_000_001 },
    ];
    deposit().given(securityHeld).when(release(over)).thenFails('DEDUCTIONS_EXCEED_DEPOSIT', 'deductions');
    deposit()
      .given(securityHeld)
      .when(release([{ reason: 'A', amountVnd: 0 }]))
      .thenFails('AMOUNT_INVALID', 'deductions.0.amountVnd');
    deposit()
      .given(securityHeld)
      .when(release([{ reason: '  ', amountVnd: 1 }]))
      .thenFails('DEDUCTION_REASON_REQUIRED', 'deductions.0.reason');
  });

  test('a release recorded before deductions existed still reads as a full refund', () => {
    const [current] = decideOn(securityHeld, release([])) as Extract<DepositEvent, { type: 'DepositReleased' }>[];
    const { deductions: _none, ...old } = current?.data ?? ({} as never);
    const legacy: DepositEvent = { type: 'DepositReleased', data: old };
    expect(fold(depositDecider, [...securityHeld, legacy])).toMatchObject({
      status: 'released',
      refundDueVnd: 3_000_000,
    });
  });

  test('whatever the deductions, the entry balances and the customer gets the rest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_500_000 }), { maxLength: 6 }),
        fc.constantFrom<ReleaseMode>('refund', 'offset_first_rent'),
        (amounts, mode) => {
          const deductions = amounts.map((amountVnd, i) => ({ reason: `Lý do ${i}`, amountVnd }));
          const decision = depositDecider.decide(
            release(deductions, mode),
            fold(depositDecider, securityHeld),
            testContext(),
          );
          const total = amounts.reduce((a, b) => a + b, 0);
          if (total > 3_000_000) {
            expect(isDomainError(decision) && decision.code).toBe('DEDUCTIONS_EXCEED_DEPOSIT');
            return;
          }
          if (isDomainError(decision)) throw decision;
          const [event] = decision as Extract<DepositEvent, { type: 'DepositReleased' }>[];
          if (!event) throw new Error('no release');
          expect(entryProblem(event.data.journal)).toBeNull();
          expect(totalOf(event.data.journal, 'debit')).toBe(3_000_000);
          const state = fold(depositDecider, [...securityHeld, event]);
          expect(state.refundDueVnd).toBe(mode === 'refund' ? 3_000_000 - total : 0);
        },
      ),
    );
  });

  const atHandover = policyOf({ commission: { kind: 'percent_of_deposit', percent: 10, on: 'handover_completed' } });
  const paidSecurity = request({
    depositId: 'sec-1',
    kind: 'security',
    amountVnd: 3_000_000,
    paymentId: 'pay-s',
    roomHoldId: 'sec-1',
    policy: atHandover,
  });
  const securityHeldAtHandover = [requested(paidSecurity), heldEvent('sec-1', null)];

  test('a policy paying commission at handover: nothing when held, the whole deal at release, once', () => {
    deposit()
      .given([requested(paidSecurity)])
      .when({ type: 'MarkDepositPaid', depositId: 'sec-1', paymentId: 'pay-s' })
      .thenEmits([heldEvent('sec-1', null)]);
    const events = decideOn(securityHeldAtHandover, release([]));
    expect(events.map((e) => e.type)).toEqual(['DepositReleased', 'CommissionAccrued']);
    expect(events[1]).toEqual(commission('sec-1', 300_000));
    deposit()
      .given([...securityHeldAtHandover, ...events])
      .when(release([]))
      .thenEmits([]);
    deposit()
      .given([requested({ ...paidSecurity, parties: { ...parties, salesStaffId: null } }), heldEvent('sec-1', null)])
      .when(release([]))
      .thenEmits([decideOn(securityHeldAtHandover, release([]))[0] as DepositEvent]);
  });

  test('at handover, a deposit converted from a reservation earns on its whole amount', () => {
    const reservation = request({ policy: atHandover });
    deposit()
      .given([requested(reservation)])
      .when(paid())
      .thenEmits([heldEvent('res-1', '2026-11-24T03:00:00.000Z')]);
    const converted = requested({
      ...security,
      amountVnd: 3_000_000,
      paymentId: 'pay-s',
      convertedFrom: fromReservation,
      policy: atHandover,
    });
    const events = decideOn([converted, heldEvent('sec-1', null)], release([]));
    expect(events[1]).toEqual(commission('sec-1', 300_000));
  });
});

describe('refundPercentAt', () => {
  const rules: RefundRule[] = terms.refundRules;
  const heldAt = new Date(HELD_AT);
  const at = (iso: string) => new Date(iso);

  test('the soonest deadline still ahead wins', () => {
    expect(refundPercentAt(rules, heldAt, null, hoursAfterHeld(24))).toBe(100);
    expect(refundPercentAt(rules, heldAt, at('2026-12-01T00:00:00Z'), hoursAfterHeld(12))).toBe(100);
    expect(refundPercentAt(rules, heldAt, at('2026-12-01T00:00:00Z'), hoursAfterHeld(25))).toBe(50);
    expect(refundPercentAt(rules, heldAt, at('2026-12-01T00:00:00Z'), at('2026-11-29T00:00:00Z'))).toBe(0);
    expect(refundPercentAt(rules, heldAt, at('2026-12-01T00:00:00Z'), at('2026-12-01T00:00:01Z'))).toBe(0);
    // move-in close to payment: the 72 h-before rule is already past, the 24 h rule is still ahead
    expect(refundPercentAt(rules, heldAt, at('2026-11-24T00:00:00Z'), hoursAfterHeld(1))).toBe(100);
  });

  test('move_in rules count only once the move-in date is known', () => {
    const moveInOnly: RefundRule[] = [{ event: 'move_in', offsetHours: -72, refundPercent: 80 }];
    expect(refundPercentAt(moveInOnly, heldAt, null, hoursAfterHeld(1))).toBe(0);
    expect(refundPercentAt(moveInOnly, heldAt, at('2026-12-01T00:00:00Z'), hoursAfterHeld(1))).toBe(80);
    expect(refundPercentAt(rules, heldAt, null, hoursAfterHeld(25))).toBe(0);
  });
});
