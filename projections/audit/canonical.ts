import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../../commands/eventstore/port.js';

/** Strings JSON.stringify would escape (quote, backslash, controls, any surrogate); others are quoted as is. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const quote = (text: string): string => (NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`);

/** JSON with object keys sorted at every level and no spaces: one text per value. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? `"${value}"` : (JSON.stringify(value) ?? 'null');
  }
  if (Array.isArray(value)) {
    let out = '';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${canonicalJson(value[i])}`;
    return `[${out}]`;
  }
  if (value instanceof Date) return `"${value.toISOString()}"`;
  const record = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item !== undefined) out += `${out ? ',' : ''}${quote(key)}:${canonicalJson(item)}`;
  }
  return `{${out}}`;
}

/** The same text as canonicalJson of the object below, with its keys already in sorted order. */
export function canonicalEvent(event: RecordedEvent): string {
  return (
    `{"data":${canonicalJson(event.data)},"eventId":${quote(event.eventId)},"metadata":${canonicalJson(event.metadata)},` +
    `"position":"${event.position}","revision":"${event.revision}","stream":${quote(event.streamName)},"type":${quote(event.type)}}`
  );
}

export const GENESIS_HASH = '0'.repeat(64);

/** hash_n = sha256(hash_{n-1} ‖ canonical event_n), hex. */
export function chainHash(previousHash: string, event: RecordedEvent): string {
  return createHash('sha256').update(previousHash).update(canonicalEvent(event)).digest('hex');
}
