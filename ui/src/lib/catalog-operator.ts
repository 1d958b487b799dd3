// Operators: project management and listing moderation (/api/v1/operator/…), admins' owner reassignment.
import { API_BASE, apiGet, apiSend } from './api';
import type { Listing, Project } from './catalog-owner';

export type Checklist = {
  accurate: boolean;
  imagesClear: boolean;
  priceReasonable: boolean;
  ownerKycVerified: boolean;
};
export const CHECKLIST_ITEMS = ['accurate', 'imagesClear', 'priceReasonable', 'ownerKycVerified'] as const;

export type QueueItem = Listing & {
  ownerName?: string | null;
  /** Working hours since submission (the SLA counts business hours only). */
  waitingWorkingHours: number;
  slaBreached: boolean;
};

const enc = encodeURIComponent;
const projects = `${API_BASE}/operator/projects`;
const project = (id: string) => `${projects}/${enc(id)}`;
const listings = `${API_BASE}/operator/listings`;
const listing = (id: string) => `${listings}/${enc(id)}`;

export function listProjects(filter: { status?: string; reopenRequested?: boolean }) {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.reopenRequested) params.set('reopenRequested', 'true');
  const qs = params.toString();
  return apiGet<Project[]>(qs ? `${projects}?${qs}` : projects);
}
export const getProject = (id: string) => apiGet<Project>(project(id));
export const suspendProject = (id: string, reason: string) =>
  apiSend<Project>('POST', `${project(id)}/suspend`, { reason });
export const banProject = (id: string, reason: string) => apiSend<Project>('POST', `${project(id)}/ban`, { reason });
export const reactivateProject = (id: string) => apiSend<Project>('POST', `${project(id)}/reactivate`);
export const decideReopen = (id: string, approve: boolean, reason: string) =>
  apiSend<Project>('POST', `${project(id)}/reopen-decision`, { approve, reason });
export const archiveProjectAsOperator = (id: string) => apiSend<Project>('POST', `${project(id)}/archive`);
export const reassignOwner = (id: string, ownerId: string) =>
  apiSend<Project>('POST', `${API_BASE}/admin/projects/${enc(id)}/owner`, { ownerId });

export const moderationQueue = () => apiGet<QueueItem[]>(`${listings}/queue`);
export const listListings = (status?: string) =>
  apiGet<Listing[]>(status ? `${listings}?status=${enc(status)}` : listings);
export const getListing = (id: string) => apiGet<Listing>(listing(id));
export const approveListing = (id: string, checklist: Checklist, note: string) =>
  apiSend<Listing>('POST', `${listing(id)}/approve`, { checklist, note });
export const rejectListing = (id: string, checklist: Checklist, reason: string) =>
  apiSend<Listing>('POST', `${listing(id)}/reject`, { checklist, reason });
export const suspendListing = (id: string, reason: string) =>
  apiSend<Listing>('POST', `${listing(id)}/suspend`, { reason });
export const reinstateListing = (id: string) => apiSend<Listing>('POST', `${listing(id)}/reinstate`);
export const archiveListingAsOperator = (id: string) => apiSend<Listing>('POST', `${listing(id)}/archive`);
