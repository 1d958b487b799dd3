import type { RecordedEvent } from '../../commands/eventstore/port.js';

/** One row of the audit trail, derived from one event (verify derives it again and compares). */
export interface AuditRow {
  position: string;
  event_id: string;
  stream_name: string;
  event_type: string;
  actor_id: string | null;
  act_as_id: string | null;
  roles: string;
  target_id: string;
  ip: string | null;
  user_agent: string | null;
  occurred_at: string;
  summary: string;
  hash: string;
}

const SUMMARY_FIELDS = ['name', 'title', 'status', 'level', 'role', 'amount', 'reason', 'hot'];

/** The entity an event is about: `targetId`, else its first `…Id` field, else the stream's id part. */
export function targetOf(event: RecordedEvent): string {
  const data = (event.data ?? {}) as Record<string, unknown>;
  if (typeof data.targetId === 'string') return data.targetId;
  for (const [key, value] of Object.entries(data)) {
    if (key.endsWith('Id') && typeof value === 'string') return value;
  }
  const dash = event.streamName.indexOf('-');
  return dash < 0 ? event.streamName : event.streamName.slice(dash + 1);
}

/** "AreaRenamed: name Quận 1 → Quận Một" — `previousX` fields become before → after. */
export function summaryOf(event: RecordedEvent): string {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const match = /^previous([A-Z].*)$/.exec(key);
    if (!match?.[1]) continue;
    const field = match[1].charAt(0).toLowerCase() + match[1].slice(1);
    parts.push(`${field} ${String(value ?? '∅')} → ${String(data[field] ?? '∅')}`);
  }
  for (const field of SUMMARY_FIELDS) {
    const value = data[field];
    const shown = parts.some((p) => p.startsWith(`${field} `));
    if (!shown && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
      parts.push(`${field} ${String(value)}`);
    }
  }
  const text = parts.length > 0 ? `${event.type}: ${parts.join(', ')}` : event.type;
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

export function auditRowOf(event: RecordedEvent, hash: string): AuditRow {
  const m = event.metadata;
  return {
    position: event.position.toString(),
    event_id: event.eventId,
    stream_name: event.streamName,
    event_type: event.type,
    actor_id: m.actorId ?? null,
    act_as_id: m.actAsId ?? null,
    roles: (m.roles ?? []).join(','),
    target_id: targetOf(event),
    ip: m.ip ?? null,
    user_agent: m.userAgent ?? null,
    occurred_at: m.occurredAt,
    summary: summaryOf(event),
    hash,
  };
}
