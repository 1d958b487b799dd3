import { sql } from 'kysely';
import { AMENITY_EVENT_TYPES, type AmenityEvent } from '../../domain/catalog/amenity-events.js';
import type { Projection } from '../projection.js';

export interface AmenityRow {
  id: string;
  name_vi: string;
  name_en: string;
  icon: string | null;
  active: boolean;
  position: number;
  updated_at: Date;
}

export interface AmenitiesTables {
  amenities: AmenityRow;
}

/** The amenity catalog (rm.amenities) in display order. */
export const amenitiesProjection: Projection<AmenitiesTables> = {
  name: 'amenities',
  version: 1,
  filter: { eventTypes: AMENITY_EVENT_TYPES },
  tables: ['amenities'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'amenities')} (
      id text primary key,
      name_vi text not null,
      name_en text not null,
      icon text,
      active boolean not null default true,
      position integer not null,
      updated_at timestamptz not null
    )`.execute(db);
  },

  async apply(events, { db, trx, schema }) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as AmenityEvent;
      const updatedAt = new Date(recorded.metadata.occurredAt);
      switch (event.type) {
        case 'AmenityAdded': {
          const { amenityId, nameVi, nameEn, icon, position } = event.data;
          await db
            .insertInto('amenities')
            .values({
              id: amenityId,
              name_vi: nameVi,
              name_en: nameEn,
              icon,
              active: true,
              position,
              updated_at: updatedAt,
            })
            .execute();
          break;
        }
        case 'AmenityRenamed': {
          const { amenityId, nameVi, nameEn, icon } = event.data;
          await db
            .updateTable('amenities')
            .set({ name_vi: nameVi, name_en: nameEn, icon, updated_at: updatedAt })
            .where('id', '=', amenityId)
            .execute();
          break;
        }
        case 'AmenityDisabled':
        case 'AmenityEnabled':
          await db
            .updateTable('amenities')
            .set({ active: event.type === 'AmenityEnabled', updated_at: updatedAt })
            .where('id', '=', event.data.amenityId)
            .execute();
          break;
        case 'AmenitiesReordered':
          await sql`update ${sql.id(schema, 'amenities')}
            set position = array_position(${event.data.order}::text[], id) - 1, updated_at = ${updatedAt}
            where id = any(${event.data.order}::text[])`.execute(trx);
          break;
      }
    }
  },
};
