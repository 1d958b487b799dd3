// Calls of the sign-up, verification, password and account pages (/api/v1/auth, /api/v1/me).
import { API_BASE, apiGet, apiSend } from './api';
import type { Lang } from './i18n';
import type { Role, SelfServiceRole } from './roles';

const auth = `${API_BASE}/auth`;
const me = `${API_BASE}/me`;
/** Endpoints a signed-out visitor calls: never refresh a session for them. */
const anonymous = { noRefresh: true };

export type Registration = {
  email: string;
  password: string;
  name: string;
  phone?: string;
  role: SelfServiceRole;
  locale: Lang;
};

export const register = (input: Registration) =>
  apiSend<{ userId: string }>('POST', `${auth}/register`, input, anonymous);

export const verifyEmail = (input: { email: string; code: string } | { token: string }) =>
  apiSend<{ userId: string }>('POST', `${auth}/verify-email`, input, anonymous);

export const resendVerification = (email: string, locale: Lang) =>
  apiSend<null>('POST', `${auth}/resend-verification`, { email, locale }, anonymous);

export const forgotPassword = (email: string, locale: Lang) =>
  apiSend<null>('POST', `${auth}/forgot-password`, { email, locale }, anonymous);

export const resetPassword = (input: { email: string; code: string; newPassword: string }) =>
  apiSend<null>('POST', `${auth}/reset-password`, input, anonymous);

export const changePassword = (input: { currentPassword: string; newPassword: string }) =>
  apiSend<unknown>('POST', `${me}/password`, input);

export type DeviceSession = {
  id: string;
  device: string;
  ip: string | null;
  userAgent: string | null;
  activeRole: Role;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
};

export const listSessions = () => apiGet<DeviceSession[]>(`${me}/sessions`);
export const endSession = (id: string) => apiSend<null>('DELETE', `${me}/sessions/${encodeURIComponent(id)}`);
export const revokeOtherSessions = () => apiSend<{ revoked: number }>('POST', `${me}/sessions/revoke-others`, {});

export type TwoFactorSetup = { otpauthUri: string; qrDataUrl: string; secret: string };

export const startTwoFactor = () => apiSend<TwoFactorSetup>('POST', `${me}/2fa/setup`, {});
export const confirmTwoFactor = (code: string) =>
  apiSend<{ recoveryCodes: string[] }>('POST', `${me}/2fa/confirm`, { code });
export const disableTwoFactor = (input: { password: string; code: string }) =>
  apiSend<null>('POST', `${me}/2fa/disable`, input);
