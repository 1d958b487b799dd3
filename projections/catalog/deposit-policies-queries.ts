import type pg from 'pg';
import { withTermDefaults } from '../../domain/catalog/deposit-policy.js';
import type { DepositPolicyStatus, DepositPolicyTerms } from '../../domain/catalog/deposit-policy-events.js';
import { isUuid } from '../identity/profiles-queries.js';
import type { DepositPolicyRow, DepositPolicyVersionRow } from './deposit-policies-projection.js';

export interface DepositPolicyView {
  id: string;
  /** null for an admin template. */
  ownerId: string | null;
  name: string;
  status: DepositPolicyStatus;
  currentVersion: number;
  disabledByAdmin: boolean;
  terms: DepositPolicyTerms;
  createdAt: Date;
  updatedAt: Date;
}

export interface DepositPolicyVersionView {
  policyId: string;
  version: number;
  name: string;
  terms: DepositPolicyTerms;
  createdAt: Date;
}

export interface DepositPolicyFilter {
  ownerId?: string;
  /** true: templates only; false: owners' policies only. Combines with `ownerId` by AND. */
  templates?: boolean;
  /** Without it, every status but `deleted`. */
  status?: DepositPolicyStatus;
  limit?: number;
}

const viewOf = (row: DepositPolicyRow): DepositPolicyView => ({
  id: row.id,
  ownerId: row.owner_id,
  name: row.name,
  status: row.status as DepositPolicyStatus,
  currentVersion: row.current_version,
  disabledByAdmin: row.disabled_by_admin,
  terms: withTermDefaults(row.terms),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function getDepositPolicy(pool: pg.Pool, id: string): Promise<DepositPolicyView | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query<DepositPolicyRow>('select * from rm.deposit_policies where id = $1', [id]);
  return rows[0] ? viewOf(rows[0]) : null;
}

/** The terms a policy had at `version` (deposits snapshot the version they were taken under). */
export async function getDepositPolicyVersion(
  pool: pg.Pool,
  id: string,
  version: number,
): Promise<DepositPolicyVersionView | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query<DepositPolicyVersionRow>(
    'select * from rm.deposit_policy_versions where policy_id = $1 and version = $2',
    [id, version],
  );
  const row = rows[0];
  return row
    ? {
        policyId: row.policy_id,
        version: row.version,
        name: row.name,
        terms: withTermDefaults(row.terms),
        createdAt: row.created_at,
      }
    : null;
}

export async function listDepositPolicies(
  pool: pg.Pool,
  filter: DepositPolicyFilter = {},
): Promise<DepositPolicyView[]> {
  const templates = filter.templates === undefined ? null : filter.templates;
  const { rows } = await pool.query<DepositPolicyRow>(
    `select * from rm.deposit_policies
      where ($1::text is null or owner_id = $1)
        and ($2::boolean is null or (owner_id is null) = $2)
        and (case when $3::text is null then status <> 'deleted' else status = $3 end)
      order by name, id limit $4`,
    [filter.ownerId ?? null, templates, filter.status ?? null, filter.limit ?? 500],
  );
  return rows.map(viewOf);
}

/**
 * The policy a listing of `ownerId` may be given: active, and a template or the owner's own;
 * null otherwise (disabled policies keep their existing assignments but take no new ones).
 */
export async function assignablePolicy(
  pool: pg.Pool,
  policyId: string,
  ownerId: string,
): Promise<DepositPolicyView | null> {
  const policy = await getDepositPolicy(pool, policyId);
  if (policy?.status !== 'active') return null;
  return policy.ownerId === null || policy.ownerId === ownerId ? policy : null;
}
