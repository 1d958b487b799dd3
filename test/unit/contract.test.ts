import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type ContractCommand,
  type ContractContext,
  type ContractState,
  contractDecider,
  contractDocumentText,
  nextSigner,
} from '../../domain/contracts/contract.js';
import { type ContractEvent, contractStream } from '../../domain/contracts/contract-events.js';
import { leaseMonths } from '../../domain/contracts/contract-terms.js';
import { renderContract, sha256Hex } from '../../domain/contracts/placeholders.js';
import { fold, isDomainError } from '../../domain/shared/decider.js';
import { scenario, testContext } from '../support/given-when-then.js';

const contractId = '3f2a9c1b-0000-5000-8000-000000000001';
const NOW = new Date('2026-11-22T03:00:00Z');
const ctx = (actorId: string | null, over: Partial<ContractContext> = {}): ContractContext => ({
  ...testContext({ actorId, roles: [], now: NOW }),
  actingAsOperator: false,
  ...over,
});
const as = (actorId: string | null, over: Partial<ContractContext> = {}) =>
  scenario(contractDecider, ctx(actorId, over));
const system = () => as(null);
const owner = () => as('owner-1');
const operator = () => as('operator-1', { actingAsOperator: true });

const templateBody = [
  '# HỢP ĐỒNG THUÊ PHÒNG số {{MaHopDong}}, lập ngày {{NgayLap}}',
  'Bên A: {{TenChuNha}}. Bên B: {{TenKhachHang}}.',
  'Giá thuê {{GiaThue}}/tháng, tiền cọc {{TienCoc}}.',
  'Thời hạn {{ThoiHanThang}} tháng, từ {{NgayBatDau}} đến {{NgayKetThuc}}.',
].join('\n');
const parties = {
  depositId: 'deposit-1',
  roomHoldId: 'reservation-1',
  roomId: 'room-1',
  listingId: 'listing-1',
  projectId: 'project-1',
  customerId: 'customer-1',
  ownerId: 'owner-1',
};
const generate: ContractCommand = {
  type: 'GenerateContract',
  contractId,
  ...parties,
  templateId: 'template-1',
  templateVersion: 3,
  templateBody,
  values: { TenKhachHang: 'Nguyễn Văn An', TenChuNha: 'Trần Thị Bình', GiaThue: 'ignored: from the terms' },
  terms: { rentVnd: 5_000_000, depositVnd: 5_000_000, startDate: null, endDate: null, clauses: null },
};
const generatedValues = {
  MaHopDong: 'HD-3F2A9C1B',
  NgayLap: '22/11/2026',
  TenKhachHang: 'Nguyễn Văn An',
  TenChuNha: 'Trần Thị Bình',
  GiaThue: '5.000.000 ₫',
  TienCoc: '5.000.000 ₫',
  NgayBatDau: '',
  NgayKetThuc: '',
  ThoiHanThang: '',
  DieuKhoan: '',
};
const generatedText = [
  '# HỢP ĐỒNG THUÊ PHÒNG số HD-3F2A9C1B, lập ngày 22/11/2026',
  'Bên A: Trần Thị Bình. Bên B: Nguyễn Văn An.',
  'Giá thuê 5.000.000 ₫/tháng, tiền cọc 5.000.000 ₫.',
  'Thời hạn {{ThoiHanThang}} tháng, từ {{NgayBatDau}} đến {{NgayKetThuc}}.',
].join('\n');
const generated: ContractEvent = {
  type: 'ContractGenerated',
  data: {
    contractId,
    ...parties,
    templateId: 'template-1',
    templateVersion: 3,
    templateBody,
    values: generatedValues,
    terms: generate.type === 'GenerateContract' ? generate.terms : (undefined as never),
    text: generatedText,
    sha256: sha256Hex(generatedText),
    missing: ['ThoiHanThang', 'NgayBatDau', 'NgayKetThuc'],
  },
};
const fillDates: ContractCommand = {
  type: 'FillContractFields',
  contractId,
  startDate: '2026-12-01',
  endDate: '2027-11-30',
};
const completeText = generatedText
  .replace('{{ThoiHanThang}}', '12')
  .replace('{{NgayBatDau}}', '01/12/2026')
  .replace('{{NgayKetThuc}}', '30/11/2027');
