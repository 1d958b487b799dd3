import { describe, expect, test } from 'vitest';
import {
  type DepositPolicyCommand,
  type DepositPolicyContext,
  type DepositPolicyTermsInput,
  depositPolicyDecider,
  versionOf,
  withTermDefaults,
} from '../../domain/catalog/deposit-policy.js';
import {
  commissionTriggerOf,
  type DepositPolicyEvent,
  type DepositPolicyTerms,
  securityReleaseOf,
} from '../../domain/catalog/deposit-policy-events.js';
import { fold } from '../../domain/shared/decider.js';
import { scenario, testContext } from '../support/given-when-then.js';

const policyId = 'policy-1';
const ownerId = 'owner-1';
const context = (over: Partial<DepositPolicyContext> = {}): DepositPolicyContext => ({
  ...testContext({ actorId: ownerId, roles: ['owner'] }),
  canManageTemplates: false,
  usageCount: 0,
  ...over,
});
const byOwner = (over: Partial<DepositPolicyContext> = {}) => scenario(depositPolicyDecider, context(over));
const byOtherOwner = () => scenario(depositPolicyDecider, context({ actorId: 'owner-2' }));
const byAdmin = () =>
  scenario(depositPolicyDecider, context({ actorId: 'admin-1', roles: ['admin'], canManageTemplates: true }));

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
  securityRelease: 'offset_first_rent',
  commission: { kind: 'percent_of_deposit', percent: 10, on: 'deposit_held' },
};
const withTerms = (over: Record<string, unknown>) => ({ ...terms, ...over }) as DepositPolicyTermsInput;

const create = (over: Partial<Extract<DepositPolicyCommand, { type: 'CreateDepositPolicy' }>> = {}) =>
  ({ type: 'CreateDepositPolicy', policyId, ownerId, name: 'Cọc tiêu chuẩn', terms, ...over }) as DepositPolicyCommand;
const revise = (newTerms: DepositPolicyTermsInput, name = 'Cọc tiêu chuẩn'): DepositPolicyCommand => ({
  type: 'ReviseDepositPolicy',
  policyId,
  name,
  terms: newTerms,
});
const created = (owner: string | null = ownerId): DepositPolicyEvent => ({
  type: 'DepositPolicyCreated',
  data: { policyId, ownerId: owner, name: 'Cọc tiêu chuẩn', version: 1, terms },
});
const securityOnly: DepositPolicyTerms = {
  ...terms,
  allowedDepositTypes: ['security'],
  reservationTtlHours: null,
  reservationAmount: null,
  convertReservationToSecurity: false,
};
const revised: DepositPolicyEvent = {
  type: 'DepositPolicyRevised',
  data: { policyId, version: 2, name: 'Cọc tiêu chuẩn', terms: securityOnly },
};
const disabled = (byAdmin = false): DepositPolicyEvent => ({
  type: 'DepositPolicyDisabled',
  data: { policyId, byAdmin },
});
const deleted: DepositPolicyEvent = { type: 'DepositPolicyDeleted', data: { policyId } };

