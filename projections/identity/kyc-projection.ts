import { sql } from 'kysely';
import { KYC_EVENT_TYPES, type KycDocument, type KycEvent } from '../../domain/identity/kyc-events.js';
import type { Projection } from '../projection.js';

export interface KycRow {
  user_id: string;
  status: string;
  /** The documents of the latest submission. */
  documents: KycDocument[];
  submissions: number;
  submitted_at: Date | null;
  decided_at: Date | null;
  /** Who verified or rejected (the person acted for, when an admin acted as a reviewer). */
  reviewer_id: string | null;
  reason: string | null;
  updated_at: Date;
}

export interface KycTables {
  kyc: KycRow;
}

/** Identity verification of owners and experts (rm.kyc): the review queue and each person's status. */
export const kycProjection: Projection<KycTables> = {
  name: 'kyc',
  version: 1,
  filter: { eventTypes: KYC_EVENT_TYPES },
  tables: ['kyc'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'kyc')} (
      user_id uuid primary key,
      status text not null,
      documents jsonb not null default '[]',
      submissions integer not null default 0,
      submitted_at timestamptz,
      decided_at timestamptz,
      reviewer_id text,
      reason text,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists kyc_status on ${sql.id(schema, 'kyc')} (status, submitted_at)`.execute(db);
  },

  async apply(events, { trx, schema }) {
    const table = sql.id(schema, 'kyc');
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as KycEvent;
      const at = new Date(recorded.metadata.occurredAt);
      const id = event.data.userId;
      const reviewer = recorded.metadata.actAsId ?? recorded.metadata.actorId;
      switch (event.type) {
        case 'KycSubmitted':
          await sql`insert into ${table} (user_id, status, documents, submissions, submitted_at, updated_at)
            values (${id}, 'pending', ${JSON.stringify(event.data.documents)}::jsonb, 1, ${at}, ${at})
            on conflict (user_id) do update set status = 'pending', documents = excluded.documents,
              submissions = ${table}.submissions + 1, submitted_at = excluded.submitted_at,
              decided_at = null, reviewer_id = null, reason = null, updated_at = excluded.updated_at`.execute(trx);
          break;
        case 'KycVerified':
          await sql`update ${table} set status = 'verified', decided_at = ${at}, reviewer_id = ${reviewer},
            reason = null, updated_at = ${at} where user_id = ${id}`.execute(trx);
          break;
        case 'KycRejected':
          await sql`update ${table} set status = 'rejected', decided_at = ${at}, reviewer_id = ${reviewer},
            reason = ${event.data.reason}, updated_at = ${at} where user_id = ${id}`.execute(trx);
          break;
        default:
          break;
      }
    }
  },
};
