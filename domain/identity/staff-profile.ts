import type { Decider, Decision } from '../shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import type { StaffCodeEvent, StaffProfileData, StaffProfileEvent, StaffRole, StaffStatus } from './staff-events.js';

export const STAFF_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;
const MAX_TEXT = 120;
const MAX_AREAS = 100;

/** Codes compare without case and surrounding blanks: " nv-001" and "NV-001" are one code. */
export const normalizeStaffCode = (code: string) => code.normalize('NFC').trim().toUpperCase();

export interface StaffProfileState {
  exists: boolean;
  status: StaffStatus;
  title: string;
  department: string;
  areaIds: string[];
}

export type StaffProfileCommand = { userId: string } & (
  | { type: 'CreateStaffProfile'; role: StaffRole; profile: StaffProfileData }
  | { type: 'UpdateStaffProfile'; title?: string; department?: string; areaIds?: string[] }
  | { type: 'ChangeStaffStatus'; status: StaffStatus; reason: string | null }
);

/** UC-OPER-04: active ↔ on_leave, either → left, and nothing after left. */
const ALLOWED: Record<StaffStatus, readonly StaffStatus[]> = {
  active: ['on_leave', 'left'],
  on_leave: ['active', 'left'],
  left: [],
};

const staffLeft = () => conflict('STAFF_LEFT', 'Nhân viên đã nghỉ việc; hồ sơ và trạng thái không thể thay đổi');

const isCalendarDate = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

const textProblem = (value: string, field: string) => {
  if (value.trim().length === 0) return invalid('FIELD_REQUIRED', `${field} không được để trống`, field);
  if (value.length > MAX_TEXT) return invalid('FIELD_TOO_LONG', `${field}: tối đa ${MAX_TEXT} ký tự`, field);
  return null;
};

const areasProblem = (areaIds: string[]) =>
  areaIds.length > MAX_AREAS ? invalid('TOO_MANY_AREAS', `Tối đa ${MAX_AREAS} khu vực`, 'profile.areaIds') : null;

function createProfile(
  command: Extract<StaffProfileCommand, { type: 'CreateStaffProfile' }>,
  state: StaffProfileState,
): Decision<StaffProfileEvent> {
  if (state.exists) return conflict('STAFF_EXISTS', 'Hồ sơ nhân viên đã tồn tại');
  const { profile } = command;
  const code = normalizeStaffCode(profile.code);
  if (!STAFF_CODE_PATTERN.test(code)) {
    return invalid('STAFF_CODE_INVALID', 'Mã nhân viên: 2–32 ký tự A-Z, 0-9, _ hoặc -', 'profile.code');
  }
  const problem =
    textProblem(profile.title, 'profile.title') ??
    textProblem(profile.department, 'profile.department') ??
    areasProblem(profile.areaIds);
  if (problem) return problem;
  if (!isCalendarDate(profile.startDate)) {
    return invalid('DATE_INVALID', 'Ngày vào làm phải có dạng YYYY-MM-DD', 'profile.startDate');
  }
  return [
    {
      type: 'StaffProfileCreated',
      data: {
        userId: command.userId,
        role: command.role,
        code,
        title: profile.title.trim(),
        department: profile.department.trim(),
        startDate: profile.startDate,
        areaIds: [...new Set(profile.areaIds)],
      },
    },
  ];
}

function updateProfile(
  command: Extract<StaffProfileCommand, { type: 'UpdateStaffProfile' }>,
  state: StaffProfileState,
): Decision<StaffProfileEvent> {
  const data: Extract<StaffProfileEvent, { type: 'StaffProfileUpdated' }>['data'] = { userId: command.userId };
  if (command.title !== undefined) {
    const problem = textProblem(command.title, 'title');
    if (problem) return problem;
    const title = command.title.trim();
    if (title !== state.title) Object.assign(data, { title, previousTitle: state.title });
  }
  if (command.department !== undefined) {
    const problem = textProblem(command.department, 'department');
    if (problem) return problem;
    const department = command.department.trim();
    if (department !== state.department) Object.assign(data, { department, previousDepartment: state.department });
  }
  if (command.areaIds !== undefined) {
    const problem = areasProblem(command.areaIds);
    if (problem) return problem;
    const areaIds = [...new Set(command.areaIds)];
    const same = areaIds.length === state.areaIds.length && areaIds.every((id) => state.areaIds.includes(id));
    if (!same) Object.assign(data, { areaIds, previousAreaIds: state.areaIds });
  }
  return Object.keys(data).length === 1 ? [] : [{ type: 'StaffProfileUpdated', data }];
}

