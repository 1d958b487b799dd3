import { expect } from 'vitest';
import { contractIdFor } from '../../commands/contracts/contracts.js';
import { listOutbox } from '../../commands/mail/outbox.js';
import type { DepositPolicyTerms } from '../../domain/catalog/deposit-policy-events.js';
import type { HandoverContent, HandoverKind } from '../../domain/contracts/handover-events.js';
import type { ContractView } from '../../projections/contracts/contracts-queries.js';
import type { HandoverView } from '../../projections/contracts/handovers-queries.js';
import { ADMIN, type ApiAnswer, eventually, type TestApp } from './app.js';
import { listingWorld } from './listing-world.js';
import { DEPOSIT_TERMS, payAtSandbox } from './money-world.js';
import { bearer, type Person, people } from './people.js';

/** A signed-in person with the address their codes are mailed to. */
export interface Party extends Person {
  email: string;
}

/** The newest signing code mailed to `email` (category `contract.otp` or `handover.otp`). */
export async function otpFromOutbox(t: TestApp, email: string, subject: 'contract' | 'handover' = 'contract') {
  const mails = await listOutbox(t.db.pool, { to: email, limit: 20 });
  const mail = mails.find((m) => m.category === `${subject}.otp`);
  const code = /^\s{4}(\d{6})$/m.exec(mail?.text ?? '')?.[1];
  if (!code) throw new Error(`no ${subject} signing code mailed to ${email}`);
  return code;
}

export const MOVE_IN: HandoverContent = {
  meters: { electricity: 1200, water: 340 },
  assets: [
    { name: 'Giường', condition: 'good', note: null, photoKeys: [] },
    { name: 'Tủ lạnh', condition: 'good', note: 'Còn bảo hành', photoKeys: [] },
  ],
  notes: 'Bàn giao đủ 2 chìa khóa',
  deductions: [],
};

export interface WorldOptions {
  /** The listing's deposit policy (money-world's DEPOSIT_TERMS by default). */
  terms?: DepositPolicyTerms;
  /** Runs once the listing exists, before the customer pays (e.g. choose the project's template). */
  beforeDeposit?: (listing: { projectId: string; listingId: string; owner: Party }) => Promise<void>;
}

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const inAYear = () => new Date(Date.now() + 366 * 86_400_000).toISOString().slice(0, 10);

/** A project whose rooms are written the way the owner's API writes them: the room stream, then its name. */
async function projectWithRooms(
  world: ReturnType<typeof listingWorld>,
  ownerId: string,
  areaId: string,
  rooms: number,
) {
  const projectId = crypto.randomUUID();
  const as = world.owner(ownerId);
  const details = {
    name: 'Nhà trọ Hoa Sen',
    description: '',
    address: { areaId, street: '12 Lê Lợi', lat: null, lng: null },
  };
  await world.commands.project({ type: 'CreateProject', projectId, by: 'owner', ownerId, details, quick: false }, as);
  const roomIds: string[] = [];
  for (let index = 0; index < rooms; index++) {
    const roomId = crypto.randomUUID();
    await world.commands.room({ type: 'CreateRoom', roomId, projectId, standardPrice: 3_000_000, areaM2: 20 }, as);
    await world.commands.project({ type: 'AddRoom', projectId, by: 'owner', roomId, name: `P${index + 101}` }, as);
    roomIds.push(roomId);
  }
  return { projectId, roomIds };
}

/**
 * Contracts over real HTTP: a KYC-verified owner with a published listing under a deposit policy,
 * a customer who pays a security deposit through the VNPay sandbox, the generated contract, its
 * fields, OTP signatures read back from the mail outbox, and handover reports.
 */
