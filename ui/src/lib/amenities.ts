// Amenity catalog (tiện ích): the public list and the admin calls of /api/v1/admin/amenities.
import { API_BASE, apiGet, apiSend } from './api';

export type Amenity = {
  /** lower_snake slug that listings store, e.g. `air_conditioner`. */
  id: string;
  nameVi: string;
  nameEn: string;
  icon: string | null;
  active: boolean;
  position: number;
};

export const AMENITY_ID_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

const admin = `${API_BASE}/admin/amenities`;
const one = (id: string) => `${admin}/${encodeURIComponent(id)}`;

/** Active amenities in display order (search filters, the listing form). */
export const listAmenities = () => apiGet<Amenity[]>(`${API_BASE}/amenities`);
/** Every amenity, disabled ones too (admins). */
export const listAllAmenities = () => apiGet<Amenity[]>(admin);

export const addAmenity = (input: { id: string; nameVi: string; nameEn: string; icon: string | null }) =>
  apiSend<Amenity>('POST', admin, input);

export const updateAmenity = (id: string, patch: { nameVi?: string; nameEn?: string; icon?: string | null }) =>
  apiSend<Amenity>('PATCH', one(id), patch);

export const setAmenityActive = (id: string, active: boolean) =>
  apiSend<Amenity>('POST', `${one(id)}/${active ? 'enable' : 'disable'}`);

/** Every amenity id exactly once; answers the catalog in its new order. */
export const reorderAmenities = (order: string[]) => apiSend<Amenity[]>('PUT', `${admin}/order`, { order });

/** `ids` with the one at `index` moved by `delta` places (−1 up, +1 down). */
export function moved(ids: readonly string[], index: number, delta: -1 | 1): string[] {
  const next = [...ids];
  const target = index + delta;
  if (target < 0 || target >= next.length) return next;
  [next[index], next[target]] = [next[target] as string, next[index] as string];
  return next;
}
