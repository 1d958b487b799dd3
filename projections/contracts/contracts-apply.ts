import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { ContractEvent } from '../../domain/contracts/contract-events.js';
import type { HandoverEvent } from '../../domain/contracts/handover-events.js';
import type { ContractTemplateEvent } from '../../domain/contracts/template-events.js';

/** Where and when an event's changes are written, and by whom (the event's actor). */
export type Write = {
  trx: Transaction<unknown>;
  t: (name: string) => RawBuilder<unknown>;
  at: Date;
  actor: string | null;
};

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** The scope key of a default: a project's id, or 'platform' for the platform-wide one. */
export const defaultScopeOf = (projectId: string | null) => projectId ?? 'platform';

export async function applyTemplateEvent(event: ContractTemplateEvent, { trx, t, at, actor }: Write) {
  const id = event.data.templateId;
  const addVersion = (version: number, name: string, body: string) =>
    sql`insert into ${t('contract_template_versions')} (template_id, version, name, body, created_at, actor)
      values (${id}, ${version}, ${name}, ${body}, ${at}, ${actor})
      on conflict do nothing`.execute(trx);
  switch (event.type) {
    case 'ContractTemplateCreated': {
      const { name, body, version, placeholders } = event.data;
      await sql`insert into ${t('contract_templates')} (id, name, version, body, placeholders, created_at, updated_at)
        values (${id}, ${name}, ${version}, ${body}, ${json(placeholders)}, ${at}, ${at})
        on conflict (id) do nothing`.execute(trx);
      await addVersion(version, name, body);
      return;
    }
    case 'ContractTemplateRevised': {
      const { name, body, version, placeholders } = event.data;
      await sql`update ${t('contract_templates')} set name = ${name}, body = ${body}, version = ${version},
          placeholders = ${json(placeholders)}, updated_at = ${at}
        where id = ${id} and version < ${version}`.execute(trx);
      await addVersion(version, name, body);
      return;
    }
    case 'ContractTemplateMadeDefault':
      await sql`insert into ${t('contract_template_defaults')} (scope, template_id, updated_at)
        values (${defaultScopeOf(event.data.projectId)}, ${id}, ${at})
        on conflict (scope) do update set template_id = excluded.template_id, updated_at = excluded.updated_at`.execute(
        trx,
      );
      return;
    case 'ContractTemplateDeleted':
      await sql`update ${t('contract_templates')} set deleted = true, updated_at = ${at} where id = ${id}`.execute(trx);
      // A deleted template is no one's default: generation falls back to the platform's.
      await sql`delete from ${t('contract_template_defaults')} where template_id = ${id}`.execute(trx);
      return;
  }
}

