import type { DomainEvent } from '../shared/decider.js';

/** HoatDong → active, TamNgung → suspended, banned, archived (GLOSSARY). */
export const PROJECT_STATUSES = ['active', 'suspended', 'banned', 'archived'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface Address {
  /** The ward (or district) in the area tree. */
  areaId: string;
  street: string;
  lat: number | null;
  lng: number | null;
}

export interface ProjectDetails {
  name: string;
  description: string;
  address: Address;
}

export interface ProjectPolicy {
  requiresOwnerApprovalForViewings: boolean;
  defaultDepositPolicyId: string | null;
  contractTemplateId: string | null;
}

export const DEFAULT_PROJECT_POLICY: ProjectPolicy = {
  requiresOwnerApprovalForViewings: false,
  defaultDepositPolicyId: null,
  contractTemplateId: null,
};

type P<Type extends string, Data> = DomainEvent<Type, { projectId: string } & Data>;

/**
 * A project (DuAn) and the names of its rooms: the name registry lives here because a room's name
 * is unique inside its project, an invariant one stream can enforce; each room's price, area and
 * status live in its own stream `room-<roomId>`.
 */
export type ProjectEvent =
  | P<'ProjectCreated', ProjectDetails & { ownerId: string; quick: boolean; policy: ProjectPolicy }>
  | P<'ProjectUpdated', Partial<ProjectDetails>>
  | P<'ProjectPolicySet', ProjectPolicy>
  | P<'ProjectArchived', Record<never, never>>
  | P<'ProjectSuspended', { reason: string }>
  | P<'ProjectReactivated', Record<never, never>>
  | P<'ProjectBanned', { reason: string }>
  | P<'ProjectReopenRequested', { message: string }>
  | P<'ProjectReopenApproved', Record<never, never>>
  | P<'ProjectReopenRejected', { reason: string }>
  | P<'ProjectOwnerReassigned', { fromOwnerId: string; toOwnerId: string }>
  | P<'RoomAdded', { roomId: string; name: string }>
  | P<'RoomRenamed', { roomId: string; name: string }>;

export const PROJECT_EVENT_TYPES: ProjectEvent['type'][] = [
  'ProjectCreated',
  'ProjectUpdated',
  'ProjectPolicySet',
  'ProjectArchived',
  'ProjectSuspended',
  'ProjectReactivated',
  'ProjectBanned',
  'ProjectReopenRequested',
  'ProjectReopenApproved',
  'ProjectReopenRejected',
  'ProjectOwnerReassigned',
  'RoomAdded',
  'RoomRenamed',
];

export const projectStream = (projectId: string) => `project-${projectId}`;
