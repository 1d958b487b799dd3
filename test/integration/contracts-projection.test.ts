import { createHash, randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Position } from '../../commands/eventstore/port.js';
import { PostgresEventStore } from '../../commands/eventstore/postgres.js';
import { eventMetadata, systemMetadata } from '../../commands/metadata.js';
import { type ContractEvent, type ContractTerms, contractStream } from '../../domain/contracts/contract-events.js';
import { type HandoverContent, type HandoverEvent, handoverStream } from '../../domain/contracts/handover-events.js';
import { type ContractTemplateEvent, contractTemplateStream } from '../../domain/contracts/template-events.js';
import { type DepositEvent, depositStream } from '../../domain/payments/deposit-events.js';
import { catalogProjection } from '../../projections/catalog/catalog-projection.js';
import { contractsProjection } from '../../projections/contracts/contracts-projection.js';
import {
  contractOfDeposit,
  contractsDueForExpiry,
  contractsDueForReminder,
  getContract,
  listContracts,
} from '../../projections/contracts/contracts-queries.js';
import { getHandover, listHandovers } from '../../projections/contracts/handovers-queries.js';
import { myRentals, rentalStep } from '../../projections/contracts/rentals-queries.js';
import {
  defaultTemplateFor,
  getTemplate,
  listTemplates,
  templateUsage,
} from '../../projections/contracts/templates-queries.js';
import { usersProjection } from '../../projections/identity/users-projection.js';
import { paymentsProjection } from '../../projections/payments/payments-projection.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { type RunningProjection, runProjection } from '../../projections/runner.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { policy } from '../support/payments-world.js';

/**
 * Templates, contracts and handovers appended to the real event store at chosen times, with the
 * deposits they come from; the `contracts` and `payments` projections run over them. Names come
 * from the catalog and users read models (rows written directly, as those projections would).
 */
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const id = () => randomUUID();
const ADMIN = id();
const [K, K2, OWNER, OWNER2, STAFF] = [id(), id(), id(), id(), id()];
const [P1, P2] = [id(), id()];
const [L1, L2] = [id(), id()];
const [R1, R2, R3] = [id(), id(), id()];
const [T_PLATFORM, T_P1, T_GONE] = [id(), id(), id()];
const [C1, C2, C3, C4, C5] = [id(), id(), id(), id(), id()];
const [H0, H1, H2, H3, H4] = [id(), id(), id(), id(), id()];

interface DepositSpec {
  depositId: string;
  customerId: string;
  ownerId: string;
  listingId: string;
  roomId: string;
  projectId: string;
}
const deposit = (customerId: string, place: 'R1' | 'R2' | 'R3'): DepositSpec => ({
  depositId: id(),
  customerId,
  ...(place === 'R3'
    ? { ownerId: OWNER2, listingId: L2, roomId: R3, projectId: P2 }
    : { ownerId: OWNER, listingId: L1, roomId: place === 'R1' ? R1 : R2, projectId: P1 }),
});
const D1 = deposit(K, 'R1'); // C1: signed, moved in, moving out
const D2 = deposit(K, 'R2'); // C2: fields missing
const D3 = deposit(K2, 'R3'); // C3: the customer signed
const D4 = deposit(K, 'R1'); // a reservation held, no contract yet
const D5 = deposit(K, 'R2'); // a reservation converted into D2
const D6 = deposit(K, 'R2'); // never paid
const D8 = deposit(K2, 'R3'); // C4: cancelled
const D9 = deposit(K2, 'R3'); // C5: lived there, expired, moved out

let db: TestDatabase;
let store: PostgresEventStore;
// biome-ignore lint/suspicious/noExplicitAny: read-model tables
let kysely: Kysely<any>;
let contractsRunning: RunningProjection;
let paymentsRunning: RunningProjection;
/** The last position each projection must reach (a projection's checkpoint only moves on its own events). */
const last: { contracts: Position; payments: Position } = { contracts: 0n, payments: 0n };

type AnyEvent = ContractTemplateEvent | ContractEvent | HandoverEvent | DepositEvent;

