// Calls of the admin pages: users (UC-ADMIN-01) and the development mail outbox.
import { API_BASE, apiGet, apiSend } from './api';
import type { Role, UserStatus } from './roles';

const users = `${API_BASE}/admin/users`;

export type AdminUser = {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  roles: Role[];
  status: UserStatus;
  createdAt: string;
};

export type UserFilter = { role?: Role | ''; status?: UserStatus | ''; q?: string };

export type HistoryEntry = {
  position: string | number;
  type: string;
  actorId: string | null;
  actAsId: string | null;
  summary: string;
  occurredAt: string;
  ip: string | null;
};

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return qs ? `?${qs}` : '';
}

const user = (id: string) => `${users}/${encodeURIComponent(id)}`;

export type NewUser = { email: string; name: string; phone: string | null; roles: Role[]; locale: 'vi' | 'en' };

export const createUser = (input: NewUser) => apiSend<{ userId: string }>('POST', users, input);
export const listUsers = (filter: UserFilter = {}) =>
  apiGet<AdminUser[]>(`${users}${query({ role: filter.role, status: filter.status, q: filter.q?.trim() })}`);
export const grantRole = (id: string, role: Role) => apiSend<unknown>('POST', `${user(id)}/roles`, { role });
export const revokeRole = (id: string, role: Role) => apiSend<unknown>('DELETE', `${user(id)}/roles/${role}`);
export const lockUser = (id: string, reason: string) => apiSend<unknown>('POST', `${user(id)}/lock`, { reason });
export const sendPasswordReset = (id: string) => apiSend<unknown>('POST', `${user(id)}/password-reset`, {});
export const unlockUser = (id: string) => apiSend<unknown>('POST', `${user(id)}/unlock`, {});
export const userHistory = (id: string) => apiGet<HistoryEntry[]>(`${user(id)}/history`);

export type OutboxMail = {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  category: string;
  locale: string;
  createdAt: string;
};

export const OUTBOX_PAGE = 50;

export const listOutbox = (filter: { to?: string; before?: string } = {}) =>
  apiGet<OutboxMail[]>(
    `${API_BASE}/admin/mail-outbox${query({ to: filter.to?.trim(), limit: OUTBOX_PAGE, before: filter.before })}`,
  );

/** The one-time codes a mail carries (verification, password reset): every standalone 6-digit number. */
export function codesIn(text: string): string[] {
  return [...new Set(text.match(/(?<![\w/=.-])\d{6}(?![\w/.-])/g) ?? [])];
}
