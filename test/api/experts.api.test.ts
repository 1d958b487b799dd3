import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExpertService } from '../../domain/booking/expert-events.js';
import { seedSpecialties } from '../../ops/seed/seed-specialties.js';
import type {
  ExpertOwnerView,
  ExpertPublicView,
  ExpertReviewItem,
  ExpertSearchPage,
} from '../../projections/booking/experts-queries.js';
import { getExpertBookingProfile } from '../../projections/booking/experts-queries.js';
import type { SpecialtyView } from '../../projections/booking/specialties-queries.js';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/app.js';
import { bearer, PDF, type Person, people } from '../support/people.js';

let t: TestApp;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'experts-'));
  t = await startTestApp({ dataDir });
  await seedSpecialties(t.app.services);
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const { person, upload } = people(() => t);
const me = '/api/v1/me/expert';
const as = (who: Person) => bearer(who.token);
const search = (query: string) => t.call<ExpertSearchPage>('GET', `/api/v1/experts?${query}`);
const idsOf = (page: ExpertSearchPage) => page.items.map((item) => item.expertId);

const profile = {
  headline: 'Luật sư tư vấn hợp đồng thuê nhà',
  bio: 'Mười năm giải quyết tranh chấp thuê nhà tại TP.HCM.',
  yearsOfExperience: 10,
  languages: ['vi', 'en'],
  specialties: ['phap-ly-thue-nha'],
};
const service = {
  name: 'Rà soát hợp đồng thuê',
  description: 'Đọc và góp ý hợp đồng trong 60 phút',
  durationMinutes: 60,
  feeVnd: 500_000,
  mode: 'online',
};
const weekly = {
  rules: [
    {
      rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
      from: '2026-12-01',
      ranges: [
        { start: '09:00', end: '12:00' },
        { start: '14:00', end: '17:00' },
      ],
    },
  ],
};

describe('specialties over HTTP', () => {
  test('the seeded catalog is public; admins add, rename, disable; customers may not', async () => {
    const listed = await eventually(async () => {
      const answer = await t.call<SpecialtyView[]>('GET', '/api/v1/specialties');
      expect(answer.body.data.length).toBe(8);
      return answer.body.data;
    });
    expect(listed[0]).toMatchObject({ id: 'phap-ly-thue-nha', nameVi: 'Pháp lý thuê nhà', active: true });

    const body = { id: 'luat-dat-dai', nameVi: 'Luật đất đai', nameEn: 'Land law' };
    const added = await t.call<SpecialtyView>('POST', '/api/v1/admin/specialties', body, ADMIN);
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({ ...body, active: true, position: 8 });
    const renamed = await t.call<SpecialtyView>(
      'PATCH',
      '/api/v1/admin/specialties/luat-dat-dai',
      { nameEn: 'Land and housing law' },
      ADMIN,
    );
    expect(renamed.body.data.nameEn).toBe('Land and housing law');
    const off = await t.call<SpecialtyView>('POST', '/api/v1/admin/specialties/luat-dat-dai/disable', undefined, ADMIN);
    expect(off.body.data.active).toBe(false);
    const publicIds = (await t.call<SpecialtyView[]>('GET', '/api/v1/specialties')).body.data.map((s) => s.id);
    expect(publicIds).not.toContain('luat-dat-dai');

    const clash = await t.call('POST', '/api/v1/admin/specialties', { ...body, id: 'dat-dai' }, ADMIN);
    expect({ status: clash.status, ...clash.body.error }).toMatchObject({ status: 409, code: 'SPECIALTY_NAME_TAKEN' });
    const badId = await t.call('POST', '/api/v1/admin/specialties', { ...body, id: 'Dat Dai' }, ADMIN);
    expect({ status: badId.status, ...badId.body.error }).toMatchObject({ code: 'SPECIALTY_ID_INVALID', field: 'id' });

    const customer = await person('khach.chuyenmon@example.vn', 'customer');
    const refused = await t.call('POST', '/api/v1/admin/specialties', body, as(customer));
    expect(refused.status).toBe(403);
  });
});

