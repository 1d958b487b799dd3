import { sql } from 'kysely';
import { LISTING_EVENT_TYPES, type ListingEvent } from '../../domain/catalog/listing-events.js';
import { PROJECT_EVENT_TYPES, type ProjectEvent } from '../../domain/catalog/project-events.js';
import { ROOM_EVENT_TYPES, type RoomEvent } from '../../domain/catalog/room-events.js';
import type { KycEvent } from '../../domain/identity/kyc-events.js';
import type { Projection } from '../projection.js';
import { applyListingEvent } from './catalog-listings.js';
import { applyProjectEvent, applyRoomEvent } from './catalog-projects.js';

/**
 * The catalog as owners and operators work with it: projects, rooms (one live status each),
 * listings with their wizard progress and moderation facts, and which owners are KYC-verified.
 * Public search has its own read model (listing-search).
 */
export const catalogProjection: Projection = {
  name: 'catalog',
  version: 1,
  filter: {
    eventTypes: [...PROJECT_EVENT_TYPES, ...ROOM_EVENT_TYPES, ...LISTING_EVENT_TYPES, 'KycVerified', 'KycRejected'],
  },
  tables: ['projects', 'rooms', 'listings', 'listing_rooms', 'catalog_owners'],

  async setup(db, schema) {
    const t = (name: string) => sql.id(schema, name);
    await sql`create table if not exists ${t('projects')} (
      id uuid primary key,
      owner_id uuid not null,
      name text not null,
      description text not null,
      area_id text not null,
      street text not null,
      lat double precision,
      lng double precision,
      status text not null,
      status_reason text,
      reopen_requested boolean not null default false,
      reopen_message text,
      quick boolean not null,
      policy jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists projects_owner on ${t('projects')} (owner_id, created_at desc)`.execute(db);
    await sql`create index if not exists projects_status on ${t('projects')} (status, created_at desc)`.execute(db);
    await sql`create table if not exists ${t('rooms')} (
      id uuid primary key,
      project_id uuid not null,
      name text,
      standard_price bigint not null,
      area_m2 numeric(8, 1) not null,
      status text not null,
      hold_id text,
      registered boolean not null default false,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists rooms_project on ${t('rooms')} (project_id, name)`.execute(db);
    await sql`create table if not exists ${t('listings')} (
      id uuid primary key,
      project_id uuid not null,
      status text not null,
      title text not null,
      description text not null,
      room_type text not null,
      amenities text[] not null default '{}',
      address jsonb,
      deposit_policy_id uuid,
      images jsonb not null default '[]',
      steps_saved integer[] not null default '{1}',
      submitted_at timestamptz,
      decided_at timestamptz,
      published_at timestamptz,
      reason text,
      checklist jsonb,
      returned_fields text[] not null default '{}',
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists listings_project on ${t('listings')} (project_id, status)`.execute(db);
    await sql`create index if not exists listings_queue on ${t('listings')} (status, submitted_at)`.execute(db);
    await sql`create table if not exists ${t('listing_rooms')} (
      listing_id uuid not null,
      room_id uuid not null,
      price bigint,
      area_m2 numeric(8, 1),
      description text,
      display_order integer not null,
      primary key (listing_id, room_id)
    )`.execute(db);
    await sql`create index if not exists listing_rooms_room on ${t('listing_rooms')} (room_id)`.execute(db);
    await sql`create table if not exists ${t('catalog_owners')} (
      user_id uuid primary key,
      kyc_verified boolean not null
    )`.execute(db);
  },

  async apply(events, context) {
    for (const recorded of events) {
      const at = new Date(recorded.metadata.occurredAt);
      const type = recorded.type;
      if ((PROJECT_EVENT_TYPES as string[]).includes(type)) {
        await applyProjectEvent(recorded as unknown as ProjectEvent, at, context);
      } else if ((ROOM_EVENT_TYPES as string[]).includes(type)) {
        await applyRoomEvent(recorded as unknown as RoomEvent, at, context);
      } else if ((LISTING_EVENT_TYPES as string[]).includes(type)) {
        await applyListingEvent(recorded as unknown as ListingEvent, at, context);
      } else if (type === 'KycVerified' || type === 'KycRejected') {
        const { userId } = (recorded as unknown as KycEvent).data;
        await sql`insert into ${sql.id(context.schema, 'catalog_owners')} (user_id, kyc_verified)
          values (${userId}, ${type === 'KycVerified'})
          on conflict (user_id) do update set kyc_verified = excluded.kyc_verified`.execute(context.trx);
      }
    }
  },
};