describe('deposit policy: create and terms', () => {
  test('an owner creates their own policy at version 1, name tidied', () => {
    byOwner()
      .given([])
      .when(create({ name: '  Cọc   tiêu chuẩn ' }))
      .thenEmits([created()]);
  });

  test('canonical terms: unused reservation fields dropped, refund rules sorted by event then offset', () => {
    const shuffled = [...terms.refundRules].reverse();
    byOwner()
      .given([])
      .when(
        create({
          terms: withTerms({
            allowedDepositTypes: ['security'],
            reservationTtlHours: 5,
            reservationAmount: { kind: 'fixed', amount: 1 },
            convertReservationToSecurity: false,
            refundRules: shuffled,
          }),
        }),
      )
      .thenEmits([{ ...created(), data: { ...created().data, terms: securityOnly } } as DepositPolicyEvent]);
  });

  test('bad terms are refused naming the field', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ allowedDepositTypes: [] }, 'DEPOSIT_TYPES_REQUIRED', 'terms.allowedDepositTypes'],
      [{ allowedDepositTypes: ['security', 'cash'] }, 'DEPOSIT_TYPE_INVALID', 'terms.allowedDepositTypes.1'],
      [{ allowedDepositTypes: ['security', 'security'] }, 'DEPOSIT_TYPE_DUPLICATE', 'terms.allowedDepositTypes.1'],
      [{ reservationTtlHours: null }, 'RESERVATION_TTL_INVALID', 'terms.reservationTtlHours'],
      [{ reservationTtlHours: 0 }, 'RESERVATION_TTL_INVALID', 'terms.reservationTtlHours'],
      [{ reservationTtlHours: 721 }, 'RESERVATION_TTL_INVALID', 'terms.reservationTtlHours'],
      [{ reservationTtlHours: 1.5 }, 'RESERVATION_TTL_INVALID', 'terms.reservationTtlHours'],
      [{ reservationAmount: null }, 'AMOUNT_RULE_REQUIRED', 'terms.reservationAmount'],
      [{ reservationAmount: { kind: 'fixed', amount: 0 } }, 'AMOUNT_INVALID', 'terms.reservationAmount.amount'],
      [{ reservationAmount: { kind: 'fixed', amount: 1000.5 } }, 'AMOUNT_INVALID', 'terms.reservationAmount.amount'],
      [{ securityAmount: { kind: 'months_of_rent', months: 0 } }, 'MONTHS_INVALID', 'terms.securityAmount.months'],
      [{ securityAmount: { kind: 'months_of_rent', months: 1.3 } }, 'MONTHS_INVALID', 'terms.securityAmount.months'],
      [{ securityAmount: { kind: 'months_of_rent', months: 13 } }, 'MONTHS_INVALID', 'terms.securityAmount.months'],
      [{ securityAmount: { kind: 'percent' } }, 'AMOUNT_RULE_INVALID', 'terms.securityAmount.kind'],
      [
        { refundRules: [terms.refundRules[0], { event: 'move_out', offsetHours: 0, refundPercent: 0 }] },
        'REFUND_EVENT_INVALID',
        'terms.refundRules.1.event',
      ],
      [
        { refundRules: [{ event: 'move_in', offsetHours: -24, refundPercent: 101 }] },
        'REFUND_PERCENT_INVALID',
        'terms.refundRules.0.refundPercent',
      ],
      [
        { refundRules: [terms.refundRules[0], { event: 'move_in', offsetHours: 1, refundPercent: -1 }] },
        'REFUND_PERCENT_INVALID',
        'terms.refundRules.1.refundPercent',
      ],
      [
        { refundRules: [{ event: 'deposit_paid', offsetHours: -1, refundPercent: 100 }] },
        'REFUND_OFFSET_INVALID',
        'terms.refundRules.0.offsetHours',
      ],
      [
        { refundRules: [{ event: 'move_in', offsetHours: 9000, refundPercent: 10 }] },
        'REFUND_OFFSET_INVALID',
        'terms.refundRules.0.offsetHours',
      ],
      [
        {
          refundRules: [
            { event: 'move_in', offsetHours: -72, refundPercent: 50 },
            { event: 'move_in', offsetHours: -72, refundPercent: 20 },
          ],
        },
        'REFUND_RULE_DUPLICATE',
        'terms.refundRules.1.offsetHours',
      ],
      [
        {
          refundRules: Array.from({ length: 21 }, (_, i) => ({ event: 'move_in', offsetHours: -i, refundPercent: 0 })),
        },
        'REFUND_RULES_TOO_MANY',
        'terms.refundRules',
      ],
      [
        { allowedDepositTypes: ['security'], convertReservationToSecurity: true },
        'CONVERSION_NEEDS_BOTH_TYPES',
        'terms.convertReservationToSecurity',
      ],
      [{ releaseRequiresHandover: false }, 'HANDOVER_REQUIRED_FOR_RELEASE', 'terms.releaseRequiresHandover'],
      [{ commission: { kind: 'percent_of_deposit', percent: 0 } }, 'COMMISSION_INVALID', 'terms.commission.percent'],
      [
        { commission: { kind: 'percent_of_deposit', percent: 10.005 } },
        'COMMISSION_INVALID',
        'terms.commission.percent',
      ],
      [{ commission: { kind: 'fixed', amount: -5 } }, 'COMMISSION_INVALID', 'terms.commission.amount'],
      [{ commission: { kind: 'bonus' } }, 'COMMISSION_INVALID', 'terms.commission.kind'],
    ];
    for (const [over, code, field] of cases) {
      byOwner()
        .given([])
        .when(create({ terms: withTerms(over) }))
        .thenFails(code, field);
    }
  });

  test('the handover rule is explained in Vietnamese', () => {
    const error = byOwner()
      .given([])
      .when(create({ terms: withTerms({ releaseRequiresHandover: false }) }))
      .thenFails('HANDOVER_REQUIRED_FOR_RELEASE');
    expect(error.message).toMatch(/biên bản bàn giao/);
  });

  test('valid edge values pass: half months, fixed commission, no refund rules, 720 h TTL', () => {
    const edge = withTerms({
      reservationTtlHours: 720,
      securityAmount: { kind: 'months_of_rent', months: 0.5 },
      refundRules: [],
      commission: { kind: 'fixed', amount: 200_000 },
    });
    const decision = depositPolicyDecider.decide(create({ terms: edge }), fold(depositPolicyDecider, []), context());
    expect(decision).toMatchObject([{ type: 'DepositPolicyCreated', data: { terms: { reservationTtlHours: 720 } } }]);
  });

  test('a name is required and at most 120 characters', () => {
    byOwner()
      .given([])
      .when(create({ name: '   ' }))
      .thenFails('NAME_REQUIRED', 'name');
    byOwner()
      .given([])
      .when(create({ name: 'x'.repeat(121) }))
      .thenFails('FIELD_TOO_LONG', 'name');
  });

  test('one policy per stream', () => {
    byOwner().given([created()]).when(create()).thenFails('DEPOSIT_POLICY_EXISTS');
  });
});

