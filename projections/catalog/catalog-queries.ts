import type pg from 'pg';
import type { ListingImage } from '../../domain/catalog/listing-images.js';
import type { Address, ProjectPolicy } from '../../domain/catalog/project-events.js';
import { isUuid } from '../identity/profiles-queries.js';

export interface ProjectView {
  projectId: string;
  ownerId: string;
  ownerName: string | null;
  name: string;
  description: string;
  address: Address;
  status: string;
  statusReason: string | null;
  reopenRequested: boolean;
  reopenMessage: string | null;
  quick: boolean;
  policy: ProjectPolicy;
  roomCount: number;
  listingCounts: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

export interface RoomView {
  roomId: string;
  projectId: string;
  name: string;
  standardPrice: number;
  areaM2: number;
  status: string;
}

export interface ListingRoomView extends RoomView {
  /** The listing's price and area: its override, else the room's standard value. */
  price: number;
  listingAreaM2: number;
  description: string | null;
  displayOrder: number;
}

export interface ListingView {
  listingId: string;
  projectId: string;
  projectName: string;
  projectStatus: string;
  ownerId: string;
  ownerKycVerified: boolean;
  status: string;
  /** Published, in an active project, with a verified owner: what the public sees. */
  visible: boolean;
  title: string;
  description: string;
  roomType: string;
  amenities: string[];
  address: Address | null;
  depositPolicyId: string | null;
  /** The listing's own choice, else its project's default. */
  depositPolicyInForce: string | null;
  images: ListingImage[];
  stepsSaved: number[];
  /** The first wizard step not saved yet (6 = review and submit). */
  resumeStep: number;
  reason: string | null;
  checklist: Record<string, boolean> | null;
  returnedFields: string[];
  submittedAt: Date | null;
  decidedAt: Date | null;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  rooms: ListingRoomView[];
}

const PROJECT_SQL = `
  select p.*, u.name as owner_name,
    (select count(*)::int from rm.rooms r where r.project_id = p.id and r.registered) as room_count,
    coalesce((select jsonb_object_agg(status, n) from (select status, count(*)::int n from rm.listings l
      where l.project_id = p.id group by status) s), '{}'::jsonb) as listing_counts
  from rm.projects p left join rm.users u on u.id = p.owner_id`;

// biome-ignore lint/suspicious/noExplicitAny: rows straight from pg
const projectOf = (row: any): ProjectView => ({
  projectId: row.id,
  ownerId: row.owner_id,
  ownerName: row.owner_name ?? null,
  name: row.name,
  description: row.description,
  address: { areaId: row.area_id, street: row.street, lat: row.lat, lng: row.lng },
  status: row.status,
  statusReason: row.status_reason,
  reopenRequested: row.reopen_requested,
  reopenMessage: row.reopen_message,
  quick: row.quick,
  policy: row.policy,
  roomCount: row.room_count,
  listingCounts: row.listing_counts,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface ProjectFilter {
  ownerId?: string;
  status?: string;
  areaId?: string;
  reopenRequested?: boolean;
  limit: number;
}

export async function listProjects(pool: pg.Pool, filter: ProjectFilter): Promise<ProjectView[]> {
  const { rows } = await pool.query(
    `${PROJECT_SQL} where ($1::uuid is null or p.owner_id = $1) and ($2::text is null or p.status = $2)
      and ($3::text is null or p.area_id = $3) and ($4::boolean is null or p.reopen_requested = $4)
      order by p.created_at desc limit $5`,
    [
      filter.ownerId ?? null,
      filter.status ?? null,
      filter.areaId ?? null,
      filter.reopenRequested ?? null,
      filter.limit,
    ],
  );
  return rows.map(projectOf);
}

export async function getProject(pool: pg.Pool, projectId: string): Promise<ProjectView | null> {
  if (!isUuid(projectId)) return null;
  const { rows } = await pool.query(`${PROJECT_SQL} where p.id = $1`, [projectId]);
  return rows[0] ? projectOf(rows[0]) : null;
}

export async function listRooms(pool: pg.Pool, projectId: string): Promise<RoomView[]> {
  const { rows } = await pool.query(
    `select id, project_id, name, standard_price, area_m2, status from rm.rooms
      where project_id = $1 and registered order by name`,
    [projectId],
  );
  return rows.map((row) => ({
    roomId: row.id,
    projectId: row.project_id,
    name: row.name,
    standardPrice: Number(row.standard_price),
    areaM2: Number(row.area_m2),
    status: row.status,
  }));
}

const LISTING_SQL = `
  select l.*, p.name as project_name, p.status as project_status, p.owner_id,
    coalesce(o.kyc_verified, false) as owner_kyc_verified,
    coalesce(l.deposit_policy_id::text, p.policy ->> 'defaultDepositPolicyId') as policy_in_force
  from rm.listings l join rm.projects p on p.id = l.project_id
  left join rm.catalog_owners o on o.user_id = p.owner_id`;

// biome-ignore lint/suspicious/noExplicitAny: rows straight from pg
const listingOf = (row: any, rooms: ListingRoomView[]): ListingView => {
  const stepsSaved: number[] = row.steps_saved;
  const resumeStep = [1, 2, 3, 4, 5].find((step) => !stepsSaved.includes(step)) ?? 6;
  return {
    listingId: row.id,
    projectId: row.project_id,
    projectName: row.project_name,
    projectStatus: row.project_status,
    ownerId: row.owner_id,
    ownerKycVerified: row.owner_kyc_verified,
    status: row.status,
    visible: row.status === 'published' && row.project_status === 'active' && row.owner_kyc_verified,
    title: row.title,
    description: row.description,
    roomType: row.room_type,
    amenities: row.amenities,
    address: row.address,
    depositPolicyId: row.deposit_policy_id,
    depositPolicyInForce: row.policy_in_force ?? null,
    images: row.images,
    stepsSaved,
    resumeStep,
    reason: row.reason,
    checklist: row.checklist,
    returnedFields: row.returned_fields,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
    publishedAt: row.published_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    rooms,
  };
};

async function roomsOfListings(pool: pg.Pool, listingIds: string[]): Promise<Map<string, ListingRoomView[]>> {
  const { rows } = await pool.query(
    `select lr.listing_id, lr.room_id, r.project_id, r.name, r.standard_price, r.area_m2, r.status,
        coalesce(lr.price, r.standard_price) as price, coalesce(lr.area_m2, r.area_m2) as listing_area,
        lr.description, lr.display_order
      from rm.listing_rooms lr join rm.rooms r on r.id = lr.room_id
      where lr.listing_id = any($1::uuid[]) order by lr.display_order, r.name`,
    [listingIds],
  );
  const byListing = new Map<string, ListingRoomView[]>();
  for (const row of rows) {
    const list = byListing.get(row.listing_id) ?? [];
    list.push({
      roomId: row.room_id,
      projectId: row.project_id,
      name: row.name,
      standardPrice: Number(row.standard_price),
      areaM2: Number(row.area_m2),
      status: row.status,
      price: Number(row.price),
      listingAreaM2: Number(row.listing_area),
      description: row.description,
      displayOrder: row.display_order,
    });
    byListing.set(row.listing_id, list);
  }
  return byListing;
}

export async function getListing(pool: pg.Pool, listingId: string): Promise<ListingView | null> {
  if (!isUuid(listingId)) return null;
  const { rows } = await pool.query(`${LISTING_SQL} where l.id = $1`, [listingId]);
  if (!rows[0]) return null;
  const rooms = await roomsOfListings(pool, [listingId]);
  return listingOf(rows[0], rooms.get(listingId) ?? []);
}

export interface ListingFilter {
  ownerId?: string;
  projectId?: string;
  status?: string;
  limit: number;
}

export async function listListings(pool: pg.Pool, filter: ListingFilter): Promise<ListingView[]> {
  const { rows } = await pool.query(
    `${LISTING_SQL} where ($1::uuid is null or p.owner_id = $1) and ($2::uuid is null or l.project_id = $2)
      and ($3::text is null or l.status = $3) order by l.updated_at desc limit $4`,
    [filter.ownerId ?? null, filter.projectId ?? null, filter.status ?? null, filter.limit],
  );
  const rooms = await roomsOfListings(
    pool,
    rows.map((row) => row.id),
  );
  return rows.map((row) => listingOf(row, rooms.get(row.id) ?? []));
}

/** Listings waiting for moderation, longest waiting first. */
export async function moderationQueue(
  pool: pg.Pool,
  limit: number,
): Promise<(ListingView & { ownerName: string | null })[]> {
  const { rows } = await pool.query(
    `select q.*, u.name as owner_name from (${LISTING_SQL} where l.status = 'pending_review') q
      left join rm.users u on u.id = q.owner_id order by q.submitted_at asc, q.id limit $1`,
    [limit],
  );
  const rooms = await roomsOfListings(
    pool,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...listingOf(row, rooms.get(row.id) ?? []), ownerName: row.owner_name ?? null }));
}

/** What blocks archiving a project: its published listings and its reserved or rented rooms. */
export async function projectOccupancy(pool: pg.Pool, projectId: string) {
  const { rows } = await pool.query(
    `select (select count(*)::int from rm.listings where project_id = $1 and status = 'published') as published,
      (select count(*)::int from rm.rooms where project_id = $1 and registered and status in ('reserved', 'rented')) as occupied`,
    [projectId],
  );
  return { publishedListings: rows[0]?.published ?? 0, occupiedRooms: rows[0]?.occupied ?? 0 };
}

/** Projects and listings whose address is in this area (an area in use cannot be deleted). */
export async function areaUses(pool: pg.Pool, areaId: string): Promise<number> {
  const { rows } = await pool.query(
    `select (select count(*)::int from rm.projects where area_id = $1 and status <> 'archived')
      + (select count(*)::int from rm.listings where address ->> 'areaId' = $1 and status <> 'archived') as uses`,
    [areaId],
  );
  return rows[0]?.uses ?? 0;
}

/** Listings and projects that use a deposit policy (a used policy cannot be deleted). */
export async function depositPolicyUses(pool: pg.Pool, policyId: string): Promise<number> {
  const { rows } = await pool.query(
    `select (select count(*)::int from rm.listings where deposit_policy_id = $1)
      + (select count(*)::int from rm.projects where policy ->> 'defaultDepositPolicyId' = $1::text) as uses`,
    [policyId],
  );
  return rows[0]?.uses ?? 0;
}