function changeStatus(
  command: Extract<StaffProfileCommand, { type: 'ChangeStaffStatus' }>,
  state: StaffProfileState,
): Decision<StaffProfileEvent> {
  const { status } = command;
  const reason = command.reason?.trim() || null;
  if (status === state.status) return []; // a retried change, also a retried "left", is a no-op
  if (state.status === 'left') return staffLeft();
  if (!ALLOWED[state.status].includes(status)) {
    return conflict('STAFF_STATUS_TRANSITION', `Không thể chuyển trạng thái từ ${state.status} sang ${status}`, {
      from: state.status,
      to: status,
    });
  }
  if (status === 'left' && reason === null) {
    return invalid('REASON_REQUIRED', 'Nhập lý do nghỉ việc', 'reason');
  }
  if (reason !== null && reason.length > 500) return invalid('FIELD_TOO_LONG', 'Lý do: tối đa 500 ký tự', 'reason');
  return [
    { type: 'StaffStatusChanged', data: { userId: command.userId, status, previousStatus: state.status, reason } },
  ];
}

export const staffProfileDecider: Decider<StaffProfileCommand, StaffProfileState, StaffProfileEvent> = {
  initialState: () => ({ exists: false, status: 'active', title: '', department: '', areaIds: [] }),

  evolve(state, event) {
    switch (event.type) {
      case 'StaffProfileCreated':
        return {
          exists: true,
          status: 'active',
          title: event.data.title,
          department: event.data.department,
          areaIds: event.data.areaIds,
        };
      case 'StaffProfileUpdated':
        return {
          ...state,
          title: event.data.title ?? state.title,
          department: event.data.department ?? state.department,
          areaIds: event.data.areaIds ?? state.areaIds,
        };
      case 'StaffStatusChanged':
        return { ...state, status: event.data.status };
      default:
        return state;
    }
  },

  decide(command, state) {
    if (command.type === 'CreateStaffProfile') return createProfile(command, state);
    if (!state.exists) return notFound('STAFF_NOT_FOUND', 'Không tìm thấy hồ sơ nhân viên');
    if (state.status === 'left' && command.type === 'UpdateStaffProfile') return staffLeft();
    if (command.type === 'UpdateStaffProfile') return updateProfile(command, state);
    return changeStatus(command, state);
  },
};

export interface StaffCodeState {
  claimedBy: string | null;
}

export type StaffCodeCommand =
  | { type: 'ClaimStaffCode'; code: string; userId: string }
  | { type: 'ReleaseStaffCode'; code: string; userId: string };

/** One stream per code: two staff members can never hold the same code (optimistic concurrency). */
export const staffCodeDecider: Decider<StaffCodeCommand, StaffCodeState, StaffCodeEvent> = {
  initialState: () => ({ claimedBy: null }),
  evolve: (_state, event) => ({ claimedBy: event.type === 'StaffCodeClaimed' ? event.data.userId : null }),
  decide(command, state) {
    const { code, userId } = command;
    if (command.type === 'ReleaseStaffCode') {
      return state.claimedBy === userId ? [{ type: 'StaffCodeReleased', data: { code, userId } }] : [];
    }
    if (state.claimedBy === userId) return [];
    if (state.claimedBy !== null) {
      return new DomainError('conflict', 'STAFF_CODE_TAKEN', `Mã nhân viên ${code} đã được dùng`, {
        field: 'profile.code',
        details: { code },
      });
    }
    return [{ type: 'StaffCodeClaimed', data: { code, userId } }];
  },
};