describe('deposit policy: versions', () => {
  test('a revision becomes version n+1 and earlier versions stay readable', () => {
    byOwner().given([created()]).when(revise(securityOnly)).thenEmits([revised]);
    byOwner()
      .given([created(), revised])
      .when(revise(terms, 'Cọc mới'))
      .thenEmits([{ type: 'DepositPolicyRevised', data: { policyId, version: 3, name: 'Cọc mới', terms } }]);
    const state = fold(depositPolicyDecider, [created(), revised]);
    expect(versionOf(state, 1)?.terms).toEqual(terms);
    expect(versionOf(state, 2)?.terms).toEqual(securityOnly);
    expect(state.versions.map((v) => v.version)).toEqual([1, 2]);
  });

  test('revising with the same name and terms records nothing, even with keys in another order', () => {
    const reversedKeys = (value: unknown): unknown =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([k, v]) => [k, reversedKeys(v)]),
          )
        : Array.isArray(value)
          ? value.map(reversedKeys)
          : value;
    const reordered = reversedKeys(terms) as DepositPolicyTermsInput;
    expect(Object.keys(reordered)[0]).toBe('commission');
    byOwner().given([created()]).when(revise(reordered)).thenEmits([]);
  });

  test('a revision is validated like a creation', () => {
    byOwner()
      .given([created()])
      .when(revise(withTerms({ reservationTtlHours: 0 })))
      .thenFails('RESERVATION_TTL_INVALID', 'terms.reservationTtlHours');
  });

  test('a disabled policy may still be revised', () => {
    byOwner().given([created(), disabled()]).when(revise(securityOnly)).thenEmits([revised]);
  });
});

