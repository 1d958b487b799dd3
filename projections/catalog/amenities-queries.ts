import type pg from 'pg';

export interface AmenityView {
  id: string;
  nameVi: string;
  nameEn: string;
  icon: string | null;
  active: boolean;
  position: number;
}

/** The catalog in display order; active amenities only unless `includeDisabled`. */
export async function listAmenities(
  pool: pg.Pool,
  options: { includeDisabled?: boolean } = {},
): Promise<AmenityView[]> {
  const { rows } = await pool.query<AmenityView>(
    `select id, name_vi as "nameVi", name_en as "nameEn", icon, active, position
       from rm.amenities where $1 or active order by position, id`,
    [options.includeDisabled ?? false],
  );
  return rows;
}

export async function getAmenity(pool: pg.Pool, id: string): Promise<AmenityView | null> {
  return (await listAmenities(pool, { includeDisabled: true })).find((a) => a.id === id) ?? null;
}
