import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type RoomCommand, type RoomState, roomDecider } from '../../domain/catalog/room.js';
import { ROOM_STATUSES, type RoomEvent } from '../../domain/catalog/room-events.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { scenario, testContext } from '../support/given-when-then.js';

const roomId = 'room-1';
const room = () => scenario(roomDecider, testContext({ actorId: 'owner-1', roles: ['owner'] }));

const created: RoomEvent = {
  type: 'RoomCreated',
  data: { roomId, projectId: 'project-1', standardPrice: 3_500_000, areaM2: 25 },
};
const reserved = (holdId = 'deposit-1'): RoomEvent => ({ type: 'RoomReserved', data: { roomId, holdId } });
const released = (holdId = 'deposit-1'): RoomEvent => ({ type: 'RoomReservationReleased', data: { roomId, holdId } });
const rented = (holdId = 'deposit-1'): RoomEvent => ({
  type: 'RoomRented',
  data: { roomId, holdId, contractId: 'contract-1' },
});
const cleaning: RoomEvent = { type: 'RoomCleaningStarted', data: { roomId } };
const madeAvailable: RoomEvent = { type: 'RoomMadeAvailable', data: { roomId } };

const reserve = (holdId = 'deposit-1'): RoomCommand => ({ type: 'ReserveRoom', roomId, holdId });
const release = (holdId = 'deposit-1'): RoomCommand => ({ type: 'ReleaseRoomReservation', roomId, holdId });
const rent = (holdId = 'deposit-1'): RoomCommand => ({ type: 'RentRoom', roomId, holdId, contractId: 'contract-1' });
const startCleaning: RoomCommand = { type: 'StartRoomCleaning', roomId };
const makeAvailable: RoomCommand = { type: 'MakeRoomAvailable', roomId };

describe('room details', () => {
  test('created with an integer VND price and an area to 0.1 m²', () => {
    room()
      .given([])
      .when({ type: 'CreateRoom', roomId, projectId: 'project-1', standardPrice: 3_500_000, areaM2: 25 })
      .thenEmits([created]);
    room()
      .given([created])
      .when({ type: 'CreateRoom', roomId, projectId: 'project-1', standardPrice: 3_500_000, areaM2: 25 })
      .thenFails('ROOM_EXISTS');
    const cases: [number, number, string, string][] = [
      [3_500_000.5, 25, 'PRICE_NOT_INTEGER', 'standardPrice'],
      [99_999, 25, 'PRICE_OUT_OF_RANGE', 'standardPrice'],
      [1_000_000_001, 25, 'PRICE_OUT_OF_RANGE', 'standardPrice'],
      [3_500_000, 0.5, 'AREA_OUT_OF_RANGE', 'areaM2'],
      [3_500_000, 10_001, 'AREA_OUT_OF_RANGE', 'areaM2'],
      [3_500_000, Number.NaN, 'AREA_OUT_OF_RANGE', 'areaM2'],
      [3_500_000, 25.25, 'AREA_PRECISION', 'areaM2'],
    ];
    for (const [standardPrice, areaM2, code, field] of cases) {
      room()
        .given([])
        .when({ type: 'CreateRoom', roomId, projectId: 'project-1', standardPrice, areaM2 })
        .thenFails(code, field);
    }
  });

  test('details change only in what differs; a missing room is not found', () => {
    room()
      .given([created])
      .when({ type: 'ChangeRoomDetails', roomId, standardPrice: 3_500_000, areaM2: 27.5 })
      .thenEmits([{ type: 'RoomDetailsChanged', data: { roomId, areaM2: 27.5 } }]);
    room().given([created]).when({ type: 'ChangeRoomDetails', roomId, standardPrice: 3_500_000 }).thenEmits([]);
    room()
      .given([created])
      .when({ type: 'ChangeRoomDetails', roomId, standardPrice: 50 })
      .thenFails('PRICE_OUT_OF_RANGE', 'standardPrice');
    room().given([]).when(reserve()).thenFails('ROOM_NOT_FOUND');
  });
});

