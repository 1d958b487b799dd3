import type { RecordedEvent } from '../../commands/eventstore/port.js';
import type { AreaEvent } from '../../domain/catalog/area-events.js';
import type { ListingEvent, ListingRoom } from '../../domain/catalog/listing-events.js';
import type { ProjectEvent } from '../../domain/catalog/project-events.js';
import type { RoomEvent } from '../../domain/catalog/room-events.js';
import type { KycEvent } from '../../domain/identity/kyc-events.js';
import { foldVietnamese } from '../../domain/shared/text.js';

/** The events the search read model listens to (the others of these streams change nothing it shows). */
export const LISTING_SEARCH_EVENT_TYPES = [
  'AreaCreated',
  'AreaRenamed',
  'AreaMoved',
  'AreaDeleted',
  'ProjectCreated',
  'ProjectArchived',
  'ProjectSuspended',
  'ProjectReactivated',
  'ProjectBanned',
  'ProjectReopenApproved',
  'ProjectOwnerReassigned',
  'KycVerified',
  'KycRejected',
  'RoomCreated',
  'RoomDetailsChanged',
  'RoomReserved',
  'RoomReservationReleased',
  'RoomRented',
  'RoomCleaningStarted',
  'RoomMadeAvailable',
  'ListingDraftCreated',
  'ListingBasicsSaved',
  'ListingFeaturesSaved',
  'ListingRoomsSaved',
  'ListingImagesAdded',
  'ListingImageRemoved',
  'ListingImagesReordered',
  'ListingSubmitted',
  'ListingApproved',
  'ListingRejected',
  'ListingPublished',
  'ListingReturnedToReview',
  'ListingSuspended',
  'ListingReinstated',
  'ListingArchived',
] as const satisfies readonly (
  | AreaEvent['type']
  | ProjectEvent['type']
  | KycEvent['type']
  | RoomEvent['type']
  | ListingEvent['type']
)[];

export interface AreaFacts {
  area_id: string;
  parent_id: string | null;
  level: string;
  name: string;
  name_folded: string;
}

export interface ProjectFacts {
  project_id: string;
  owner_id: string;
  status: string;
}

export interface RoomFacts {
  room_id: string;
  project_id: string;
  standard_price: number;
  area_m2: number;
  status: string;
}

export interface ListingFacts {
  listing_id: string;
  project_id: string;
  status: string;
  title: string;
  title_folded: string;
  description: string;
  description_folded: string;
  room_type: string;
  amenities: string[];
  area_id: string | null;
  street: string | null;
  street_folded: string | null;
  lat: number | null;
  lng: number | null;
  /** Storage keys in display order; the first one's thumbnail is the cover. */
  images: { key: string; thumbnailKey: string }[];
  published_at: string | null;
  created_at: string;
}

/** What one batch changed; each map holds the final facts of what it touched (null = deleted). */
export interface SearchChanges {
  areas: Map<string, AreaFacts | null>;
  projects: Map<string, ProjectFacts>;
  owners: Map<string, boolean>;
  rooms: Map<string, RoomFacts>;
  listings: Map<string, ListingFacts>;
  /** Listings whose set of rooms was saved, with the last saved set. */
  listingRooms: Map<string, ListingRoom[]>;
}

const CREATED = new Set(['AreaCreated', 'ProjectCreated', 'RoomCreated', 'ListingDraftCreated']);

/**
 * Ids of the stored facts a batch needs before folding (partial changes apply to them); what the
 * batch itself creates first is not looked up (most of a bulk rebuild).
 */
export function idsToLoad(events: readonly RecordedEvent[]) {
  const ids = {
    areas: new Set<string>(),
    projects: new Set<string>(),
    rooms: new Set<string>(),
    listings: new Set<string>(),
  };
  const seen = new Set<string>();
  for (const { type, data } of events) {
    const d = data as { areaId?: string; projectId?: string; roomId?: string; listingId?: string };
    const [kind, id] = type.startsWith('Area')
      ? (['areas', d.areaId] as const)
      : type.startsWith('Project')
        ? (['projects', d.projectId] as const)
        : type.startsWith('Room')
          ? (['rooms', d.roomId] as const)
          : type.startsWith('Listing')
            ? (['listings', d.listingId] as const)
            : ([null, undefined] as const);
    if (!kind || !id || seen.has(`${kind}:${id}`)) continue;
    seen.add(`${kind}:${id}`);
    if (!CREATED.has(type)) ids[kind].add(id);
  }
  return ids;
}

const PROJECT_STATUS_OF: Partial<Record<ProjectEvent['type'], string>> = {
  ProjectArchived: 'archived',
  ProjectSuspended: 'suspended',
  ProjectReactivated: 'active',
  ProjectBanned: 'banned',
  ProjectReopenApproved: 'active',
};

const ROOM_STATUS_OF: Partial<Record<RoomEvent['type'], string>> = {
  RoomReserved: 'reserved',
  RoomReservationReleased: 'available',
  RoomRented: 'rented',
  RoomCleaningStarted: 'cleaning',
  RoomMadeAvailable: 'available',
};

