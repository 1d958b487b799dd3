import type { Decider } from '../shared/decider.js';
import { DomainError, invalid, notFound } from '../shared/errors.js';
import { foldVietnamese } from '../shared/text.js';
import type { AmenityEvent } from './amenity-events.js';

export interface Amenity {
  id: string;
  nameVi: string;
  nameEn: string;
  icon: string | null;
  active: boolean;
}

export interface AmenityCatalogState {
  amenities: Map<string, Amenity>;
  /** Every amenity id (disabled ones too) in display order. */
  order: string[];
}

export type AmenityCommand =
  | { type: 'AddAmenity'; amenityId: string; nameVi: string; nameEn: string; icon: string | null }
  | { type: 'RenameAmenity'; amenityId: string; nameVi?: string; nameEn?: string; icon?: string | null }
  | { type: 'DisableAmenity'; amenityId: string }
  | { type: 'EnableAmenity'; amenityId: string }
  | { type: 'ReorderAmenities'; order: string[] };

export const AMENITY_ID_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;
export const AMENITY_ICON_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const AMENITY_LIMITS = { name: 60, icon: 40, amenities: 200 } as const;

const cleanName = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ');
const conflictOn = (code: string, message: string, field: string) =>
  new DomainError('conflict', code, message, { field });

/** What `amenityProblem` needs: the catalog state, or a map built from the `rm.amenities` read model. */
export interface AmenityLookup {
  readonly amenities: ReadonlyMap<string, { readonly active: boolean }>;
}

/**
 * For the listing decider: the amenity ids a listing asks for must exist and be active, except
 * ids the listing already carries (`kept`): a disabled amenity stays on the listings that have it.
 */
export function amenityProblem(
  ids: readonly string[],
  catalog: AmenityLookup,
  kept: readonly string[] = [],
): DomainError | null {
  for (const [index, id] of ids.entries()) {
    const field = `amenities.${index}`;
    const amenity = catalog.amenities.get(id);
    if (!amenity) return invalid('AMENITY_UNKNOWN', `Tiện ích "${id}" không tồn tại`, field);
    if (!amenity.active && !kept.includes(id)) {
      return invalid('AMENITY_DISABLED', `Tiện ích "${id}" đã ngừng sử dụng`, field);
    }
  }
  return null;
}

/** Active amenities in display order (what a new listing may choose from). */
export const activeAmenities = (state: AmenityCatalogState): Amenity[] =>
  state.order.flatMap((id) => {
    const amenity = state.amenities.get(id);
    return amenity?.active ? [amenity] : [];
  });

function namesProblem(state: AmenityCatalogState, self: { id: string; nameVi: string; nameEn: string }) {
  for (const field of ['nameVi', 'nameEn'] as const) {
    const length = self[field].length;
    if (length === 0 || length > AMENITY_LIMITS.name) {
      return invalid('AMENITY_NAME_INVALID', `Tên tiện ích phải có từ 1 đến ${AMENITY_LIMITS.name} ký tự`, field);
    }
  }
  const folded = foldVietnamese(self.nameVi);
  for (const other of state.amenities.values()) {
    if (other.id !== self.id && foldVietnamese(other.nameVi) === folded) {
      return conflictOn('AMENITY_NAME_TAKEN', `Tiện ích "${other.nameVi}" đã tồn tại`, 'nameVi');
    }
  }
  return null;
}

function iconProblem(icon: string | null) {
  if (icon === null || (icon.length <= AMENITY_LIMITS.icon && AMENITY_ICON_PATTERN.test(icon))) return null;
  return invalid('AMENITY_ICON_INVALID', 'Tên biểu tượng chỉ gồm chữ thường, số và dấu gạch ngang', 'icon');
}

function decideReorder(state: AmenityCatalogState, order: string[]): AmenityEvent[] | DomainError {
  const seen = new Set<string>();
  for (const [index, id] of order.entries()) {
    if (!state.amenities.has(id)) return invalid('AMENITY_UNKNOWN', `Tiện ích "${id}" không tồn tại`, `order.${index}`);
    if (seen.has(id)) return invalid('AMENITY_DUPLICATE', `Tiện ích "${id}" bị lặp lại`, `order.${index}`);
    seen.add(id);
  }
  if (seen.size !== state.order.length) {
    return conflictOn('AMENITY_ORDER_STALE', 'Danh sách tiện ích vừa thay đổi; hãy tải lại rồi sắp xếp', 'order');
  }
  if (order.every((id, index) => state.order[index] === id)) return [];
  return [{ type: 'AmenitiesReordered', data: { order: [...order], previousOrder: [...state.order] } }];
}

