import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HandoverContent } from '../../domain/contracts/handover-events.js';
import { verifyLedger } from '../../projections/ledger/verify.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import { contractWorld, MOVE_IN } from '../support/contract-world.js';
import { DEPOSIT_TERMS } from '../support/money-world.js';
import { bearer, type Person, png } from '../support/people.js';

let t: TestApp;
let dataDir: string;
let staff: Person;
const world = contractWorld(() => t);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'handovers-api-'));
  t = await startTestApp({ seed: true, dataDir });
  staff = await world.operator('handover-operator@test.local');
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const deposit = async (id: string) =>
  (await t.db.pool.query('select status, release_mode from rm.deposits where id = $1', [id])).rows[0];
const ledgerBalanced = () =>
  eventually(async () => {
    const result = await verifyLedger(t.app.services);
    expect(result.ok, JSON.stringify(result.unbalancedEntries.slice(0, 3))).toBe(true);
  });
const open = (contractId: string, kind: 'move_in' | 'move_out', content: HandoverContent, who = staff) =>
  t.call<{ id: string }>('POST', '/api/v1/handovers', { contractId, kind, content }, bearer(who.token));

describe('handover reports over HTTP', () => {
  test('one report in progress per room: 10 simultaneous creates, exactly one wins; a cancelled one frees the room', async () => {
    const w = await world.signedContract();
    const answers = await Promise.all(Array.from({ length: 10 }, () => open(w.contractId, 'move_in', MOVE_IN)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
    const winner = answers.find((a) => a.status === 201)?.body.data.id ?? '';
    expect(answers.some((a) => a.body.error?.code === 'HANDOVER_IN_PROGRESS')).toBe(true);

    const customerOpens = await open(w.contractId, 'move_in', MOVE_IN, w.customer);
    expect(customerOpens.status).toBe(403);
    const cancelled = await t.call(
      'POST',
      `/api/v1/handovers/${winner}/cancel`,
      { reason: 'Lập nhầm' },
      bearer(staff.token),
    );
    expect(cancelled.status).toBe(200);
    const again = await open(w.contractId, 'move_in', MOVE_IN);
    expect(again.status).toBe(201);
    const reports = await t.call<{ id: string; status: string }[]>(
      'GET',
      `/api/v1/handovers?contractId=${w.contractId}`,
      undefined,
      bearer(w.customer.token),
    );
    expect(reports.body.data.map((r) => r.status).sort()).toEqual(['cancelled', 'in_progress']);
  });

  test('move-in: photos, both signatures complete it, the deposit is released by the policy (offset), ledger balanced, audited', async () => {
    const w = await world.signedContract();
    const unsigned = await world.heldSecurityDeposit();
    const notSigned = await open(unsigned.contractId, 'move_in', MOVE_IN);
    expect(notSigned.status).toBe(409);
    expect(notSigned.body.error?.code).toBe('CONTRACT_NOT_SIGNED');
    const moveOutFirst = await open(w.contractId, 'move_out', MOVE_IN);
    expect(moveOutFirst.status).toBe(409);
    expect(moveOutFirst.body.error?.code).toBe('MOVE_IN_REQUIRED');
    const badCondition = await t.call(
      'POST',
      '/api/v1/handovers',
      { contractId: w.contractId, kind: 'move_in', content: { ...MOVE_IN, meters: { electricity: -1, water: 0 } } },
      bearer(staff.token),
    );
    expect(badCondition.status).toBe(400);
    expect(badCondition.body.error?.field).toBe('content.meters.electricity');

    const opened = await open(w.contractId, 'move_in', MOVE_IN);
    expect(opened.status).toBe(201);
    const id = opened.body.data.id;
    const photo = await world.upload(`/api/v1/handovers/${id}/photos`, staff.token, [
      { field: 'file', bytes: await png(48), name: 'giuong.jpg', type: 'image/jpeg' },
    ]);
    expect(photo.status).toBe(201);
    const { fileKey, url } = photo.body.data as { fileKey: string; url: string };
    const withPhoto: HandoverContent = {
      ...MOVE_IN,
      assets: [{ name: 'Giường', condition: 'good', note: null, photoKeys: [fileKey] }],
    };
    const foreignPhoto = await t.call(
      'PUT',
      `/api/v1/handovers/${id}`,
      { content: { ...withPhoto, assets: [{ ...withPhoto.assets[0], photoKeys: ['handovers/x/y.png'] }] } },
      bearer(staff.token),
    );
    expect(foreignPhoto.status).toBe(400);
    expect(foreignPhoto.body.error?.field).toBe('content.assets.0.photoKeys.0');
    const recorded = await t.call('PUT', `/api/v1/handovers/${id}`, { content: withPhoto }, bearer(staff.token));
    expect(recorded.status).toBe(200);
    const shown = await fetch(`${t.url}${url}`, { headers: bearer(w.customer.token) });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('image/png');

    const stranger = await world.party('customer', 'Người Lạ');
    const strangerOtp = await t.call('POST', `/api/v1/handovers/${id}/otp`, undefined, bearer(stranger.token));
    expect(strangerOtp.status).toBe(403);
    expect((await world.sign('handovers', id, w.customer)).body.data.status).toBe('in_progress');
    const frozen = await t.call('PUT', `/api/v1/handovers/${id}`, { content: MOVE_IN }, bearer(staff.token));
    expect(frozen.status).toBe(409);
    expect(frozen.body.error?.code).toBe('HANDOVER_FROZEN');
    const twice = await t.call('POST', `/api/v1/handovers/${id}/otp`, undefined, bearer(w.customer.token));
    expect(twice.status).toBe(409);
    expect(twice.body.error?.code).toBe('ALREADY_SIGNED');
    expect((await world.sign('handovers', id, w.owner)).body.data.status).toBe('completed');
    const readOnly = await t.call('PUT', `/api/v1/handovers/${id}`, { content: MOVE_IN }, bearer(staff.token));
    expect(readOnly.status).toBe(409);
    expect(readOnly.body.error?.code).toBe('HANDOVER_COMPLETED');

    await eventually(async () =>
      expect(await deposit(w.depositId)).toEqual({ status: 'released', release_mode: 'offset_first_rent' }),
    );
    const detail = await world.handover(id, w.owner);
    expect(detail.body.data).toMatchObject({ status: 'completed', kind: 'move_in', myParty: 'owner' });
    expect(detail.body.data.signatures.map((s) => s.party)).toEqual(['customer', 'owner']);
    await ledgerBalanced();
    expect(await world.roomStatus(w.roomId)).toBe('rented');
    const rentals = await t.call<{ depositId: string; step: string; contract: { status: string } }[]>(
      'GET',
      '/api/v1/rentals/mine',
      undefined,
      bearer(w.customer.token),
    );
    expect(rentals.body.data).toEqual([
      expect.objectContaining({
        depositId: w.depositId,
        step: 'living',
        contract: expect.objectContaining({ id: w.contractId, status: 'signed' }),
        handover: { id, kind: 'move_in', status: 'completed' },
      }),
    ]);
    await eventually(async () => {
      const { rows } = await t.db.pool.query<{ event_type: string; actor_id: string }>(
        `select event_type, actor_id from rm.audit_trail
          where stream_name in ($1, $2, $3) and event_type not like 'Payment%' order by position`,
        [`handover-${id}`, `deposit-${w.depositId}`, `room-${w.roomId}`],
      );
      const trail = rows.map((r) => [r.event_type, r.actor_id]);
      expect(trail).toEqual(
        expect.arrayContaining([
          ['RoomHandoverOpened', staff.id],
          ['HandoverOpened', staff.id],
          ['HandoverContentRecorded', staff.id],
          ['HandoverSigned', w.customer.id],
          ['HandoverSigned', w.owner.id],
          ['HandoverCompleted', w.owner.id],
          ['RoomHandoverClosed', 'system'],
          ['DepositReleased', 'system'],
        ]),
      );
    });
  });

  test('move-out: meters compared with move-in, deductions kept for the owner as ledger lines, the rest refunded, the room to cleaning', async () => {
    const w = await world.signedContract({ terms: { ...DEPOSIT_TERMS, securityRelease: 'refund_at_move_out' } });
    await world.completedHandover(w, staff, 'move_in');
    await eventually(async () => expect(await world.roomStatus(w.roomId)).toBe('rented'));
    expect((await deposit(w.depositId)).status).toBe('held'); // refund_at_move_out: kept until the move-out

    const moveOut: HandoverContent = {
      meters: { electricity: 1350, water: 352 },
      assets: [
        { name: 'Giường', condition: 'good', note: null, photoKeys: [] },
        { name: 'Tủ lạnh', condition: 'broken', note: 'Hỏng ngăn đá', photoKeys: [] },
      ],
      notes: null,
      deductions: [
        { reason: 'Sửa tủ lạnh', amountVnd: 500_000 },
        { reason: 'Tiền điện tháng cuối', amountVnd: 150_000 },
      ],
    };
    const lower = await open(w.contractId, 'move_out', { ...moveOut, meters: { electricity: 1000, water: 352 } });
    expect(lower.status).toBe(400);
    expect(lower.body.error).toMatchObject({ code: 'METER_DECREASED', field: 'content.meters.electricity' });
    const tooMuch = await open(w.contractId, 'move_out', {
      ...moveOut,
      deductions: [{ reason: 'Sơn lại', amountVnd: 3_000_001 }],
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error?.field).toBe('content.deductions');

    const id = await world.completedHandover(w, staff, 'move_out', moveOut);
    const detail = await world.handover(id, w.customer);
    expect(detail.body.data.moveIn?.meters).toEqual(MOVE_IN.meters);
    await eventually(async () => {
      expect(await deposit(w.depositId)).toEqual({ status: 'released', release_mode: 'refund' });
      expect(await world.roomStatus(w.roomId)).toBe('cleaning');
    });
    await eventually(async () => {
      const { rows } = await t.db.pool.query<{
        account: string;
        subject: string | null;
        side: string;
        amount_vnd: string;
      }>(
        `select account, subject, side, amount_vnd from rm.ledger_postings
          where stream = $1 and event_type = 'DepositReleased' order by line_no`,
        [`deposit-${w.depositId}`],
      );
      expect(rows.map((r) => [r.account, r.side, Number(r.amount_vnd)])).toEqual([
        ['escrow', 'debit', 3_000_000],
        ['owner_payable', 'credit', 500_000],
        ['owner_payable', 'credit', 150_000],
        ['refunds_payable', 'credit', 2_350_000],
      ]);
    });
    await ledgerBalanced();
    const again = await open(w.contractId, 'move_out', moveOut);
    expect(again.status).toBe(409);
  });
});
