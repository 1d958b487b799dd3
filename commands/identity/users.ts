import { type UserCommand, userDecider } from '../../domain/identity/user.js';
import { userStream } from '../../domain/identity/user-events.js';
import { commandHandler, type HandlerDeps } from '../handler.js';

/** Every change to a user goes through the user's own stream (`user-<id>`). */
export const userCommands = (deps: HandlerDeps) =>
  commandHandler(deps, { decider: userDecider, stream: (command: UserCommand) => userStream(command.userId) });

export type UserCommands = ReturnType<typeof userCommands>;