/** Appends `events` to `stream` as if they happened at `at`, by `actorId`. */
async function append(stream: string, at: string, events: AnyEvent[], actorId = 'system') {
  const metadata = eventMetadata({ ...systemMetadata('contracts-projection-test'), actorId }, new Date(at), 1);
  const result = await store.appendToStream(
    stream,
    events.map((event) => ({ eventId: id(), type: event.type, data: event.data, metadata })),
    { expectedRevision: 'any' },
  );
  const deposits = events.some((event) => event.type.startsWith('Deposit'));
  last[deposits ? 'payments' : 'contracts'] = result.position;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const BODY_V1 = 'Hợp đồng thuê {{TenPhong}} giữa {{TenKhachHang}} và {{TenChuNha}} từ {{NgayBatDau}}.';
const BODY_V2 = 'HỢP ĐỒNG THUÊ {{TenPhong}} ({{TenKhachHang}}) từ {{NgayBatDau}} đến {{NgayKetThuc}}.';
const PLATFORM_BODY = 'Hợp đồng mẫu của nền tảng: {{TenKhachHang}} thuê {{TenPhong}}.';

const template = {
  created: (templateId: string, name: string, body: string): ContractTemplateEvent => ({
    type: 'ContractTemplateCreated',
    data: { templateId, name, body, version: 1, placeholders: ['TenPhong', 'TenKhachHang'] },
  }),
  revised: (templateId: string, version: number, name: string, body: string): ContractTemplateEvent => ({
    type: 'ContractTemplateRevised',
    data: { templateId, version, name, body, placeholders: ['TenPhong', 'TenKhachHang', 'NgayBatDau'] },
  }),
  madeDefault: (templateId: string, projectId: string | null): ContractTemplateEvent => ({
    type: 'ContractTemplateMadeDefault',
    data: { templateId, projectId },
  }),
};

async function holdDeposit(spec: DepositSpec, kind: 'reservation' | 'security', at: string, held = true) {
  const { depositId, ...parties } = spec;
  const events: DepositEvent[] = [
    {
      type: 'DepositRequested',
      data: {
        ...parties,
        depositId,
        kind,
        areaId: null,
        salesStaffId: null,
        amountVnd: kind === 'security' ? 3_000_000 : 1_000_000,
        feeVnd: 0,
        policy,
        paymentId: id(),
        convertedFrom: null,
        roomHoldId: depositId,
      },
    },
  ];
  if (held) events.push({ type: 'DepositHeld', data: { depositId, heldAt: at, expiresAt: null } });
  await append(depositStream(depositId), at, events);
}

const terms = (change: Partial<ContractTerms> = {}): ContractTerms => ({
  rentVnd: 5_000_000,
  depositVnd: 3_000_000,
  startDate: null,
  endDate: null,
  clauses: null,
  ...change,
});

function generated(
  contractId: string,
  spec: DepositSpec,
  from: { templateId: string; version: number; body: string },
  text: string,
  contractTerms: ContractTerms,
  missing: string[],
): ContractEvent {
  return {
    type: 'ContractGenerated',
    data: {
      ...spec,
      contractId,
      roomHoldId: spec.depositId,
      templateId: from.templateId,
      templateVersion: from.version,
      templateBody: from.body,
      values: { TenKhachHang: 'Nguyễn Văn Khách', TenPhong: 'P.101' },
      terms: contractTerms,
      text,
      sha256: sha(text),
      missing,
    },
  };
}

const signature = (party: 'customer' | 'owner', signerId: string, signedAt: string, text: string) => ({
  party,
  signerId,
  signedAt,
  ip: party === 'customer' ? '203.0.113.7' : '198.51.100.9',
  userAgent: 'Mozilla/5.0 (test)',
  documentSha256: sha(text),
});

/** Both parties sign: the customer, then the owner (with the contract's completion). */
async function signBoth(contractId: string, spec: DepositSpec, text: string, at: string) {
  await append(contractStream(contractId), at, [
    { type: 'ContractSigned', data: { contractId, ...signature('customer', spec.customerId, at, text) } },
  ]);
  await append(contractStream(contractId), at, [
    { type: 'ContractSigned', data: { contractId, ...signature('owner', spec.ownerId, at, text) } },
    { type: 'ContractFullySigned', data: { contractId, signedAt: at, documentSha256: sha(text) } },
  ]);
}

const content = (electricity: number, deductions: HandoverContent['deductions'] = []): HandoverContent => ({
  meters: { electricity, water: 40 },
  assets: [{ name: 'Máy lạnh', condition: 'good', note: null, photoKeys: ['handovers/a.jpg'] }],
  notes: null,
  deductions,
});
const digest = (c: HandoverContent) => sha(JSON.stringify(c));

async function openHandover(
  handoverId: string,
  kind: 'move_in' | 'move_out',
  contractId: string,
  spec: DepositSpec,
  at: string,
  body: HandoverContent,
  moveInHandoverId: string | null = null,
) {
  await append(
    handoverStream(handoverId),
    at,
    [
      {
        type: 'HandoverOpened',
        data: {
          handoverId,
          kind,
          contractId,
          roomId: spec.roomId,
          projectId: spec.projectId,
          customerId: spec.customerId,
          ownerId: spec.ownerId,
          depositId: spec.depositId,
          openedBy: STAFF,
          moveInHandoverId,
          content: body,
          documentSha256: digest(body),
        },
      },
    ],
    STAFF,
  );
}

/** The owner signs, then the customer (any order is allowed), which completes the report of `body`. */
async function completeHandover(
  handoverId: string,
  kind: 'move_in' | 'move_out',
  spec: DepositSpec,
  at: string,
  body: HandoverContent,
) {
  const hash = digest(body);
  const signed = (party: 'owner' | 'customer', signerId: string): HandoverEvent => ({
    type: 'HandoverSigned',
    data: { handoverId, ...signature(party, signerId, at, ''), documentSha256: hash },
  });
  await append(handoverStream(handoverId), at, [signed('owner', spec.ownerId)]);
  await append(handoverStream(handoverId), at, [
    signed('customer', spec.customerId),
    { type: 'HandoverCompleted', data: { handoverId, kind, completedAt: at, documentSha256: hash } },
  ]);
}

async function settle() {
  await contractsRunning.waitFor(last.contracts, 20_000);
  await paymentsRunning.waitFor(last.payments, 20_000);
}

async function names() {
  for (const projection of [usersProjection, catalogProjection]) await projection.setup(kysely, 'rm');
  const users: [string, string][] = [
    [K, 'Nguyễn Văn Khách'],
    [K2, 'Trần Thị Thuê'],
    [OWNER, 'Lê Chủ Nhà'],
    [OWNER2, 'Phạm Chủ Trọ'],
  ];
  for (const [userId, name] of users) {
    await db.pool.query(
      `insert into rm.users (id, email, name, roles, status, created_at, updated_at)
        values ($1, $2, $3, '{customer}', 'active', now(), now())`,
      [userId, `${userId.slice(0, 8)}@test.local`, name],
    );
  }
  for (const [projectId, ownerId, name] of [
    [P1, OWNER, 'Dự án Bình Thạnh'],
    [P2, OWNER2, 'Dự án Thủ Đức'],
  ]) {
    await db.pool.query(
      `insert into rm.projects (id, owner_id, name, description, area_id, street, status, quick, policy, created_at, updated_at)
        values ($1, $2, $3, '', 'A1', '1 Lê Lợi', 'active', false, '{}', now(), now())`,
      [projectId, ownerId, name],
    );
  }
  for (const [listingId, projectId, title] of [
    [L1, P1, 'Phòng trọ gần chợ Bà Chiểu'],
    [L2, P2, 'Phòng trọ gần Làng Đại học'],
  ]) {
    await db.pool.query(
      `insert into rm.listings (id, project_id, status, title, description, room_type, created_at, updated_at)
        values ($1, $2, 'published', $3, '', 'room', now(), now())`,
      [listingId, projectId, title],
    );
  }
  for (const [roomId, projectId, name] of [
    [R1, P1, 'P.101'],
    [R2, P1, 'P.102'],
    [R3, P2, 'P.301'],
  ]) {
    await db.pool.query(
      `insert into rm.rooms (id, project_id, name, standard_price, area_m2, status, updated_at)
        values ($1, $2, $3, 5000000, 20, 'rented', now())`,
      [roomId, projectId, name],
    );
  }
}

const C1_TEXT_V1 = 'Hợp đồng thuê P.101 giữa Nguyễn Văn Khách và Lê Chủ Nhà từ {{NgayBatDau}}.';
const C1_TEXT = 'Hợp đồng thuê P.101 giữa Nguyễn Văn Khách và Lê Chủ Nhà từ 01/04/2026.';
const C3_TEXT = 'Hợp đồng mẫu của nền tảng: Trần Thị Thuê thuê P.301.';

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  kysely = new Kysely({ dialect: new PostgresDialect({ pool: db.pool }) });
  await names();
  const deps = { store, db: kysely, pool: db.pool, logger };
  contractsRunning = runProjection(deps, contractsProjection);
  paymentsRunning = runProjection(deps, paymentsProjection);

  // Templates: the platform's default, P1's own (revised after C1), and one deleted while P2's default.
  await append(
    contractTemplateStream(T_PLATFORM),
    '2026-01-01T01:00:00Z',
    [template.created(T_PLATFORM, 'Mẫu nền tảng', PLATFORM_BODY), template.madeDefault(T_PLATFORM, null)],
    ADMIN,
  );
  await append(
    contractTemplateStream(T_P1),
    '2026-01-02T01:00:00Z',
    [template.created(T_P1, 'Mẫu Bình Thạnh', BODY_V1), template.madeDefault(T_P1, P1)],
    ADMIN,
  );
  await append(
    contractTemplateStream(T_GONE),
    '2026-01-03T01:00:00Z',
    [template.created(T_GONE, 'Mẫu cũ', PLATFORM_BODY), template.madeDefault(T_GONE, P2)],
    ADMIN,
  );
  await append(contractTemplateStream(T_GONE), '2026-01-04T01:00:00Z', [
    { type: 'ContractTemplateDeleted', data: { templateId: T_GONE } },
  ]);

  // C5 (K2, R3): signed, moved in, reminded, expired, moved out.
  await holdDeposit(D9, 'security', '2026-01-05T02:00:00Z');
  const c5Text = 'Hợp đồng mẫu của nền tảng: Trần Thị Thuê thuê P.301 (2026).';
  await append(contractStream(C5), '2026-01-05T03:00:00Z', [
    generated(
      C5,
      D9,
      { templateId: T_PLATFORM, version: 1, body: PLATFORM_BODY },
      c5Text,
      terms({ startDate: '2026-01-10', endDate: '2026-03-31' }),
      [],
    ),
  ]);
  await signBoth(C5, D9, c5Text, '2026-01-06T03:00:00Z');
  await openHandover(H3, 'move_in', C5, D9, '2026-01-10T02:00:00Z', content(100));
  await completeHandover(H3, 'move_in', D9, '2026-01-10T03:00:00Z', content(100));
  await append(contractStream(C5), '2026-03-01T00:00:00Z', [
    { type: 'ContractExpiryReminderDue', data: { contractId: C5, daysBefore: 30, endDate: '2026-03-31' } },
  ]);
  await append(contractStream(C5), '2026-03-31T17:00:00Z', [
    { type: 'ContractExpired', data: { contractId: C5, endDate: '2026-03-31' } },
  ]);
  const moveOut = content(350, [{ reason: 'Vỡ kính cửa sổ', amountVnd: 500_000 }]);
  await openHandover(H4, 'move_out', C5, D9, '2026-03-31T23:00:00Z', moveOut, H3);
  await completeHandover(H4, 'move_out', D9, '2026-03-31T23:30:00Z', moveOut);

  // C1 (K, R1, P1's template v1): filled, signed, a cancelled move-in, a completed one, a move-out open.
  await holdDeposit(D1, 'security', '2026-03-01T02:00:00Z');
  await append(contractStream(C1), '2026-03-01T03:00:00Z', [
    generated(C1, D1, { templateId: T_P1, version: 1, body: BODY_V1 }, C1_TEXT_V1, terms(), ['NgayBatDau']),
  ]);
  await append(
    contractStream(C1),
    '2026-03-01T04:00:00Z',
    [
      {
        type: 'ContractFieldsFilled',
        data: {
          contractId: C1,
          values: { NgayBatDau: '01/04/2026' },
          terms: terms({ startDate: '2026-04-01', endDate: '2026-06-30', clauses: 'Không nuôi thú cưng.' }),
          text: C1_TEXT,
          sha256: sha(C1_TEXT),
          missing: [],
        },
      },
    ],
    OWNER,
  );
  await append(
    contractTemplateStream(T_P1),
    '2026-03-01T05:00:00Z',
    [template.revised(T_P1, 2, 'Mẫu Bình Thạnh (2026)', BODY_V2)],
    ADMIN,
  );
  await signBoth(C1, D1, C1_TEXT, '2026-03-01T06:00:00Z');
  await append(contractStream(C1), '2026-03-01T07:00:00Z', [
    {
      type: 'ContractScanUploaded',
      data: {
        contractId: C1,
        fileKey: 'contracts/c1.pdf',
        fileName: 'hop-dong.pdf',
        contentType: 'application/pdf',
        sizeBytes: 12_345,
        sha256: sha('scan'),
        uploadedBy: OWNER,
      },
    },
  ]);
  await append(contractStream(C1), '2026-03-01T08:00:00Z', [
    {
      type: 'ContractScanReviewed',
      data: { contractId: C1, fileKey: 'contracts/c1.pdf', accepted: true, note: 'Đủ chữ ký', reviewedBy: STAFF },
    },
  ]);
  await openHandover(H0, 'move_in', C1, D1, '2026-04-01T01:00:00Z', content(10));
  await append(handoverStream(H0), '2026-04-01T01:30:00Z', [
    { type: 'HandoverCancelled', data: { handoverId: H0, reason: 'Nhập sai phòng' } },
  ]);
  await openHandover(H1, 'move_in', C1, D1, '2026-04-01T02:00:00Z', content(1));
  await append(handoverStream(H1), '2026-04-01T02:10:00Z', [
    {
      type: 'HandoverContentRecorded',
      data: { handoverId: H1, content: content(12), documentSha256: digest(content(12)) },
    },
  ]);
  await completeHandover(H1, 'move_in', D1, '2026-04-01T03:00:00Z', content(12));
  await openHandover(H2, 'move_out', C1, D1, '2026-04-02T02:00:00Z', content(80), H1);

  // C2 (K, R2): generated from P1's template v2 after a reservation converted into its deposit.
  await holdDeposit(D5, 'reservation', '2026-03-02T01:00:00Z');
  await holdDeposit(D2, 'security', '2026-03-02T17:00:00Z');
  await append(depositStream(D5.depositId), '2026-03-02T17:00:00Z', [
    {
      type: 'DepositConverted',
      data: {
        depositId: D5.depositId,
        intoDepositId: D2.depositId,
        amountVnd: 1_000_000,
        journal: { memo: 'convert', lines: [] },
      },
    },
  ]);
  // 18:00 UTC is already 3 March in Viet Nam.
  await append(contractStream(C2), '2026-03-02T18:00:00Z', [
    generated(C2, D2, { templateId: T_P1, version: 2, body: BODY_V2 }, 'HỢP ĐỒNG THUÊ P.102', terms(), [
      'NgayBatDau',
      'NgayKetThuc',
    ]),
  ]);

  // C3 (K2, R3, the platform template): the customer signed.
  await holdDeposit(D3, 'security', '2026-03-03T02:00:00Z');
  await append(contractStream(C3), '2026-03-03T03:00:00Z', [
    generated(
      C3,
      D3,
      { templateId: T_PLATFORM, version: 1, body: PLATFORM_BODY },
      C3_TEXT,
      terms({ startDate: '2026-05-01', endDate: '2027-04-30' }),
      [],
    ),
  ]);
  await append(contractStream(C3), '2026-03-03T04:00:00Z', [
    { type: 'ContractSigned', data: { contractId: C3, ...signature('customer', K2, '2026-03-03T04:00:00Z', C3_TEXT) } },
  ]);

  // C4 (K2, R3): cancelled by the owner before anyone signed.
  await holdDeposit(D8, 'security', '2026-03-04T02:00:00Z');
  await append(contractStream(C4), '2026-03-04T03:00:00Z', [
    generated(C4, D8, { templateId: T_PLATFORM, version: 1, body: PLATFORM_BODY }, 'C4', terms(), []),
  ]);
  await append(contractStream(C4), '2026-03-04T05:00:00Z', [
    {
      type: 'ContractCancelled',
      data: { contractId: C4, reason: 'Khách đổi ý', by: 'owner', previousStatus: 'awaiting_signatures' },
    },
  ]);

  // The newest deposits: a reservation held (no contract yet) and one never paid.
  await holdDeposit(D4, 'reservation', '2026-03-05T02:00:00Z');
  await holdDeposit(D6, 'reservation', '2026-03-06T02:00:00Z', false);
  await append(depositStream(D6.depositId), '2026-03-06T03:00:00Z', [
    { type: 'DepositCancelled', data: { depositId: D6.depositId, reason: 'payment_expired' } },
  ]);
  await settle();
});

