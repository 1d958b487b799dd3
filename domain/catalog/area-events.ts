import type { DomainEvent } from '../shared/decider.js';

export const AREA_LEVELS = ['province', 'district', 'ward'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export type AreaEvent =
  | DomainEvent<
      'AreaCreated',
      { areaId: string; name: string; level: AreaLevel; parentId: string | null; code: string | null; hot: boolean }
    >
  | DomainEvent<'AreaRenamed', { areaId: string; name: string; previousName: string }>
  | DomainEvent<'AreaMoved', { areaId: string; parentId: string; previousParentId: string | null }>
  | DomainEvent<'AreaHotMarked', { areaId: string; hot: boolean }>
  | DomainEvent<'AreaDeleted', { areaId: string; name: string }>;

export type AreaEventType = AreaEvent['type'];
export const AREA_EVENT_TYPES: AreaEventType[] = [
  'AreaCreated',
  'AreaRenamed',
  'AreaMoved',
  'AreaHotMarked',
  'AreaDeleted',
];

/** The whole tree is one stream: tree invariants and imports are then atomic by construction. */
export const AREA_CATALOG_STREAM = 'areacatalog-vn';
