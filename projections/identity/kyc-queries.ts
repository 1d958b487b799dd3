import type pg from 'pg';
import type { KycDocument, KycStatus } from '../../domain/identity/kyc-events.js';
import { isUuid } from './profiles-queries.js';

export interface KycDocumentView extends KycDocument {
  /** Reviewers fetch the file here (`kyc:review`). */
  url: string;
}

export interface KycView {
  userId: string;
  status: KycStatus;
  documents: KycDocumentView[];
  submissions: number;
  submittedAt: Date | null;
  decidedAt: Date | null;
  reviewerId: string | null;
  reason: string | null;
}

export interface KycQueueItem extends KycView {
  email: string;
  name: string;
  roles: string[];
}

interface Row {
  user_id: string;
  status: KycStatus;
  documents: KycDocument[];
  submissions: number;
  submitted_at: Date | null;
  decided_at: Date | null;
  reviewer_id: string | null;
  reason: string | null;
}

export const kycDocumentUrl = (userId: string, key: string) =>
  `/api/v1/admin/kyc/${userId}/documents/${encodeURIComponent(key)}`;

const viewOf = (row: Row): KycView => ({
  userId: row.user_id,
  status: row.status,
  documents: row.documents.map((document) => ({ ...document, url: kycDocumentUrl(row.user_id, document.key) })),
  submissions: row.submissions,
  submittedAt: row.submitted_at,
  decidedAt: row.decided_at,
  reviewerId: row.reviewer_id,
  reason: row.reason,
});

const unverified = (userId: string): KycView => ({
  userId,
  status: 'unverified',
  documents: [],
  submissions: 0,
  submittedAt: null,
  decidedAt: null,
  reviewerId: null,
  reason: null,
});

/** A person's verification; `unverified` when they never submitted. */
export async function getKyc(pool: pg.Pool, userId: string): Promise<KycView> {
  if (!isUuid(userId)) return unverified(userId);
  const { rows } = await pool.query<Row>('select * from rm.kyc where user_id = $1', [userId]);
  return rows[0] ? viewOf(rows[0]) : unverified(userId);
}

/** The review queue: oldest submission first. */
export async function listKyc(pool: pg.Pool, filter: { status?: KycStatus; limit: number }): Promise<KycQueueItem[]> {
  const { rows } = await pool.query<Row & { email: string; name: string; roles: string[] }>(
    `select k.*, u.email, u.name, u.roles from rm.kyc k join rm.users u on u.id = k.user_id
      where ($1::text is null or k.status = $1) order by k.submitted_at asc nulls last limit $2`,
    [filter.status ?? null, filter.limit],
  );
  return rows.map((row) => ({ ...viewOf(row), email: row.email, name: row.name, roles: row.roles }));
}