const filled: ContractEvent = {
  type: 'ContractFieldsFilled',
  data: {
    contractId,
    values: { NgayBatDau: '01/12/2026', NgayKetThuc: '30/11/2027', ThoiHanThang: '12' },
    terms: { rentVnd: 5_000_000, depositVnd: 5_000_000, startDate: '2026-12-01', endDate: '2027-11-30', clauses: null },
    text: completeText,
    sha256: sha256Hex(completeText),
    missing: [],
  },
};
const HASH = sha256Hex(completeText);
const sign = (party: 'customer' | 'owner', signerId = `${party}-1`, documentSha256 = HASH): ContractCommand => ({
  type: 'SignContract',
  contractId,
  party,
  signerId,
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
  documentSha256,
});
const signedBy = (party: 'customer' | 'owner'): ContractEvent => ({
  type: 'ContractSigned',
  data: {
    contractId,
    party,
    signerId: `${party}-1`,
    signedAt: NOW.toISOString(),
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    documentSha256: HASH,
  },
});
const fullySigned: ContractEvent = {
  type: 'ContractFullySigned',
  data: { contractId, signedAt: NOW.toISOString(), documentSha256: HASH },
};
const ready = [generated, filled];
const signed = [...ready, signedBy('customer'), signedBy('owner'), fullySigned];

describe('generating a contract', () => {
  test('renders the template snapshot with the values and the terms; what is unknown stays missing', () => {
    system().given([]).when(generate).thenEmits([generated]);
    expect(contractStream(contractId)).toBe(`contract-${contractId}`);
  });

  test('one contract per deposit: the stream exists → 409', () => {
    const error = system().given([generated]).when(generate).thenFails('CONTRACT_EXISTS');
    expect(error.status).toBe(409);
  });

  test('refuses unknown placeholders, non-positive money and dates in the wrong order', () => {
    system()
      .given([])
      .when({ ...generate, templateBody: 'Bên B {{TenKhach}}' })
      .thenFails('PLACEHOLDER_UNKNOWN', 'templateBody');
    const terms = generate.type === 'GenerateContract' ? generate.terms : (undefined as never);
    const cases: [Partial<typeof terms>, string, string][] = [
      [{ rentVnd: 0 }, 'AMOUNT_INVALID', 'rentVnd'],
      [{ rentVnd: 5_000_000.5 }, 'AMOUNT_INVALID', 'rentVnd'],
      [{ depositVnd: -1 }, 'AMOUNT_INVALID', 'depositVnd'],
      [{ startDate: '2026-02-30' }, 'DATE_INVALID', 'startDate'],
      [{ startDate: '2026-12-01', endDate: '2026-12-01' }, 'END_BEFORE_START', 'endDate'],
    ];
    for (const [over, code, field] of cases) {
      system()
        .given([])
        .when({ ...generate, terms: { ...terms, ...over } })
        .thenFails(code, field);
    }
    system()
      .given([])
      .when({ ...generate, values: { TenNguoiLa: 'x' } })
      .thenFails('PLACEHOLDER_UNKNOWN', 'values.TenNguoiLa');
  });
});