describe('room status: available ⇄ reserved → rented → cleaning → available', () => {
  test('the full cycle', () => {
    room().given([created]).when(reserve()).thenEmits([reserved()]);
    room().given([created, reserved()]).when(rent()).thenEmits([rented()]);
    room().given([created, reserved(), rented()]).when(startCleaning).thenEmits([cleaning]);
    room().given([created, reserved(), rented(), cleaning]).when(makeAvailable).thenEmits([madeAvailable]);
    room()
      .given([created, reserved(), rented(), cleaning, madeAvailable])
      .when(reserve('deposit-2'))
      .thenEmits([reserved('deposit-2')]);
  });

  test('a reservation ends by its own hold only', () => {
    room().given([created, reserved()]).when(release()).thenEmits([released()]);
    room().given([created, reserved()]).when(release('deposit-2')).thenFails('HOLD_MISMATCH');
    room().given([created]).when(release('deposit-2')).thenEmits([]);
    room().given([created, reserved(), rented()]).when(release()).thenFails('HOLD_MISMATCH');
  });

  test('one hold at a time: a reserved, rented or cleaning room cannot be reserved', () => {
    const refusal = room().given([created, reserved()]).when(reserve('deposit-2')).thenFails('ROOM_NOT_AVAILABLE');
    expect(refusal.status).toBe(409);
    room().given([created, reserved()]).when(reserve()).thenEmits([]); // the same hold again: already done
    room().given([created, reserved(), rented()]).when(reserve('deposit-2')).thenFails('ROOM_NOT_AVAILABLE');
    room().given([created, reserved(), rented(), cleaning]).when(reserve('deposit-2')).thenFails('ROOM_NOT_AVAILABLE');
  });

  test('renting needs the room held by the same deposit', () => {
    room().given([created]).when(rent()).thenFails('HOLD_MISMATCH');
    room().given([created, reserved()]).when(rent('deposit-2')).thenFails('HOLD_MISMATCH');
    room().given([created, reserved(), released()]).when(rent()).thenFails('HOLD_MISMATCH');
    room().given([created, reserved(), rented()]).when(rent()).thenEmits([]);
    room().given([created, reserved(), rented()]).when(rent('deposit-2')).thenFails('HOLD_MISMATCH');
  });

  test('the owner moves a rented room to cleaning and a clean room back to available, nothing else', () => {
    room().given([created]).when(startCleaning).thenFails('ROOM_STATUS_CONFLICT');
    room().given([created, reserved()]).when(startCleaning).thenFails('ROOM_STATUS_CONFLICT');
    room().given([created, reserved()]).when(makeAvailable).thenFails('ROOM_STATUS_CONFLICT');
    room().given([created, reserved(), rented()]).when(makeAvailable).thenFails('ROOM_STATUS_CONFLICT');
    room().given([created]).when(makeAvailable).thenEmits([]);
    room().given([created, reserved(), rented(), cleaning]).when(startCleaning).thenEmits([]);
  });
});

