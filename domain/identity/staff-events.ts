import type { DomainEvent } from '../shared/decider.js';

/** Staff employment (GLOSSARY: DangLamViec → active, TamNghi → on_leave, DaNghiViec → left). */
export const STAFF_STATUSES = ['active', 'on_leave', 'left'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

/** Staff accounts an operator creates (UC-OPER-05): NhanVienBanHang and NhanVienDieuHanh. */
export const STAFF_ROLES = ['sales', 'operator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffProfileData {
  code: string;
  title: string;
  department: string;
  /** The first working day, `YYYY-MM-DD` (a business date in Asia/Ho_Chi_Minh). */
  startDate: string;
  areaIds: string[];
}

/** A staff member's profile (HoSoNhanVien), stream `staff-<userId>`; the account is the user stream. */
export type StaffProfileEvent =
  | DomainEvent<'StaffProfileCreated', { userId: string; role: StaffRole } & StaffProfileData>
  | DomainEvent<
      'StaffProfileUpdated',
      {
        userId: string;
        title?: string;
        previousTitle?: string;
        department?: string;
        previousDepartment?: string;
        areaIds?: string[];
        previousAreaIds?: string[];
      }
    >
  | DomainEvent<
      'StaffStatusChanged',
      { userId: string; status: StaffStatus; previousStatus: StaffStatus; reason: string | null }
    >;

export const STAFF_PROFILE_EVENT_TYPES: StaffProfileEvent['type'][] = [
  'StaffProfileCreated',
  'StaffProfileUpdated',
  'StaffStatusChanged',
];

/** Staff codes are unique: each code is claimed on its own stream `staffcode-<CODE>`. */
export type StaffCodeEvent =
  | DomainEvent<'StaffCodeClaimed', { code: string; userId: string }>
  | DomainEvent<'StaffCodeReleased', { code: string; userId: string }>;

export const staffStream = (userId: string) => `staff-${userId}`;
export const staffCodeStream = (code: string) => `staffcode-${code}`;