describe('filling the missing fields', () => {
  test('the owner (or an operator for them) sets the dates; the text is rendered again from the snapshot', () => {
    owner().given([generated]).when(fillDates).thenEmits([filled]);
    operator().given([generated]).when(fillDates).thenEmits([filled]);
    owner().given(ready).when(fillDates).thenEmits([]);
    expect(contractDocumentText(fold(contractDecider, ready))).toBe(completeText);
  });

  test('nobody else fills a contract', () => {
    const error = as('customer-1').given([generated]).when(fillDates).thenFails('NOT_THE_OWNER');
    expect(error.status).toBe(403);
  });

  test('clauses and plain values; term placeholders are changed through their terms', () => {
    const values: ContractCommand = {
      type: 'FillContractFields',
      contractId,
      values: { TenKhachHang: 'Nguyễn Văn Anh' },
      clauses: '  Không nuôi thú cưng. ',
    };
    const decision = contractDecider.decide(values, fold(contractDecider, ready), ctx('owner-1'));
    if (isDomainError(decision)) throw decision;
    expect(decision[0]).toMatchObject({
      data: {
        values: { TenKhachHang: 'Nguyễn Văn Anh', DieuKhoan: 'Không nuôi thú cưng.' },
        terms: { clauses: 'Không nuôi thú cưng.' },
      },
    });
    owner()
      .given(ready)
      .when({ type: 'FillContractFields', contractId, values: { NgayBatDau: '01/12/2026' } })
      .thenFails('PLACEHOLDER_FROM_TERMS', 'values.NgayBatDau');
    owner()
      .given(ready)
      .when({ type: 'FillContractFields', contractId, endDate: '2026-11-30' })
      .thenFails('END_BEFORE_START', 'endDate');
  });

  test('frozen from the first signature on', () => {
    const error = owner()
      .given([...ready, signedBy('customer')])
      .when(fillDates)
      .thenFails('CONTRACT_FROZEN');
    expect(error.status).toBe(409);
    owner().given(signed).when(fillDates).thenFails('CONTRACT_FROZEN');
  });

  test('the snapshot is immutable: the stored text is always the snapshot body rendered with the values', () => {
    const state = fold(contractDecider, signed);
    expect(renderContract(state.templateBody, state.values).text).toBe(state.text);
    expect(sha256Hex(state.text)).toBe(state.signedSha256);
  });
});

