import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../../commands/eventstore/port.js';

/** JSON with object keys sorted at every level and no spaces: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? JSON.stringify(value.toString()) : (JSON.stringify(value) ?? 'null');
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function canonicalEvent(event: RecordedEvent): string {
  return canonicalJson({
    position: event.position,
    eventId: event.eventId,
    stream: event.streamName,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  });
}

export const GENESIS_HASH = '0'.repeat(64);

/** hash_n = sha256(hash_{n-1} ‖ canonical event_n), hex. */
export function chainHash(previousHash: string, event: RecordedEvent): string {
  return createHash('sha256').update(previousHash).update(canonicalEvent(event)).digest('hex');
}
