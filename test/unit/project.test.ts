import { describe, expect, test } from 'vitest';
import { type ProjectCommand, type ProjectContext, projectDecider } from '../../domain/catalog/project.js';
import {
  type Address,
  DEFAULT_PROJECT_POLICY,
  type ProjectDetails,
  type ProjectEvent,
} from '../../domain/catalog/project-events.js';
import { scenario, testContext } from '../support/given-when-then.js';

const projectId = 'project-1';
const ownerId = 'owner-1';
const context = (actorId: string, roles: string[], occupancy: Partial<ProjectContext> = {}): ProjectContext => ({
  ...testContext({ actorId, roles }),
  publishedListings: 0,
  occupiedRooms: 0,
  ...occupancy,
});
const byOwner = (occupancy: Partial<ProjectContext> = {}) =>
  scenario(projectDecider, context(ownerId, ['owner'], occupancy));
const byOtherOwner = () => scenario(projectDecider, context('owner-2', ['owner']));
const byOperator = (occupancy: Partial<ProjectContext> = {}) =>
  scenario(projectDecider, context('operator-1', ['operator'], occupancy));

const address: Address = { areaId: 'ward-ben-nghe', street: '12 Lê Lợi', lat: 10.776, lng: 106.701 };
const details: ProjectDetails = { name: 'Nhà trọ Bến Nghé', description: 'Gần chợ Bến Thành', address };
const created: ProjectEvent = {
  type: 'ProjectCreated',
  data: { projectId, ownerId, quick: false, policy: DEFAULT_PROJECT_POLICY, ...details },
};
const suspended: ProjectEvent = { type: 'ProjectSuspended', data: { projectId, reason: 'Tin giả' } };
const banned: ProjectEvent = { type: 'ProjectBanned', data: { projectId, reason: 'Lừa đảo' } };
const archived: ProjectEvent = { type: 'ProjectArchived', data: { projectId } };
const reopenRequested: ProjectEvent = {
  type: 'ProjectReopenRequested',
  data: { projectId, message: 'Đã khắc phục' },
};
const roomAdded = (roomId: string, name: string): ProjectEvent => ({
  type: 'RoomAdded',
  data: { projectId, roomId, name },
});

type Cmd<T extends ProjectCommand['type']> = Omit<Extract<ProjectCommand, { type: T }>, 'projectId' | 'by'>;
const asOwner = <T extends ProjectCommand['type']>(command: Cmd<T>) =>
  ({ ...command, projectId, by: 'owner' }) as ProjectCommand;
const asStaff = <T extends ProjectCommand['type']>(command: Cmd<T>) =>
  ({ ...command, projectId, by: 'staff' }) as ProjectCommand;
const create = (changes: Partial<ProjectDetails> = {}, quick = false) =>
  asOwner<'CreateProject'>({ type: 'CreateProject', ownerId, details: { ...details, ...changes }, quick });

