// Owners' projects, rooms and listings (/api/v1/me/projects, /me/rooms, /me/listings).
import { API_BASE, apiGet, apiSend } from './api';
import {
  type Address,
  type ListingImage,
  type ListingRoom,
  type ListingStatus,
  type ProjectStatus,
  parseDecimal,
  parseMoney,
  type RoomStatus,
  type RoomType,
} from './catalog';
import { type DepositPolicy, listPolicies, listTemplates } from './deposit-policies';
import { t } from './locale.svelte';

export type ProjectPolicy = {
  requiresOwnerApprovalForViewings: boolean;
  defaultDepositPolicyId: string | null;
  contractTemplateId: string | null;
};

export type Project = {
  projectId: string;
  ownerId: string;
  ownerName: string | null;
  name: string;
  description: string;
  address: Address;
  status: ProjectStatus;
  statusReason: string | null;
  reopenRequested: boolean;
  reopenMessage: string | null;
  quick: boolean;
  policy: ProjectPolicy;
  roomCount: number;
  listingCounts: Partial<Record<ListingStatus, number>>;
  createdAt: string;
  updatedAt: string;
};

export type Room = {
  roomId: string;
  projectId: string;
  name: string;
  standardPrice: number;
  areaM2: number;
  status: RoomStatus;
};

export type NewProject = { name: string; description: string; address: Address; policy: ProjectPolicy };

/** A listing as its owner and the moderators see it (the catalog read model). */
export type Listing = {
  listingId: string;
  projectId: string;
  projectName: string;
  projectStatus: ProjectStatus;
  ownerId: string;
  ownerKycVerified: boolean;
  status: ListingStatus;
  visible: boolean;
  title: string;
  description: string;
  roomType: RoomType;
  amenities: string[];
  address: Address | null;
  depositPolicyId: string | null;
  depositPolicyInForce: string | null;
  images: ListingImage[];
  stepsSaved: number[];
  /** The first wizard step not saved yet (6 = review and submit). */
  resumeStep: number;
  reason: string | null;
  checklist: Record<string, boolean> | null;
  returnedFields: string[];
  submittedAt: string | null;
  decidedAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  rooms: (ListingRoom & { standardPrice: number; areaM2: number; displayOrder: number })[];
};

export type Basics = { title: string; description: string; roomType: RoomType };
export type RoomChoice = {
  roomId: string;
  price: number | null;
  areaM2: number | null;
  description: string | null;
  displayOrder: number;
};

const enc = encodeURIComponent;
const projects = `${API_BASE}/me/projects`;
const project = (id: string) => `${projects}/${enc(id)}`;
const rooms = (id: string) => `${API_BASE}/me/rooms/${enc(id)}`;
const listings = `${API_BASE}/me/listings`;
const listing = (id: string) => `${listings}/${enc(id)}`;

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const qs = search.toString();
  return qs ? `?${qs}` : '';
}

export const listMyProjects = (status?: string) => apiGet<Project[]>(`${projects}${query({ status })}`);
export const getMyProject = (id: string) => apiGet<Project>(project(id));
export const createProject = (input: NewProject) => apiSend<Project>('POST', projects, input);
export const quickCreateProject = (input: { name: string; areaId: string }) =>
  apiSend<Project>('POST', `${projects}/quick`, input);
export const updateProject = (id: string, patch: Partial<Omit<NewProject, 'policy'>>) =>
  apiSend<Project>('PATCH', project(id), patch);
export const setProjectPolicy = (id: string, policy: ProjectPolicy) =>
  apiSend<Project>('PUT', `${project(id)}/policy`, policy);
export const archiveProject = (id: string) => apiSend<Project>('POST', `${project(id)}/archive`);
export const requestReopen = (id: string, message: string) =>
  apiSend<Project>('POST', `${project(id)}/reopen-request`, { message });