function decide(command: AmenityCommand, state: AmenityCatalogState): AmenityEvent[] | DomainError {
  if (command.type === 'ReorderAmenities') return decideReorder(state, command.order);
  if (command.type === 'AddAmenity') {
    const { amenityId } = command;
    if (!AMENITY_ID_PATTERN.test(amenityId)) {
      return invalid('AMENITY_ID_INVALID', 'Mã tiện ích: 2–40 ký tự a-z, 0-9, _, bắt đầu bằng chữ', 'id');
    }
    if (state.amenities.has(amenityId)) return conflictOn('AMENITY_EXISTS', `Mã "${amenityId}" đã được dùng`, 'id');
    if (state.order.length >= AMENITY_LIMITS.amenities) {
      return new DomainError('conflict', 'AMENITY_LIMIT', `Tối đa ${AMENITY_LIMITS.amenities} tiện ích`);
    }
    const nameVi = cleanName(command.nameVi);
    const nameEn = cleanName(command.nameEn);
    const problem = namesProblem(state, { id: amenityId, nameVi, nameEn }) ?? iconProblem(command.icon);
    if (problem) return problem;
    const position = state.order.length;
    return [{ type: 'AmenityAdded', data: { amenityId, nameVi, nameEn, icon: command.icon, position } }];
  }
  const amenity = state.amenities.get(command.amenityId);
  if (!amenity) return notFound('AMENITY_NOT_FOUND', `Tiện ích "${command.amenityId}" không tồn tại`);
  switch (command.type) {
    case 'RenameAmenity': {
      const nameVi = command.nameVi === undefined ? amenity.nameVi : cleanName(command.nameVi);
      const nameEn = command.nameEn === undefined ? amenity.nameEn : cleanName(command.nameEn);
      const icon = command.icon === undefined ? amenity.icon : command.icon;
      const problem = namesProblem(state, { id: amenity.id, nameVi, nameEn }) ?? iconProblem(icon);
      if (problem) return problem;
      if (nameVi === amenity.nameVi && nameEn === amenity.nameEn && icon === amenity.icon) return [];
      const previous = { previousNameVi: amenity.nameVi, previousNameEn: amenity.nameEn, previousIcon: amenity.icon };
      return [{ type: 'AmenityRenamed', data: { amenityId: amenity.id, nameVi, nameEn, icon, ...previous } }];
    }
    case 'DisableAmenity':
      return amenity.active ? [{ type: 'AmenityDisabled', data: { amenityId: amenity.id } }] : [];
    case 'EnableAmenity':
      return amenity.active ? [] : [{ type: 'AmenityEnabled', data: { amenityId: amenity.id } }];
  }
}

/** Updates the state it owns (see Decider) and returns it. */
function evolve(state: AmenityCatalogState, event: AmenityEvent): AmenityCatalogState {
  const existing = 'amenityId' in event.data ? state.amenities.get(event.data.amenityId) : undefined;
  switch (event.type) {
    case 'AmenityAdded': {
      const { amenityId, nameVi, nameEn, icon } = event.data;
      state.amenities.set(amenityId, { id: amenityId, nameVi, nameEn, icon, active: true });
      state.order.push(amenityId);
      break;
    }
    case 'AmenityRenamed':
      if (existing)
        Object.assign(existing, { nameVi: event.data.nameVi, nameEn: event.data.nameEn, icon: event.data.icon });
      break;
    case 'AmenityDisabled':
      if (existing) existing.active = false;
      break;
    case 'AmenityEnabled':
      if (existing) existing.active = true;
      break;
    case 'AmenitiesReordered':
      state.order = [...event.data.order];
      break;
  }
  return state;
}

export const amenityCatalog: Decider<AmenityCommand, AmenityCatalogState, AmenityEvent> = {
  initialState: () => ({ amenities: new Map(), order: [] }),
  evolve,
  decide: (command, state) => decide(command, state),
};
