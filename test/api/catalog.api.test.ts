import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ListingView, ProjectView, RoomView } from '../../projections/catalog/catalog-queries.js';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/app.js';
import { bearer, PDF, type Person, people } from '../support/people.js';

let t: TestApp;
let dataDir: string;
let areaId: string;
let verifiedOwner: Person;
let unverifiedOwner: Person;
let otherOwner: Person;
let customer: Person;
let reviewer: Person;

const { person, operator, upload } = people(() => t);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'catalog-api-'));
  t = await startTestApp({ dataDir });
  const area = await t.call<{ id: string }>(
    'POST',
    '/api/v1/areas',
    { name: 'Phường Bến Nghé', level: 'province' },
    ADMIN,
  );
  expect(area.status).toBe(201);
  areaId = area.body.data.id;
  await eventually(async () => expect((await t.call('GET', `/api/v1/areas/${areaId}`)).status).toBe(200));
  reviewer = await operator('catalog-operator@example.vn');
  verifiedOwner = await person('owner-verified@example.vn', 'owner', 'Chủ Đã Xác Minh');
  unverifiedOwner = await person('owner-unverified@example.vn', 'owner', 'Chủ Chưa Xác Minh');
  otherOwner = await person('owner-other@example.vn', 'owner', 'Chủ Khác');
  customer = await person('catalog-customer@example.vn', 'customer');
  await verifyKyc(verifiedOwner);
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function verifyKyc(owner: Person) {
  const files = [{ field: 'documents', bytes: PDF, name: 'cccd.pdf', type: 'application/pdf' }];
  expect((await upload('/api/v1/me/kyc', owner.token, files, { kinds: 'id_front' })).status).toBe(200);
  const verified = await t.call('POST', `/api/v1/admin/kyc/${owner.id}/verify`, {}, bearer(reviewer.token));
  expect(verified.status).toBe(200);
}

const address = () => ({ areaId, street: '12 Lê Lợi', lat: 10.776, lng: 106.701 });
const listingBasics = {
  title: 'Phòng trọ mới gần chợ Bến Thành',
  description: 'Phòng có gác lửng, cửa sổ thoáng, giờ giấc tự do.',
  roomType: 'room',
};
const passed = { accurate: true, imagesClear: true, priceReasonable: true };

async function newProject(owner: Person, name = 'Nhà trọ Bến Nghé'): Promise<ProjectView> {
  const body = { name, description: 'Gần trung tâm', address: address() };
  const answer = await t.call<ProjectView>('POST', '/api/v1/me/projects', body, bearer(owner.token));
  expect(answer.status).toBe(200);
  return answer.body.data;
}

const addRoom = (owner: Person, projectId: string, name: string, standardPrice: unknown = 3_500_000) =>
  t.call<RoomView>(
    'POST',
    `/api/v1/me/projects/${projectId}/rooms`,
    { name, standardPrice, areaM2: 25 },
    bearer(owner.token),
  );

const photo = () =>
  sharp({ create: { width: 800, height: 600, channels: 3, background: '#c8a165' } })
    .jpeg()
    .toBuffer();

const listingCall = (owner: Person, method: string, listingId: string, step: string, body?: unknown) =>
  t.call<ListingView>(method, `/api/v1/me/listings/${listingId}${step}`, body, bearer(owner.token));

/** Every wizard step of a new listing offering `roomId`, then submission; returns the listing id. */
async function submittedListing(owner: Person, projectId: string, roomId: string): Promise<string> {
  const started = await t.call<ListingView>(
    'POST',
    '/api/v1/me/listings',
    { projectId, ...listingBasics },
    bearer(owner.token),
  );
  expect(started.status).toBe(200);
  const id = started.body.data.listingId;
  await listingCall(owner, 'PUT', id, '/features', { amenities: [], address: address() });
  await listingCall(owner, 'PUT', id, '/rooms', { rooms: [{ roomId, displayOrder: 0 }] });
  const uploaded = await upload(`/api/v1/me/listings/${id}/images`, owner.token, [
    { field: 'images', bytes: await photo(), name: 'phong.jpg', type: 'image/jpeg' },
    { field: 'images', bytes: await photo(), name: 'bep.jpg', type: 'image/jpeg' },
  ]);
  expect(uploaded.status).toBe(200);
  const submitted = await listingCall(owner, 'POST', id, '/submit');
  expect(submitted.body.data.status).toBe('pending_review');
  return id;
}

