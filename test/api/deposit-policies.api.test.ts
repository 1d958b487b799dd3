import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DepositPolicyTerms } from '../../domain/catalog/deposit-policy-events.js';
import type {
  DepositPolicyVersionView,
  DepositPolicyView,
} from '../../projections/catalog/deposit-policies-queries.js';
import { startTestApp, TEST_ADMIN, type TestApp } from '../support/app.js';
import { bearer, type Person, people } from '../support/people.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const { login, person } = people(() => t);
const mine = '/api/v1/me/deposit-policies';
const admin = '/api/v1/admin/deposit-policies';

const terms: DepositPolicyTerms = {
  allowedDepositTypes: ['reservation', 'security'],
  reservationTtlHours: 48,
  reservationAmount: { kind: 'fixed', amount: 2_000_000 },
  securityAmount: { kind: 'months_of_rent', months: 1 },
  refundRules: [
    { event: 'deposit_paid', offsetHours: 24, refundPercent: 100 },
    { event: 'move_in', offsetHours: -72, refundPercent: 50 },
  ],
  convertReservationToSecurity: true,
  releaseRequiresHandover: true,
  commission: { kind: 'percent_of_deposit', percent: 5 },
};
const securityOnly = {
  allowedDepositTypes: ['security'],
  securityAmount: { kind: 'months_of_rent', months: 2 },
  refundRules: [],
};

const as = (who: Person | string) => bearer(typeof who === 'string' ? who : who.token);
const create = (path: string, who: Person | string, body: unknown) =>
  t.call<DepositPolicyView>('POST', path, body, as(who));

