import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import { foldVietnamese } from '../shared/text.js';
import {
  type Address,
  DEFAULT_PROJECT_POLICY,
  type ProjectDetails,
  type ProjectEvent,
  type ProjectPolicy,
  type ProjectStatus,
} from './project-events.js';

export interface ProjectState {
  exists: boolean;
  ownerId: string;
  status: ProjectStatus;
  name: string;
  policy: ProjectPolicy;
  reopenRequested: boolean;
  /** roomId → name, and folded name → roomId for uniqueness. */
  rooms: Map<string, string>;
  roomNames: Map<string, string>;
}

/** Who sends the command: the project's owner, or staff acting under their permission (the route checked it). */
export type Authority = 'owner' | 'staff';

export type ProjectCommand = { projectId: string; by: Authority } & (
  | { type: 'CreateProject'; ownerId: string; details: ProjectDetails; quick: boolean; policy?: ProjectPolicy }
  | { type: 'UpdateProject'; changes: Partial<ProjectDetails> }
  | { type: 'SetProjectPolicy'; policy: ProjectPolicy }
  | { type: 'ArchiveProject' }
  | { type: 'SuspendProject'; reason: string }
  | { type: 'ReactivateProject' }
  | { type: 'BanProject'; reason: string }
  | { type: 'RequestProjectReopen'; message: string }
  | { type: 'DecideProjectReopen'; approve: boolean; reason: string }
  | { type: 'ReassignProjectOwner'; toOwnerId: string }
  | { type: 'AddRoom'; roomId: string; name: string }
  | { type: 'RenameRoom'; roomId: string; name: string }
);

/** What archiving depends on, counted from the catalog read model (another stream's facts). */
export interface ProjectContext extends DecisionContext {
  publishedListings: number;
  occupiedRooms: number;
}

export const PROJECT_LIMITS = { name: 200, description: 5000, street: 300, reason: 500, roomName: 100 } as const;

const tooLong = (field: string, max: number) => invalid('FIELD_TOO_LONG', `Tối đa ${max} ký tự`, field);

function checkText(value: string, field: string, max: number, required: boolean): DomainError | null {
  if (required && value.trim().length === 0) return invalid('FIELD_REQUIRED', 'Trường này là bắt buộc', field);
  return [...value].length > max ? tooLong(field, max) : null;
}

export function checkAddress(address: Address, field = 'address'): DomainError | null {
  if (address.areaId.trim().length === 0) return invalid('FIELD_REQUIRED', 'Chọn khu vực', `${field}.areaId`);
  const street = checkText(address.street, `${field}.street`, PROJECT_LIMITS.street, false);
  if (street) return street;
  const { lat, lng } = address;
  if ((lat === null) !== (lng === null))
    return invalid('COORDINATES_INCOMPLETE', 'Cần cả vĩ độ và kinh độ', `${field}.lat`);
  if (lat !== null && (lat < -90 || lat > 90))
    return invalid('LATITUDE_INVALID', 'Vĩ độ từ -90 đến 90', `${field}.lat`);
  if (lng !== null && (lng < -180 || lng > 180))
    return invalid('LONGITUDE_INVALID', 'Kinh độ từ -180 đến 180', `${field}.lng`);
  return null;
}

function checkDetails(details: Partial<ProjectDetails>, creating: boolean): DomainError | null {
  if (details.name !== undefined || creating) {
    const bad = checkText(details.name ?? '', 'name', PROJECT_LIMITS.name, true);
    if (bad) return bad;
  }
  if (details.description !== undefined) {
    const bad = checkText(details.description, 'description', PROJECT_LIMITS.description, false);
    if (bad) return bad;
  }
  if (details.address !== undefined) return checkAddress(details.address);
  return creating ? invalid('FIELD_REQUIRED', 'Chọn khu vực', 'address.areaId') : null;
}

function checkReason(reason: string, field = 'reason'): DomainError | null {
  return checkText(reason, field, PROJECT_LIMITS.reason, true);
}

const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
const statusConflict = (status: ProjectStatus, action: string) =>
  conflict('PROJECT_STATUS_CONFLICT', `Dự án đang ở trạng thái ${status}, không thể ${action}`, { status });