async function publishableListing(owner: Person) {
  const project = await newProject(owner, `Dự án ${Math.random().toString(36).slice(2, 8)}`);
  const room = await addRoom(owner, project.projectId, 'Phòng 101');
  return { project, listingId: await submittedListing(owner, project.projectId, room.body.data.roomId) };
}

const approve = (listingId: string) =>
  t.call<ListingView>(
    'POST',
    `/api/v1/operator/listings/${listingId}/approve`,
    { checklist: passed, note: 'Đạt' },
    bearer(reviewer.token),
  );
const publicListing = (listingId: string) => t.call<ListingView>('GET', `/api/v1/listings/${listingId}`);

describe('owner: projects, rooms and the listing wizard', () => {
  test('full and quick projects, rooms with unique names, every wizard step, submission', async () => {
    const owner = bearer(verifiedOwner.token);
    const full = await t.call<ProjectView>(
      'POST',
      '/api/v1/me/projects',
      {
        name: ' Nhà trọ Bến Nghé ',
        description: 'Gần chợ',
        address: address(),
        policy: { requiresOwnerApprovalForViewings: true },
      },
      owner,
    );
    expect(full.status).toBe(200);
    expect(full.body.data).toMatchObject({
      ownerId: verifiedOwner.id,
      name: 'Nhà trọ Bến Nghé',
      status: 'active',
      quick: false,
      address: address(),
      policy: { requiresOwnerApprovalForViewings: true, defaultDepositPolicyId: null },
    });
    const quick = await t.call<ProjectView>('POST', '/api/v1/me/projects/quick', { name: 'Trọ nhanh', areaId }, owner);
    expect(quick.body.data).toMatchObject({ quick: true, address: { areaId, street: '', lat: null, lng: null } });
    const mine = await t.call<ProjectView[]>('GET', '/api/v1/me/projects', undefined, owner);
    expect(mine.body.data.map((p) => p.projectId)).toEqual(
      expect.arrayContaining([full.body.data.projectId, quick.body.data.projectId]),
    );

    const projectId = full.body.data.projectId;
    // A change names only what changes: the description and address stay as they were.
    const renamed = await t.call<ProjectView>('PATCH', `/api/v1/me/projects/${projectId}`, { name: 'Trọ BN' }, owner);
    expect(renamed.body.data).toMatchObject({ name: 'Trọ BN', description: 'Gần chợ', address: address() });
    const p101 = await addRoom(verifiedOwner, projectId, 'Phòng 101');
    expect(p101.status).toBe(200);
    expect(p101.body.data).toMatchObject({
      name: 'Phòng 101',
      standardPrice: 3_500_000,
      areaM2: 25,
      status: 'available',
    });
    const clash = await addRoom(verifiedOwner, projectId, 'PHONG 101');
    expect({ status: clash.status, ...clash.body.error }).toMatchObject({
      status: 409,
      code: 'ROOM_NAME_TAKEN',
      field: 'name',
    });
    await addRoom(verifiedOwner, projectId, 'Phòng 102', 4_000_000);
    const rooms = await t.call<RoomView[]>('GET', `/api/v1/me/projects/${projectId}/rooms`, undefined, owner);
    expect(rooms.body.data.map((r) => r.name)).toEqual(['Phòng 101', 'Phòng 102']);

    const started = await t.call<ListingView>('POST', '/api/v1/me/listings', { projectId, ...listingBasics }, owner);
    expect(started.body.data).toMatchObject({ status: 'draft', resumeStep: 2, ownerId: verifiedOwner.id });
    const id = started.body.data.listingId;
    const early = await listingCall(verifiedOwner, 'POST', id, '/submit');
    expect({ status: early.status, ...early.body.error }).toMatchObject({ status: 400, field: 'address' });

    const features = await listingCall(verifiedOwner, 'PUT', id, '/features', { amenities: [], address: address() });
    expect(features.body.data).toMatchObject({ resumeStep: 3, address: address() });
    const offered = [
      { roomId: p101.body.data.roomId, price: 3_200_000, displayOrder: 0 },
      { roomId: rooms.body.data[1]?.roomId, displayOrder: 1 },
    ];
    const saved = await listingCall(verifiedOwner, 'PUT', id, '/rooms', { rooms: offered });
    expect(saved.body.data.resumeStep).toBe(4);
    expect(saved.body.data.rooms.map((r) => [r.name, r.price])).toEqual([
      ['Phòng 101', 3_200_000],
      ['Phòng 102', 4_000_000],
    ]);
    const noImage = await listingCall(verifiedOwner, 'POST', id, '/submit');
    expect({ status: noImage.status, ...noImage.body.error }).toMatchObject({
      status: 400,
      code: 'IMAGES_REQUIRED',
      field: 'images',
    });

    const uploaded = await upload(`/api/v1/me/listings/${id}/images`, verifiedOwner.token, [
      { field: 'images', bytes: await photo(), name: 'phong.jpg', type: 'image/jpeg' },
    ]);
    expect(uploaded.status).toBe(200);
    const withImage = uploaded.body.data as unknown as ListingView;
    expect(withImage.images).toHaveLength(1);
    expect(withImage.images[0]).toMatchObject({ contentType: 'image/jpeg', width: 800, height: 600 });
    expect(withImage.resumeStep).toBe(5);

    const extra = await upload(`/api/v1/me/listings/${id}/images`, verifiedOwner.token, [
      { field: 'images', bytes: await photo(), name: 'thua.jpg', type: 'image/jpeg' },
    ]);
    const spare = (extra.body.data as unknown as ListingView).images[1];
    if (!spare) throw new Error('the second image was not recorded');
    expect((await t.call('GET', `/api/v1/images/${spare.key}`)).status).toBe(200);
    const removed = await listingCall(verifiedOwner, 'DELETE', id, `/images?key=${encodeURIComponent(spare.key)}`);
    expect(removed.body.data.images.map((image) => image.key)).toEqual([withImage.images[0]?.key]);
    expect((await t.call('GET', `/api/v1/images/${spare.key}`)).status).toBe(404);
    expect((await t.call('GET', `/api/v1/images/${spare.thumbnailKey}`)).status).toBe(404);
    const policy = await listingCall(verifiedOwner, 'PUT', id, '/deposit-policy', { depositPolicyId: null });
    expect(policy.body.data.resumeStep).toBe(6);

    const submitted = await listingCall(verifiedOwner, 'POST', id, '/submit');
    expect(submitted.status).toBe(200);
    expect(submitted.body.data).toMatchObject({ status: 'pending_review', visible: false });
    expect(submitted.body.data.submittedAt).not.toBeNull();
    expect((await publicListing(id)).status).toBe(404);
  });

  test('another owner gets 404, a customer 403, bad input a 400 naming the field', async () => {
    const { project, listingId } = await publishableListing(verifiedOwner);
    const other = bearer(otherOwner.token);
    for (const [method, url] of [
      ['GET', `/api/v1/me/projects/${project.projectId}`],
      ['GET', `/api/v1/me/projects/${project.projectId}/rooms`],
      ['GET', `/api/v1/me/listings/${listingId}`],
    ]) {
      expect((await t.call(method as string, url as string, undefined, other)).status).toBe(404);
    }
    const theirRoom = await addRoom(otherOwner, project.projectId, 'Phòng lạ');
    expect({ status: theirRoom.status, code: theirRoom.body.error?.code }).toEqual({
      status: 404,
      code: 'PROJECT_NOT_FOUND',
    });
    const rename = await t.call('PATCH', `/api/v1/me/projects/${project.projectId}`, { name: 'Của tôi' }, other);
    expect(rename.status).toBe(404);
    const edit = await listingCall(otherOwner, 'PUT', listingId, '/basics', listingBasics);
    expect({ status: edit.status, code: edit.body.error?.code }).toEqual({ status: 404, code: 'LISTING_NOT_FOUND' });
    const rooms = await t.call<RoomView[]>(
      'GET',
      `/api/v1/me/projects/${project.projectId}/rooms`,
      undefined,
      bearer(verifiedOwner.token),
    );
    expect(rooms.body.data.map((r) => r.name)).toEqual(['Phòng 101']);

    const asCustomer = bearer(customer.token);
    const body = { name: 'Trọ', address: address() };
    const denied = await t.call('POST', '/api/v1/me/projects', body, asCustomer);
    expect({ status: denied.status, code: denied.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await t.call('GET', '/api/v1/me/listings', undefined, asCustomer)).status).toBe(403);
    expect((await t.call('GET', '/api/v1/operator/listings/queue', undefined, asCustomer)).status).toBe(403);

    const owner = bearer(verifiedOwner.token);
    const bad: [string, string, unknown, string, string][] = [
      [
        'POST',
        '/api/v1/me/projects',
        { name: 'Trọ', address: { ...address(), areaId: 'nowhere' } },
        'AREA_NOT_FOUND',
        'address.areaId',
      ],
      ['POST', '/api/v1/me/projects', { name: '  ', address: address() }, 'FIELD_REQUIRED', 'name'],
      [
        'POST',
        '/api/v1/me/projects',
        { name: 'Trọ', address: { ...address(), lat: 95 } },
        'VALIDATION_FAILED',
        'address.lat',
      ],
      ['POST', '/api/v1/me/projects/quick', { name: 'Trọ', areaId: 'nowhere' }, 'AREA_NOT_FOUND', 'areaId'],
      [
        'POST',
        `/api/v1/me/projects/${project.projectId}/rooms`,
        { name: 'P2', standardPrice: 5_000, areaM2: 20 },
        'PRICE_OUT_OF_RANGE',
        'standardPrice',
      ],
      [
        'POST',
        `/api/v1/me/projects/${project.projectId}/rooms`,
        { name: 'P3', standardPrice: 1.5, areaM2: 20 },
        'VALIDATION_FAILED',
        'standardPrice',
      ],
      [
        'POST',
        '/api/v1/me/listings',
        { projectId: project.projectId, ...listingBasics, description: 'Ngắn' },
        'FIELD_TOO_SHORT',
        'description',
      ],
    ];
    for (const [method, url, payload, code, field] of bad) {
      const answer = await t.call(method, url, payload, owner);
      expect({ url, status: answer.status, ...answer.body.error }).toMatchObject({ url, status: 400, code, field });
    }
    const started = await t.call<ListingView>(
      'POST',
      '/api/v1/me/listings',
      { projectId: project.projectId, ...listingBasics },
      owner,
    );
    const draftId = started.body.data.listingId;
    const roomId = rooms.body.data[0]?.roomId;
    const listingBad: [string, unknown, string, string][] = [
      ['/rooms', { rooms: [{ roomId, price: 5_000, displayOrder: 0 }] }, 'PRICE_OUT_OF_RANGE', 'rooms.0.price'],
      ['/rooms', { rooms: [{ roomId, price: 3_000_000.5, displayOrder: 0 }] }, 'VALIDATION_FAILED', 'rooms.0.price'],
      ['/features', { amenities: ['khong-co'], address: address() }, 'AMENITY_UNKNOWN', 'amenities.0'],
      [
        '/features',
        { amenities: [], address: { ...address(), areaId: 'nowhere' } },
        'AREA_NOT_FOUND',
        'address.areaId',
      ],
    ];
    for (const [step, payload, code, field] of listingBad) {
      const answer = await listingCall(verifiedOwner, 'PUT', draftId, step, payload);
      expect({ step, status: answer.status, ...answer.body.error }).toMatchObject({ step, status: 400, code, field });
    }
    const draft = await listingCall(verifiedOwner, 'GET', draftId, '');
    expect(draft.body.data).toMatchObject({ resumeStep: 2, rooms: [] });
  });
});

