import type { DomainEvent } from '../shared/decider.js';

/** Trong → available, GiuCho → reserved, DaThue → rented, DonDep → cleaning (GLOSSARY). */
export const ROOM_STATUSES = ['available', 'reserved', 'rented', 'cleaning'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

type R<Type extends string, Data> = DomainEvent<Type, { roomId: string } & Data>;

/**
 * One room's facts (`room-<roomId>`): its standard price (integer VND), area (m²) and the one status
 * every listing that offers it shows. Its name lives in the project stream (unique per project).
 */
export type RoomEvent =
  | R<'RoomCreated', { projectId: string; standardPrice: number; areaM2: number }>
  | R<'RoomDetailsChanged', { standardPrice?: number; areaM2?: number }>
  /** A deposit holds the room (`holdId` = the deposit), from the deposit flow. */
  | R<'RoomReserved', { holdId: string }>
  | R<'RoomReservationReleased', { holdId: string }>
  /** The contract was signed for the held room. */
  | R<'RoomRented', { holdId: string; contractId: string }>
  | R<'RoomCleaningStarted', Record<never, never>>
  | R<'RoomMadeAvailable', Record<never, never>>
  /** A handover report claims the room: one in progress at a time. */
  | R<'RoomHandoverOpened', { handoverId: string }>
  | R<'RoomHandoverClosed', { handoverId: string }>;

export const ROOM_EVENT_TYPES: RoomEvent['type'][] = [
  'RoomCreated',
  'RoomDetailsChanged',
  'RoomReserved',
  'RoomReservationReleased',
  'RoomRented',
  'RoomCleaningStarted',
  'RoomMadeAvailable',
  'RoomHandoverOpened',
  'RoomHandoverClosed',
];

export const roomStream = (roomId: string) => `room-${roomId}`;