describe('creating and updating a project', () => {
  test('full and quick creation, names trimmed, default policy', () => {
    byOwner()
      .given([])
      .when(create({ name: '  Nhà trọ Bến Nghé ', description: ' Gần chợ Bến Thành  ' }))
      .thenEmits([created]);
    const quickAddress = { areaId: 'ward-1', street: '', lat: null, lng: null };
    byOwner()
      .given([])
      .when(create({ name: 'Trọ nhanh', description: '', address: quickAddress }, true))
      .thenEmits([
        {
          type: 'ProjectCreated',
          data: {
            projectId,
            ownerId,
            quick: true,
            policy: DEFAULT_PROJECT_POLICY,
            name: 'Trọ nhanh',
            description: '',
            address: quickAddress,
          },
        },
      ]);
    byOwner().given([created]).when(create()).thenFails('PROJECT_EXISTS');
  });

  test('validation names the field', () => {
    const cases: [Partial<ProjectDetails>, string, string][] = [
      [{ name: '   ' }, 'FIELD_REQUIRED', 'name'],
      [{ name: 'x'.repeat(201) }, 'FIELD_TOO_LONG', 'name'],
      [{ description: 'y'.repeat(5001) }, 'FIELD_TOO_LONG', 'description'],
      [{ address: { ...address, areaId: ' ' } }, 'FIELD_REQUIRED', 'address.areaId'],
      [{ address: { ...address, street: 's'.repeat(301) } }, 'FIELD_TOO_LONG', 'address.street'],
      [{ address: { ...address, lng: null } }, 'COORDINATES_INCOMPLETE', 'address.lat'],
      [{ address: { ...address, lat: 91 } }, 'LATITUDE_INVALID', 'address.lat'],
      [{ address: { ...address, lng: -181 } }, 'LONGITUDE_INVALID', 'address.lng'],
    ];
    for (const [changes, code, field] of cases) {
      byOwner().given([]).when(create(changes)).thenFails(code, field);
      byOwner()
        .given([created])
        .when(asOwner<'UpdateProject'>({ type: 'UpdateProject', changes }))
        .thenFails(code, field);
    }
    // 200 letters with accents are 200 characters, not their UTF-16 length.
    byOwner()
      .given([])
      .when(create({ name: 'ệ'.repeat(200) }))
      .thenEmits([{ ...created, data: { ...created.data, name: 'ệ'.repeat(200) } } as ProjectEvent]);
  });

  test('update records only what was sent, trimmed; nothing sent, nothing recorded', () => {
    byOwner()
      .given([created])
      .when(asOwner<'UpdateProject'>({ type: 'UpdateProject', changes: { name: ' Trọ mới ' } }))
      .thenEmits([{ type: 'ProjectUpdated', data: { projectId, name: 'Trọ mới' } }]);
    byOwner()
      .given([created])
      .when(asOwner<'UpdateProject'>({ type: 'UpdateProject', changes: {} }))
      .thenEmits([]);
    const policy = { requiresOwnerApprovalForViewings: true, defaultDepositPolicyId: 'p-1', contractTemplateId: null };
    byOwner()
      .given([created])
      .when(asOwner<'SetProjectPolicy'>({ type: 'SetProjectPolicy', policy }))
      .thenEmits([{ type: 'ProjectPolicySet', data: { projectId, ...policy } }]);
  });

  test('an archived or banned project cannot be edited; a suspended one can', () => {
    const update = asOwner<'UpdateProject'>({ type: 'UpdateProject', changes: { name: 'Tên khác' } });
    byOwner().given([created, archived]).when(update).thenFails('PROJECT_STATUS_CONFLICT');
    byOwner().given([created, banned]).when(update).thenFails('PROJECT_STATUS_CONFLICT');
    byOwner()
      .given([created, suspended])
      .when(update)
      .thenEmits([{ type: 'ProjectUpdated', data: { projectId, name: 'Tên khác' } }]);
  });

  test('another owner is told the project does not exist; a missing project is not found', () => {
    const update = asOwner<'UpdateProject'>({ type: 'UpdateProject', changes: { name: 'Chiếm' } });
    byOtherOwner().given([created]).when(update).thenFails('PROJECT_NOT_FOUND');
    byOtherOwner()
      .given([created])
      .when(asOwner<'ArchiveProject'>({ type: 'ArchiveProject' }))
      .thenFails('PROJECT_NOT_FOUND');
    byOtherOwner()
      .given([created])
      .when(asOwner<'AddRoom'>({ type: 'AddRoom', roomId: 'r-9', name: 'P.909' }))
      .thenFails('PROJECT_NOT_FOUND');
    byOwner().given([]).when(update).thenFails('PROJECT_NOT_FOUND');
    // Staff act under their permission (checked by the route), whoever owns the project.
    byOperator()
      .given([created])
      .when(asStaff<'UpdateProject'>({ type: 'UpdateProject', changes: { name: 'Sửa bởi ĐH' } }))
      .thenEmits([{ type: 'ProjectUpdated', data: { projectId, name: 'Sửa bởi ĐH' } }]);
  });
});

describe('archiving', () => {
  const archive = asOwner<'ArchiveProject'>({ type: 'ArchiveProject' });

  test('refused while a listing is published, then while a room is occupied; the code says which', () => {
    const refusal = byOwner({ publishedListings: 2, occupiedRooms: 1 })
      .given([created])
      .when(archive)
      .thenFails('PROJECT_HAS_PUBLISHED_LISTINGS');
    expect(refusal.status).toBe(409);
    expect(refusal.details).toEqual({ publishedListings: 2 });
    const occupied = byOwner({ occupiedRooms: 3 })
      .given([created])
      .when(archive)
      .thenFails('PROJECT_HAS_OCCUPIED_ROOMS');
    expect(occupied.details).toEqual({ occupiedRooms: 3 });
    byOperator({ occupiedRooms: 1 })
      .given([created])
      .when(asStaff<'ArchiveProject'>({ type: 'ArchiveProject' }))
      .thenFails('PROJECT_HAS_OCCUPIED_ROOMS');
  });

  test('allowed with neither, by the owner or staff; archiving twice records nothing', () => {
    byOwner().given([created]).when(archive).thenEmits([archived]);
    byOperator()
      .given([created, suspended])
      .when(asStaff<'ArchiveProject'>({ type: 'ArchiveProject' }))
      .thenEmits([archived]);
    byOwner({ publishedListings: 1 }).given([created, archived]).when(archive).thenEmits([]);
  });
});

