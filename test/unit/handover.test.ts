import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type HandoverCommand, type HandoverState, handoverDecider } from '../../domain/contracts/handover.js';
import { canonicalJson, handoverDigest } from '../../domain/contracts/handover-content.js';
import { type HandoverContent, type HandoverEvent, handoverStream } from '../../domain/contracts/handover-events.js';
import { fold, isDomainError } from '../../domain/shared/decider.js';
import { scenario, testContext } from '../support/given-when-then.js';

const NOW = new Date('2026-12-01T02:00:00Z');
const staff = () => scenario(handoverDecider, testContext({ actorId: 'sales-1', roles: ['sales'], now: NOW }));
const handoverId = 'handover-1';
const parties = {
  contractId: 'contract-1',
  roomId: 'room-1',
  projectId: 'project-1',
  customerId: 'customer-1',
  ownerId: 'owner-1',
  depositId: 'deposit-1',
};
const content: HandoverContent = {
  meters: { electricity: 1200, water: 340 },
  assets: [
    { name: 'Điều hoà', condition: 'good', note: null, photoKeys: ['handovers/a.jpg'] },
    { name: 'Tủ lạnh', condition: 'needs_repair', note: 'Cửa hơi lỏng', photoKeys: [] },
  ],
  notes: 'Bàn giao 2 chìa khoá',
  deductions: [],
};
type Open = Extract<HandoverCommand, { type: 'OpenHandover' }>;
const open = (over: Partial<Open> = {}): Open => ({
  type: 'OpenHandover',
  handoverId,
  kind: 'move_in',
  openedBy: 'sales-1',
  ...parties,
  content,
  contractSigned: true,
  moveInHandoverId: null,
  moveInMeters: null,
  depositHeldVnd: 5_000_000,
  ...over,
});
const opened: HandoverEvent = {
  type: 'HandoverOpened',
  data: {
    handoverId,
    kind: 'move_in',
    ...parties,
    openedBy: 'sales-1',
    moveInHandoverId: null,
    content,
    documentSha256: handoverDigest(content),
  },
};
const HASH = handoverDigest(content);
const sign = (party: 'customer' | 'owner', signerId = `${party}-1`, documentSha256 = HASH): HandoverCommand => ({
  type: 'SignHandover',
  handoverId,
  party,
  signerId,
  ip: '198.51.100.2',
  userAgent: 'Mozilla/5.0',
  documentSha256,
});
const signedBy = (party: 'customer' | 'owner'): HandoverEvent => ({
  type: 'HandoverSigned',
  data: {
    handoverId,
    party,
    signerId: `${party}-1`,
    signedAt: NOW.toISOString(),
    ip: '198.51.100.2',
    userAgent: 'Mozilla/5.0',
    documentSha256: HASH,
  },
});
const completed: HandoverEvent = {
  type: 'HandoverCompleted',
  data: { handoverId, kind: 'move_in', completedAt: NOW.toISOString(), documentSha256: HASH },
};
const record = (next: HandoverContent, depositHeldVnd = 5_000_000): HandoverCommand => ({
  type: 'RecordHandoverContent',
  handoverId,
  content: next,
  moveInMeters: null,
  depositHeldVnd,
});