describe('deposit policy: disable, enable, delete', () => {
  test('disable keeps every version; enable again; repeating either is a no-op', () => {
    byOwner().given([created()]).when({ type: 'DisableDepositPolicy', policyId }).thenEmits([disabled()]);
    const state = fold(depositPolicyDecider, [created(), revised, disabled()]);
    expect(state.status).toBe('disabled');
    expect(state.versions).toHaveLength(2);
    byOwner().given([created(), disabled()]).when({ type: 'DisableDepositPolicy', policyId }).thenEmits([]);
    byOwner()
      .given([created(), disabled()])
      .when({ type: 'EnableDepositPolicy', policyId })
      .thenEmits([{ type: 'DepositPolicyEnabled', data: { policyId } }]);
    byOwner().given([created()]).when({ type: 'EnableDepositPolicy', policyId }).thenEmits([]);
  });

  test('delete only when unused, with the count; deleted is terminal', () => {
    const error = byOwner({ usageCount: 3 })
      .given([created()])
      .when({ type: 'DeleteDepositPolicy', policyId })
      .thenFails('POLICY_IN_USE');
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ uses: 3 });
    byOwner().given([created(), disabled()]).when({ type: 'DeleteDepositPolicy', policyId }).thenEmits([deleted]);
    for (const command of [
      revise(terms),
      { type: 'EnableDepositPolicy', policyId },
      { type: 'DisableDepositPolicy', policyId },
      { type: 'DeleteDepositPolicy', policyId },
    ] as DepositPolicyCommand[]) {
      byOwner().given([created(), deleted]).when(command).thenFails('DEPOSIT_POLICY_DELETED');
    }
  });

  test('commands on a policy that does not exist', () => {
    byOwner().given([]).when({ type: 'DisableDepositPolicy', policyId }).thenFails('DEPOSIT_POLICY_NOT_FOUND');
    byOwner().given([]).when(revise(terms)).thenFails('DEPOSIT_POLICY_NOT_FOUND');
  });
});

describe('deposit policy: who may change it', () => {
  test('only template managers create templates; nobody creates a policy for another owner', () => {
    byOwner()
      .given([])
      .when(create({ ownerId: null }))
      .thenFails('TEMPLATE_MANAGER_REQUIRED');
    byAdmin()
      .given([])
      .when(create({ ownerId: null }))
      .thenEmits([created(null)]);
    byAdmin().given([]).when(create()).thenFails('DEPOSIT_POLICY_FORBIDDEN');
  });

  test('another owner may not revise, disable, enable or delete an owner’s policy', () => {
    for (const command of [
      revise(securityOnly),
      { type: 'DisableDepositPolicy', policyId },
      { type: 'EnableDepositPolicy', policyId },
      { type: 'DeleteDepositPolicy', policyId },
    ] as DepositPolicyCommand[]) {
      const error = byOtherOwner().given([created()]).when(command).thenFails('DEPOSIT_POLICY_FORBIDDEN');
      expect(error.status).toBe(403);
    }
  });

  test('owners may not change templates; template managers may', () => {
    byOwner()
      .given([created(null)])
      .when(revise(securityOnly))
      .thenFails('DEPOSIT_POLICY_FORBIDDEN');
    byOwner()
      .given([created(null)])
      .when({ type: 'DisableDepositPolicy', policyId })
      .thenFails('DEPOSIT_POLICY_FORBIDDEN');
    byOwner()
      .given([created(null)])
      .when({ type: 'DeleteDepositPolicy', policyId })
      .thenFails('DEPOSIT_POLICY_FORBIDDEN');
    byAdmin()
      .given([created(null)])
      .when(revise(securityOnly))
      .thenEmits([revised]);
    byAdmin()
      .given([created(null)])
      .when({ type: 'DeleteDepositPolicy', policyId })
      .thenEmits([deleted]);
  });

  test('an admin may disable an owner’s policy but not revise or delete it; the owner cannot undo that', () => {
    byAdmin()
      .given([created()])
      .when({ type: 'DisableDepositPolicy', policyId })
      .thenEmits([disabled(true)]);
    byAdmin().given([created()]).when(revise(securityOnly)).thenFails('DEPOSIT_POLICY_FORBIDDEN');
    byAdmin().given([created()]).when({ type: 'DeleteDepositPolicy', policyId }).thenFails('DEPOSIT_POLICY_FORBIDDEN');
    byOwner()
      .given([created(), disabled(true)])
      .when({ type: 'EnableDepositPolicy', policyId })
      .thenFails('DEPOSIT_POLICY_DISABLED_BY_ADMIN');
    byAdmin()
      .given([created(), disabled(true)])
      .when({ type: 'EnableDepositPolicy', policyId })
      .thenEmits([{ type: 'DepositPolicyEnabled', data: { policyId } }]);
  });
});