describe('suspension, ban and reopening', () => {
  const suspend = (reason = 'Tin giả') => asStaff<'SuspendProject'>({ type: 'SuspendProject', reason });
  const reactivate = asStaff<'ReactivateProject'>({ type: 'ReactivateProject' });
  const ban = (reason = 'Lừa đảo') => asStaff<'BanProject'>({ type: 'BanProject', reason });
  const request = (message = 'Đã khắc phục') =>
    asOwner<'RequestProjectReopen'>({ type: 'RequestProjectReopen', message });
  const decide = (approve: boolean, reason = '') =>
    asStaff<'DecideProjectReopen'>({ type: 'DecideProjectReopen', approve, reason });

  test('operators suspend with a reason and reactivate; repeats record nothing', () => {
    byOperator().given([created]).when(suspend('  Tin giả ')).thenEmits([suspended]);
    byOperator().given([created]).when(suspend(' ')).thenFails('FIELD_REQUIRED', 'reason');
    byOperator()
      .given([created])
      .when(suspend('r'.repeat(501)))
      .thenFails('FIELD_TOO_LONG', 'reason');
    byOperator().given([created, suspended]).when(suspend()).thenEmits([]);
    byOperator()
      .given([created, suspended])
      .when(reactivate)
      .thenEmits([{ type: 'ProjectReactivated', data: { projectId } }]);
    byOperator().given([created]).when(reactivate).thenEmits([]);
    byOperator().given([created, banned]).when(suspend()).thenFails('PROJECT_STATUS_CONFLICT');
    byOperator().given([created, banned]).when(reactivate).thenFails('PROJECT_STATUS_CONFLICT');
    byOperator().given([created, archived]).when(suspend()).thenFails('PROJECT_STATUS_CONFLICT');
  });

  test('a ban from active or suspended; never of an archived project', () => {
    byOperator().given([created]).when(ban(' Lừa đảo ')).thenEmits([banned]);
    byOperator().given([created, suspended]).when(ban()).thenEmits([banned]);
    byOperator().given([created, banned]).when(ban()).thenEmits([]);
    byOperator().given([created, archived]).when(ban()).thenFails('PROJECT_STATUS_CONFLICT');
    byOperator().given([created]).when(ban('')).thenFails('FIELD_REQUIRED', 'reason');
  });

  test('the owner of a banned project asks once to reopen; an operator approves or rejects with a reason', () => {
    byOwner().given([created]).when(request()).thenFails('PROJECT_STATUS_CONFLICT');
    byOwner().given([created, banned]).when(request(' ')).thenFails('FIELD_REQUIRED', 'message');
    byOwner().given([created, banned]).when(request(' Đã khắc phục ')).thenEmits([reopenRequested]);
    byOwner().given([created, banned, reopenRequested]).when(request()).thenFails('REOPEN_ALREADY_REQUESTED');

    byOperator().given([created, banned]).when(decide(true)).thenFails('NO_REOPEN_REQUEST');
    byOperator()
      .given([created, banned, reopenRequested])
      .when(decide(true))
      .thenEmits([{ type: 'ProjectReopenApproved', data: { projectId } }]);
    byOperator()
      .given([created, banned, reopenRequested])
      .when(decide(false, '  '))
      .thenFails('FIELD_REQUIRED', 'reason');
    const rejected: ProjectEvent = { type: 'ProjectReopenRejected', data: { projectId, reason: 'Chưa đủ' } };
    byOperator().given([created, banned, reopenRequested]).when(decide(false, ' Chưa đủ ')).thenEmits([rejected]);
    // After a rejection the owner may ask again; after approval the project is active and editable.
    byOwner().given([created, banned, reopenRequested, rejected]).when(request()).thenEmits([reopenRequested]);
    byOwner()
      .given([created, banned, reopenRequested, { type: 'ProjectReopenApproved', data: { projectId } }])
      .when(asOwner<'UpdateProject'>({ type: 'UpdateProject', changes: { name: 'Mở lại' } }))
      .thenEmits([{ type: 'ProjectUpdated', data: { projectId, name: 'Mở lại' } }]);
  });

  test('suspend, reactivate, ban, decide and reassign are staff-only; a reopen request is owner-only', () => {
    for (const command of [suspend(), reactivate, ban(), decide(true)]) {
      const refusal = byOwner()
        .given([created, banned, reopenRequested])
        .when({ ...command, by: 'owner' })
        .thenFails('OPERATOR_ONLY');
      expect(refusal.status).toBe(403);
    }
    byOwner()
      .given([created])
      .when(asOwner<'ReassignProjectOwner'>({ type: 'ReassignProjectOwner', toOwnerId: ownerId }))
      .thenFails('OPERATOR_ONLY');
    const refusal = byOperator()
      .given([created, banned])
      .when({ ...request(), by: 'staff' })
      .thenFails('OWNER_ONLY');
    expect(refusal.status).toBe(403);
  });

  test('reassigning the owner hands the project over; the old owner loses it', () => {
    const reassigned: ProjectEvent = {
      type: 'ProjectOwnerReassigned',
      data: { projectId, fromOwnerId: ownerId, toOwnerId: 'owner-2' },
    };
    byOperator()
      .given([created])
      .when(asStaff<'ReassignProjectOwner'>({ type: 'ReassignProjectOwner', toOwnerId: 'owner-2' }))
      .thenEmits([reassigned]);
    byOperator()
      .given([created])
      .when(asStaff<'ReassignProjectOwner'>({ type: 'ReassignProjectOwner', toOwnerId: ownerId }))
      .thenEmits([]);
    byOperator()
      .given([created, archived])
      .when(asStaff<'ReassignProjectOwner'>({ type: 'ReassignProjectOwner', toOwnerId: 'owner-2' }))
      .thenFails('PROJECT_STATUS_CONFLICT');
    const rename = asOwner<'UpdateProject'>({ type: 'UpdateProject', changes: { name: 'Của tôi' } });
    byOwner().given([created, reassigned]).when(rename).thenFails('PROJECT_NOT_FOUND');
    byOtherOwner()
      .given([created, reassigned])
      .when(rename)
      .thenEmits([{ type: 'ProjectUpdated', data: { projectId, name: 'Của tôi' } }]);
  });
});