describe('opening a handover report', () => {
  test('in progress once the contract is signed, with the digest of its content', () => {
    staff().given([]).when(open()).thenEmits([opened]);
    expect(fold(handoverDecider, [opened]).status).toBe('in_progress');
    expect(handoverDecider.initialState().status).toBe('not_started');
    expect(handoverStream(handoverId)).toBe('handover-handover-1');
    staff().given([opened]).when(open()).thenFails('HANDOVER_EXISTS');
    expect(
      staff()
        .given([])
        .when(open({ contractSigned: false }))
        .thenFails('CONTRACT_NOT_SIGNED').status,
    ).toBe(409);
  });

  test('the content is checked field by field', () => {
    const cases: [Partial<HandoverContent>, string, string][] = [
      [{ meters: { electricity: -1, water: 0 } }, 'METER_INVALID', 'meters.electricity'],
      [{ meters: { electricity: 1, water: 1.5 } }, 'METER_INVALID', 'meters.water'],
      [
        { assets: [{ name: ' ', condition: 'good', note: null, photoKeys: [] }] },
        'ASSET_NAME_REQUIRED',
        'assets.0.name',
      ],
      [
        { assets: [{ name: 'Giường', condition: 'dirty' as never, note: null, photoKeys: [] }] },
        'ASSET_CONDITION_INVALID',
        'assets.0.condition',
      ],
      [
        { assets: [{ name: 'Giường', condition: 'good', note: null, photoKeys: Array(11).fill('k') }] },
        'PHOTOS_TOO_MANY',
        'assets.0.photoKeys',
      ],
      [
        { assets: Array(101).fill({ name: 'Ghế', condition: 'good', note: null, photoKeys: [] }) },
        'ASSETS_TOO_MANY',
        'assets',
      ],
      [{ notes: 'x'.repeat(2001) }, 'FIELD_TOO_LONG', 'notes'],
      [{ deductions: [{ reason: 'Bẩn', amountVnd: 100_000 }] }, 'DEDUCTIONS_MOVE_OUT_ONLY', 'deductions'],
    ];
    for (const [over, code, field] of cases) {
      staff()
        .given([])
        .when(open({ content: { ...content, ...over } }))
        .thenFails(code, field);
    }
  });
});

describe('move-out', () => {
  const moveOut = (over: Partial<HandoverContent>, depositHeldVnd = 5_000_000) =>
    open({
      handoverId: 'handover-2',
      kind: 'move_out',
      moveInHandoverId: handoverId,
      moveInMeters: content.meters,
      content: { ...content, meters: { electricity: 1500, water: 360 }, ...over },
      depositHeldVnd,
    });

  test('compared with the move-in report: meters never go down', () => {
    staff()
      .given([])
      .when(moveOut({ meters: { electricity: 1199, water: 400 } }))
      .thenFails('METER_DECREASED', 'meters.electricity');
    staff()
      .given([])
      .when(moveOut({ meters: { electricity: 1200, water: 339 } }))
      .thenFails('METER_DECREASED', 'meters.water');
    staff()
      .given([])
      .when({ ...moveOut({}), moveInHandoverId: null })
      .thenFails('MOVE_IN_REQUIRED', 'moveInHandoverId');
  });

  test('deductions with reasons, within what the deposit still holds', () => {
    const deductions = [
      { reason: 'Hỏng khoá', amountVnd: 300_000 },
      { reason: 'Tiền nước', amountVnd: 200_000 },
    ];
    const decision = handoverDecider.decide(moveOut({ deductions }), fold(handoverDecider, []), testContext());
    if (isDomainError(decision)) throw decision;
    expect(decision[0]).toMatchObject({
      data: { kind: 'move_out', moveInHandoverId: handoverId, content: { deductions } },
    });
    staff()
      .given([])
      .when(moveOut({ deductions: [{ reason: 'Sơn lại', amountVnd: 5_000_001 }] }))
      .thenFails('DEDUCTIONS_EXCEED_DEPOSIT', 'deductions');
    staff()
      .given([])
      .when(moveOut({ deductions: [{ reason: '', amountVnd: 1 }] }))
      .thenFails('DEDUCTION_REASON_REQUIRED', 'deductions.0.reason');
    const released = staff().given([]).when(moveOut({ deductions }, 0)).thenFails('DEPOSIT_ALREADY_RELEASED');
    expect(released.status).toBe(409);
    const nothingKept = handoverDecider.decide(moveOut({}, 0), fold(handoverDecider, []), testContext());
    expect(isDomainError(nothingKept)).toBe(false);
  });
});

describe('recording content', () => {
  const changed: HandoverContent = { ...content, meters: { electricity: 1201, water: 340 } };

  test('changes until the first signature; the same content is no change', () => {
    staff()
      .given([opened])
      .when(record(changed))
      .thenEmits([
        {
          type: 'HandoverContentRecorded',
          data: { handoverId, content: changed, documentSha256: handoverDigest(changed) },
        },
      ]);
    staff().given([opened]).when(record(content)).thenEmits([]);
    staff()
      .given([opened, signedBy('owner')])
      .when(record(changed))
      .thenFails('HANDOVER_FROZEN');
    staff().given([]).when(record(changed)).thenFails('HANDOVER_NOT_FOUND');
  });

  test('the digest does not depend on key order', () => {
    const reordered = JSON.parse(canonicalJson(content)) as HandoverContent;
    expect(Object.keys(reordered)[0]).toBe('assets');
    expect(handoverDigest(reordered)).toBe(HASH);
  });
});

