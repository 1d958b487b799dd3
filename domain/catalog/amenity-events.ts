import type { DomainEvent } from '../shared/decider.js';

/**
 * Facts about the amenity catalog (tiện ích: air conditioning, wifi…). Listings store amenity ids;
 * a disabled amenity is no longer offered for new listings but stays on the listings that have it.
 */
export type AmenityEvent =
  | DomainEvent<
      'AmenityAdded',
      { amenityId: string; nameVi: string; nameEn: string; icon: string | null; position: number }
    >
  | DomainEvent<
      'AmenityRenamed',
      {
        amenityId: string;
        nameVi: string;
        nameEn: string;
        icon: string | null;
        previousNameVi: string;
        previousNameEn: string;
        previousIcon: string | null;
      }
    >
  | DomainEvent<'AmenityDisabled', { amenityId: string }>
  | DomainEvent<'AmenityEnabled', { amenityId: string }>
  | DomainEvent<'AmenitiesReordered', { order: string[]; previousOrder: string[] }>;

export type AmenityEventType = AmenityEvent['type'];
export const AMENITY_EVENT_TYPES: AmenityEventType[] = [
  'AmenityAdded',
  'AmenityRenamed',
  'AmenityDisabled',
  'AmenityEnabled',
  'AmenitiesReordered',
];

/** The whole catalog is one stream: unique ids and names and the order are enforced together. */
export const AMENITY_CATALOG_STREAM = 'amenity-catalog';
