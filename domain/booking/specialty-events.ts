import type { DomainEvent } from '../shared/decider.js';

/**
 * Facts about the specialty catalog (chuyên môn: rental law, personal finance, interior design…).
 * Experts store specialty ids; a disabled specialty can no longer be chosen but stays on the
 * experts who have it.
 */
export type SpecialtyEvent =
  | DomainEvent<'SpecialtyAdded', { specialtyId: string; nameVi: string; nameEn: string; position: number }>
  | DomainEvent<
      'SpecialtyRenamed',
      { specialtyId: string; nameVi: string; nameEn: string; previousNameVi: string; previousNameEn: string }
    >
  | DomainEvent<'SpecialtyDisabled', { specialtyId: string }>
  | DomainEvent<'SpecialtyEnabled', { specialtyId: string }>;

export const SPECIALTY_EVENT_TYPES: SpecialtyEvent['type'][] = [
  'SpecialtyAdded',
  'SpecialtyRenamed',
  'SpecialtyDisabled',
  'SpecialtyEnabled',
];

/** The whole catalog is one stream: unique ids and names are enforced together. */
export const SPECIALTY_CATALOG_STREAM = 'specialtycatalog';