describe('signing and completion', () => {
  test('both parties in any order; the second signature completes it', () => {
    staff()
      .given([opened])
      .when(sign('owner'))
      .thenEmits([signedBy('owner')]);
    staff()
      .given([opened, signedBy('owner')])
      .when(sign('customer'))
      .thenEmits([signedBy('customer'), completed]);
    staff()
      .given([opened, signedBy('customer')])
      .when(sign('owner'))
      .thenEmits([signedBy('owner'), completed]);
    const state = fold(handoverDecider, [opened, signedBy('customer'), signedBy('owner'), completed]);
    expect(state).toMatchObject({ status: 'completed', completedAt: NOW.toISOString() });
  });

  test('refuses strangers, a second signature of one party and another text', () => {
    expect(staff().given([opened]).when(sign('customer', 'owner-1')).thenFails('NOT_A_PARTY').status).toBe(403);
    staff()
      .given([opened, signedBy('customer')])
      .when(sign('customer'))
      .thenFails('ALREADY_SIGNED');
    staff()
      .given([opened])
      .when(sign('customer', 'customer-1', handoverDigest({ ...content, notes: null })))
      .thenFails('DOCUMENT_CHANGED');
  });

  test('a completed report is read-only', () => {
    const done = [opened, signedBy('customer'), signedBy('owner'), completed];
    const commands: HandoverCommand[] = [
      record(content),
      sign('customer'),
      { type: 'CancelHandover', handoverId, reason: 'Nhầm' },
    ];
    for (const command of commands) staff().given(done).when(command).thenFails('HANDOVER_COMPLETED');
  });

  test('any order of attempts completes only with both parties, each once, over the same digest', () => {
    const attempt = fc.record({
      party: fc.constantFrom<'customer' | 'owner'>('customer', 'owner'),
      honest: fc.boolean(),
      edit: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 12 }), (attempts) => {
        let state: HandoverState = fold(handoverDecider, [opened]);
        for (const [i, { party, honest, edit }] of attempts.entries()) {
          const command: HandoverCommand = edit
            ? record({ ...content, meters: { electricity: 1200 + i, water: 340 } })
            : sign(party, honest ? `${party}-1` : 'stranger', state.documentSha256);
          const decision = handoverDecider.decide(command, state, testContext({ now: NOW }));
          if (isDomainError(decision)) continue;
          for (const event of decision) state = handoverDecider.evolve(state, event);
        }
        const parties = state.signatures.map((s) => s.party);
        expect(new Set(parties).size).toBe(parties.length);
        expect(state.signatures.every((s) => s.documentSha256 === state.documentSha256)).toBe(true);
        expect(state.status === 'completed').toBe(parties.length === 2);
      }),
      { numRuns: 300 },
    );
  });
});

describe('cancelling', () => {
  test('only before any signature, with a reason', () => {
    const cancel = (reason = 'Lập nhầm phòng'): HandoverCommand => ({ type: 'CancelHandover', handoverId, reason });
    const cancelled: HandoverEvent = { type: 'HandoverCancelled', data: { handoverId, reason: 'Lập nhầm phòng' } };
    staff().given([opened]).when(cancel()).thenEmits([cancelled]);
    staff().given([opened, cancelled]).when(cancel()).thenEmits([]);
    staff().given([opened]).when(cancel(' ')).thenFails('REASON_REQUIRED', 'reason');
    staff()
      .given([opened, signedBy('customer')])
      .when(cancel())
      .thenFails('HANDOVER_FROZEN');
    staff().given([opened, cancelled]).when(sign('customer')).thenFails('HANDOVER_STATUS');
    staff().given([opened, cancelled]).when(record(content)).thenFails('HANDOVER_STATUS');
  });
});
