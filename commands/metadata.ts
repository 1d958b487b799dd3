import { v5 as uuidv5 } from 'uuid';
import type { EventMetadata } from './eventstore/port.js';

/** Who sends a command and from where; the handler adds occurredAt and schemaVersion. */
export interface CommandMetadata {
  actorId: string | null;
  actAsId: string | null;
  roles: string[];
  correlationId: string;
  causationId: string | null;
  idempotencyKey: string | null;
  ip: string | null;
  userAgent: string | null;
}

export const systemMetadata = (correlationId: string, causationId: string | null = null): CommandMetadata => ({
  actorId: 'system',
  actAsId: null,
  roles: ['system'],
  correlationId,
  causationId,
  idempotencyKey: null,
  ip: null,
  userAgent: null,
});

export const eventMetadata = (command: CommandMetadata, occurredAt: Date, schemaVersion: number): EventMetadata => ({
  ...command,
  occurredAt: occurredAt.toISOString(),
  schemaVersion,
});

/** Fixed namespace for event ids derived from idempotency keys (UUID v5). */
const EVENT_ID_NAMESPACE = '4f3f7c3e-5d5b-4b8e-9a43-2f1c6f1d8a10';

/**
 * The id of the `index`th event a command appends. With an idempotency key it is derived from the
 * key, the stream and the command's type, so a retried command produces the same ids and the store
 * keeps one copy, while two different commands of one request (sign-up, then the verification mail)
 * never look like retries of each other.
 */
export function eventIdFor(stream: string, idempotencyKey: string | null, commandType: string, index: number): string {
  if (idempotencyKey === null) return crypto.randomUUID();
  return uuidv5(`${stream}\u0000${idempotencyKey}\u0000${commandType}\u0000${index}`, EVENT_ID_NAMESPACE);
}
