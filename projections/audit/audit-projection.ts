import { sql } from 'kysely';
import type { Projection } from '../projection.js';
import { type AuditRow, auditRowOf } from './audit-row.js';
import { chainHash, GENESIS_HASH } from './canonical.js';

export interface AuditTables {
  audit_trail: AuditRow;
}

const INSERT_CHUNK = 1000;

/** Every event, one row each, chained by hash. Read by admins (UC-ADMIN-08) and auditors. */
export const auditProjection: Projection<AuditTables> = {
  name: 'audit_trail',
  // v2: summaries name the role. Verification derives rows with the current code, so a change to
  // what a row holds is a new version, rebuilt from the history.
  version: 2,
  tables: ['audit_trail'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'audit_trail')} (
      position bigint primary key,
      event_id text not null,
      stream_name text not null,
      event_type text not null,
      actor_id text,
      act_as_id text,
      roles text not null,
      target_id text not null,
      ip text,
      user_agent text,
      occurred_at text not null,
      summary text not null,
      hash text not null
    )`.execute(db);
    await sql`create index if not exists audit_trail_actor on ${sql.id(schema, 'audit_trail')} (actor_id, position)`.execute(
      db,
    );
    await sql`create index if not exists audit_trail_target on ${sql.id(schema, 'audit_trail')} (target_id, position)`.execute(
      db,
    );
    await sql`create index if not exists audit_trail_stream on ${sql.id(schema, 'audit_trail')} (stream_name, position)`.execute(
      db,
    );
  },

  async apply(events, { db }) {
    const last = await db
      .selectFrom('audit_trail')
      .select('hash')
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst();
    let previous = last?.hash ?? GENESIS_HASH;
    const rows = events.map((event) => {
      previous = chainHash(previous, event);
      return auditRowOf(event, previous);
    });
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await db
        .insertInto('audit_trail')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
  },
};