afterAll(async () => {
  await contractsRunning?.stop();
  await paymentsRunning?.stop();
  await store?.close();
  await db?.drop();
});

const ids = (items: { id: string }[]) => items.map((item) => item.id);
const all = { id: ADMIN, scope: 'all' as const };

describe('contract templates', () => {
  test('the list: current versions, defaults and usage; a deleted template is gone', async () => {
    const templates = await listTemplates(db.pool);
    expect(templates.map((t) => [t.id, t.name, t.version, t.defaultFor, t.usageCount])).toEqual([
      [T_P1, 'Mẫu Bình Thạnh (2026)', 2, [P1], 2],
      [T_PLATFORM, 'Mẫu nền tảng', 1, ['platform'], 3],
    ]);
    expect(await templateUsage(db.pool, T_P1)).toBe(2);
    expect(await templateUsage(db.pool, T_GONE)).toBe(0);
    expect(await templateUsage(db.pool, 'nope')).toBe(0);
  });

  test('a template keeps every version, with who made it', async () => {
    const t = await getTemplate(db.pool, T_P1);
    expect(t).toMatchObject({ body: BODY_V2, version: 2, updatedAt: '2026-03-01T05:00:00.000Z' });
    expect(t?.versions).toEqual([
      { version: 1, name: 'Mẫu Bình Thạnh', body: BODY_V1, createdAt: '2026-01-02T01:00:00.000Z', actor: ADMIN },
      { version: 2, name: 'Mẫu Bình Thạnh (2026)', body: BODY_V2, createdAt: '2026-03-01T05:00:00.000Z', actor: ADMIN },
    ]);
    expect(await getTemplate(db.pool, T_GONE)).toBeNull();
    expect(await getTemplate(db.pool, id())).toBeNull();
  });

  test("the default: the project's own, else the platform's (also when the project's was deleted)", async () => {
    expect(await defaultTemplateFor(db.pool, P1)).toMatchObject({
      id: T_P1,
      version: 2,
      body: BODY_V2,
      scope: 'project',
    });
    expect(await defaultTemplateFor(db.pool, P2)).toMatchObject({ id: T_PLATFORM, scope: 'platform' });
    expect(await defaultTemplateFor(db.pool, null)).toMatchObject({ id: T_PLATFORM, body: PLATFORM_BODY });
    expect(await defaultTemplateFor(db.pool, id())).toMatchObject({ id: T_PLATFORM });
  });

  test("a template's new version does not change a contract generated from an older one", async () => {
    const c1 = await getContract(db.pool, C1);
    expect(c1).toMatchObject({ templateId: T_P1, templateVersion: 1, text: C1_TEXT, sha256: sha(C1_TEXT) });
    expect((await getContract(db.pool, C2))?.templateVersion).toBe(2);
  });
});

