import type { Decider } from '../shared/decider.js';
import { DomainError, invalid, notFound } from '../shared/errors.js';
import { foldVietnamese } from '../shared/text.js';
import type { SpecialtyEvent } from './specialty-events.js';

export interface Specialty {
  id: string;
  nameVi: string;
  nameEn: string;
  active: boolean;
}

export interface SpecialtyCatalogState {
  specialties: Map<string, Specialty>;
  /** Every specialty id (disabled ones too) in the order they were added. */
  order: string[];
}

export type SpecialtyCommand =
  | { type: 'AddSpecialty'; specialtyId: string; nameVi: string; nameEn: string }
  | { type: 'RenameSpecialty'; specialtyId: string; nameVi?: string; nameEn?: string }
  | { type: 'DisableSpecialty'; specialtyId: string }
  | { type: 'EnableSpecialty'; specialtyId: string };

/** Slugs with dashes, like the URLs that show them: `phap-ly-thue-nha`. */
export const SPECIALTY_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const SPECIALTY_LIMITS = { id: 48, name: 80, specialties: 100 } as const;

const cleanName = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ');
const conflictOn = (code: string, message: string, field: string) =>
  new DomainError('conflict', code, message, { field });

/** What `specialtyProblem` needs: the catalog state, or a map built from the `rm.specialties` read model. */
export interface SpecialtyLookup {
  readonly specialties: ReadonlyMap<string, { readonly active: boolean }>;
}

/**
 * For the expert decider: the specialty ids a profile asks for must exist and be active, except
 * ids the profile already carries (`kept`): a disabled specialty stays on the experts who have it.
 */
export function specialtyProblem(
  ids: readonly string[],
  catalog: SpecialtyLookup,
  kept: readonly string[] = [],
): DomainError | null {
  for (const [index, id] of ids.entries()) {
    const field = `specialties.${index}`;
    const specialty = catalog.specialties.get(id);
    if (!specialty) return invalid('SPECIALTY_UNKNOWN', `Chuyên môn "${id}" không tồn tại`, field);
    if (!specialty.active && !kept.includes(id)) {
      return invalid('SPECIALTY_DISABLED', `Chuyên môn "${id}" đã ngừng sử dụng`, field);
    }
  }
  return null;
}

function namesProblem(state: SpecialtyCatalogState, self: { id: string; nameVi: string; nameEn: string }) {
  for (const field of ['nameVi', 'nameEn'] as const) {
    const length = [...self[field]].length;
    if (length === 0 || length > SPECIALTY_LIMITS.name) {
      return invalid('SPECIALTY_NAME_INVALID', `Tên chuyên môn phải có từ 1 đến ${SPECIALTY_LIMITS.name} ký tự`, field);
    }
  }
  const folded = foldVietnamese(self.nameVi);
  for (const other of state.specialties.values()) {
    if (other.id !== self.id && foldVietnamese(other.nameVi) === folded) {
      return conflictOn('SPECIALTY_NAME_TAKEN', `Chuyên môn "${other.nameVi}" đã tồn tại`, 'nameVi');
    }
  }
  return null;
}

function decideAdd(state: SpecialtyCatalogState, command: Extract<SpecialtyCommand, { type: 'AddSpecialty' }>) {
  const { specialtyId } = command;
  const { length } = specialtyId;
  if (length < 2 || length > SPECIALTY_LIMITS.id || !SPECIALTY_ID_PATTERN.test(specialtyId)) {
    return invalid(
      'SPECIALTY_ID_INVALID',
      `Mã chuyên môn: 2–${SPECIALTY_LIMITS.id} ký tự a-z, 0-9 nối bằng dấu gạch ngang, bắt đầu bằng chữ`,
      'id',
    );
  }
  if (state.specialties.has(specialtyId))
    return conflictOn('SPECIALTY_EXISTS', `Mã "${specialtyId}" đã được dùng`, 'id');
  if (state.order.length >= SPECIALTY_LIMITS.specialties) {
    return new DomainError('conflict', 'SPECIALTY_LIMIT', `Tối đa ${SPECIALTY_LIMITS.specialties} chuyên môn`);
  }
  const nameVi = cleanName(command.nameVi);
  const nameEn = cleanName(command.nameEn);
  const problem = namesProblem(state, { id: specialtyId, nameVi, nameEn });
  if (problem) return problem;
  const position = state.order.length;
  return [{ type: 'SpecialtyAdded' as const, data: { specialtyId, nameVi, nameEn, position } }];
}

function decide(command: SpecialtyCommand, state: SpecialtyCatalogState): SpecialtyEvent[] | DomainError {
  if (command.type === 'AddSpecialty') return decideAdd(state, command);
  const specialty = state.specialties.get(command.specialtyId);
  if (!specialty) return notFound('SPECIALTY_NOT_FOUND', `Chuyên môn "${command.specialtyId}" không tồn tại`);
  const specialtyId = specialty.id;
  switch (command.type) {
    case 'RenameSpecialty': {
      const nameVi = command.nameVi === undefined ? specialty.nameVi : cleanName(command.nameVi);
      const nameEn = command.nameEn === undefined ? specialty.nameEn : cleanName(command.nameEn);
      const problem = namesProblem(state, { id: specialtyId, nameVi, nameEn });
      if (problem) return problem;
      if (nameVi === specialty.nameVi && nameEn === specialty.nameEn) return [];
      const previous = { previousNameVi: specialty.nameVi, previousNameEn: specialty.nameEn };
      return [{ type: 'SpecialtyRenamed', data: { specialtyId, nameVi, nameEn, ...previous } }];
    }
    case 'DisableSpecialty':
      return specialty.active ? [{ type: 'SpecialtyDisabled', data: { specialtyId } }] : [];
    case 'EnableSpecialty':
      return specialty.active ? [] : [{ type: 'SpecialtyEnabled', data: { specialtyId } }];
  }
}

/** Updates the state it owns (see Decider) and returns it. */
function evolve(state: SpecialtyCatalogState, event: SpecialtyEvent): SpecialtyCatalogState {
  const existing = state.specialties.get(event.data.specialtyId);
  switch (event.type) {
    case 'SpecialtyAdded': {
      const { specialtyId, nameVi, nameEn } = event.data;
      state.specialties.set(specialtyId, { id: specialtyId, nameVi, nameEn, active: true });
      state.order.push(specialtyId);
      break;
    }
    case 'SpecialtyRenamed':
      if (existing) Object.assign(existing, { nameVi: event.data.nameVi, nameEn: event.data.nameEn });
      break;
    case 'SpecialtyDisabled':
    case 'SpecialtyEnabled':
      if (existing) existing.active = event.type === 'SpecialtyEnabled';
      break;
  }
  return state;
}

/** The admin-managed list of expert specialties (one stream, see specialty-events.ts). */
export const specialtyCatalog: Decider<SpecialtyCommand, SpecialtyCatalogState, SpecialtyEvent> = {
  initialState: () => ({ specialties: new Map(), order: [] }),
  evolve,
  decide: (command, state) => decide(command, state),
};