describe('deposit policy: security release and when the commission is earned', () => {
  const { securityRelease: _release, ...withoutRelease } = terms;
  const percentOnly = { kind: 'percent_of_deposit', percent: 10 } as const;
  /** Terms as written before these fields existed. */
  const legacyTerms = { ...withoutRelease, commission: percentOnly } as DepositPolicyTerms;
  const legacyCreated: DepositPolicyEvent = {
    type: 'DepositPolicyCreated',
    data: { policyId, ownerId, name: 'Cọc tiêu chuẩn', version: 1, terms: legacyTerms },
  };

  test('left out, the deposit is offset against the first rent and the commission earned when held', () => {
    byOwner()
      .given([])
      .when(create({ terms: { ...legacyTerms } as DepositPolicyTermsInput }))
      .thenEmits([created()]);
  });

  test('the other release moments and the handover trigger are kept as chosen', () => {
    const chosen = withTerms({
      securityRelease: 'refund_at_move_out',
      commission: { kind: 'fixed', amount: 200_000, on: 'handover_completed' },
    });
    const decision = depositPolicyDecider.decide(create({ terms: chosen }), fold(depositPolicyDecider, []), context());
    expect(decision).toMatchObject([
      { data: { terms: { securityRelease: 'refund_at_move_out', commission: { on: 'handover_completed' } } } },
    ]);
    byOwner()
      .given([])
      .when(create({ terms: withTerms({ securityRelease: 'refund_later' }) }))
      .thenFails('SECURITY_RELEASE_INVALID', 'terms.securityRelease');
    byOwner()
      .given([])
      .when(create({ terms: withTerms({ commission: { kind: 'percent_of_deposit', percent: 5, on: 'signed' } }) }))
      .thenFails('COMMISSION_TRIGGER_INVALID', 'terms.commission.on');
  });

  test('an old policy reads with the defaults, and resending its terms is no new version', () => {
    const state = fold(depositPolicyDecider, [legacyCreated]);
    const old = versionOf(state, 1)?.terms as DepositPolicyTerms;
    expect(securityReleaseOf(old)).toBe('offset_first_rent');
    expect(commissionTriggerOf(old.commission)).toBe('deposit_held');
    expect(withTermDefaults(old)).toEqual(terms);
    byOwner().given([legacyCreated]).when(revise(legacyTerms)).thenEmits([]);
    byOwner().given([legacyCreated]).when(revise(terms)).thenEmits([]);
    byOwner()
      .given([legacyCreated])
      .when(revise(withTerms({ securityRelease: 'refund_at_move_in' })))
      .thenEmits([
        {
          type: 'DepositPolicyRevised',
          data: {
            policyId,
            version: 2,
            name: 'Cọc tiêu chuẩn',
            terms: { ...terms, securityRelease: 'refund_at_move_in' },
          },
        },
      ]);
  });
});
