import type { Kysely } from 'kysely';
import type { EventStore, RecordedEvent } from '../../commands/eventstore/port.js';
import type { AuditTables } from './audit-projection.js';
import { type AuditRow, auditRowOf } from './audit-row.js';
import { chainHash, GENESIS_HASH } from './canonical.js';

const PAGE = 10_000;

export type VerifyResult =
  | { ok: true; checked: number; lastPosition: string | null; notYetAudited: boolean }
  | { ok: false; checked: number; position: string; reason: string };

const COMPARED: (keyof AuditRow)[] = [
  'event_id',
  'stream_name',
  'event_type',
  'actor_id',
  'act_as_id',
  'roles',
  'target_id',
  'ip',
  'user_agent',
  'occurred_at',
  'summary',
];

/**
 * Walks the audit trail and the event store side by side from the first position: each row
 * must exist for its event, hold exactly what the event says, and carry the chained hash.
 * Stops at the first break and names its position.
 */
export async function verifyAuditChain(
  deps: { store: EventStore; db: Kysely<AuditTables> },
  onPage?: (checked: number) => void,
): Promise<VerifyResult> {
  let previous = GENESIS_HASH;
  let after = 0n;
  let checked = 0;
  let next = fetchPage(deps, after);
  while (true) {
    const { rows, events } = await next;
    if (rows.length === 0) {
      return { ok: true, checked, lastPosition: checked ? after.toString() : null, notYetAudited: events.length > 0 };
    }
    const lastRow = rows.at(-1) as AuditRow;
    next = fetchPage(deps, BigInt(lastRow.position)); // overlap reading the next page with hashing this one
    for (const [i, row] of rows.entries()) {
      const event = events[i];
      if (!event || event.position.toString() !== row.position) {
        const position = event && BigInt(row.position) > event.position ? event.position.toString() : row.position;
        const reason =
          !event || BigInt(row.position) < event.position ? 'audit row has no event' : 'event has no audit row';
        next.catch(() => undefined);
        return { ok: false, checked, position, reason };
      }
      previous = chainHash(previous, event);
      const expected = auditRowOf(event, previous);
      const differs = COMPARED.find((column) => expected[column] !== row[column]);
      if (expected.hash !== row.hash || differs) {
        next.catch(() => undefined);
        const reason = expected.hash !== row.hash ? 'hash chain broken' : `column ${differs} does not match the event`;
        return { ok: false, checked, position: row.position, reason };
      }
      checked += 1;
    }
    after = BigInt(lastRow.position);
    onPage?.(checked);
  }
}

async function fetchPage(
  deps: { store: EventStore; db: Kysely<AuditTables> },
  after: bigint,
): Promise<{ rows: AuditRow[]; events: RecordedEvent[] }> {
  const [rows, events] = await Promise.all([
    deps.db
      .withSchema('rm')
      .selectFrom('audit_trail')
      .selectAll()
      .where('position', '>', after.toString())
      .orderBy('position')
      .limit(PAGE)
      .execute()
      // 42P01: the projector has never run, so there is no audit trail yet.
      .catch((error: { code?: string }) => (error.code === '42P01' ? [] : Promise.reject(error))),
    deps.store.readAll({ after, maxCount: PAGE }),
  ]);
  return { rows: rows.map((r) => ({ ...r, position: String(r.position) })), events };
}