describe('room names', () => {
  const add = (roomId: string, name: string) => asOwner<'AddRoom'>({ type: 'AddRoom', roomId, name });
  const rename = (roomId: string, name: string) => asOwner<'RenameRoom'>({ type: 'RenameRoom', roomId, name });
  const p101 = roomAdded('r-1', 'Phòng 101');

  test('a room is added with its trimmed name', () => {
    byOwner().given([created]).when(add('r-1', '  Phòng 101 ')).thenEmits([p101]);
    byOwner().given([created]).when(add('r-1', ' ')).thenFails('FIELD_REQUIRED', 'name');
    byOwner()
      .given([created])
      .when(add('r-1', 'p'.repeat(101)))
      .thenFails('FIELD_TOO_LONG', 'name');
    byOwner().given([created, p101]).when(add('r-1', 'Phòng 102')).thenFails('ROOM_EXISTS');
  });

  test('names are unique per project, ignoring accents, case and spacing', () => {
    for (const clash of ['Phòng 101', 'phong 101', 'PHÒNG   101', ' Phong 101 ']) {
      const refusal = byOwner().given([created, p101]).when(add('r-2', clash)).thenFails('ROOM_NAME_TAKEN', 'name');
      expect(refusal.status).toBe(409);
    }
    byOwner()
      .given([created, p101])
      .when(add('r-2', 'Phòng 102'))
      .thenEmits([roomAdded('r-2', 'Phòng 102')]);
    // đ folds to d: "Đông" and "dong" are the same name.
    byOwner()
      .given([created, roomAdded('r-3', 'Phòng Đông')])
      .when(add('r-4', 'phong dong'))
      .thenFails('ROOM_NAME_TAKEN', 'name');
  });

  test('renaming frees the old name, may change only the case, and cannot take another room’s name', () => {
    const p102 = roomAdded('r-2', 'Phòng 102');
    const renamed: ProjectEvent = { type: 'RoomRenamed', data: { projectId, roomId: 'r-1', name: 'Phòng 201' } };
    byOwner().given([created, p101, p102]).when(rename('r-1', 'Phòng 201')).thenEmits([renamed]);
    byOwner().given([created, p101, p102]).when(rename('r-1', 'phòng 102')).thenFails('ROOM_NAME_TAKEN', 'name');
    byOwner()
      .given([created, p101, p102, renamed])
      .when(add('r-3', 'Phòng 101'))
      .thenEmits([roomAdded('r-3', 'Phòng 101')]);
    byOwner()
      .given([created, p101])
      .when(rename('r-1', 'PHÒNG 101'))
      .thenEmits([{ type: 'RoomRenamed', data: { projectId, roomId: 'r-1', name: 'PHÒNG 101' } }]);
    byOwner().given([created, p101]).when(rename('r-1', ' Phòng 101 ')).thenEmits([]);
    byOwner().given([created, p101]).when(rename('r-9', 'Phòng 909')).thenFails('ROOM_NOT_FOUND');
  });

  test('no rooms in an archived or banned project; a suspended one still takes rooms', () => {
    byOwner().given([created, archived]).when(add('r-2', 'Phòng 102')).thenFails('PROJECT_STATUS_CONFLICT');
    byOwner().given([created, banned]).when(add('r-2', 'Phòng 102')).thenFails('PROJECT_STATUS_CONFLICT');
    byOwner()
      .given([created, suspended])
      .when(add('r-2', 'Phòng 102'))
      .thenEmits([roomAdded('r-2', 'Phòng 102')]);
  });
});
