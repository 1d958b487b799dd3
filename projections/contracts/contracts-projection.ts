import { sql, type Transaction } from 'kysely';
import { CONTRACT_EVENT_TYPES, type ContractEvent } from '../../domain/contracts/contract-events.js';
import { HANDOVER_EVENT_TYPES, type HandoverEvent } from '../../domain/contracts/handover-events.js';
import { CONTRACT_TEMPLATE_EVENT_TYPES, type ContractTemplateEvent } from '../../domain/contracts/template-events.js';
import type { Projection } from '../projection.js';
import { applyContractEvent, applyHandoverEvent, applyTemplateEvent, type Write } from './contracts-apply.js';

/** Rows are written field by field from events; their shapes are in the *-queries.ts files. */
export interface ContractTables {
  contract_templates: Record<string, unknown>;
  contract_template_versions: Record<string, unknown>;
  contract_template_defaults: Record<string, unknown>;
  contracts: Record<string, unknown>;
  handovers: Record<string, unknown>;
}

const TEMPLATE_TYPES: readonly string[] = CONTRACT_TEMPLATE_EVENT_TYPES;
const CONTRACT_TYPES: readonly string[] = CONTRACT_EVENT_TYPES;
const HANDOVER_TYPES: readonly string[] = HANDOVER_EVENT_TYPES;

/**
 * Contract templates with every version and the default per project (or 'platform'), contracts
 * (the current snapshot text, signatures, scan, reminders sent) and handover reports. Names of rooms,
 * listings, projects and people stay in their own read models: the queries join them.
 */
export const contractsProjection: Projection<ContractTables> = {
  name: 'contracts',
  version: 1,
  filter: { eventTypes: [...CONTRACT_TEMPLATE_EVENT_TYPES, ...CONTRACT_EVENT_TYPES, ...HANDOVER_EVENT_TYPES] },
  tables: ['contract_templates', 'contract_template_versions', 'contract_template_defaults', 'contracts', 'handovers'],

  async setup(db, schema) {
    const t = (name: string) => sql.id(schema, name);
    await sql`create table if not exists ${t('contract_templates')} (
      id uuid primary key,
      name text not null,
      version integer not null,
      body text not null,
      placeholders jsonb not null,
      deleted boolean not null default false,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create table if not exists ${t('contract_template_versions')} (
      template_id uuid not null,
      version integer not null,
      name text not null,
      body text not null,
      created_at timestamptz not null,
      actor text,
      primary key (template_id, version)
    )`.execute(db);
    await sql`create table if not exists ${t('contract_template_defaults')} (
      scope text primary key,
      template_id uuid not null,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create table if not exists ${t('contracts')} (
      id uuid primary key,
      deposit_id uuid not null,
      room_hold_id text not null,
      room_id uuid not null,
      listing_id uuid not null,
      project_id uuid not null,
      customer_id uuid not null,
      owner_id uuid not null,
      template_id uuid not null,
      template_version integer not null,
      status text not null,
      text text not null,
      sha256 text not null,
      missing jsonb not null,
      values jsonb not null,
      rent_vnd bigint not null,
      deposit_vnd bigint not null,
      start_date date,
      end_date date,
      clauses text,
      signatures jsonb not null default '[]',
      signed_sha256 text,
      signed_at timestamptz,
      scan jsonb,
      reminders jsonb not null default '[]',
      cancel_reason text,
      cancelled_by text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    for (const [name, columns] of [
      ['contracts_created', sql`(created_at desc, id desc)`],
      ['contracts_customer', sql`(customer_id, created_at desc, id desc)`],
      ['contracts_owner', sql`(owner_id, created_at desc, id desc)`],
      ['contracts_deposit', sql`(deposit_id)`],
      ['contracts_room', sql`(room_id)`],
      ['contracts_template', sql`(template_id)`],
      ['contracts_status_end', sql`(status, end_date)`],
    ] as const) {
      await sql`create index if not exists ${sql.id(name)} on ${t('contracts')} ${columns}`.execute(db);
    }
    await sql`create table if not exists ${t('handovers')} (
      id uuid primary key,
      kind text not null,
      contract_id uuid not null,
      room_id uuid not null,
      project_id uuid not null,
      customer_id uuid not null,
      owner_id uuid not null,
      deposit_id uuid not null,
      status text not null,
      content jsonb not null,
      document_sha256 text not null,
      signatures jsonb not null default '[]',
      move_in_handover_id uuid,
      opened_by text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      completed_at timestamptz,
      cancel_reason text
    )`.execute(db);
    for (const [name, columns] of [
      ['handovers_contract', sql`(contract_id, created_at)`],
      ['handovers_room', sql`(room_id, created_at desc)`],
      ['handovers_status', sql`(status, created_at desc)`],
    ] as const) {
      await sql`create index if not exists ${sql.id(name)} on ${t('handovers')} ${columns}`.execute(db);
    }
  },

  async apply(events, { trx, schema }) {
    const t = (name: string) => sql.id(schema, name);
    for (const recorded of events) {
      const write: Write = {
        trx: trx as Transaction<unknown>,
        t,
        at: new Date(recorded.metadata.occurredAt),
        actor: recorded.metadata.actorId,
      };
      const event = { type: recorded.type, data: recorded.data };
      if (TEMPLATE_TYPES.includes(event.type)) await applyTemplateEvent(event as ContractTemplateEvent, write);
      else if (CONTRACT_TYPES.includes(event.type)) await applyContractEvent(event as ContractEvent, write);
      else if (HANDOVER_TYPES.includes(event.type)) await applyHandoverEvent(event as HandoverEvent, write);
    }
  },
};