describe('moderation and publication', () => {
  test('a verified owner’s listing is published on approval; project suspension hides it; archive is refused', async () => {
    const { project, listingId } = await publishableListing(verifiedOwner);
    const selfApproval = await t.call(
      'POST',
      `/api/v1/operator/listings/${listingId}/approve`,
      { checklist: passed },
      bearer(verifiedOwner.token),
    );
    expect(selfApproval.status).toBe(403);
    const incomplete = await t.call(
      'POST',
      `/api/v1/operator/listings/${listingId}/approve`,
      { checklist: { ...passed, imagesClear: false } },
      bearer(reviewer.token),
    );
    expect(incomplete.body.error).toMatchObject({ code: 'CHECKLIST_INCOMPLETE', field: 'checklist' });

    const approved = await approve(listingId);
    expect(approved.body.data).toMatchObject({ status: 'published', visible: true, ownerKycVerified: true });
    const shown = await publicListing(listingId);
    expect(shown.status).toBe(200);
    expect(shown.body.data).toMatchObject({ listingId, title: listingBasics.title, status: 'published' });
    expect(shown.body.data.rooms.map((r) => r.name)).toEqual(['Phòng 101']);
    expect(shown.body.data).not.toHaveProperty('checklist');

    // A saved listing comes back with its search card once the search read model has it.
    expect((await t.call('POST', '/api/v1/me/favorites', { listingId }, bearer(customer.token))).status).toBe(201);
    await eventually(async () => {
      const saved = await t.call<{ items: { listingId: string; listing: { title: string } | null }[] }>(
        'GET',
        '/api/v1/me/favorites',
        undefined,
        bearer(customer.token),
      );
      expect(saved.body.error).toBeNull();
      expect(saved.body.data.items).toEqual([
        expect.objectContaining({ listingId, listing: expect.objectContaining({ title: listingBasics.title }) }),
      ]);
    });

    const operatorProject = `/api/v1/operator/projects/${project.projectId}`;
    const corrected = await t.call<ProjectView>(
      'PATCH',
      operatorProject,
      { name: 'Đã sửa tên' },
      bearer(reviewer.token),
    );
    expect(corrected.body.data).toMatchObject({ name: 'Đã sửa tên', description: 'Gần trung tâm' });
    const suspended = await t.call<ProjectView>(
      'POST',
      `${operatorProject}/suspend`,
      { reason: 'Kiểm tra giấy phép' },
      bearer(reviewer.token),
    );
    expect(suspended.body.data).toMatchObject({ status: 'suspended', statusReason: 'Kiểm tra giấy phép' });
    expect((await publicListing(listingId)).status).toBe(404);
    const ownView = await listingCall(verifiedOwner, 'GET', listingId, '');
    expect(ownView.body.data).toMatchObject({ status: 'published', projectStatus: 'suspended', visible: false });

    const reactivated = await t.call<ProjectView>(
      'POST',
      `${operatorProject}/reactivate`,
      undefined,
      bearer(reviewer.token),
    );
    expect(reactivated.body.data.status).toBe('active');
    expect((await publicListing(listingId)).status).toBe(200);

    for (const [url, token] of [
      [`/api/v1/me/projects/${project.projectId}/archive`, verifiedOwner.token],
      [`${operatorProject}/archive`, reviewer.token],
    ] as const) {
      const refused = await t.call('POST', url, undefined, bearer(token));
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({
        status: 409,
        code: 'PROJECT_HAS_PUBLISHED_LISTINGS',
      });
    }
    expect(
      (await t.call<ProjectView>('GET', operatorProject, undefined, bearer(reviewer.token))).body.data.status,
    ).toBe('active');
  });

  test('a reorder or an unchanged save keeps a listing live; a material edit returns it to review', async () => {
    const { listingId } = await publishableListing(verifiedOwner);
    expect((await approve(listingId)).body.data.status).toBe('published');
    const keys = (await publicListing(listingId)).body.data.images.map((image) => image.key);
    expect(keys).toHaveLength(2);

    const reordered = await listingCall(verifiedOwner, 'PUT', listingId, '/images/order', {
      keys: [...keys].reverse(),
    });
    expect(reordered.body.data).toMatchObject({ status: 'published', visible: true });
    expect(reordered.body.data.images.map((image) => image.key)).toEqual([...keys].reverse());
    // The same address and amenities again, as the wizard re-sends them, are not a change.
    const same = await listingCall(verifiedOwner, 'PUT', listingId, '/features', { amenities: [], address: address() });
    expect(same.body.data).toMatchObject({ status: 'published', visible: true });
    const sameBasics = await listingCall(verifiedOwner, 'PUT', listingId, '/basics', listingBasics);
    expect(sameBasics.body.data.status).toBe('published');
    expect((await publicListing(listingId)).status).toBe(200);

    const edited = await listingCall(verifiedOwner, 'PUT', listingId, '/basics', {
      ...listingBasics,
      title: 'Phòng trọ giảm giá gần chợ Bến Thành',
    });
    expect(edited.body.data).toMatchObject({ status: 'pending_review', returnedFields: ['title'], visible: false });
    expect((await publicListing(listingId)).status).toBe(404);
  });

  test('an unverified owner’s approved listing waits, then publishes itself once the KYC is verified', async () => {
    const { listingId } = await publishableListing(unverifiedOwner);
    const approved = await approve(listingId);
    expect(approved.status).toBe(200);
    expect(approved.body.data).toMatchObject({ status: 'approved', visible: false, ownerKycVerified: false });
    expect(approved.body.data.checklist).toMatchObject({ ...passed, ownerKycVerified: false });
    expect((await publicListing(listingId)).status).toBe(404);

    await verifyKyc(unverifiedOwner);
    const shown = await eventually(async () => {
      const answer = await publicListing(listingId);
      expect(answer.status).toBe(200);
      return answer;
    }, 20_000);
    expect(shown.body.data).toMatchObject({ status: 'published', ownerKycVerified: true });
    const own = await listingCall(unverifiedOwner, 'GET', listingId, '');
    expect(own.body.data.publishedAt).not.toBeNull();
  });

  test('the moderation queue is oldest submission first, with the 4-working-hour SLA', async () => {
    const project = await newProject(verifiedOwner, 'Dự án hàng đợi');
    const roomId = (await addRoom(verifiedOwner, project.projectId, 'Phòng 201')).body.data.roomId;
    // Started first, submitted last (rejected, then sent again): the queue orders by submission,
    // not by creation or update.
    const later = await submittedListing(verifiedOwner, project.projectId, roomId);
    const earlier = await submittedListing(verifiedOwner, project.projectId, roomId);
    type QueueItem = ListingView & { slaBreached: boolean; waitingWorkingHours: number; ownerName: string };
    const queue = async () => {
      const answer = await t.call<QueueItem[]>(
        'GET',
        '/api/v1/operator/listings/queue',
        undefined,
        bearer(reviewer.token),
      );
      expect(answer.status).toBe(200);
      return answer.body.data.filter((item) => item.listingId === earlier || item.listingId === later);
    };
    const rejected = await t.call(
      'POST',
      `/api/v1/operator/listings/${later}/reject`,
      { checklist: passed, reason: 'Thiếu ảnh phòng tắm' },
      bearer(reviewer.token),
    );
    expect(rejected.status).toBe(200);
    expect((await listingCall(verifiedOwner, 'POST', later, '/submit')).body.data.status).toBe('pending_review');

    const now = await queue();
    expect(now.map((item) => item.listingId)).toEqual([earlier, later]);
    expect(now.map((item) => item.slaBreached)).toEqual([false, false]);
    expect(now[0]).toMatchObject({ ownerName: 'Chủ Đã Xác Minh', status: 'pending_review' });

    // A week later every waiting listing is past its 4 working hours.
    const services = t.app.services;
    const realClock = services.clock;
    services.clock = () => new Date(Date.now() + 7 * 86_400_000);
    try {
      const aged = await queue();
      expect(aged.map((item) => item.listingId)).toEqual([earlier, later]);
      expect(aged.every((item) => item.slaBreached && item.waitingWorkingHours >= 36)).toBe(true);
    } finally {
      services.clock = realClock;
    }
  });
});

describe('concurrency', () => {
  test('20 simultaneous adds of one room name: exactly one succeeds, the read model shows one room', async () => {
    const project = await newProject(verifiedOwner, 'Dự án đua');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => addRoom(verifiedOwner, project.projectId, 'Phòng Đua')),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error?.code === 'ROOM_NAME_TAKEN')).toBe(true);
    await eventually(async () => {
      const rooms = await t.call<RoomView[]>(
        'GET',
        `/api/v1/me/projects/${project.projectId}/rooms`,
        undefined,
        bearer(verifiedOwner.token),
      );
      expect(rooms.body.data.map((r) => r.name)).toEqual(['Phòng Đua']);
      const shown = await t.call<ProjectView>(
        'GET',
        `/api/v1/me/projects/${project.projectId}`,
        undefined,
        bearer(verifiedOwner.token),
      );
      expect(shown.body.data.roomCount).toBe(1);
    });
  });
});
