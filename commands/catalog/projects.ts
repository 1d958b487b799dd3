import { type ProjectCommand, type ProjectContext, projectDecider } from '../../domain/catalog/project.js';
import { projectStream } from '../../domain/catalog/project-events.js';
import { type RoomCommand, roomDecider } from '../../domain/catalog/room.js';
import { roomStream } from '../../domain/catalog/room-events.js';
import { DomainError, notFound } from '../../domain/shared/errors.js';
import { commandHandler, currentState, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';

/** What archiving a project depends on: other streams' facts, counted from the catalog read model. */
export interface ProjectOccupancy {
  count(projectId: string): Promise<{ publishedListings: number; occupiedRooms: number }>;
}

/** Room commands an owner may send by hand; holds and rentals come from the deposit and contract flows. */
export type OwnerRoomCommand = Extract<
  RoomCommand,
  { type: 'ChangeRoomDetails' | 'StartRoomCleaning' | 'MakeRoomAvailable' }
>;

export interface NewRoom {
  projectId: string;
  roomId: string;
  name: string;
  standardPrice: number;
  areaM2: number;
}

/** Projects (`project-<id>`) and their rooms (`room-<id>`, names registered in the project stream). */
export function projectService(deps: HandlerDeps & { occupancy: ProjectOccupancy }) {
  const handleProject = commandHandler(deps, {
    decider: projectDecider,
    stream: (command: ProjectCommand) => projectStream(command.projectId),
    context: async (command, base): Promise<ProjectContext> => ({
      ...base,
      ...(command.type === 'ArchiveProject'
        ? await deps.occupancy.count(command.projectId)
        : { publishedListings: 0, occupiedRooms: 0 }),
    }),
  });
  const handleRoom = commandHandler(deps, { decider: roomDecider, stream: (c: RoomCommand) => roomStream(c.roomId) });

  const project = (projectId: string) => currentState(deps.store, projectStream(projectId), projectDecider);

  /** The project a room belongs to, when `actorId` may manage it (its owner, or staff). */
  async function roomProject(roomId: string, by: 'owner' | 'staff', actorId: string | null) {
    const room = await currentState(deps.store, roomStream(roomId), roomDecider);
    if (!room.exists) throw notFound('ROOM_NOT_FOUND', 'Không tìm thấy phòng');
    const owner = await project(room.projectId);
    if (!owner.rooms.has(roomId) || (by === 'owner' && owner.ownerId !== actorId)) {
      throw notFound('ROOM_NOT_FOUND', 'Không tìm thấy phòng');
    }
    return room.projectId;
  }

  /**
   * The room stream is written first, then its name is registered in the project stream, where
   * uniqueness is decided. A room whose registration lost a race keeps an unregistered stream that
   * no read model shows. The name is checked first as well, so the usual refusal writes nothing.
   */
  async function addRoom(room: NewRoom, by: 'owner' | 'staff', metadata: CommandMetadata) {
    const state = await project(room.projectId);
    const actorId = metadata.actAsId ?? metadata.actorId;
    if (!state.exists || (by === 'owner' && state.ownerId !== actorId)) {
      throw notFound('PROJECT_NOT_FOUND', 'Không tìm thấy dự án');
    }
    const add: ProjectCommand = {
      type: 'AddRoom',
      by,
      projectId: room.projectId,
      roomId: room.roomId,
      name: room.name,
    };
    const refusal = projectDecider.decide(add, state, {
      now: deps.clock(),
      actorId,
      roles: metadata.roles,
      publishedListings: 0,
      occupiedRooms: 0,
    });
    if (refusal instanceof DomainError) throw refusal;
    const { projectId, roomId, standardPrice, areaM2 } = room;
    await handleRoom({ type: 'CreateRoom', roomId, projectId, standardPrice, areaM2 }, metadata);
    return handleProject(add, metadata);
  }

  async function changeRoom(command: OwnerRoomCommand, by: 'owner' | 'staff', metadata: CommandMetadata) {
    await roomProject(command.roomId, by, metadata.actAsId ?? metadata.actorId);
    return handleRoom(command, metadata);
  }

  async function renameRoom(roomId: string, name: string, by: 'owner' | 'staff', metadata: CommandMetadata) {
    const projectId = await roomProject(roomId, by, metadata.actAsId ?? metadata.actorId);
    return handleProject({ type: 'RenameRoom', by, projectId, roomId, name }, metadata);
  }

  return {
    handle: handleProject,
    /** Room holds, releases and rentals for the deposit and contract flows (no ownership check). */
    handleRoom,
    project,
    addRoom,
    changeRoom,
    renameRoom,
  };
}

export type ProjectService = ReturnType<typeof projectService>;
