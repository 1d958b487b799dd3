import { sql } from 'kysely';
import { SPECIALTY_EVENT_TYPES, type SpecialtyEvent } from '../../domain/booking/specialty-events.js';
import { foldVietnamese } from '../../domain/shared/text.js';
import type { Projection } from '../projection.js';

export interface SpecialtyRow {
  id: string;
  name_vi: string;
  name_en: string;
  /** Both names folded (no accents, lower case), for the experts search. */
  search_text: string;
  active: boolean;
  position: number;
  updated_at: Date;
}

export interface SpecialtiesTables {
  specialties: SpecialtyRow;
}

const searchText = (nameVi: string, nameEn: string) => foldVietnamese(`${nameVi} ${nameEn}`);

/** The specialty catalog (rm.specialties) in the order specialties were added. */
export const specialtiesProjection: Projection<SpecialtiesTables> = {
  name: 'specialties',
  version: 1,
  filter: { eventTypes: SPECIALTY_EVENT_TYPES },
  tables: ['specialties'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'specialties')} (
      id text primary key,
      name_vi text not null,
      name_en text not null,
      search_text text not null,
      active boolean not null default true,
      position integer not null,
      updated_at timestamptz not null
    )`.execute(db);
  },

  async apply(events, { db }) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as SpecialtyEvent;
      const updatedAt = new Date(recorded.metadata.occurredAt);
      switch (event.type) {
        case 'SpecialtyAdded': {
          const { specialtyId, nameVi, nameEn, position } = event.data;
          await db
            .insertInto('specialties')
            .values({
              id: specialtyId,
              name_vi: nameVi,
              name_en: nameEn,
              search_text: searchText(nameVi, nameEn),
              active: true,
              position,
              updated_at: updatedAt,
            })
            .execute();
          break;
        }
        case 'SpecialtyRenamed': {
          const { specialtyId, nameVi, nameEn } = event.data;
          await db
            .updateTable('specialties')
            .set({ name_vi: nameVi, name_en: nameEn, search_text: searchText(nameVi, nameEn), updated_at: updatedAt })
            .where('id', '=', specialtyId)
            .execute();
          break;
        }
        case 'SpecialtyDisabled':
        case 'SpecialtyEnabled':
          await db
            .updateTable('specialties')
            .set({ active: event.type === 'SpecialtyEnabled', updated_at: updatedAt })
            .where('id', '=', event.data.specialtyId)
            .execute();
          break;
      }
    }
  },
};