describe('handover claim: one report in progress per room', () => {
  const open = (handoverId = 'handover-1'): RoomCommand => ({ type: 'OpenRoomHandover', roomId, handoverId });
  const close = (handoverId = 'handover-1'): RoomCommand => ({ type: 'CloseRoomHandover', roomId, handoverId });
  const opened = (handoverId = 'handover-1'): RoomEvent => ({
    type: 'RoomHandoverOpened',
    data: { roomId, handoverId },
  });
  const closed = (handoverId = 'handover-1'): RoomEvent => ({
    type: 'RoomHandoverClosed',
    data: { roomId, handoverId },
  });
  const rentedRoom = [created, reserved(), rented()];

  test('a rented room takes one handover; a second is refused until the first is closed', () => {
    room().given(rentedRoom).when(open()).thenEmits([opened()]);
    room()
      .given([...rentedRoom, opened()])
      .when(open())
      .thenEmits([]);
    const refusal = room()
      .given([...rentedRoom, opened()])
      .when(open('handover-2'))
      .thenFails('HANDOVER_IN_PROGRESS');
    expect(refusal.status).toBe(409);
    expect(refusal.details).toEqual({ handoverId: 'handover-1' });
    room()
      .given([...rentedRoom, opened()])
      .when(close())
      .thenEmits([closed()]);
    room()
      .given([...rentedRoom, opened(), closed()])
      .when(open('handover-2'))
      .thenEmits([opened('handover-2')]);
  });

  test('only a rented room is handed over', () => {
    room().given([created]).when(open()).thenFails('ROOM_STATUS_CONFLICT');
    room().given([created, reserved()]).when(open()).thenFails('ROOM_STATUS_CONFLICT');
    room()
      .given([...rentedRoom, cleaning])
      .when(open())
      .thenFails('ROOM_STATUS_CONFLICT');
    room().given([]).when(open()).thenFails('ROOM_NOT_FOUND');
  });

  test('closing another report, or none, changes nothing; the move-out closes then starts cleaning', () => {
    room().given(rentedRoom).when(close()).thenEmits([]);
    room()
      .given([...rentedRoom, opened()])
      .when(close('handover-2'))
      .thenEmits([]);
    room()
      .given([...rentedRoom, opened(), closed()])
      .when(startCleaning)
      .thenEmits([cleaning]);
  });
});

describe('room state machine, any sequence of commands', () => {
  const holds = ['deposit-a', 'deposit-b', 'deposit-c'];
  const hold = fc.constantFrom(...holds);
  const command: fc.Arbitrary<RoomCommand> = fc.oneof(
    hold.map((holdId): RoomCommand => ({ type: 'ReserveRoom', roomId, holdId })),
    hold.map((holdId): RoomCommand => ({ type: 'ReleaseRoomReservation', roomId, holdId })),
    hold.map((holdId): RoomCommand => ({ type: 'RentRoom', roomId, holdId, contractId: `contract-${holdId}` })),
    fc.constant<RoomCommand>(startCleaning),
    fc.constant<RoomCommand>(makeAvailable),
    fc
      .constantFrom('handover-a', 'handover-b')
      .map((handoverId): RoomCommand => ({ type: 'OpenRoomHandover', roomId, handoverId })),
    fc
      .constantFrom('handover-a', 'handover-b')
      .map((handoverId): RoomCommand => ({ type: 'CloseRoomHandover', roomId, handoverId })),
    fc
      .record({ standardPrice: fc.integer({ min: 0, max: 2_000_000 }), areaM2: fc.integer({ min: 0, max: 50 }) })
      .map((changes): RoomCommand => ({ type: 'ChangeRoomDetails', roomId, ...changes })),
  );

  test('keeps one known status, holds only while reserved or rented, never reserves a room that is not free', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        let state: RoomState = roomDecider.evolve(roomDecider.initialState(), created);
        for (const next of commands) {
          const before = state;
          const decision = roomDecider.decide(next, before, testContext());
          if (isDomainError(decision)) {
            expect(decision.status).toBeGreaterThanOrEqual(400);
            continue;
          }
          for (const event of decision) {
            if (event.type === 'RoomReserved') expect(before.status).toBe('available');
            if (event.type === 'RoomHandoverOpened') {
              expect(before).toMatchObject({ status: 'rented', activeHandoverId: null });
            }
            if (event.type === 'RoomRented') {
              expect(before).toMatchObject({ status: 'reserved', holdId: event.data.holdId });
            }
            state = roomDecider.evolve(state, event);
          }
          expect(ROOM_STATUSES).toContain(state.status);
          expect(state.holdId !== null).toBe(state.status === 'reserved' || state.status === 'rented');
          // Commands are idempotent: the same command right after records nothing more.
          const again = roomDecider.decide(next, state, testContext());
          if (!isDomainError(again)) expect(again).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
