import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, type DomainError, invalid, notFound } from '../shared/errors.js';
import type { RoomEvent, RoomStatus } from './room-events.js';

export interface RoomState {
  exists: boolean;
  projectId: string;
  standardPrice: number;
  areaM2: number;
  status: RoomStatus;
  /** The deposit holding the room while reserved or rented. */
  holdId: string | null;
  /** The handover report in progress for the room; one at a time. */
  activeHandoverId: string | null;
}

export type RoomCommand = { roomId: string } & (
  | { type: 'CreateRoom'; projectId: string; standardPrice: number; areaM2: number }
  | { type: 'ChangeRoomDetails'; standardPrice?: number; areaM2?: number }
  | { type: 'ReserveRoom'; holdId: string }
  | { type: 'ReleaseRoomReservation'; holdId: string }
  | { type: 'RentRoom'; holdId: string; contractId: string }
  | { type: 'StartRoomCleaning' }
  | { type: 'MakeRoomAvailable' }
  | { type: 'OpenRoomHandover'; handoverId: string }
  | { type: 'CloseRoomHandover'; handoverId: string }
);

/** Monthly rent in VND and floor area in m² accepted for a room or a listing's override. */
export const ROOM_LIMITS = { minPrice: 100_000, maxPrice: 1_000_000_000, minArea: 1, maxArea: 10_000 } as const;

export function checkPrice(price: number, field: string): DomainError | null {
  if (!Number.isSafeInteger(price)) return invalid('PRICE_NOT_INTEGER', 'Giá là số nguyên đồng (VND)', field);
  if (price < ROOM_LIMITS.minPrice || price > ROOM_LIMITS.maxPrice) {
    return invalid('PRICE_OUT_OF_RANGE', 'Giá từ 100.000 đến 1.000.000.000 đồng', field);
  }
  return null;
}

export function checkArea(area: number, field: string): DomainError | null {
  if (!Number.isFinite(area) || area < ROOM_LIMITS.minArea || area > ROOM_LIMITS.maxArea) {
    return invalid('AREA_OUT_OF_RANGE', 'Diện tích từ 1 đến 10.000 m²', field);
  }
  if (Math.round(area * 10) !== area * 10) return invalid('AREA_PRECISION', 'Diện tích làm tròn 0,1 m²', field);
  return null;
}

const wrongStatus = (status: RoomStatus, action: string) =>
  conflict('ROOM_STATUS_CONFLICT', `Phòng đang ở trạng thái ${status}, không thể ${action}`, { status });

/**
 * available ⇄ reserved (a deposit holds it, or the hold ends) → rented (contract signed) → cleaning
 * (move-out) → available. Holds, releases and rentals come from the deposit and contract flows and
 * must name the hold they concern; the owner moves a room to cleaning and back to available by hand.
 * A rented room carries at most one handover report in progress (`activeHandoverId`): the room
 * stream is where concurrent report creations meet, so only one wins.
 * Who may send which command is checked by the services (owner of the project, or the flows).
 */