describe('contracts', () => {
  test('a signed contract: merged values, terms, both signatures, the reviewed scan, its handovers', async () => {
    const c1 = await getContract(db.pool, C1);
    expect(c1).toMatchObject({
      id: C1,
      status: 'signed',
      depositId: D1.depositId,
      roomHoldId: D1.depositId,
      customerId: K,
      customerName: 'Nguyễn Văn Khách',
      ownerId: OWNER,
      ownerName: 'Lê Chủ Nhà',
      listingId: L1,
      listingTitle: 'Phòng trọ gần chợ Bà Chiểu',
      roomId: R1,
      roomName: 'P.101',
      projectId: P1,
      projectName: 'Dự án Bình Thạnh',
      rentVnd: 5_000_000,
      depositVnd: 3_000_000,
      startDate: '2026-04-01',
      endDate: '2026-06-30',
      clauses: 'Không nuôi thú cưng.',
      missing: [],
      values: { TenKhachHang: 'Nguyễn Văn Khách', TenPhong: 'P.101', NgayBatDau: '01/04/2026' },
      signedSha256: sha(C1_TEXT),
      signedAt: '2026-03-01T06:00:00.000Z',
      createdAt: '2026-03-01T03:00:00.000Z',
      hasScan: true,
      nextSigner: null,
      reminders: [],
      cancelReason: null,
    });
    expect(c1?.signatures.map((s) => [s.party, s.signerId, s.ip, s.documentSha256])).toEqual([
      ['customer', K, '203.0.113.7', sha(C1_TEXT)],
      ['owner', OWNER, '198.51.100.9', sha(C1_TEXT)],
    ]);
    expect(c1?.scan).toEqual({
      fileKey: 'contracts/c1.pdf',
      fileName: 'hop-dong.pdf',
      contentType: 'application/pdf',
      sizeBytes: 12_345,
      sha256: sha('scan'),
      uploadedBy: OWNER,
      uploadedAt: '2026-03-01T07:00:00.000Z',
      review: { accepted: true, note: 'Đủ chữ ký', reviewedBy: STAFF, at: '2026-03-01T08:00:00.000Z' },
    });
    expect(c1?.handovers.map((h) => [h.id, h.kind, h.status])).toEqual([
      [H0, 'move_in', 'cancelled'],
      [H1, 'move_in', 'completed'],
      [H2, 'move_out', 'in_progress'],
    ]);
    expect(await contractOfDeposit(db.pool, D1.depositId)).toMatchObject({ id: C1 });
    expect(await contractOfDeposit(db.pool, D4.depositId)).toBeNull();
  });

  test('who signs next, what is missing, why it was cancelled, which reminders were sent', async () => {
    expect(await getContract(db.pool, C2)).toMatchObject({
      status: 'awaiting_signatures',
      missing: ['NgayBatDau', 'NgayKetThuc'],
      nextSigner: null,
      startDate: null,
      hasScan: false,
      scan: null,
      signedAt: null,
    });
    expect(await getContract(db.pool, C3)).toMatchObject({ status: 'awaiting_signatures', nextSigner: 'owner' });
    expect(await getContract(db.pool, C4)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Khách đổi ý',
      cancelledBy: 'owner',
      nextSigner: null,
    });
    expect(await getContract(db.pool, C5)).toMatchObject({ status: 'expired', reminders: [30] });
    expect(await getContract(db.pool, id())).toBeNull();
    expect(await getContract(db.pool, 'not-a-uuid')).toBeNull();
  });

  test('each viewer sees their own: customer, owner, operator', async () => {
    const page = (viewer: { id: string; scope: 'customer' | 'owner' | 'all' }) =>
      listContracts(db.pool, { viewer, limit: 20 }).then((p) => ids(p.items));
    expect(await page({ id: K, scope: 'customer' })).toEqual([C2, C1]);
    expect(await page({ id: K2, scope: 'customer' })).toEqual([C4, C3, C5]);
    expect(await page({ id: OWNER, scope: 'owner' })).toEqual([C2, C1]);
    expect(await page({ id: OWNER, scope: 'customer' })).toEqual([]);
    expect(await page({ id: 'x', scope: 'owner' })).toEqual([]);
    expect(await page(all)).toEqual([C4, C3, C2, C1, C5]);
    const [first] = (await listContracts(db.pool, { viewer: all, limit: 1 })).items;
    expect(first).toEqual({
      id: C4,
      status: 'cancelled',
      depositId: D8.depositId,
      customerId: K2,
      customerName: 'Trần Thị Thuê',
      ownerId: OWNER2,
      ownerName: 'Phạm Chủ Trọ',
      listingId: L2,
      listingTitle: 'Phòng trọ gần Làng Đại học',
      roomId: R3,
      roomName: 'P.301',
      projectId: P2,
      projectName: 'Dự án Thủ Đức',
      rentVnd: 5_000_000,
      depositVnd: 3_000_000,
      startDate: null,
      endDate: null,
      createdAt: '2026-03-04T03:00:00.000Z',
      signedAt: null,
      hasScan: false,
    });
  });

  test('filters: status, room, project, customer', async () => {
    const find = (filter: object) =>
      listContracts(db.pool, { viewer: all, limit: 20, ...filter }).then((p) => ids(p.items));
    expect(await find({ status: ['signed'] })).toEqual([C1]);
    expect(await find({ status: ['signed', 'expired'] })).toEqual([C1, C5]);
    expect(await find({ roomId: R3 })).toEqual([C4, C3, C5]);
    expect(await find({ projectId: P1 })).toEqual([C2, C1]);
    expect(await find({ customerId: K2, status: ['awaiting_signatures'] })).toEqual([C3]);
    expect(await find({ roomId: id() })).toEqual([]);
    await expect(find({ roomId: 'room-1' })).rejects.toMatchObject({ code: 'ID_INVALID', field: 'roomId' });
  });

  test('dates: the term overlaps [from, to]; without dates, the day it was made (VN time)', async () => {
    const find = (filter: object) =>
      listContracts(db.pool, { viewer: all, limit: 20, ...filter }).then((p) => ids(p.items));
    // C1 2026-04-01..06-30, C3 05-01..2027-04-30, C5 01-10..03-31; C2 made 3 March VN, C4 4 March.
    expect(await find({ from: '2026-06-01' })).toEqual([C3, C1]);
    expect(await find({ to: '2026-03-02' })).toEqual([C5]);
    expect(await find({ to: '2026-03-03' })).toEqual([C2, C5]);
    expect(await find({ from: '2026-03-04', to: '2026-03-31' })).toEqual([C4, C5]);
    expect(await find({ from: '2026-07-01', to: '2026-07-31' })).toEqual([C3]);
    await expect(find({ from: '2026-02-30' })).rejects.toMatchObject({ code: 'DATE_INVALID', field: 'from' });
    await expect(find({ from: '2026-05-01', to: '2026-04-01' })).rejects.toMatchObject({ field: 'to' });
  });

  test('keyset pagination walks every contract once, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listContracts(db.pool, { viewer: all, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...ids(page.items));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([C4, C3, C2, C1, C5]);
    await expect(listContracts(db.pool, { viewer: all, limit: 2, cursor: 'garbage' })).rejects.toMatchObject({
      code: 'CURSOR_INVALID',
      field: 'cursor',
    });
  });
});