export function contractWorld(app: () => TestApp) {
  const { person, operator, upload } = people(app);
  const unique = () => crypto.randomUUID().slice(0, 8);

  async function party(role: 'customer' | 'owner', name: string): Promise<Party> {
    const email = `${role}-${unique()}@test.local`;
    return { ...(await person(email, role, name)), email };
  }

  /** A listing of `rooms` rooms at 3,000,000 ₫ owned by a real (signed-in, KYC-verified) owner. */
  async function rentableListing(terms: DepositPolicyTerms = DEPOSIT_TERMS, rooms = 1) {
    const t = app();
    const policy = await t.call<{ id: string }>(
      'POST',
      '/api/v1/admin/deposit-policies',
      { name: 'Cọc', terms },
      ADMIN,
    );
    expect(policy.status).toBe(201);
    const owner = await party('owner', 'Trần Thị Bình');
    const world = listingWorld(t.app.services.store);
    await world.kyc(owner.id);
    const areaId = await world.area(`Tỉnh ${unique()}`, 'province');
    const project = await projectWithRooms(world, owner.id, areaId, rooms);
    const listingId = await world.listing({
      projectId: project.projectId,
      ownerId: owner.id,
      title: 'Phòng trọ ký hợp đồng',
      areaId,
      street: '12 Lê Lợi',
      rooms: project.roomIds.map((roomId) => ({ roomId })),
      depositPolicyId: policy.body.data.id,
    });
    await eventually(async () => {
      expect((await t.call('GET', `/api/v1/listings/${listingId}/deposit-options`)).status).toBe(200);
    });
    return { owner, listingId, roomIds: project.roomIds, projectId: project.projectId };
  }

  /** A customer's security deposit paid at the sandbox and held; its contract generated by the reaction. */
  async function heldSecurityDeposit(options: WorldOptions = {}) {
    const t = app();
    const listing = await rentableListing(options.terms);
    await options.beforeDeposit?.(listing);
    const roomId = listing.roomIds[0] as string;
    const customer = await party('customer', 'Nguyễn Văn An');
    const created = await t.call<{ depositId: string; checkout: { redirectUrl: string } }>(
      'POST',
      '/api/v1/deposits',
      { listingId: listing.listingId, roomId, kind: 'security', gateway: 'vnpay' },
      { ...bearer(customer.token), 'idempotency-key': crypto.randomUUID() },
    );
    expect(created.status).toBe(201);
    await payAtSandbox(t, created.body.data.checkout.redirectUrl);
    const { depositId } = created.body.data;
    const contractId = contractIdFor(depositId);
    await eventually(async () => {
      expect((await contract(contractId, customer)).status).toBe(200);
    }, 20_000);
    return { ...listing, roomId, customer, depositId, contractId };
  }

  const contract = (id: string, who: Person) =>
    app().call<ContractView & { myParty: string | null }>(
      'GET',
      `/api/v1/contracts/${id}`,
      undefined,
      bearer(who.token),
    );

  /** The owner fills the dates: nothing is missing any more, the customer may sign. */
  async function contractAwaitingSignatures(options: WorldOptions = {}) {
    const world = await heldSecurityDeposit(options);
    const filled = await app().call<ContractView>(
      'PATCH',
      `/api/v1/contracts/${world.contractId}/fields`,
      { startDate: tomorrow(), endDate: inAYear() },
      bearer(world.owner.token),
    );
    expect(filled.status).toBe(200);
    expect(filled.body.data.missing).toEqual([]);
    return world;
  }

  /** Asks for a code and signs with it; returns the sign answer. */
  async function sign(kind: 'contracts' | 'handovers', id: string, who: Party): Promise<ApiAnswer<{ status: string }>> {
    const t = app();
    const otp = await t.call<{ challengeId: string }>(
      'POST',
      `/api/v1/${kind}/${id}/otp`,
      undefined,
      bearer(who.token),
    );
    expect(otp.status, JSON.stringify(otp.body)).toBe(200);
    const code = await otpFromOutbox(t, who.email, kind === 'contracts' ? 'contract' : 'handover');
    return t.call(
      'POST',
      `/api/v1/${kind}/${id}/sign`,
      { challengeId: otp.body.data.challengeId, code },
      bearer(who.token),
    );
  }

  /** Both parties signed; the room is rented (the reaction). */
  async function signedContract(options: WorldOptions = {}) {
    const world = await contractAwaitingSignatures(options);
    expect((await sign('contracts', world.contractId, world.customer)).status).toBe(200);
    const signed = await sign('contracts', world.contractId, world.owner);
    expect(signed.body.data.status).toBe('signed');
    await eventually(async () => expect(await roomStatus(world.roomId)).toBe('rented'));
    return world;
  }

  async function roomStatus(roomId: string): Promise<string | undefined> {
    const { rows } = await app().app.services.pool.query<{ status: string }>(
      'select status from rm.rooms where id = $1',
      [roomId],
    );
    return rows[0]?.status;
  }

  /** A report opened by staff and signed by both parties: completed. */
  async function completedHandover(
    world: { contractId: string; customer: Party; owner: Party },
    staff: Person,
    kind: HandoverKind = 'move_in',
    content: HandoverContent = MOVE_IN,
  ) {
    const t = app();
    const opened = await t.call<{ id: string }>(
      'POST',
      '/api/v1/handovers',
      { contractId: world.contractId, kind, content },
      bearer(staff.token),
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = opened.body.data.id;
    expect((await sign('handovers', id, world.owner)).status).toBe(200);
    const done = await sign('handovers', id, world.customer);
    expect(done.body.data.status).toBe('completed');
    return id;
  }

  const handover = (id: string, who: Person) =>
    app().call<HandoverView & { myParty: string | null }>(
      'GET',
      `/api/v1/handovers/${id}`,
      undefined,
      bearer(who.token),
    );

  return {
    party,
    operator,
    upload,
    rentableListing,
    heldSecurityDeposit,
    contractAwaitingSignatures,
    signedContract,
    completedHandover,
    contract,
    handover,
    sign,
    roomStatus,
  };
}