export const listRooms = (projectId: string) => apiGet<Room[]>(`${project(projectId)}/rooms`);
export const addRoom = (projectId: string, input: { name: string; standardPrice: number; areaM2: number }) =>
  apiSend<Room>('POST', `${project(projectId)}/rooms`, input);
export const updateRoom = (roomId: string, patch: { name?: string; standardPrice?: number; areaM2?: number }) =>
  apiSend<Room>('PATCH', rooms(roomId), patch);
export const setRoomCleaning = (roomId: string, cleaning: boolean) =>
  apiSend<Room>('POST', `${rooms(roomId)}/${cleaning ? 'cleaning' : 'available'}`);

/** A room as a form edits it (price and area as typed). */
export type RoomDraft = { name: string; standardPrice: string; areaM2: string };

/** What is wrong with a room draft, field by field (for `FormState.rejects`). */
export function roomProblems(draft: RoomDraft) {
  const price = parseMoney(draft.standardPrice);
  const area = parseDecimal(draft.areaM2);
  return {
    name: !draft.name.trim() && t('common.required'),
    standardPrice: (price === null || !Number.isInteger(price) || price <= 0) && t('room.priceInvalid'),
    areaM2: (area === null || !Number.isFinite(area) || area <= 0) && t('room.areaInvalid'),
  };
}

/** A room draft that `roomProblems` accepted, as `addRoom` takes it. */
export const roomInput = (draft: RoomDraft) => ({
  name: draft.name.trim(),
  standardPrice: parseMoney(draft.standardPrice) ?? 0,
  areaM2: parseDecimal(draft.areaM2) ?? 0,
});

export const listMyListings = (filter: { status?: string; projectId?: string } = {}) =>
  apiGet<Listing[]>(`${listings}${query(filter)}`);
export const getMyListing = (id: string) => apiGet<Listing>(listing(id));
export const createListing = (input: Basics & { projectId: string }) => apiSend<Listing>('POST', listings, input);
export const saveBasics = (id: string, basics: Basics) => apiSend<Listing>('PUT', `${listing(id)}/basics`, basics);
export const saveFeatures = (id: string, input: { amenities: string[]; address: Address }) =>
  apiSend<Listing>('PUT', `${listing(id)}/features`, input);
export const saveRooms = (id: string, choices: RoomChoice[]) =>
  apiSend<Listing>('PUT', `${listing(id)}/rooms`, { rooms: choices });
export function uploadImages(id: string, files: File[]) {
  const form = new FormData();
  for (const file of files) form.append('images', file, file.name);
  return apiSend<Listing>('POST', `${listing(id)}/images`, form);
}
export const removeImage = (id: string, key: string) =>
  apiSend<Listing>('DELETE', `${listing(id)}/images?key=${enc(key)}`);
export const reorderImages = (id: string, keys: string[]) =>
  apiSend<Listing>('PUT', `${listing(id)}/images/order`, { keys });
export const chooseDepositPolicy = (id: string, depositPolicyId: string | null) =>
  apiSend<Listing>('PUT', `${listing(id)}/deposit-policy`, { depositPolicyId });
export const submitListing = (id: string) => apiSend<Listing>('POST', `${listing(id)}/submit`);
export const archiveListing = (id: string) => apiSend<Listing>('POST', `${listing(id)}/archive`);

/** The wizard's steps in order: basics, amenities + address, rooms, images, deposit policy, review. */
export const WIZARD_STEPS = ['basics', 'features', 'rooms', 'images', 'deposit', 'review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** Listings an owner may still edit in the wizard. */
export const EDITABLE: readonly ListingStatus[] = ['draft', 'rejected', 'pending_review', 'approved', 'published'];

/** Deposit policies an owner may pick: their own active ones and the active templates. */
export async function assignablePolicies(): Promise<{ mine: DepositPolicy[]; templates: DepositPolicy[] }> {
  const [mine, templates] = await Promise.all([listPolicies('me', { status: 'active' }), listTemplates()]);
  return { mine: mine.filter((p) => p.ownerId !== null), templates };
}