describe('contracts due for the jobs', () => {
  test('expiry: signed contracts once their end date is over in Viet Nam', async () => {
    // C1 ends 2026-06-30: at midnight VN (17:00 UTC) it is over.
    expect(await contractsDueForExpiry(db.pool, new Date('2026-06-30T16:59:59.999Z'))).toEqual([]);
    expect(await contractsDueForExpiry(db.pool, new Date('2026-06-30T17:00:00Z'))).toEqual([
      { contractId: C1, endDate: '2026-06-30' },
    ]);
    // C3 is not signed; C5 already expired.
    expect(await contractsDueForExpiry(db.pool, new Date('2028-01-01T00:00:00Z'))).toEqual([
      { contractId: C1, endDate: '2026-06-30' },
    ]);
  });

  test('reminders: within the days before the end, once per days-before', async () => {
    const due = (at: string, days: number) => contractsDueForReminder(db.pool, new Date(at), days);
    expect(await due('2026-05-31T16:59:59Z', 30)).toEqual([]);
    expect(await due('2026-05-31T17:00:00Z', 30)).toEqual([{ contractId: C1, endDate: '2026-06-30' }]);
    expect(await due('2026-05-31T17:00:00Z', 7)).toEqual([]);
    expect(await due('2026-06-23T17:00:00Z', 7)).toEqual([{ contractId: C1, endDate: '2026-06-30' }]);
    expect(await due('2026-06-30T17:00:00Z', 7)).toEqual([]);
    await append(contractStream(C1), '2026-06-01T00:00:00Z', [
      { type: 'ContractExpiryReminderDue', data: { contractId: C1, daysBefore: 30, endDate: '2026-06-30' } },
    ]);
    await settle();
    expect(await due('2026-06-01T01:00:00Z', 30)).toEqual([]);
    expect(await due('2026-06-25T01:00:00Z', 7)).toEqual([{ contractId: C1, endDate: '2026-06-30' }]);
    expect((await getContract(db.pool, C1))?.reminders).toEqual([30]);
  });
});