const LISTING_STATUS_OF: Partial<Record<ListingEvent['type'], string>> = {
  ListingSubmitted: 'pending_review',
  ListingReturnedToReview: 'pending_review',
  ListingApproved: 'approved',
  ListingRejected: 'rejected',
  ListingPublished: 'published',
  ListingSuspended: 'suspended',
  ListingArchived: 'archived',
};

function foldArea(changes: SearchChanges, event: AreaEvent): void {
  const id = event.data.areaId;
  if (event.type === 'AreaCreated') {
    const { name, level, parentId } = event.data;
    changes.areas.set(id, { area_id: id, parent_id: parentId, level, name, name_folded: foldVietnamese(name) });
    return;
  }
  if (event.type === 'AreaDeleted') {
    changes.areas.set(id, null);
    return;
  }
  const area = changes.areas.get(id);
  if (!area) return;
  if (event.type === 'AreaRenamed') {
    area.name = event.data.name;
    area.name_folded = foldVietnamese(event.data.name);
  } else if (event.type === 'AreaMoved') {
    area.parent_id = event.data.parentId;
  }
}

function foldProject(changes: SearchChanges, event: ProjectEvent): void {
  const id = event.data.projectId;
  if (event.type === 'ProjectCreated') {
    changes.projects.set(id, { project_id: id, owner_id: event.data.ownerId, status: 'active' });
    return;
  }
  const project = changes.projects.get(id);
  if (!project) return;
  if (event.type === 'ProjectOwnerReassigned') project.owner_id = event.data.toOwnerId;
  project.status = PROJECT_STATUS_OF[event.type] ?? project.status;
}

function foldRoom(changes: SearchChanges, event: RoomEvent): void {
  const id = event.data.roomId;
  if (event.type === 'RoomCreated') {
    const { projectId, standardPrice, areaM2 } = event.data;
    changes.rooms.set(id, {
      room_id: id,
      project_id: projectId,
      standard_price: standardPrice,
      area_m2: areaM2,
      status: 'available',
    });
    return;
  }
  const room = changes.rooms.get(id);
  if (!room) return;
  if (event.type === 'RoomDetailsChanged') {
    room.standard_price = event.data.standardPrice ?? room.standard_price;
    room.area_m2 = event.data.areaM2 ?? room.area_m2;
  }
  room.status = ROOM_STATUS_OF[event.type] ?? room.status;
}

function foldListing(changes: SearchChanges, event: ListingEvent, occurredAt: string): void {
  const id = event.data.listingId;
  if (event.type === 'ListingDraftCreated') {
    const { projectId, title, description, roomType } = event.data;
    changes.listings.set(id, {
      listing_id: id,
      project_id: projectId,
      status: 'draft',
      title,
      title_folded: foldVietnamese(title),
      description,
      description_folded: foldVietnamese(description),
      room_type: roomType,
      amenities: [],
      area_id: null,
      street: null,
      street_folded: null,
      lat: null,
      lng: null,
      images: [],
      published_at: null,
      created_at: occurredAt,
    });
    return;
  }
  const listing = changes.listings.get(id);
  if (!listing) return;
  switch (event.type) {
    case 'ListingBasicsSaved':
      listing.title = event.data.title;
      listing.title_folded = foldVietnamese(event.data.title);
      listing.description = event.data.description;
      listing.description_folded = foldVietnamese(event.data.description);
      listing.room_type = event.data.roomType;
      break;
    case 'ListingFeaturesSaved': {
      const { areaId, street, lat, lng } = event.data.address;
      Object.assign(listing, {
        amenities: event.data.amenities,
        area_id: areaId,
        street,
        street_folded: foldVietnamese(street),
        lat,
        lng,
      });
      break;
    }
    case 'ListingRoomsSaved':
      changes.listingRooms.set(id, event.data.rooms);
      break;
    case 'ListingImagesAdded':
      listing.images.push(...event.data.images.map(({ key, thumbnailKey }) => ({ key, thumbnailKey })));
      break;
    case 'ListingImageRemoved':
      listing.images = listing.images.filter((image) => image.key !== event.data.key);
      break;
    case 'ListingImagesReordered': {
      const byKey = new Map(listing.images.map((image) => [image.key, image]));
      listing.images = event.data.keys.flatMap((key) => byKey.get(key) ?? []);
      break;
    }
    case 'ListingReinstated':
      listing.status = event.data.published ? 'published' : 'approved';
      if (event.data.published) listing.published_at = occurredAt;
      break;
    default:
      listing.status = LISTING_STATUS_OF[event.type] ?? listing.status;
      if (event.type === 'ListingPublished') listing.published_at = occurredAt;
  }
}

/** Folds a batch, in order, onto the loaded facts held in `changes` (which it updates). */
export function foldSearchEvents(changes: SearchChanges, events: readonly RecordedEvent[]): void {
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data };
    const type = recorded.type;
    if (type === 'KycVerified' || type === 'KycRejected') {
      changes.owners.set((event as KycEvent).data.userId, type === 'KycVerified');
    } else if (type.startsWith('Area')) foldArea(changes, event as AreaEvent);
    else if (type.startsWith('Project')) foldProject(changes, event as ProjectEvent);
    else if (type.startsWith('Room')) foldRoom(changes, event as RoomEvent);
    else if (type.startsWith('Listing')) foldListing(changes, event as ListingEvent, recorded.metadata.occurredAt);
  }
}
