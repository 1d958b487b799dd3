import { sql } from 'kysely';
import type { ProjectEvent } from '../../domain/catalog/project-events.js';
import type { RoomEvent } from '../../domain/catalog/room-events.js';
import type { ProjectionContext } from '../projection.js';

export async function applyProjectEvent(event: ProjectEvent, at: Date, { trx, schema }: ProjectionContext<unknown>) {
  const projects = sql.id(schema, 'projects');
  const id = event.data.projectId;
  const set = (assignments: ReturnType<typeof sql>) =>
    sql`update ${projects} set ${assignments}, updated_at = ${at} where id = ${id}`.execute(trx);
  switch (event.type) {
    case 'ProjectCreated': {
      const { ownerId, name, description, address, quick, policy } = event.data;
      await sql`insert into ${projects} (id, owner_id, name, description, area_id, street, lat, lng, status, quick,
          policy, created_at, updated_at)
        values (${id}, ${ownerId}, ${name}, ${description}, ${address.areaId}, ${address.street}, ${address.lat},
          ${address.lng}, 'active', ${quick}, ${JSON.stringify(policy)}::jsonb, ${at}, ${at})
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'ProjectUpdated': {
      const { name, description, address } = event.data;
      if (name !== undefined) await set(sql`name = ${name}`);
      if (description !== undefined) await set(sql`description = ${description}`);
      if (address !== undefined) {
        await set(
          sql`area_id = ${address.areaId}, street = ${address.street}, lat = ${address.lat}, lng = ${address.lng}`,
        );
      }
      return;
    }
    case 'ProjectPolicySet': {
      const { projectId: _, ...policy } = event.data;
      await set(sql`policy = ${JSON.stringify(policy)}::jsonb`);
      return;
    }
    case 'ProjectArchived':
      await set(sql`status = 'archived', status_reason = null`);
      return;
    case 'ProjectSuspended':
      await set(sql`status = 'suspended', status_reason = ${event.data.reason}`);
      return;
    case 'ProjectBanned':
      await set(sql`status = 'banned', status_reason = ${event.data.reason}, reopen_requested = false`);
      return;
    case 'ProjectReactivated':
    case 'ProjectReopenApproved':
      await set(sql`status = 'active', status_reason = null, reopen_requested = false, reopen_message = null`);
      return;
    case 'ProjectReopenRequested':
      await set(sql`reopen_requested = true, reopen_message = ${event.data.message}`);
      return;
    case 'ProjectReopenRejected':
      await set(sql`reopen_requested = false, status_reason = ${event.data.reason}`);
      return;
    case 'ProjectOwnerReassigned':
      await set(sql`owner_id = ${event.data.toOwnerId}`);
      return;
    case 'RoomAdded':
    case 'RoomRenamed':
      await sql`update ${sql.id(schema, 'rooms')} set name = ${event.data.name}, registered = true, updated_at = ${at}
        where id = ${event.data.roomId}`.execute(trx);
      return;
  }
}

const ROOM_STATUS_OF: Partial<Record<RoomEvent['type'], string>> = {
  RoomReserved: 'reserved',
  RoomReservationReleased: 'available',
  RoomRented: 'rented',
  RoomCleaningStarted: 'cleaning',
  RoomMadeAvailable: 'available',
};

export async function applyRoomEvent(event: RoomEvent, at: Date, { trx, schema }: ProjectionContext<unknown>) {
  const rooms = sql.id(schema, 'rooms');
  const id = event.data.roomId;
  switch (event.type) {
    case 'RoomCreated': {
      const { projectId, standardPrice, areaM2 } = event.data;
      await sql`insert into ${rooms} (id, project_id, standard_price, area_m2, status, updated_at)
        values (${id}, ${projectId}, ${standardPrice}, ${areaM2}, 'available', ${at})
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'RoomDetailsChanged': {
      const { standardPrice, areaM2 } = event.data;
      await sql`update ${rooms} set standard_price = coalesce(${standardPrice ?? null}::bigint, standard_price),
        area_m2 = coalesce(${areaM2 ?? null}::numeric, area_m2), updated_at = ${at} where id = ${id}`.execute(trx);
      return;
    }
    default: {
      const status = ROOM_STATUS_OF[event.type];
      if (status === undefined) return; // a handover's claim on the room does not change its status
      const holdId = event.type === 'RoomReserved' || event.type === 'RoomRented' ? event.data.holdId : null;
      await sql`update ${rooms} set status = ${status}, hold_id = ${holdId}, updated_at = ${at} where id = ${id}`.execute(
        trx,
      );
    }
  }
}
