// Calls of the account page's profile, avatar and notification preferences, of the accept-invite
// page, and of the person's own identity verification (KYC).
import { API_BASE, apiGet, apiSend } from './api';

const me = `${API_BASE}/me`;

export const GENDERS = ['unspecified', 'female', 'male', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

export type Profile = {
  userId: string;
  email: string;
  name: string;
  bio: string | null;
  gender: Gender;
  dateOfBirth: string | null;
  address: string | null;
  phone: string | null;
  avatarUrl: string | null;
  updatedAt: string;
};

export type ProfilePatch = Partial<Pick<Profile, 'name' | 'bio' | 'gender' | 'dateOfBirth' | 'address' | 'phone'>>;

export const AVATAR_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

export const getProfile = () => apiGet<Profile>(`${me}/profile`);
export const updateProfile = (patch: ProfilePatch) => apiSend<Profile>('PATCH', `${me}/profile`, patch);

export function uploadAvatar(file: File) {
  const body = new FormData();
  body.append('file', file);
  return apiSend<{ avatarUrl: string | null }>('POST', `${me}/avatar`, body);
}
export const removeAvatar = () => apiSend<null>('DELETE', `${me}/avatar`);

/** The avatar shown in the top bar: bumped after an upload or removal so the image reloads. */
export const avatar = $state<{ version: number; missing: boolean }>({ version: 0, missing: false });
export function avatarChanged(present: boolean): void {
  avatar.version += 1;
  avatar.missing = !present;
}
export const avatarSrc = (userId: string, version = 0) =>
  `${API_BASE}/users/${encodeURIComponent(userId)}/avatar${version ? `?v=${version}` : ''}`;

export type Preferences = {
  preferences: Record<string, Record<string, boolean>>;
  types: string[];
  channels: string[];
  mandatory: { type: string; channel: string }[];
};

export const getPreferences = () => apiGet<Preferences>(`${me}/notification-preferences`);
export const savePreferences = (preferences: Preferences['preferences']) =>
  apiSend<Preferences>('PUT', `${me}/notification-preferences`, { preferences });

export const acceptInvite = (input: { token: string; password: string }) =>
  apiSend<{ userId: string; email: string }>('POST', `${API_BASE}/auth/accept-invite`, input, { noRefresh: true });

export const KYC_KINDS = ['id_front', 'id_back', 'business_license', 'other'] as const;
export type KycKind = (typeof KYC_KINDS)[number];
export type KycStatus = 'unverified' | 'pending' | 'verified' | 'rejected';
export type KycDocument = { key: string; contentType: string; size: number; kind: KycKind; url: string };
export type Kyc = {
  userId: string;
  status: KycStatus;
  documents: KycDocument[];
  submissions: number;
  submittedAt: string | null;
  decidedAt: string | null;
  reviewerId: string | null;
  reason: string | null;
};

export const KYC_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
export const KYC_MAX_BYTES = 10 * 1024 * 1024;
export const KYC_MAX_FILES = 5;

export const getMyKyc = () => apiGet<Kyc>(`${me}/kyc`);
export function submitKyc(files: { file: File; kind: KycKind }[]) {
  const body = new FormData();
  for (const { file } of files) body.append('documents', file);
  for (const { kind } of files) body.append('kinds', kind);
  return apiSend<Kyc>('POST', `${me}/kyc`, body);
}
