import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contractJobs } from '../../commands/contracts/contract-jobs.js';
import { BUILT_IN_TEMPLATE_ID } from '../../commands/contracts/templates.js';
import type { ContractListItem } from '../../projections/contracts/contracts-queries.js';
import { eventually, startTestApp, type TestApp, testClock } from '../support/app.js';
import { contractWorld, otpFromOutbox, type Party } from '../support/contract-world.js';
import { bearer, PDF, png } from '../support/people.js';

let t: TestApp;
let dataDir: string;
const clock = testClock();
const world = contractWorld(() => t);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'contracts-api-'));
  t = await startTestApp({ seed: true, dataDir, clock: clock.now });
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const otp = (id: string, who: Party) =>
  t.call<{ challengeId: string; expiresAt: string; sentTo: string }>(
    'POST',
    `/api/v1/contracts/${id}/otp`,
    undefined,
    bearer(who.token),
  );
const signWith = (id: string, who: Party, challengeId: string, code: string) =>
  t.call<{ status: string }>('POST', `/api/v1/contracts/${id}/sign`, { challengeId, code }, bearer(who.token));
const auditOf = async (stream: string) =>
  (
    await t.db.pool.query<{ event_type: string; actor_id: string; act_as_id: string | null; ip: string | null }>(
      'select event_type, actor_id, act_as_id, ip from rm.audit_trail where stream_name = $1 order by position',
      [stream],
    )
  ).rows;