export const roomDecider: Decider<RoomCommand, RoomState, RoomEvent, DecisionContext> = {
  initialState: () => ({
    exists: false,
    projectId: '',
    standardPrice: 0,
    areaM2: 0,
    status: 'available',
    holdId: null,
    activeHandoverId: null,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'RoomCreated': {
        const { projectId, standardPrice, areaM2 } = event.data;
        return { ...state, exists: true, projectId, standardPrice, areaM2 };
      }
      case 'RoomDetailsChanged':
        return {
          ...state,
          standardPrice: event.data.standardPrice ?? state.standardPrice,
          areaM2: event.data.areaM2 ?? state.areaM2,
        };
      case 'RoomReserved':
        return { ...state, status: 'reserved', holdId: event.data.holdId };
      case 'RoomReservationReleased':
        return { ...state, status: 'available', holdId: null };
      case 'RoomRented':
        return { ...state, status: 'rented' };
      case 'RoomCleaningStarted':
        return { ...state, status: 'cleaning', holdId: null };
      case 'RoomMadeAvailable':
        return { ...state, status: 'available', holdId: null };
      case 'RoomHandoverOpened':
        return { ...state, activeHandoverId: event.data.handoverId };
      case 'RoomHandoverClosed':
        return { ...state, activeHandoverId: null };
      default:
        return state;
    }
  },

  decide(command, state) {
    const { roomId } = command;
    if (command.type === 'CreateRoom') {
      if (state.exists) return conflict('ROOM_EXISTS', 'Phòng đã tồn tại');
      const bad = checkPrice(command.standardPrice, 'standardPrice') ?? checkArea(command.areaM2, 'areaM2');
      if (bad) return bad;
      const { projectId, standardPrice, areaM2 } = command;
      return [{ type: 'RoomCreated', data: { roomId, projectId, standardPrice, areaM2 } }];
    }
    if (!state.exists) return notFound('ROOM_NOT_FOUND', 'Không tìm thấy phòng');

    switch (command.type) {
      case 'ChangeRoomDetails': {
        const changes: { standardPrice?: number; areaM2?: number } = {};
        if (command.standardPrice !== undefined && command.standardPrice !== state.standardPrice) {
          const bad = checkPrice(command.standardPrice, 'standardPrice');
          if (bad) return bad;
          changes.standardPrice = command.standardPrice;
        }
        if (command.areaM2 !== undefined && command.areaM2 !== state.areaM2) {
          const bad = checkArea(command.areaM2, 'areaM2');
          if (bad) return bad;
          changes.areaM2 = command.areaM2;
        }
        return Object.keys(changes).length === 0 ? [] : [{ type: 'RoomDetailsChanged', data: { roomId, ...changes } }];
      }
      case 'ReserveRoom':
        if (state.status === 'reserved' && state.holdId === command.holdId) return [];
        if (state.status !== 'available') {
          return conflict('ROOM_NOT_AVAILABLE', 'Phòng không còn trống', { status: state.status });
        }
        return [{ type: 'RoomReserved', data: { roomId, holdId: command.holdId } }];
      case 'ReleaseRoomReservation':
        if (state.status === 'available') return [];
        if (state.status !== 'reserved' || state.holdId !== command.holdId) {
          return conflict('HOLD_MISMATCH', 'Phòng không được giữ bởi khoản cọc này', { status: state.status });
        }
        return [{ type: 'RoomReservationReleased', data: { roomId, holdId: command.holdId } }];
      case 'RentRoom':
        if (state.status === 'rented' && state.holdId === command.holdId) return [];
        if (state.status !== 'reserved' || state.holdId !== command.holdId) {
          return conflict('HOLD_MISMATCH', 'Phòng phải được giữ bởi khoản cọc này trước khi cho thuê', {
            status: state.status,
          });
        }
        return [{ type: 'RoomRented', data: { roomId, holdId: command.holdId, contractId: command.contractId } }];
      case 'StartRoomCleaning':
        if (state.status === 'cleaning') return [];
        if (state.status !== 'rented') return wrongStatus(state.status, 'chuyển sang dọn dẹp');
        return [{ type: 'RoomCleaningStarted', data: { roomId } }];
      case 'MakeRoomAvailable':
        if (state.status === 'available') return [];
        if (state.status !== 'cleaning') return wrongStatus(state.status, 'mở lại cho thuê');
        return [{ type: 'RoomMadeAvailable', data: { roomId } }];
      case 'OpenRoomHandover':
        if (state.activeHandoverId === command.handoverId) return [];
        if (state.activeHandoverId !== null) {
          return conflict('HANDOVER_IN_PROGRESS', 'Phòng đang có một biên bản bàn giao chưa hoàn tất', {
            handoverId: state.activeHandoverId,
          });
        }
        if (state.status !== 'rented') return wrongStatus(state.status, 'bàn giao');
        return [{ type: 'RoomHandoverOpened', data: { roomId, handoverId: command.handoverId } }];
      case 'CloseRoomHandover':
        if (state.activeHandoverId !== command.handoverId) return [];
        return [{ type: 'RoomHandoverClosed', data: { roomId, handoverId: command.handoverId } }];
    }
  },
};
