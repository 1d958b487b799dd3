import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppOptions } from '../../ops/app.js';
import { eventually, startTestApp, TEST_ADMIN, type TestApp } from '../support/app.js';
import { bearer, PDF, people, png } from '../support/people.js';

let t: TestApp;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'profile-kyc-'));
  // startTestApp passes its options on to startApp: uploads go to a temporary DATA_DIR.
  const options: Parameters<typeof startTestApp>[0] & Pick<AppOptions, 'dataDir'> = { dataDir };
  t = await startTestApp(options);
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const { login, person, operator, upload } = people(() => t);

const avatar = (token: string, bytes: Buffer, name = 'photo.png', type = 'image/png') =>
  upload('/api/v1/me/avatar', token, [{ field: 'file', bytes, name, type }]);

type Profile = { userId: string; name: string; bio: string | null; address: string | null; avatarUrl: string | null };

describe('profile', () => {
  test('read and change one’s profile; bad input is a 400 naming the field', async () => {
    const an = await person('an@example.vn', 'customer', 'Nguyễn Văn An');
    const mine = await t.call<Profile & { gender: string }>('GET', '/api/v1/me/profile', undefined, bearer(an.token));
    expect(mine.body.data).toMatchObject({ userId: an.id, name: 'Nguyễn Văn An', gender: 'unspecified', bio: null });

    const changes = { name: 'An Nguyễn', gender: 'male', dateOfBirth: '1995-04-30', phone: '0912 345 678' };
    const changed = await t.call<Profile>('PATCH', '/api/v1/me/profile', changes, bearer(an.token));
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ ...changes, phone: '0912345678' });
    await eventually(async () => {
      const me = await t.call<{ name: string; phone: string }>('GET', '/api/v1/me', undefined, bearer(an.token));
      expect(me.body.data).toMatchObject({ name: 'An Nguyễn', phone: '0912345678' }); // the users read model follows
    });

    const bad: [Record<string, unknown>, string, string][] = [
      [{ phone: '12345' }, 'PHONE_INVALID', 'phone'],
      [{ bio: 'x'.repeat(1001) }, 'FIELD_TOO_LONG', 'bio'],
      [{ address: 'y'.repeat(301) }, 'FIELD_TOO_LONG', 'address'],
      [{ dateOfBirth: '2020-01-01' }, 'TOO_YOUNG', 'dateOfBirth'],
      [{ dateOfBirth: '30/04/1995' }, 'DATE_INVALID', 'dateOfBirth'],
      [{ name: '  ' }, 'NAME_REQUIRED', 'name'],
      [{ gender: 'robot' }, 'VALIDATION_FAILED', 'gender'],
      [{ bio: 42 }, 'VALIDATION_FAILED', 'bio'],
    ];
    for (const [body, code, field] of bad) {
      const answer = await t.call('PATCH', '/api/v1/me/profile', body, bearer(an.token));
      expect({ status: answer.status, ...answer.body.error }).toMatchObject({ status: 400, code, field });
    }
    expect((await t.call('GET', '/api/v1/me/profile')).status).toBe(401);
  });

  test('SQL-injection and XSS strings are stored and returned verbatim, as inert JSON strings', async () => {
    const user = await person('inert@example.vn', 'customer');
    const hostile = {
      name: "'; drop table rm.users; --",
      bio: '<script>alert(1)</script>\n" onmouseover="alert(2)',
      address: '"><img src=x onerror=alert(1)> 1=1; --',
    };
    const answer = await t.call<Profile>('PATCH', '/api/v1/me/profile', hostile, bearer(user.token));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.body.data).toMatchObject(hostile);
    const again = await t.call<Profile>('GET', '/api/v1/me/profile', undefined, bearer(user.token));
    expect(again.body.data).toMatchObject(hostile);
    const { rows } = await t.db.pool.query('select count(*)::int as n from rm.users');
    expect(rows[0].n).toBeGreaterThan(0);
    expect((await t.call('GET', '/api/v1/me', undefined, bearer(user.token))).status).toBe(200);
  });

  test('notification preferences per type and channel; security mail cannot be turned off', async () => {
    const user = await person('prefs@example.vn', 'customer');
    type Prefs = { preferences: Record<string, Record<string, boolean>> };
    const initial = await t.call<Prefs>('GET', '/api/v1/me/notification-preferences', undefined, bearer(user.token));
    expect(initial.body.data.preferences.marketing).toEqual({ app: false, email: false, telegram: false, sms: false });
    const put = (preferences: unknown) =>
      t.call<Prefs>('PUT', '/api/v1/me/notification-preferences', { preferences }, bearer(user.token));
    const saved = await put({ marketing: { email: true }, booking: { telegram: true } });
    expect(saved.status).toBe(200);
    expect(saved.body.data.preferences.marketing?.email).toBe(true);
    expect(saved.body.data.preferences.booking).toEqual({ app: true, email: true, telegram: true, sms: false });
    const refused = await put({ 'account.security': { email: false } });
    expect(refused.body.error).toMatchObject({
      code: 'NOTIFICATION_MANDATORY',
      field: 'preferences.account.security.email',
    });
    expect((await put({ newsletter: { app: true } })).body.error?.field).toBe('preferences.newsletter');
  });

  test('avatar: an image by content (served with its type and nosniff), a lying name refused, > 2 MB is 413', async () => {
    const owner = await person('avatar@example.vn', 'owner', 'Chủ Nhà');
    const other = await person('other@example.vn', 'customer', 'Người Khác');

    const accepted = await avatar(owner.token, await png(), 'anything.bin', 'application/octet-stream');
    expect(accepted.status).toBe(200);
    const url = String(accepted.body.data.avatarUrl);
    expect(url).toMatch(new RegExp(`^/api/v1/users/${owner.id}/avatar\\?v=`));

    // Anyone may load the image (an <img> sends no token)…
    const image = await fetch(`${t.url}${url}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });

    // …but /me is always one's own profile, and another user's profile needs user:read.
    const mine = await t.call<Profile>('GET', '/api/v1/me/profile', undefined, bearer(other.token));
    expect(mine.body.data).toMatchObject({ userId: other.id, name: 'Người Khác', avatarUrl: null });
    const foreign = await t.call('GET', `/api/v1/admin/users/${owner.id}/profile`, undefined, bearer(other.token));
    expect(foreign.status).toBe(403);
    await t.call('PATCH', '/api/v1/me/profile', { name: 'Đổi Tên' }, bearer(other.token));
    const staff = await operator('staff-profile@example.vn');
    const seen = await t.call<Profile>(
      'GET',
      `/api/v1/admin/users/${owner.id}/profile`,
      undefined,
      bearer(staff.token),
    );
    expect(seen.body.data).toMatchObject({ userId: owner.id, name: 'Chủ Nhà', avatarUrl: url });

    for (const [bytes, name] of [
      [PDF, 'photo.png'],
      [Buffer.from('just text, honestly a PNG'), 'photo.png'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'photo.svg'],
    ] as const) {
      const lying = await avatar(owner.token, bytes, name);
      expect({ status: lying.status, ...lying.body.error }).toMatchObject({
        status: 400,
        code: 'FILE_TYPE_NOT_ALLOWED',
        field: 'file',
      });
    }
    const big = Buffer.concat([await png(), Buffer.alloc(2 * 1024 * 1024)]);
    const tooLarge = await avatar(owner.token, big);
    expect({ status: tooLarge.status, code: tooLarge.body.error?.code }).toEqual({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    const json = await t.call('POST', '/api/v1/me/avatar', { file: 'x' }, bearer(owner.token));
    expect(json.body.error).toMatchObject({ code: 'MULTIPART_REQUIRED', field: 'file' });
    // The refused uploads changed nothing.
    const still = await t.call<Profile>('GET', '/api/v1/me/profile', undefined, bearer(owner.token));
    expect(still.body.data.avatarUrl).toBe(url);
  });
});

type Kyc = {
  status: string;
  reason: string | null;
  submissions: number;
  reviewerId: string | null;
  documents: { key: string; kind: string; contentType: string; size: number; url: string }[];
};

describe('KYC', () => {
  test('submit → pending → rejected with a reason → resubmit → verified, all in the audit trail', async () => {
    const owner = await person('kyc-owner@example.vn', 'owner', 'Chủ Dự Án');
    const customer = await person('kyc-customer@example.vn', 'customer');
    const reviewer = await operator('kyc-operator@example.vn');
    const admin = await login(TEST_ADMIN.email, TEST_ADMIN.password);
    const submit = async (token: string, files: { bytes: Buffer; name: string }[], kinds?: string) =>
      upload(
        '/api/v1/me/kyc',
        token,
        files.map((file) => ({ field: 'documents', type: 'application/pdf', ...file })),
        kinds === undefined ? {} : { kinds },
      );
    const idFront = { bytes: PDF, name: 'cccd-front.pdf' };
    const idBack = { bytes: await png(), name: 'cccd-back.png' };

    const notOwner = await submit(customer.token, [idFront], 'id_front');
    expect({ status: notOwner.status, code: notOwner.body.error?.code }).toEqual({
      status: 403,
      code: 'KYC_ROLE_REQUIRED',
    });
    const lying = await submit(owner.token, [idFront, { bytes: Buffer.from('<html>hi</html>'), name: 'cccd.pdf' }]);
    expect(lying.body.error).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', field: 'documents.1' });
    const six = await submit(
      owner.token,
      Array.from({ length: 6 }, () => idFront),
    );
    expect(six.body.error).toMatchObject({ code: 'TOO_MANY_FILES', field: 'documents' });
    const huge = await submit(owner.token, [
      { bytes: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]), name: 'a.pdf' },
    ]);
    expect({ status: huge.status, code: huge.body.error?.code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    const badKind = await submit(owner.token, [idFront], 'selfie');
    expect(badKind.body.error).toMatchObject({ code: 'DOCUMENT_KIND_INVALID', field: 'kinds.0' });
    const me = () => t.call<Kyc>('GET', '/api/v1/me/kyc', undefined, bearer(owner.token));
    expect((await me()).body.data.status).toBe('unverified');

    const submitted = await submit(owner.token, [idFront, idBack], 'id_front,id_back');
    expect(submitted.status).toBe(200);
    expect(submitted.body.data).toMatchObject({ status: 'pending', submissions: 1 });
    const [front, back] = (submitted.body.data as unknown as Kyc).documents;
    expect(front).toMatchObject({ kind: 'id_front', contentType: 'application/pdf', size: PDF.length });
    expect(back).toMatchObject({ kind: 'id_back', contentType: 'image/png' });
    expect((await submit(owner.token, [idFront])).body.error?.code).toBe('KYC_PENDING');

    expect((await t.call('GET', '/api/v1/admin/kyc', undefined, bearer(owner.token))).status).toBe(403);
    const queue = await t.call<(Kyc & { userId: string; email: string })[]>(
      'GET',
      '/api/v1/admin/kyc?status=pending',
      undefined,
      bearer(reviewer.token),
    );
    expect(queue.body.data.map((item) => item.email)).toEqual(['kyc-owner@example.vn']);
    const file = await fetch(`${t.url}${front?.url}`, { headers: bearer(reviewer.token) });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PDF);
    expect((await fetch(`${t.url}${front?.url}`, { headers: bearer(owner.token) })).status).toBe(403);
    const traversal = `/api/v1/admin/kyc/${owner.id}/documents/${encodeURIComponent('../../../etc/passwd')}`;
    expect((await fetch(`${t.url}${traversal}`, { headers: bearer(reviewer.token) })).status).toBe(404);

    const reject = (reason: string) =>
      t.call<Kyc>('POST', `/api/v1/admin/kyc/${owner.id}/reject`, { reason }, bearer(reviewer.token));
    expect((await reject('  ')).body.error?.field).toBe('reason');
    const rejected = await reject('Ảnh CCCD mặt sau bị mờ');
    expect(rejected.body.data).toMatchObject({
      status: 'rejected',
      reason: 'Ảnh CCCD mặt sau bị mờ',
      reviewerId: reviewer.id,
    });
    expect((await me()).body.data).toMatchObject({ status: 'rejected', reason: 'Ảnh CCCD mặt sau bị mờ' });

    const again = await submit(owner.token, [idFront, { bytes: await png(64), name: 'back.png' }], 'id_front,id_back');
    expect(again.body.data).toMatchObject({ status: 'pending', submissions: 2, reason: null });
    const verified = await t.call<Kyc>('POST', `/api/v1/admin/kyc/${owner.id}/verify`, {}, bearer(admin));
    expect(verified.body.data).toMatchObject({ status: 'verified' });
    expect((await t.call('POST', `/api/v1/admin/kyc/${owner.id}/verify`, {}, bearer(admin))).status).toBe(409);
    expect((await submit(owner.token, [idFront])).body.error?.code).toBe('KYC_ALREADY_VERIFIED');
    expect((await me()).body.data.status).toBe('verified');

    await eventually(async () => {
      const { rows } = await t.db.pool.query<{ event_type: string; actor_id: string }>(
        `select event_type, actor_id from rm.audit_trail where target_id = $1 and stream_name like 'kyc-%'
          order by position`,
        [owner.id],
      );
      expect(rows.map((row) => `${row.event_type} by ${row.actor_id === owner.id ? 'owner' : row.actor_id}`)).toEqual([
        'KycSubmitted by owner',
        `KycRejected by ${reviewer.id}`,
        'KycSubmitted by owner',
        expect.stringMatching(/^KycVerified by /),
      ]);
    });
  });

  test('profile changes are in the audit trail with who made them', async () => {
    const user = await person('audited@example.vn', 'expert');
    await t.call('PATCH', '/api/v1/me/profile', { bio: 'Chuyên gia pháp lý' }, bearer(user.token));
    await avatar(user.token, await png());
    await t.call(
      'PUT',
      '/api/v1/me/notification-preferences',
      { preferences: { marketing: { sms: true } } },
      bearer(user.token),
    );
    // An operator acting for the user (X-Act-As) edits their profile: both people are recorded.
    const staff = await operator('acting@example.vn');
    const helped = await t.call<Profile>(
      'PATCH',
      '/api/v1/me/profile',
      { address: '5 Hàng Bài, Hoàn Kiếm' },
      { ...bearer(staff.token), 'x-act-as': user.id },
    );
    expect(helped.body.data).toMatchObject({ userId: user.id, address: '5 Hàng Bài, Hoàn Kiếm' });
    await eventually(async () => {
      const { rows } = await t.db.pool.query<{ event_type: string; actor_id: string; act_as_id: string | null }>(
        `select event_type, actor_id, act_as_id from rm.audit_trail where stream_name = $1 order by position`,
        [`profile-${user.id}`],
      );
      expect(rows).toEqual([
        { event_type: 'ProfileUpdated', actor_id: user.id, act_as_id: null },
        { event_type: 'AvatarChanged', actor_id: user.id, act_as_id: null },
        { event_type: 'NotificationPreferencesChanged', actor_id: user.id, act_as_id: null },
        { event_type: 'ProfileUpdated', actor_id: staff.id, act_as_id: user.id },
      ]);
    });
  });

  test('the routes are documented in OpenAPI', async () => {
    const spec = (await (await fetch(`${t.url}/docs/json`)).json()) as { paths: Record<string, unknown> };
    const paths = ['/api/v1/me/profile', '/api/v1/me/avatar', '/api/v1/users/{id}/avatar', '/api/v1/me/kyc'];
    paths.push('/api/v1/me/notification-preferences', '/api/v1/admin/kyc/{userId}/documents/{key}');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(paths));
  });
});