describe('contracts over HTTP', () => {
  test('a held security deposit generates the contract; the owner fills it; only the parties sign, customer first, once each; the room is rented', async () => {
    const w = await world.heldSecurityDeposit();
    const generated = await world.contract(w.contractId, w.customer);
    expect(generated.body.data).toMatchObject({
      status: 'awaiting_signatures',
      depositId: w.depositId,
      customerId: w.customer.id,
      ownerId: w.owner.id,
      templateId: BUILT_IN_TEMPLATE_ID,
      rentVnd: 3_000_000,
      depositVnd: 3_000_000,
      myParty: 'customer',
      nextSigner: null,
    });
    expect(generated.body.data.missing.sort()).toEqual(['NgayBatDau', 'NgayKetThuc', 'ThoiHanThang']);
    expect(generated.body.data.text).toContain('Nguyễn Văn An');
    expect(generated.body.data.text).toContain('3.000.000 ₫');
    expect(generated.body.data.text).toContain('12 Lê Lợi');

    const stranger = await world.party('customer', 'Người Lạ');
    expect((await world.contract(w.contractId, stranger)).status).toBe(404);
    const strangerOtp = await otp(w.contractId, stranger);
    expect(strangerOtp.status).toBe(403);
    expect(strangerOtp.body.error?.code).toBe('NOT_A_PARTY');

    const incomplete = await otp(w.contractId, w.customer);
    expect(incomplete.status).toBe(409);
    expect(incomplete.body.error).toMatchObject({ code: 'CONTRACT_INCOMPLETE' });
    const customerFills = await t.call(
      'PATCH',
      `/api/v1/contracts/${w.contractId}/fields`,
      { startDate: '2026-12-01' },
      bearer(w.customer.token),
    );
    expect(customerFills.status).toBe(403);
    const unknown = await t.call(
      'PATCH',
      `/api/v1/contracts/${w.contractId}/fields`,
      { values: { TenMeo: 'Mướp' } },
      bearer(w.owner.token),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.field).toBe('values.TenMeo');
    const backwards = await t.call(
      'PATCH',
      `/api/v1/contracts/${w.contractId}/fields`,
      { startDate: '2026-12-01', endDate: '2026-11-30' },
      bearer(w.owner.token),
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error?.field).toBe('endDate');
    const filled = await t.call<{ missing: string[]; text: string; nextSigner: string }>(
      'PATCH',
      `/api/v1/contracts/${w.contractId}/fields`,
      { startDate: '2026-12-01', endDate: '2027-11-30', clauses: 'Không nuôi thú cưng.' },
      bearer(w.owner.token),
    );
    expect(filled.status).toBe(200);
    expect(filled.body.data).toMatchObject({ missing: [], nextSigner: 'customer' });
    expect(filled.body.data.text).toContain('01/12/2026');
    expect(filled.body.data.text).toContain('12 tháng');

    const ownerFirst = await otp(w.contractId, w.owner);
    expect(ownerFirst.status).toBe(409);
    expect(ownerFirst.body.error?.code).toBe('CUSTOMER_SIGNS_FIRST');

    const challenge = await otp(w.contractId, w.customer);
    expect(challenge.status).toBe(200);
    expect(challenge.body.data.sentTo).toMatch(/^c\*\*\*@test\.local$/);
    const stolen = await signWith(w.contractId, stranger, challenge.body.data.challengeId, '000000');
    expect(stolen.status).toBe(403);
    const code = await otpFromOutbox(t, w.customer.email);
    const customerSigned = await signWith(w.contractId, w.customer, challenge.body.data.challengeId, code);
    expect(customerSigned.status).toBe(200);
    expect(customerSigned.body.data.status).toBe('awaiting_signatures');

    const twice = await otp(w.contractId, w.customer);
    expect(twice.status).toBe(409);
    expect(twice.body.error?.code).toBe('ALREADY_SIGNED');
    const frozen = await t.call(
      'PATCH',
      `/api/v1/contracts/${w.contractId}/fields`,
      { clauses: 'Thêm một điều' },
      bearer(w.owner.token),
    );
    expect(frozen.status).toBe(409);
    expect(frozen.body.error?.code).toBe('CONTRACT_FROZEN');

    const ownerSigned = await world.sign('contracts', w.contractId, w.owner);
    expect(ownerSigned.status).toBe(200);
    expect(ownerSigned.body.data.status).toBe('signed');
    await eventually(async () => expect(await world.roomStatus(w.roomId)).toBe('rented'));

    const detail = await world.contract(w.contractId, w.owner);
    expect(detail.body.data.signatures.map((s) => [s.party, s.signerId])).toEqual([
      ['customer', w.customer.id],
      ['owner', w.owner.id],
    ]);
    expect(detail.body.data.signatures[0]?.documentSha256).toBe(detail.body.data.sha256);
    expect(detail.body.data.signatures[0]?.ip).toBeTruthy();
    expect(detail.body.data.signedSha256).toBe(detail.body.data.sha256);

    const verify = await t.call('GET', `/api/v1/contracts/${w.contractId}/verify`, undefined, bearer(w.customer.token));
    expect(verify.body.data).toEqual({
      matches: true,
      storedSha256: detail.body.data.sha256,
      computedSha256: detail.body.data.sha256,
      signedSha256: detail.body.data.sha256,
    });
    const pdf = await fetch(`${t.url}/api/v1/contracts/${w.contractId}/pdf`, { headers: bearer(w.customer.token) });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(
      (await fetch(`${t.url}/api/v1/contracts/${w.contractId}/pdf`, { headers: bearer(stranger.token) })).status,
    ).toBe(404);

    const again = await t.call('POST', '/api/v1/contracts', { depositId: w.depositId }, bearer(w.owner.token));
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('CONTRACT_EXISTS');

    const lists = await Promise.all(
      [w.customer, w.owner, stranger].map((who) =>
        t.call<{ items: ContractListItem[] }>('GET', '/api/v1/contracts?status=signed', undefined, bearer(who.token)),
      ),
    );
    expect(lists.map((list) => list.body.data.items.map((c) => c.id))).toEqual([[w.contractId], [w.contractId], []]);

    await eventually(async () => {
      const trail = await auditOf(`contract-${w.contractId}`);
      expect(trail.map((row) => [row.event_type, row.actor_id])).toEqual([
        ['ContractGenerated', 'system'],
        ['ContractFieldsFilled', w.owner.id],
        ['ContractSigned', w.customer.id],
        ['ContractSigned', w.owner.id],
        ['ContractFullySigned', w.owner.id],
      ]);
      const room = await auditOf(`room-${w.roomId}`);
      expect(room.map((row) => [row.event_type, row.actor_id])).toContainEqual(['RoomRented', 'system']);
    });
  });

  test('scan of the signed paper: type by content, ≤ 10 MB, parties only; staff review it', async () => {
    const w = await world.signedContract();
    const staff = await world.operator(`scan-operator-${crypto.randomUUID().slice(0, 6)}@test.local`);
    const scanPath = `/api/v1/contracts/${w.contractId}/scan`;

    const text = await world.upload(scanPath, w.owner.token, [
      {
        field: 'file',
        bytes: Buffer.from('hợp đồng đã ký, không phải ảnh'),
        name: 'hop-dong.pdf',
        type: 'application/pdf',
      },
    ]);
    expect(text.status).toBe(400);
    expect(text.body.error).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', field: 'file' });
    const tooBig = await world.upload(scanPath, w.owner.token, [
      {
        field: 'file',
        bytes: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]),
        name: 'scan.pdf',
        type: 'application/pdf',
      },
    ]);
    expect(tooBig.status).toBe(413);
    const stranger = await world.party('owner', 'Chủ Khác');
    const strangers = await world.upload(scanPath, stranger.token, [
      { field: 'file', bytes: PDF, name: 'scan.pdf', type: 'application/pdf' },
    ]);
    expect(strangers.status).toBe(404);

    const image = await png(64);
    const renamed = await world.upload(scanPath, w.owner.token, [
      { field: 'file', bytes: image, name: 'hop-dong.pdf', type: 'application/pdf' },
    ]);
    expect(renamed.status).toBe(201);
    expect(renamed.body.data).toMatchObject({ contentType: 'image/png', sizeBytes: image.length });
    const stored = await fetch(`${t.url}${scanPath}`, { headers: bearer(w.customer.token) });
    expect(stored.status).toBe(200);
    expect(stored.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await stored.arrayBuffer()).equals(image)).toBe(true);

    const selfReview = await t.call(`POST`, `${scanPath}/review`, { accepted: true }, bearer(w.owner.token));
    expect(selfReview.status).toBe(403);
    const reviewed = await t.call<{ scan: { review: { accepted: boolean; note: string | null } } }>(
      'POST',
      `${scanPath}/review`,
      { accepted: true, note: 'Đủ chữ ký hai bên' },
      bearer(staff.token),
    );
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.data.scan.review).toMatchObject({ accepted: true, note: 'Đủ chữ ký hai bên' });
  });

  test('cancelling before signing refunds the deposit in full and frees the room', async () => {
    const w = await world.contractAwaitingSignatures();
    const noReason = await t.call(
      'POST',
      `/api/v1/contracts/${w.contractId}/cancel`,
      { reason: ' ' },
      bearer(w.owner.token),
    );
    expect(noReason.status).toBe(400);
    const cancelled = await t.call<{ status: string; by: string }>(
      'POST',
      `/api/v1/contracts/${w.contractId}/cancel`,
      { reason: 'Chủ nhà đổi ý' },
      bearer(w.owner.token),
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', by: 'owner' });
    await eventually(async () => {
      const { rows } = await t.db.pool.query('select status, refund_vnd from rm.deposits where id = $1', [w.depositId]);
      expect(rows[0]).toMatchObject({ status: 'refunded', refund_vnd: '3000000' });
      expect(await world.roomStatus(w.roomId)).toBe('available');
    });
  });

  // The last two move the app's clock forward (past the codes' 10 minutes, past a contract's end).
  test('OTP: a changed document, wrong codes with attempts left, locked after 5, used once, at most 5 codes in 10 minutes, expired', async () => {
    const w = await world.contractAwaitingSignatures();

    const beforeChange = await otp(w.contractId, w.customer);
    const beforeCode = await otpFromOutbox(t, w.customer.email);
    const changed = await t.call(
      'PATCH',
      `/api/v1/contracts/${w.contractId}/fields`,
      { clauses: 'Đóng tiền trước ngày 5' },
      bearer(w.owner.token),
    );
    expect(changed.status).toBe(200);
    const stale = await signWith(w.contractId, w.customer, beforeChange.body.data.challengeId, beforeCode);
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('DOCUMENT_CHANGED');

    const guessed = await otp(w.contractId, w.customer);
    const right = await otpFromOutbox(t, w.customer.email);
    const wrong = right === '111111' ? '222222' : '111111';
    const { challengeId } = guessed.body.data;
    for (const attemptsLeft of [4, 3, 2, 1]) {
      const answer = await signWith(w.contractId, w.customer, challengeId, wrong);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'OTP_INVALID', field: 'code', details: { attemptsLeft } });
    }
    const fifth = await signWith(w.contractId, w.customer, challengeId, wrong);
    expect(fifth.status).toBe(429);
    expect(fifth.body.error?.code).toBe('OTP_LOCKED');
    const lockedEvenIfRight = await signWith(w.contractId, w.customer, challengeId, right);
    expect(lockedEvenIfRight.status).toBe(429);

    const fresh = await otp(w.contractId, w.customer);
    const freshCode = await otpFromOutbox(t, w.customer.email);
    expect((await signWith(w.contractId, w.customer, fresh.body.data.challengeId, freshCode)).status).toBe(200);
    const reused = await signWith(w.contractId, w.customer, fresh.body.data.challengeId, freshCode);
    expect(reused.status).toBe(409);
    expect(reused.body.error?.code).toBe('OTP_USED');

    for (let i = 0; i < 5; i++) expect((await otp(w.contractId, w.owner)).status).toBe(200);
    const sixth = await otp(w.contractId, w.owner);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error?.code).toBe('OTP_RATE_LIMITED');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);

    const lastCode = await otpFromOutbox(t, w.owner.email);
    const { rows } = await t.db.pool.query<{ id: string }>(
      `select id from ops.signing_challenges where user_id = $1 order by created_at desc limit 1`,
      [w.owner.id],
    );
    clock.advance(11 * 60 * 1000);
    const expired = await signWith(w.contractId, w.owner, rows[0]?.id ?? '', lastCode);
    expect(expired.status).toBe(400);
    expect(expired.body.error?.code).toBe('OTP_EXPIRED');
    expect((await world.sign('contracts', w.contractId, w.owner)).body.data.status).toBe('signed');
  });

  test('expiry: reminders 30 and 7 days before the end, then expired after the end date (the daily jobs)', async () => {
    const w = await world.heldSecurityDeposit();
    const day = 86_400_000;
    const vnDate = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
    const today = clock.now().getTime();
    const endDate = vnDate(today + 5 * day);
    const filled = await t.call(
      'PATCH',
      `/api/v1/contracts/${w.contractId}/fields`,
      { startDate: vnDate(today - 60 * day), endDate },
      bearer(w.owner.token),
    );
    expect(filled.status).toBe(200);
    expect((await world.sign('contracts', w.contractId, w.customer)).status).toBe(200);
    expect((await world.sign('contracts', w.contractId, w.owner)).body.data.status).toBe('signed');
    await eventually(async () => expect((await world.contract(w.contractId, w.owner)).body.data.status).toBe('signed'));

    const jobs = contractJobs(t.app.services.contracts.contracts, pino({ level: 'silent' }));
    const job = (name: string) => jobs.find((j) => j.name === name) ?? expect.unreachable(name);
    const pool = t.db.pool;
    const ourContract = async () =>
      (await pool.query('select status, reminders from rm.contracts where id = $1', [w.contractId])).rows[0];

    expect(await job('contract-expiry').run({ pool, now: clock.now() })).toMatch(/^0 done/);
    await job('contract-expiry-reminders').run({ pool, now: clock.now() });
    await eventually(async () => expect((await ourContract()).reminders.sort()).toEqual([30, 7].sort()));
    await job('contract-expiry-reminders').run({ pool, now: clock.now() });

    // 00:00:01 the day after the end date in Vietnam: the worker runs jobs with the app's clock.
    clock.advance(Date.parse(`${endDate}T17:00:01Z`) - clock.now().getTime());
    const afterEnd = clock.now();
    await job('contract-expiry').run({ pool, now: afterEnd });
    await eventually(async () => expect((await ourContract()).status).toBe('expired'));
    await job('contract-expiry').run({ pool, now: afterEnd });
    const trail = (await auditOf(`contract-${w.contractId}`)).map((row) => row.event_type);
    expect(trail.filter((type) => type === 'ContractExpiryReminderDue')).toHaveLength(2);
    expect(trail.filter((type) => type === 'ContractExpired')).toHaveLength(1);
  });
});
