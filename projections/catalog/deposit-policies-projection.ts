import { sql } from 'kysely';
import {
  DEPOSIT_POLICY_EVENT_TYPES,
  type DepositPolicyEvent,
  type DepositPolicyTerms,
} from '../../domain/catalog/deposit-policy-events.js';
import type { Projection } from '../projection.js';

export interface DepositPolicyRow {
  id: string;
  /** null for an admin template. */
  owner_id: string | null;
  name: string;
  status: string;
  current_version: number;
  /** Disabled by a template manager, not by its owner: only a manager enables it again. */
  disabled_by_admin: boolean;
  /** The terms of the current version. */
  terms: DepositPolicyTerms;
  created_at: Date;
  updated_at: Date;
}

export interface DepositPolicyVersionRow {
  policy_id: string;
  version: number;
  name: string;
  terms: DepositPolicyTerms;
  created_at: Date;
}

export interface DepositPolicyTables {
  deposit_policies: DepositPolicyRow;
  deposit_policy_versions: DepositPolicyVersionRow;
}

/** Deposit policies (rm.deposit_policies) and every version of their terms (rm.deposit_policy_versions). */
export const depositPoliciesProjection: Projection<DepositPolicyTables> = {
  name: 'deposit_policies',
  version: 1,
  filter: { eventTypes: DEPOSIT_POLICY_EVENT_TYPES },
  tables: ['deposit_policies', 'deposit_policy_versions'],

  async setup(db, schema) {
    await sql`create table if not exists ${sql.id(schema, 'deposit_policies')} (
      id uuid primary key,
      owner_id text,
      name text not null,
      status text not null,
      current_version integer not null,
      disabled_by_admin boolean not null default false,
      terms jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists deposit_policies_owner
      on ${sql.id(schema, 'deposit_policies')} (owner_id, status)`.execute(db);
    await sql`create table if not exists ${sql.id(schema, 'deposit_policy_versions')} (
      policy_id uuid not null,
      version integer not null,
      name text not null,
      terms jsonb not null,
      created_at timestamptz not null,
      primary key (policy_id, version)
    )`.execute(db);
  },

  async apply(events, { trx, schema }) {
    const policies = sql.id(schema, 'deposit_policies');
    const versions = sql.id(schema, 'deposit_policy_versions');
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as DepositPolicyEvent;
      const at = new Date(recorded.metadata.occurredAt);
      const id = event.data.policyId;
      const setStatus = (status: string, byAdmin = false) =>
        sql`update ${policies} set status = ${status}, disabled_by_admin = ${byAdmin}, updated_at = ${at}
          where id = ${id}`.execute(trx);
      switch (event.type) {
        case 'DepositPolicyCreated':
        case 'DepositPolicyRevised': {
          const { version, name } = event.data;
          const terms = JSON.stringify(event.data.terms);
          if (event.type === 'DepositPolicyCreated') {
            await sql`insert into ${policies} (id, owner_id, name, status, current_version, terms, created_at, updated_at)
              values (${id}, ${event.data.ownerId}, ${name}, 'active', 1, ${terms}::jsonb, ${at}, ${at})
              on conflict (id) do nothing`.execute(trx);
          } else {
            await sql`update ${policies} set name = ${name}, current_version = ${version}, terms = ${terms}::jsonb,
              updated_at = ${at} where id = ${id}`.execute(trx);
          }
          await sql`insert into ${versions} (policy_id, version, name, terms, created_at)
            values (${id}, ${version}, ${name}, ${terms}::jsonb, ${at}) on conflict do nothing`.execute(trx);
          break;
        }
        case 'DepositPolicyDisabled':
          await setStatus('disabled', event.data.byAdmin);
          break;
        case 'DepositPolicyEnabled':
          await setStatus('active');
          break;
        case 'DepositPolicyDeleted':
          await setStatus('deleted');
          break;
        default:
          break;
      }
    }
  },
};