const evolveRooms = (state: ProjectState, roomId: string, name: string) => {
  const previous = state.rooms.get(roomId);
  if (previous !== undefined) state.roomNames.delete(foldVietnamese(previous));
  state.rooms.set(roomId, name);
  state.roomNames.set(foldVietnamese(name), roomId);
  return state;
};

function decideRoomName(command: { roomId: string; name: string }, state: ProjectState): DomainError | null {
  const bad = checkText(command.name, 'name', PROJECT_LIMITS.roomName, true);
  if (bad) return bad;
  const holder = state.roomNames.get(foldVietnamese(command.name));
  if (holder !== undefined && holder !== command.roomId) {
    return new DomainError('conflict', 'ROOM_NAME_TAKEN', `Dự án đã có phòng tên "${command.name.trim()}"`, {
      field: 'name',
    });
  }
  return null;
}

/**
 * A project: active ⇄ suspended (operators), banned (operators; the owner may ask to reopen and an
 * operator decides), archived (owner or operator, only with no published listing and no reserved or
 * rented room). Its listings are hidden while it is not active: the search read model joins the
 * project's status, so a suspension hides all of them at once without an event per listing.
 */
export const projectDecider: Decider<ProjectCommand, ProjectState, ProjectEvent, ProjectContext> = {
  initialState: () => ({
    exists: false,
    ownerId: '',
    status: 'active',
    name: '',
    policy: DEFAULT_PROJECT_POLICY,
    reopenRequested: false,
    rooms: new Map(),
    roomNames: new Map(),
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'ProjectCreated':
        return {
          ...state,
          exists: true,
          ownerId: event.data.ownerId,
          name: event.data.name,
          policy: event.data.policy,
        };
      case 'ProjectUpdated':
        return event.data.name === undefined ? state : { ...state, name: event.data.name };
      case 'ProjectPolicySet': {
        const { projectId: _, ...policy } = event.data;
        return { ...state, policy };
      }
      case 'ProjectArchived':
        return { ...state, status: 'archived' };
      case 'ProjectSuspended':
        return { ...state, status: 'suspended' };
      case 'ProjectReactivated':
      case 'ProjectReopenApproved':
        return { ...state, status: 'active', reopenRequested: false };
      case 'ProjectBanned':
        return { ...state, status: 'banned', reopenRequested: false };
      case 'ProjectReopenRequested':
        return { ...state, reopenRequested: true };
      case 'ProjectReopenRejected':
        return { ...state, reopenRequested: false };
      case 'ProjectOwnerReassigned':
        return { ...state, ownerId: event.data.toOwnerId };
      case 'RoomAdded':
      case 'RoomRenamed':
        return evolveRooms(state, event.data.roomId, event.data.name);
      default:
        return state;
    }
  },

  decide(command, state, context) {
    const { projectId } = command;
    if (command.type === 'CreateProject') {
      if (state.exists) return conflict('PROJECT_EXISTS', 'Dự án đã tồn tại');
      const bad = checkDetails(command.details, true);
      if (bad) return bad;
      const { name, description, address } = command.details;
      const details = { name: name.trim(), description: description.trim(), address };
      const policy = command.policy ?? DEFAULT_PROJECT_POLICY;
      return [
        {
          type: 'ProjectCreated',
          data: { projectId, ownerId: command.ownerId, quick: command.quick, policy, ...details },
        },
      ];
    }
    if (!state.exists) return notFound('PROJECT_NOT_FOUND', 'Không tìm thấy dự án');
    if (command.by === 'owner' && state.ownerId !== context.actorId) {
      return notFound('PROJECT_NOT_FOUND', 'Không tìm thấy dự án');
    }
    const ownerOnly = () =>
      command.by === 'owner' ? null : forbidden('OWNER_ONLY', 'Chỉ chủ dự án được gửi yêu cầu này');
    const staffOnly = () =>
      command.by === 'staff' ? null : forbidden('OPERATOR_ONLY', 'Chỉ nhân viên điều hành được làm việc này');
    const editable = () =>
      state.status === 'archived' || state.status === 'banned' ? statusConflict(state.status, 'chỉnh sửa') : null;

    switch (command.type) {
      case 'UpdateProject': {
        const bad = editable() ?? checkDetails(command.changes, false);
        if (bad) return bad;
        const changes = { ...command.changes };
        if (changes.name !== undefined) changes.name = changes.name.trim();
        if (changes.description !== undefined) changes.description = changes.description.trim();
        if (Object.keys(changes).length === 0) return [];
        return [{ type: 'ProjectUpdated', data: { projectId, ...changes } }];
      }
      case 'SetProjectPolicy': {
        const bad = editable();
        if (bad) return bad;
        return [{ type: 'ProjectPolicySet', data: { projectId, ...command.policy } }];
      }
      case 'ArchiveProject': {
        if (state.status === 'archived') return [];
        if (context.publishedListings > 0) {
          return conflict(
            'PROJECT_HAS_PUBLISHED_LISTINGS',
            `Dự án còn ${context.publishedListings} tin đăng đang hiển thị: lưu trữ hoặc tạm ngưng chúng trước`,
            { publishedListings: context.publishedListings },
          );
        }
        if (context.occupiedRooms > 0) {
          return conflict(
            'PROJECT_HAS_OCCUPIED_ROOMS',
            `Dự án còn ${context.occupiedRooms} phòng đang giữ chỗ hoặc đã cho thuê`,
            { occupiedRooms: context.occupiedRooms },
          );
        }
        return [{ type: 'ProjectArchived', data: { projectId } }];
      }
      case 'SuspendProject': {
        const bad = staffOnly() ?? checkReason(command.reason);
        if (bad) return bad;
        if (state.status === 'suspended') return [];
        if (state.status !== 'active') return statusConflict(state.status, 'tạm ngưng');
        return [{ type: 'ProjectSuspended', data: { projectId, reason: command.reason.trim() } }];
      }
      case 'ReactivateProject': {
        const bad = staffOnly();
        if (bad) return bad;
        if (state.status === 'active') return [];
        if (state.status !== 'suspended') return statusConflict(state.status, 'kích hoạt lại');
        return [{ type: 'ProjectReactivated', data: { projectId } }];
      }
      case 'BanProject': {
        const bad = staffOnly() ?? checkReason(command.reason);
        if (bad) return bad;
        if (state.status === 'banned') return [];
        if (state.status === 'archived') return statusConflict(state.status, 'cấm');
        return [{ type: 'ProjectBanned', data: { projectId, reason: command.reason.trim() } }];
      }
      case 'RequestProjectReopen': {
        const bad = ownerOnly() ?? checkText(command.message, 'message', PROJECT_LIMITS.reason, true);
        if (bad) return bad;
        if (state.status !== 'banned') return statusConflict(state.status, 'xin mở lại');
        if (state.reopenRequested) return conflict('REOPEN_ALREADY_REQUESTED', 'Đã gửi yêu cầu mở lại, đang chờ xử lý');
        return [{ type: 'ProjectReopenRequested', data: { projectId, message: command.message.trim() } }];
      }
      case 'DecideProjectReopen': {
        const bad = staffOnly();
        if (bad) return bad;
        if (!state.reopenRequested) return conflict('NO_REOPEN_REQUEST', 'Không có yêu cầu mở lại nào đang chờ');
        if (command.approve) return [{ type: 'ProjectReopenApproved', data: { projectId } }];
        const reason = checkReason(command.reason);
        if (reason) return reason;
        return [{ type: 'ProjectReopenRejected', data: { projectId, reason: command.reason.trim() } }];
      }
      case 'ReassignProjectOwner': {
        const bad = staffOnly();
        if (bad) return bad;
        if (state.status === 'archived') return statusConflict(state.status, 'đổi chủ');
        if (command.toOwnerId === state.ownerId) return [];
        return [
          {
            type: 'ProjectOwnerReassigned',
            data: { projectId, fromOwnerId: state.ownerId, toOwnerId: command.toOwnerId },
          },
        ];
      }
      case 'AddRoom':
      case 'RenameRoom': {
        const bad = editable() ?? decideRoomName(command, state);
        if (bad) return bad;
        const name = command.name.trim();
        if (command.type === 'AddRoom') {
          if (state.rooms.has(command.roomId)) return conflict('ROOM_EXISTS', 'Phòng đã tồn tại');
          return [{ type: 'RoomAdded', data: { projectId, roomId: command.roomId, name } }];
        }
        const current = state.rooms.get(command.roomId);
        if (current === undefined) return notFound('ROOM_NOT_FOUND', 'Không tìm thấy phòng');
        if (current === name) return [];
        return [{ type: 'RoomRenamed', data: { projectId, roomId: command.roomId, name } }];
      }
    }
  },
};
