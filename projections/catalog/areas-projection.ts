import { sql } from 'kysely';
import type { RecordedEvent } from '../../commands/eventstore/port.js';
import { AREA_EVENT_TYPES, type AreaEvent } from '../../domain/catalog/area-events.js';
import { foldVietnamese } from '../../domain/shared/text.js';
import type { Projection } from '../projection.js';

export interface AreaRow {
  id: string;
  code: string | null;
  name: string;
  name_folded: string;
  level: string;
  parent_id: string | null;
  hot: boolean;
  updated_at: Date;
}

export interface AreasTables {
  areas: AreaRow;
}

export const areasProjection: Projection<AreasTables> = {
  name: 'areas',
  version: 1,
  filter: { eventTypes: AREA_EVENT_TYPES },
  tables: ['areas'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'areas')} (
      id text primary key,
      code text,
      name text not null,
      name_folded text not null,
      level text not null,
      parent_id text,
      hot boolean not null default false,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists areas_parent on ${sql.id(schema, 'areas')} (parent_id)`.execute(db);
  },

  async apply(events: RecordedEvent[], { db }) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as AreaEvent;
      const updatedAt = new Date(recorded.metadata.occurredAt);
      switch (event.type) {
        case 'AreaCreated': {
          const { areaId, name, level, parentId, code, hot } = event.data;
          await db
            .insertInto('areas')
            .values({
              id: areaId,
              code,
              name,
              name_folded: foldVietnamese(name),
              level,
              parent_id: parentId,
              hot,
              updated_at: updatedAt,
            })
            .execute();
          break;
        }
        case 'AreaRenamed':
          await db
            .updateTable('areas')
            .set({ name: event.data.name, name_folded: foldVietnamese(event.data.name), updated_at: updatedAt })
            .where('id', '=', event.data.areaId)
            .execute();
          break;
        case 'AreaMoved':
          await db
            .updateTable('areas')
            .set({ parent_id: event.data.parentId, updated_at: updatedAt })
            .where('id', '=', event.data.areaId)
            .execute();
          break;
        case 'AreaHotMarked':
          await db
            .updateTable('areas')
            .set({ hot: event.data.hot, updated_at: updatedAt })
            .where('id', '=', event.data.areaId)
            .execute();
          break;
        case 'AreaDeleted':
          await db.deleteFrom('areas').where('id', '=', event.data.areaId).execute();
          break;
      }
    }
  },
};