export async function applyContractEvent(event: ContractEvent, { trx, t, at }: Write) {
  const id = event.data.contractId;
  const update = (changes: RawBuilder<unknown>) =>
    sql`update ${t('contracts')} set ${changes}, updated_at = ${at} where id = ${id}`.execute(trx);
  switch (event.type) {
    case 'ContractGenerated': {
      const d = event.data;
      await sql`insert into ${t('contracts')} (id, deposit_id, room_hold_id, room_id, listing_id, project_id,
          customer_id, owner_id, template_id, template_version, status, text, sha256, missing, values, rent_vnd,
          deposit_vnd, start_date, end_date, clauses, created_at, updated_at)
        values (${id}, ${d.depositId}, ${d.roomHoldId}, ${d.roomId}, ${d.listingId}, ${d.projectId}, ${d.customerId},
          ${d.ownerId}, ${d.templateId}, ${d.templateVersion}, 'awaiting_signatures', ${d.text}, ${d.sha256},
          ${json(d.missing)}, ${json(d.values)}, ${d.terms.rentVnd}, ${d.terms.depositVnd}, ${d.terms.startDate}::date,
          ${d.terms.endDate}::date, ${d.terms.clauses}, ${at}, ${at})
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'ContractFieldsFilled': {
      const { values, terms, text, sha256, missing } = event.data;
      await update(sql`values = values || ${json(values)}, rent_vnd = ${terms.rentVnd},
        deposit_vnd = ${terms.depositVnd}, start_date = ${terms.startDate}::date, end_date = ${terms.endDate}::date,
        clauses = ${terms.clauses}, text = ${text}, sha256 = ${sha256}, missing = ${json(missing)}`);
      return;
    }
    case 'ContractSigned': {
      const { contractId: _, ...signature } = event.data;
      await sql`update ${t('contracts')} set signatures = signatures || ${json([signature])}, updated_at = ${at}
        where id = ${id} and not signatures @> ${json([{ party: signature.party }])}`.execute(trx);
      return;
    }
    case 'ContractFullySigned':
      await update(sql`status = 'signed', signed_sha256 = ${event.data.documentSha256},
        signed_at = ${new Date(event.data.signedAt)}`);
      return;
    case 'ContractScanUploaded': {
      const { contractId: _, ...file } = event.data;
      await update(sql`scan = ${json({ ...file, uploadedAt: at.toISOString(), review: null })}`);
      return;
    }
    case 'ContractScanReviewed': {
      const { accepted, note, reviewedBy, fileKey } = event.data;
      const review = { accepted, note, reviewedBy, at: at.toISOString() };
      await sql`update ${t('contracts')} set scan = jsonb_set(scan, '{review}', ${json(review)}), updated_at = ${at}
        where id = ${id} and scan ->> 'fileKey' = ${fileKey}`.execute(trx);
      return;
    }
    case 'ContractExpiryReminderDue': {
      const days = json([event.data.daysBefore]);
      await sql`update ${t('contracts')} set reminders = reminders || ${days}, updated_at = ${at}
        where id = ${id} and not reminders @> ${days}`.execute(trx);
      return;
    }
    case 'ContractExpired':
      await update(sql`status = 'expired'`);
      return;
    case 'ContractCancelled':
      await update(sql`status = 'cancelled', cancel_reason = ${event.data.reason}, cancelled_by = ${event.data.by}`);
      return;
  }
}

export async function applyHandoverEvent(event: HandoverEvent, { trx, t, at }: Write) {
  const id = event.data.handoverId;
  const update = (changes: RawBuilder<unknown>) =>
    sql`update ${t('handovers')} set ${changes}, updated_at = ${at} where id = ${id}`.execute(trx);
  switch (event.type) {
    case 'HandoverOpened': {
      const d = event.data;
      await sql`insert into ${t('handovers')} (id, kind, contract_id, room_id, project_id, customer_id, owner_id,
          deposit_id, status, content, document_sha256, move_in_handover_id, opened_by, created_at, updated_at)
        values (${id}, ${d.kind}, ${d.contractId}, ${d.roomId}, ${d.projectId}, ${d.customerId}, ${d.ownerId},
          ${d.depositId}, 'in_progress', ${json(d.content)}, ${d.documentSha256}, ${d.moveInHandoverId},
          ${d.openedBy}, ${at}, ${at})
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'HandoverContentRecorded':
      await update(sql`content = ${json(event.data.content)}, document_sha256 = ${event.data.documentSha256}`);
      return;
    case 'HandoverSigned': {
      const { handoverId: _, ...signature } = event.data;
      await sql`update ${t('handovers')} set signatures = signatures || ${json([signature])}, updated_at = ${at}
        where id = ${id} and not signatures @> ${json([{ party: signature.party }])}`.execute(trx);
      return;
    }
    case 'HandoverCompleted':
      await update(sql`status = 'completed', completed_at = ${new Date(event.data.completedAt)},
        document_sha256 = ${event.data.documentSha256}`);
      return;
    case 'HandoverCancelled':
      await update(sql`status = 'cancelled', cancel_reason = ${event.data.reason}`);
      return;
  }
}
