// Calls of the staff, roles and KYC review pages (/api/v1/admin/staff, /roles, /kyc).
import { API_BASE, apiDownload, apiGet, apiSend } from './api';
import type { Kyc } from './profile.svelte';

const admin = `${API_BASE}/admin`;

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const qs = search.toString();
  return qs ? `?${qs}` : '';
}

export const STAFF_ROLES = ['sales', 'operator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const STAFF_STATUSES = ['active', 'on_leave', 'left'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

export type Staff = {
  userId: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  locked: boolean;
  role: StaffRole;
  code: string;
  title: string;
  department: string;
  startDate: string;
  areaIds: string[];
  status: StaffStatus;
  statusReason: string | null;
};

export type NewStaff = {
  email: string;
  name: string;
  phone: string | null;
  role: StaffRole;
  locale: 'vi' | 'en';
  profile: { code: string; title: string; department: string; startDate: string; areaIds: string[] };
};

const member = (id: string) => `${admin}/staff/${encodeURIComponent(id)}`;

export const listStaff = (filter: { status?: string; role?: string; q?: string }) =>
  apiGet<Staff[]>(`${admin}/staff${query({ status: filter.status, role: filter.role, q: filter.q?.trim() })}`);
export const createStaff = (input: NewStaff) => apiSend<{ userId: string }>('POST', `${admin}/staff`, input);
export const setStaffStatus = (id: string, status: StaffStatus, reason?: string) =>
  apiSend<Staff>('POST', `${member(id)}/status`, { status, ...(reason ? { reason } : {}) });
export const resendInvite = (id: string, locale: 'vi' | 'en') =>
  apiSend<null>('POST', `${member(id)}/invite`, { locale });

export type RoleRow = {
  role: string;
  label: { vi: string; en: string };
  builtin: boolean;
  system: boolean;
  corePermissions: string[];
  permissions: string[];
  members: number;
};

const role = (name: string) => `${admin}/roles/${encodeURIComponent(name)}`;

export const listRoles = () => apiGet<RoleRow[]>(`${admin}/roles`);
export const listPermissions = () => apiGet<string[]>(`${admin}/permissions`);
export const createRole = (input: { role: string; label: { vi: string; en: string } }) =>
  apiSend<{ role: string }>('POST', `${admin}/roles`, { ...input, permissions: [] });
export const grantPermission = (name: string, permission: string) =>
  apiSend<null>('POST', `${role(name)}/permissions`, { permission });
export const revokePermission = (name: string, permission: string) =>
  apiSend<null>('DELETE', `${role(name)}/permissions/${encodeURIComponent(permission)}`);
export const deleteRole = (name: string) => apiSend<null>('DELETE', role(name));
export const addRoleMember = (name: string, userId: string) =>
  apiSend<null>('POST', `${role(name)}/members`, { userId });
export const removeRoleMember = (name: string, userId: string) =>
  apiSend<null>('DELETE', `${role(name)}/members/${encodeURIComponent(userId)}`);
export const checkPermission = (userId: string, permission: string) =>
  apiGet<{ allowed: boolean; viaRoles: string[] }>(`${admin}/authz/check${query({ userId, permission })}`);

export type KycItem = Kyc & { email: string; name: string; roles: string[] };

export const listKycQueue = (status = 'pending') => apiGet<KycItem[]>(`${admin}/kyc${query({ status })}`);
export const verifyKyc = (userId: string) => apiSend<Kyc>('POST', `${admin}/kyc/${userId}/verify`, {});
export const rejectKyc = (userId: string, reason: string) =>
  apiSend<Kyc>('POST', `${admin}/kyc/${userId}/reject`, { reason });
/** A document needs the reviewer's token, which a plain link cannot carry: fetch it as a Blob. */
export const fetchDocument = (url: string) => apiDownload(url);