describe('experts over HTTP', () => {
  test('an expert builds a profile, is verified, and the public search finds them', async () => {
    const expert = await person('chuyen.gia@example.vn', 'expert', 'Trần Thị Luật');
    const draft = await t.call<ExpertOwnerView>('GET', me, undefined, as(expert));
    expect(draft.body.data).toMatchObject({ status: 'draft', displayName: 'Trần Thị Luật', services: [] });
    expect(draft.body.data.settings.timeZone).toBe('Asia/Ho_Chi_Minh');

    const saved = await t.call<ExpertOwnerView>('PUT', me, profile, as(expert));
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({ ...profile, status: 'draft' });
    const unknown = await t.call('PUT', me, { ...profile, specialties: ['bi-an'] }, as(expert));
    expect(unknown.body.error).toMatchObject({ code: 'SPECIALTY_UNKNOWN', field: 'specialties.0' });

    const fields = { kind: 'certificate', title: 'Chứng chỉ hành nghề luật sư', issuer: 'Bộ Tư pháp', year: '2015' };
    const pdf = { field: 'file', bytes: PDF, name: 'chung-chi.pdf', type: 'application/pdf' };
    const uploaded = await upload(`${me}/documents`, expert.token, [pdf], fields);
    expect(uploaded.status).toBe(201);
    const [document] = (uploaded.body.data as unknown as ExpertOwnerView).documents;
    expect(document).toMatchObject({ kind: 'certificate', title: fields.title, year: 2015, hasFile: true });
    const disguised = { ...pdf, bytes: Buffer.from('<script>alert(1)</script>'), name: 'scan.png', type: 'image/png' };
    const refused = await upload(`${me}/documents`, expert.token, [disguised], fields);
    expect({ status: refused.status, ...refused.body.error }).toMatchObject({
      status: 400,
      code: 'FILE_TYPE_NOT_ALLOWED',
      field: 'file',
    });
    const file = await fetch(`${t.url}${document?.url}`, { headers: as(expert) });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);

    const added = await t.call<ExpertOwnerView>('POST', `${me}/services`, service, as(expert));
    expect(added.status).toBe(201);
    expect(added.body.data.services).toMatchObject([{ ...service, address: null, active: true }]);
    const offline = await t.call(
      'POST',
      `${me}/services`,
      { ...service, name: 'Gặp mặt', mode: 'offline' },
      as(expert),
    );
    expect({ status: offline.status, ...offline.body.error }).toMatchObject({
      code: 'ADDRESS_REQUIRED',
      field: 'address',
    });
    const odd = await t.call('POST', `${me}/services`, { ...service, name: 'Lẻ', durationMinutes: 62 }, as(expert));
    expect(odd.body.error).toMatchObject({ code: 'NUMBER_OUT_OF_RANGE', field: 'durationMinutes' });

    const settings = await t.call<ExpertOwnerView>(
      'PUT',
      `${me}/settings`,
      { autoConfirm: true, bufferAfterMinutes: 15, dailyLimit: 4 },
      as(expert),
    );
    expect(settings.body.data.settings).toMatchObject({ autoConfirm: true, bufferAfterMinutes: 15, stepMinutes: 30 });

    const badRule = { rules: [{ ...weekly.rules[0], rrule: 'FREQ=SOMETIMES;BYDAY=MO' }] };
    const bad = await t.call('PUT', `${me}/availability/rules`, badRule, as(expert));
    expect({ status: bad.status, field: bad.body.error?.field }).toEqual({ status: 400, field: 'rules.0.rrule' });
    const rules = await t.call<ExpertOwnerView>('PUT', `${me}/availability/rules`, weekly, as(expert));
    expect(rules.body.data.schedule.rules).toMatchObject([{ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', until: null }]);
    expect(rules.body.data.schedule.rules[0]?.id).toEqual(expect.any(String));

    const override = await t.call<ExpertOwnerView>(
      'PUT',
      `${me}/availability/overrides/2026-12-24`,
      { ranges: [] },
      as(expert),
    );
    expect(override.body.data.schedule.overrides).toEqual([{ date: '2026-12-24', ranges: [] }]);
    const offTime = { start: '2026-12-10T09:00:00+07:00', end: '2026-12-10T12:00:00+07:00', reason: 'Khám bệnh' };
    const off = await t.call<ExpertOwnerView>('POST', `${me}/availability/off-times`, offTime, as(expert));
    expect(off.status).toBe(201);
    expect(off.body.data.schedule.offTimes).toMatchObject([{ start: '2026-12-10T02:00:00.000Z', reason: 'Khám bệnh' }]);
    const backwards = await t.call(
      'POST',
      `${me}/availability/off-times`,
      { ...offTime, end: offTime.start },
      as(expert),
    );
    expect(backwards.body.error).toMatchObject({ code: 'SCHEDULE_OFF_TIME_EMPTY', field: 'end' });
    const holiday = { rrule: 'FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2', reason: 'Quốc khánh' };
    const yearly = await t.call<ExpertOwnerView>('POST', `${me}/availability/recurring-off-times`, holiday, as(expert));
    expect(yearly.body.data.schedule.recurringOffTimes).toMatchObject([{ ...holiday, ranges: null }]);
    const offId = off.body.data.schedule.offTimes[0]?.id;
    const removed = await t.call<ExpertOwnerView>(
      'DELETE',
      `${me}/availability/off-times/${offId}`,
      undefined,
      as(expert),
    );
    expect(removed.body.data.schedule.offTimes).toEqual([]);

    expect(idsOf((await search('specialty=phap-ly-thue-nha')).body.data)).not.toContain(expert.id);
    expect((await t.call('GET', `/api/v1/experts/${expert.id}`)).status).toBe(404);

    const submitted = await t.call<ExpertOwnerView>('POST', `${me}/submit`, undefined, as(expert));
    expect(submitted.body.data.status).toBe('submitted');
    const queue = await t.call<ExpertReviewItem[]>('GET', '/api/v1/admin/experts?status=submitted', undefined, ADMIN);
    const item = queue.body.data.find((e) => e.expertId === expert.id);
    expect(item).toMatchObject({ email: 'chuyen.gia@example.vn', kycStatus: 'unverified' });
    const reviewerFile = await fetch(`${t.url}${item?.documents[0]?.url}`, { headers: ADMIN });
    expect(reviewerFile.status).toBe(200);

    const verified = await t.call<ExpertReviewItem>(
      'POST',
      `/api/v1/admin/experts/${expert.id}/verify`,
      undefined,
      ADMIN,
    );
    expect(verified.body.data.status).toBe('verified');

    const found = (await search('specialty=phap-ly-thue-nha&minFee=400000&maxFee=600000&mode=online')).body.data;
    expect(found.items).toMatchObject([
      { expertId: expert.id, displayName: 'Trần Thị Luật', minFeeVnd: 500_000, modes: ['online'], rating: null },
    ]);
    expect(idsOf((await search('maxFee=400000')).body.data)).not.toContain(expert.id);
    expect(idsOf((await search('mode=offline')).body.data)).not.toContain(expert.id);
    expect(idsOf((await search('specialty=phong-thuy')).body.data)).not.toContain(expert.id);
    expect(idsOf((await search('q=tranh%20chap')).body.data)).toContain(expert.id);
    expect(idsOf((await search('q=phap%20ly')).body.data)).toContain(expert.id);

    const publicView = await t.call<ExpertPublicView>('GET', `/api/v1/experts/${expert.id}`);
    expect(publicView.body.data).toMatchObject({ ...profile, displayName: 'Trần Thị Luật', autoConfirm: true });
    expect(publicView.body.data.documents[0]).not.toHaveProperty('fileKey');

    const booking = await getExpertBookingProfile(t.app.services.db, expert.id);
    expect(booking).toMatchObject({ status: 'verified', timeZone: 'Asia/Ho_Chi_Minh', autoConfirm: true });
    expect(booking?.schedule.rules).toHaveLength(1);
    expect(booking?.services.map((s: ExpertService) => s.feeVnd)).toEqual([500_000]);

    const suspended = await t.call(
      'POST',
      `/api/v1/admin/experts/${expert.id}/suspend`,
      { reason: 'Khiếu nại' },
      ADMIN,
    );
    expect(suspended.status).toBe(200);
    expect((await t.call('GET', `/api/v1/experts/${expert.id}`)).status).toBe(404);
    expect(idsOf((await search('specialty=phap-ly-thue-nha')).body.data)).not.toContain(expert.id);
    await t.call('POST', `/api/v1/admin/experts/${expert.id}/verify`, undefined, ADMIN);
    expect((await t.call('GET', `/api/v1/experts/${expert.id}`)).status).toBe(200);
  });

  test('a rejected expert sees the reason; a bad search parameter is a 400 naming it', async () => {
    const expert = await person('chuyen.gia.2@example.vn', 'expert', 'Lê Văn Nội Thất');
    await t.call('PUT', me, { ...profile, specialties: ['noi-that'] }, as(expert));
    const incomplete = await t.call('POST', `${me}/submit`, undefined, as(expert));
    expect({ status: incomplete.status, ...incomplete.body.error }).toMatchObject({
      status: 400,
      code: 'DOCUMENT_REQUIRED',
      field: 'documents',
    });
    const fields = { kind: 'degree', title: 'Cử nhân kiến trúc', issuer: 'ĐH Kiến trúc', year: '2012' };
    await upload(
      `${me}/documents`,
      expert.token,
      [{ field: 'file', bytes: PDF, name: 'b.pdf', type: 'application/pdf' }],
      fields,
    );
    await t.call('POST', `${me}/submit`, undefined, as(expert));
    const noReason = await t.call('POST', `/api/v1/admin/experts/${expert.id}/reject`, { reason: ' ' }, ADMIN);
    expect(noReason.body.error).toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });
    await t.call('POST', `/api/v1/admin/experts/${expert.id}/reject`, { reason: 'Bằng cấp mờ' }, ADMIN);
    const mine = await t.call<ExpertOwnerView>('GET', me, undefined, as(expert));
    expect(mine.body.data).toMatchObject({ status: 'rejected', reason: 'Bằng cấp mờ' });

    for (const [query, field] of [
      ['minFee=abc', 'minFee'],
      ['sort=cheapest', 'sort'],
      ['mode=phone', 'mode'],
      ['limit=0', 'limit'],
      ['minFee=500&maxFee=100', 'maxFee'],
      ['cursor=bm9wZQ', 'cursor'],
    ]) {
      const answer = await search(query ?? '');
      expect({ status: answer.status, field: answer.body.error?.field }).toEqual({ status: 400, field });
    }
  });

  test('pages follow the sort without overlap', async () => {
    const experts = [];
    for (const [index, fee] of [300_000, 200_000, 100_000].entries()) {
      const expert = await person(`trang.${index}@example.vn`, 'expert', `Chuyên gia ${index}`);
      await t.call('PUT', me, { ...profile, specialties: ['tai-chinh-ca-nhan'], yearsOfExperience: index }, as(expert));
      await t.call('POST', `${me}/services`, { ...service, feeVnd: fee }, as(expert));
      const fields = { kind: 'certificate', title: 'CFA', issuer: 'CFA Institute', year: '2020' };
      const pdf = { field: 'file', bytes: PDF, name: 'c.pdf', type: 'application/pdf' };
      await upload(`${me}/documents`, expert.token, [pdf], fields);
      await t.call('POST', `${me}/submit`, undefined, as(expert));
      await t.call('POST', `/api/v1/admin/experts/${expert.id}/verify`, undefined, ADMIN);
      experts.push(expert.id);
    }
    const walk = async (sort: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ExpertSearchPage = (
          await search(`specialty=tai-chinh-ca-nhan&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        ).body.data;
        seen.push(...idsOf(page));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk('fee_asc')).toEqual([...experts].reverse());
    expect(await walk('fee_desc')).toEqual(experts);
    expect(await walk('experience')).toEqual([...experts].reverse());
  });

  test('only experts manage an expert profile; only reviewers review', async () => {
    const customer = await person('khach.chuyengia@example.vn', 'customer');
    for (const [method, url, body] of [
      ['GET', me, undefined],
      ['PUT', me, profile],
      ['POST', `${me}/services`, service],
      ['PUT', `${me}/availability/rules`, weekly],
    ] as const) {
      const answer = await t.call(method, url, body, as(customer));
      expect({ status: answer.status, code: answer.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    expect((await t.call('GET', '/api/v1/admin/experts', undefined, as(customer))).status).toBe(403);
    expect((await t.call('GET', me)).status).toBe(401);
  });
});