describe('handovers', () => {
  test('a move-out shows the move-in it is compared with', async () => {
    const h2 = await getHandover(db.pool, H2);
    expect(h2).toMatchObject({
      id: H2,
      kind: 'move_out',
      status: 'in_progress',
      contractId: C1,
      depositId: D1.depositId,
      roomId: R1,
      roomName: 'P.101',
      projectName: 'Dự án Bình Thạnh',
      customerName: 'Nguyễn Văn Khách',
      ownerName: 'Lê Chủ Nhà',
      openedBy: STAFF,
      content: content(80),
      documentSha256: digest(content(80)),
      signatures: [],
      signedBy: [],
      moveInHandoverId: H1,
      moveIn: content(12),
      completedAt: null,
    });
  });

  test('a completed report: recorded content, both signatures, completion time', async () => {
    const h1 = await getHandover(db.pool, H1);
    expect(h1).toMatchObject({
      status: 'completed',
      content: content(12),
      documentSha256: digest(content(12)),
      signedBy: ['owner', 'customer'],
      moveIn: null,
      completedAt: '2026-04-01T03:00:00.000Z',
    });
    expect(h1?.signatures.map((s) => s.signerId)).toEqual([OWNER, K]);
    expect(await getHandover(db.pool, H0)).toMatchObject({ status: 'cancelled', cancelReason: 'Nhập sai phòng' });
    expect((await getHandover(db.pool, H4))?.content.deductions).toEqual([
      { reason: 'Vỡ kính cửa sổ', amountVnd: 500_000 },
    ]);
    expect(await getHandover(db.pool, id())).toBeNull();
  });

  test('the list by contract, room, status and viewer, newest first', async () => {
    expect(ids(await listHandovers(db.pool, { contractId: C1 }))).toEqual([H2, H1, H0]);
    expect(ids(await listHandovers(db.pool, { roomId: R3 }))).toEqual([H4, H3]);
    expect(ids(await listHandovers(db.pool, { status: ['completed'] }))).toEqual([H1, H4, H3]);
    expect(ids(await listHandovers(db.pool, { status: ['in_progress', 'cancelled'] }))).toEqual([H2, H0]);
    expect(ids(await listHandovers(db.pool, { viewer: { id: K2, scope: 'customer' } }))).toEqual([H4, H3]);
    expect(ids(await listHandovers(db.pool, { viewer: { id: OWNER, scope: 'owner' }, status: ['completed'] }))).toEqual(
      [H1],
    );
    expect(ids(await listHandovers(db.pool))).toEqual([H2, H1, H0, H4, H3]);
    await expect(listHandovers(db.pool, { contractId: 'c1' })).rejects.toMatchObject({ field: 'contractId' });
  });
});

