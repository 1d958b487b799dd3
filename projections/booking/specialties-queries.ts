import { type Kysely, sql } from 'kysely';
import type { SpecialtiesTables } from './specialties-projection.js';

export interface SpecialtyView {
  id: string;
  nameVi: string;
  nameEn: string;
  active: boolean;
  position: number;
}

/** The catalog in display order; active specialties only unless `includeDisabled`. */
export async function listSpecialties(
  db: Kysely<SpecialtiesTables>,
  options: { includeDisabled?: boolean } = {},
): Promise<SpecialtyView[]> {
  const { rows } = await sql<SpecialtyView>`
    select id, name_vi as "nameVi", name_en as "nameEn", active, position
      from rm.specialties where ${options.includeDisabled ?? false} or active
     order by position, id`.execute(db);
  return rows;
}

export async function getSpecialty(db: Kysely<SpecialtiesTables>, id: string): Promise<SpecialtyView | null> {
  const { rows } = await sql<SpecialtyView>`
    select id, name_vi as "nameVi", name_en as "nameEn", active, position
      from rm.specialties where id = ${id}`.execute(db);
  return rows[0] ?? null;
}