describe('signing: customer first, then owner, over the hash they saw', () => {
  test('customer then owner: the owner completes the contract', () => {
    system()
      .given(ready)
      .when(sign('customer'))
      .thenEmits([signedBy('customer')]);
    system()
      .given([...ready, signedBy('customer')])
      .when(sign('owner'))
      .thenEmits([signedBy('owner'), fullySigned]);
    const state = fold(contractDecider, signed);
    expect(state).toMatchObject({ status: 'signed', signedSha256: HASH, signedAt: NOW.toISOString() });
    expect(nextSigner(fold(contractDecider, ready))).toBe('customer');
    expect(nextSigner(fold(contractDecider, [...ready, signedBy('customer')]))).toBe('owner');
    expect(nextSigner(state)).toBeNull();
  });

  test('only the party itself signs', () => {
    const error = system().given(ready).when(sign('customer', 'owner-1')).thenFails('NOT_A_PARTY');
    expect(error.status).toBe(403);
    system().given(ready).when(sign('owner', 'stranger')).thenFails('NOT_A_PARTY');
  });

  test('the owner never signs first, nobody signs twice', () => {
    system().given(ready).when(sign('owner')).thenFails('CUSTOMER_SIGNS_FIRST');
    system()
      .given([...ready, signedBy('customer')])
      .when(sign('customer'))
      .thenFails('ALREADY_SIGNED');
    system().given(signed).when(sign('owner')).thenFails('ALREADY_SIGNED');
  });

  test('an incomplete contract cannot be signed; the missing fields are named', () => {
    const error = system()
      .given([generated])
      .when(sign('customer', 'customer-1', generated.data.sha256 as string))
      .thenFails('CONTRACT_INCOMPLETE');
    expect(error.details).toEqual({ missing: ['ThoiHanThang', 'NgayBatDau', 'NgayKetThuc'] });
  });

  test('a signature over another text is refused', () => {
    system()
      .given(ready)
      .when(sign('customer', 'customer-1', sha256Hex('khác')))
      .thenFails('DOCUMENT_CHANGED');
  });

  test('a cancelled or missing contract is not signed', () => {
    const cancelled: ContractEvent = {
      type: 'ContractCancelled',
      data: { contractId, reason: 'Đổi ý', by: 'customer', previousStatus: 'awaiting_signatures' },
    };
    system()
      .given([...ready, cancelled])
      .when(sign('customer'))
      .thenFails('CONTRACT_STATUS');
    system().given([]).when(sign('customer')).thenFails('CONTRACT_NOT_FOUND');
  });

  test('whatever the order of sign attempts, a contract ends signed only customer first, each party once', () => {
    const attempt = fc.record({
      party: fc.constantFrom<'customer' | 'owner'>('customer', 'owner'),
      honest: fc.boolean(),
      sameText: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 12 }), (attempts) => {
        let state: ContractState = fold(contractDecider, ready);
        const log: ContractEvent[] = [];
        for (const { party, honest, sameText } of attempts) {
          const command = sign(party, honest ? `${party}-1` : 'stranger-1', sameText ? HASH : sha256Hex('x'));
          const decision = contractDecider.decide(command, state, ctx(null));
          if (isDomainError(decision)) continue;
          for (const event of decision) {
            log.push(event);
            state = contractDecider.evolve(state, event);
          }
        }
        const parties = state.signatures.map((s) => s.party);
        expect(new Set(parties).size).toBe(parties.length);
        expect(parties).toEqual(['customer', 'owner'].slice(0, parties.length));
        expect(state.signatures.every((s) => s.signerId === `${s.party}-1` && s.documentSha256 === HASH)).toBe(true);
        expect(state.status === 'signed').toBe(parties.length === 2);
        expect(log.filter((e) => e.type === 'ContractFullySigned')).toHaveLength(parties.length === 2 ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('scan of the paper contract', () => {
  const upload = (over: Partial<Extract<ContractCommand, { type: 'UploadContractScan' }>> = {}): ContractCommand => ({
    type: 'UploadContractScan',
    contractId,
    fileKey: 'contracts/abc.pdf',
    fileName: 'hop-dong.pdf',
    contentType: 'application/pdf',
    sizeBytes: 120_000,
    sha256: sha256Hex('pdf'),
    uploadedBy: 'owner-1',
    ...over,
  });
  const uploaded: ContractEvent = {
    type: 'ContractScanUploaded',
    data: {
      contractId,
      fileKey: 'contracts/abc.pdf',
      fileName: 'hop-dong.pdf',
      contentType: 'application/pdf',
      sizeBytes: 120_000,
      sha256: sha256Hex('pdf'),
      uploadedBy: 'owner-1',
    },
  };
  const review = (accepted: boolean, note: string | null = null): ContractCommand => ({
    type: 'ReviewContractScan',
    contractId,
    accepted,
    note,
    reviewedBy: 'operator-1',
  });

  test('a party uploads a PDF, JPG or PNG up to 10 MB once the contract is signed', () => {
    owner().given(signed).when(upload()).thenEmits([uploaded]);
    owner().given(ready).when(upload()).thenFails('CONTRACT_STATUS');
    as('stranger').given(signed).when(upload()).thenFails('NOT_A_PARTY');
    owner()
      .given(signed)
      .when(upload({ contentType: 'image/gif' }))
      .thenFails('FILE_TYPE_NOT_ALLOWED', 'file');
    owner()
      .given(signed)
      .when(upload({ sizeBytes: 10 * 1024 * 1024 + 1 }))
      .thenFails('FILE_TOO_LARGE', 'file');
  });

  test('an operator accepts or rejects it; the same review twice records nothing', () => {
    operator()
      .given([...signed, uploaded])
      .when(review(false, 'Thiếu trang 2'))
      .thenEmits([
        {
          type: 'ContractScanReviewed',
          data: {
            contractId,
            fileKey: 'contracts/abc.pdf',
            accepted: false,
            note: 'Thiếu trang 2',
            reviewedBy: 'operator-1',
          },
        },
      ]);
    const accepted: ContractEvent = {
      type: 'ContractScanReviewed',
      data: { contractId, fileKey: 'contracts/abc.pdf', accepted: true, note: null, reviewedBy: 'operator-1' },
    };
    operator()
      .given([...signed, uploaded, accepted])
      .when(review(true))
      .thenEmits([]);
    owner()
      .given([...signed, uploaded])
      .when(review(true))
      .thenFails('OPERATOR_REQUIRED');
    operator().given(signed).when(review(true)).thenFails('SCAN_MISSING');
    expect(fold(contractDecider, [...signed, uploaded, accepted]).scan?.review).toEqual({
      accepted: true,
      note: null,
      reviewedBy: 'operator-1',
    });
  });
});

describe('expiry', () => {
  const at = (iso: string) => as(null, { now: new Date(iso) });
  const remind = (daysBefore: number): ContractCommand => ({ type: 'RemindContractExpiry', contractId, daysBefore });
  const expire: ContractCommand = { type: 'ExpireContract', contractId };
  const reminded = (daysBefore: number): ContractEvent => ({
    type: 'ContractExpiryReminderDue',
    data: { contractId, daysBefore, endDate: '2027-11-30' },
  });

  test('reminders within the last N days before the end of the end date (Vietnam time), once each', () => {
    // the end date ends at 2027-11-30T17:00Z (midnight in Vietnam); 30 days before is 2027-10-31T17:00Z
    at('2027-10-31T16:59:59Z').given(signed).when(remind(30)).thenEmits([]);
    at('2027-10-31T17:00:00Z')
      .given(signed)
      .when(remind(30))
      .thenEmits([reminded(30)]);
    at('2027-11-20T00:00:00Z')
      .given([...signed, reminded(30)])
      .when(remind(30))
      .thenEmits([]);
    at('2027-11-24T00:00:00Z')
      .given([...signed, reminded(30)])
      .when(remind(7))
      .thenEmits([reminded(7)]);
    at('2027-11-30T17:00:00Z').given(signed).when(remind(7)).thenEmits([]);
    at('2027-11-24T00:00:00Z').given(ready).when(remind(7)).thenEmits([]);
    at('2027-11-24T00:00:00Z').given(signed).when(remind(0)).thenFails('DAYS_INVALID', 'daysBefore');
  });

  test('expired once the end date is over in Vietnam; before that, or unsigned, nothing happens', () => {
    at('2027-11-30T16:59:59Z').given(signed).when(expire).thenEmits([]);
    at('2027-11-30T17:00:00Z')
      .given(signed)
      .when(expire)
      .thenEmits([{ type: 'ContractExpired', data: { contractId, endDate: '2027-11-30' } }]);
    at('2028-01-01T00:00:00Z').given(ready).when(expire).thenEmits([]);
    const expired: ContractEvent = { type: 'ContractExpired', data: { contractId, endDate: '2027-11-30' } };
    at('2028-01-01T00:00:00Z')
      .given([...signed, expired])
      .when(expire)
      .thenEmits([]);
    expect(fold(contractDecider, [...signed, expired]).status).toBe('expired');
  });

  test('lease months count the end day: a year is 12 months', () => {
    expect(leaseMonths('2026-12-01', '2027-11-30')).toBe(12);
    expect(leaseMonths('2026-01-01', '2026-12-31')).toBe(12);
    expect(leaseMonths('2026-03-15', '2026-09-14')).toBe(6);
    expect(leaseMonths('2026-03-15', '2026-09-10')).toBe(5);
  });
});

describe('cancelling', () => {
  const cancel = (by: 'customer' | 'owner' | 'operator', reason = 'Khách đổi ý'): ContractCommand => ({
    type: 'CancelContract',
    contractId,
    reason,
    by,
  });
  const cancelled = (previousStatus: 'awaiting_signatures' | 'signed', by: 'customer' | 'owner' | 'operator') =>
    ({ type: 'ContractCancelled', data: { contractId, reason: 'Khách đổi ý', by, previousStatus } }) as ContractEvent;

  test('from awaiting signatures or signed, by a party or an operator, with a reason', () => {
    as('customer-1')
      .given(ready)
      .when(cancel('customer'))
      .thenEmits([cancelled('awaiting_signatures', 'customer')]);
    owner()
      .given(signed)
      .when(cancel('owner'))
      .thenEmits([cancelled('signed', 'owner')]);
    operator()
      .given(signed)
      .when(cancel('operator'))
      .thenEmits([cancelled('signed', 'operator')]);
    as('customer-1').given(ready).when(cancel('customer', '  ')).thenFails('REASON_REQUIRED', 'reason');
    as('customer-1')
      .given(ready)
      .when(cancel('customer', 'x'.repeat(501)))
      .thenFails('FIELD_TOO_LONG', 'reason');
  });

  test('nobody cancels in another party’s name; an ended contract is not cancelled', () => {
    expect(owner().given(ready).when(cancel('customer')).thenFails('NOT_A_PARTY').status).toBe(403);
    as('customer-1').given(ready).when(cancel('operator')).thenFails('NOT_A_PARTY');
    const expired: ContractEvent = { type: 'ContractExpired', data: { contractId, endDate: '2027-11-30' } };
    owner()
      .given([...signed, expired])
      .when(cancel('owner'))
      .thenFails('CONTRACT_STATUS');
    owner()
      .given([...signed, cancelled('signed', 'owner')])
      .when(cancel('owner'))
      .thenEmits([]);
  });
});