describe('my rentals', () => {
  test('each deposit with its contract, handover and the step reached; converted and unpaid ones left out', async () => {
    const mine = await myRentals(db.pool, K);
    expect(mine.map((r) => [r.depositId, r.deposit.kind, r.deposit.status, r.contract?.id ?? null, r.step])).toEqual([
      [D4.depositId, 'reservation', 'held', null, 'deposit'],
      [D2.depositId, 'security', 'held', C2, 'contract'],
      [D1.depositId, 'security', 'held', C1, 'living'],
    ]);
    expect(mine[2]).toMatchObject({
      listingId: L1,
      listingTitle: 'Phòng trọ gần chợ Bà Chiểu',
      roomId: R1,
      roomName: 'P.101',
      projectName: 'Dự án Bình Thạnh',
      deposit: { id: D1.depositId, amountVnd: 3_000_000 },
      contract: { id: C1, status: 'signed', missing: [], signedBy: ['customer', 'owner'] },
      handover: { id: H2, kind: 'move_out', status: 'in_progress' },
    });
    expect(mine[1]?.handover).toBeNull();
    const theirs = await myRentals(db.pool, K2);
    expect(theirs.map((r) => [r.depositId, r.contract?.status ?? null, r.handover?.id ?? null, r.step])).toEqual([
      [D8.depositId, 'cancelled', null, 'signing'],
      [D3.depositId, 'awaiting_signatures', null, 'signing'],
      [D9.depositId, 'expired', H4, 'moved_out'],
    ]);
    expect(await myRentals(db.pool, OWNER)).toEqual([]);
    expect(await myRentals(db.pool, 'nope')).toEqual([]);
  });

  test('the step: furthest reached', () => {
    const contract = (missing: string[], signed: boolean) => ({ missing, signed });
    expect(rentalStep({ contract: null, movedIn: false, movedOut: false })).toBe('deposit');
    expect(rentalStep({ contract: contract(['GiaThue'], false), movedIn: false, movedOut: false })).toBe('contract');
    expect(rentalStep({ contract: contract([], false), movedIn: false, movedOut: false })).toBe('signing');
    expect(rentalStep({ contract: contract([], true), movedIn: false, movedOut: false })).toBe('handover');
    expect(rentalStep({ contract: contract([], true), movedIn: true, movedOut: false })).toBe('living');
    expect(rentalStep({ contract: contract([], true), movedIn: true, movedOut: true })).toBe('moved_out');
  });
});

describe('rebuild', () => {
  test('a rebuild from the history gives the same rows', async () => {
    const snapshot = async () => ({
      templates: await listTemplates(db.pool),
      template: await getTemplate(db.pool, T_P1),
      contracts: await Promise.all([C1, C2, C3, C4, C5].map((c) => getContract(db.pool, c))),
      handovers: await Promise.all([H0, H1, H2, H3, H4].map((h) => getHandover(db.pool, h))),
      defaults: (await db.pool.query('select scope, template_id from rm.contract_template_defaults order by scope'))
        .rows,
      rentals: await myRentals(db.pool, K),
    });
    const before = await snapshot();
    await contractsRunning.stop();
    await rebuildProjection({ db: kysely, store, logger }, contractsProjection);
    expect(await snapshot()).toEqual(before);
  });
});