describe('deposit policies over HTTP', () => {
  test('an owner creates, revises and still reads version 1; others cannot see it', async () => {
    const owner = await person('chu.du.an@example.vn', 'owner', 'Trần Chủ');
    const other = await person('chu.khac@example.vn', 'owner', 'Lê Khác');
    const customer = await person('khach@example.vn', 'customer', 'Phạm Khách');

    const made = await create(mine, owner, { name: 'Cọc phòng trọ', terms });
    expect(made.status).toBe(201);
    expect(made.body.data).toMatchObject({ ownerId: owner.id, status: 'active', currentVersion: 1, terms });
    const id = made.body.data.id;

    const put = await t.call<DepositPolicyView>(
      'PUT',
      `${mine}/${id}`,
      { name: 'Cọc phòng trọ', terms: securityOnly },
      as(owner),
    );
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({
      currentVersion: 2,
      terms: { allowedDepositTypes: ['security'], reservationTtlHours: null, commission: { kind: 'none' } },
    });

    const v1 = await t.call<DepositPolicyVersionView>('GET', `${mine}/${id}/versions/1`, undefined, as(owner));
    expect(v1.status).toBe(200);
    expect(v1.body.data).toMatchObject({ policyId: id, version: 1, terms });
    const v3 = await t.call('GET', `${mine}/${id}/versions/3`, undefined, as(owner));
    expect(v3.status).toBe(404);

    const list = await t.call<DepositPolicyView[]>('GET', mine, undefined, as(owner));
    expect(list.body.data.map((p) => [p.id, p.currentVersion])).toEqual([[id, 2]]);
    expect((await t.call<DepositPolicyView[]>('GET', mine, undefined, as(other))).body.data).toEqual([]);

    for (const [method, path, body] of [
      ['GET', `${mine}/${id}`, undefined],
      ['GET', `${mine}/${id}/versions/1`, undefined],
      ['PUT', `${mine}/${id}`, { name: 'Của tôi', terms }],
      ['POST', `${mine}/${id}/disable`, undefined],
      ['DELETE', `${mine}/${id}`, undefined],
    ] as const) {
      const answer = await t.call(method, path, body, as(other));
      expect({ path, method, status: answer.status, code: answer.body.error?.code }).toEqual({
        path,
        method,
        status: 404,
        code: 'DEPOSIT_POLICY_NOT_FOUND',
      });
    }
    const still = await t.call<DepositPolicyView>('GET', `${mine}/${id}`, undefined, as(owner));
    expect(still.body.data).toMatchObject({ status: 'active', currentVersion: 2 });

    expect((await t.call('GET', mine, undefined, as(customer))).status).toBe(403);
    expect((await create(mine, customer, { name: 'X', terms })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/deposit-policies/templates', undefined, as(customer))).status).toBe(403);
    expect((await t.call('GET', mine)).status).toBe(401);
  });

  test('admin templates: visible to owners while active, changed only by admins', async () => {
    const owner = await person('chu.mau@example.vn', 'owner');
    const adminToken = await login(TEST_ADMIN.email, TEST_ADMIN.password);
    const template = await create(admin, adminToken, { name: 'Mẫu chuẩn 1 tháng', terms });
    expect(template.status).toBe(201);
    expect(template.body.data).toMatchObject({ ownerId: null, currentVersion: 1 });
    const id = template.body.data.id;

    const templates = async () =>
      (await t.call<DepositPolicyView[]>('GET', '/api/v1/deposit-policies/templates', undefined, as(owner))).body.data;
    expect((await templates()).map((p) => p.id)).toContain(id);

    expect((await t.call('PUT', `${mine}/${id}`, { name: 'Sửa mẫu', terms }, as(owner))).status).toBe(404);
    expect((await create(admin, owner, { name: 'Mẫu giả', terms })).status).toBe(403);

    const own = await create(mine, owner, { name: 'Của chủ', terms: securityOnly });
    const everyone = await t.call<DepositPolicyView[]>('GET', `${admin}?templates=true`, undefined, as(adminToken));
    expect(everyone.body.data.map((p) => p.id)).toEqual([id]);
    const ofOwner = await t.call<DepositPolicyView[]>('GET', `${admin}?ownerId=${owner.id}`, undefined, as(adminToken));
    expect(ofOwner.body.data.map((p) => p.id)).toEqual([own.body.data.id]);

    const off = await t.call<DepositPolicyView>('POST', `${admin}/${id}/disable`, undefined, as(adminToken));
    expect(off.body.data.status).toBe('disabled');
    expect((await templates()).map((p) => p.id)).not.toContain(id);

    // An admin may disable an owner's policy; the owner cannot turn it back on.
    const moderated = await t.call<DepositPolicyView>(
      'POST',
      `${admin}/${own.body.data.id}/disable`,
      undefined,
      as(adminToken),
    );
    expect(moderated.body.data).toMatchObject({ status: 'disabled', disabledByAdmin: true });
    const enable = await t.call('POST', `${mine}/${own.body.data.id}/enable`, undefined, as(owner));
    expect({ status: enable.status, code: enable.body.error?.code }).toEqual({
      status: 403,
      code: 'DEPOSIT_POLICY_DISABLED_BY_ADMIN',
    });
  });

  test('bad input is a 400 naming the field', async () => {
    const owner = await person('chu.sai@example.vn', 'owner');
    const cases: [unknown, string, string][] = [
      [
        {
          name: 'Sai',
          terms: {
            ...terms,
            refundRules: [terms.refundRules[0], { event: 'move_in', offsetHours: -1, refundPercent: 150 }],
          },
        },
        'REFUND_PERCENT_INVALID',
        'terms.refundRules.1.refundPercent',
      ],
      [
        { name: 'Sai', terms: { ...terms, reservationTtlHours: 1000 } },
        'RESERVATION_TTL_INVALID',
        'terms.reservationTtlHours',
      ],
      [
        { name: 'Sai', terms: { ...terms, releaseRequiresHandover: false } },
        'HANDOVER_REQUIRED_FOR_RELEASE',
        'terms.releaseRequiresHandover',
      ],
      [
        { name: 'Sai', terms: { ...terms, reservationTtlHours: 'hai ngày' } },
        'VALIDATION_FAILED',
        'terms.reservationTtlHours',
      ],
      [
        { name: 'Sai', terms: { ...terms, allowedDepositTypes: ['cash'] } },
        'VALIDATION_FAILED',
        'terms.allowedDepositTypes.0',
      ],
      [{ name: ' ', terms }, 'NAME_REQUIRED', 'name'],
    ];
    for (const [body, code, field] of cases) {
      const answer = await create(mine, owner, body);
      expect({ status: answer.status, code: answer.body.error?.code, field: answer.body.error?.field }).toEqual({
        status: 400,
        code,
        field,
      });
    }
    expect((await t.call<DepositPolicyView[]>('GET', mine, undefined, as(owner))).body.data).toEqual([]);
  });

  test('an unused policy is deleted (200); deleted is final', async () => {
    const owner = await person('chu.xoa@example.vn', 'owner');
    const made = await create(mine, owner, { name: 'Tạm thời', terms: securityOnly });
    const id = made.body.data.id;
    const gone = await t.call<DepositPolicyView>('DELETE', `${mine}/${id}`, undefined, as(owner));
    expect(gone.status).toBe(200);
    expect(gone.body.data.status).toBe('deleted');
    expect((await t.call<DepositPolicyView[]>('GET', mine, undefined, as(owner))).body.data).toEqual([]);
    const again = await t.call('PUT', `${mine}/${id}`, { name: 'Lại', terms }, as(owner));
    expect({ status: again.status, code: again.body.error?.code }).toEqual({
      status: 409,
      code: 'DEPOSIT_POLICY_DELETED',
    });
  });
});
