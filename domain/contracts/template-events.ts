import type { DomainEvent } from '../shared/decider.js';

/**
 * Facts about one contract template (stream `contract-template-<templateId>`, MauHopDong, SRS
 * UC-ADMIN-06): Markdown with `{{Placeholder}}` slots. Every revision is a new version; contracts
 * keep the body they were generated from, so a revision never changes them.
 */
export type ContractTemplateEvent =
  | DomainEvent<
      'ContractTemplateCreated',
      { templateId: string; name: string; body: string; version: 1; placeholders: string[] }
    >
  | DomainEvent<
      'ContractTemplateRevised',
      { templateId: string; version: number; name: string; body: string; placeholders: string[] }
    >
  /** `projectId` null: the platform-wide default, used where a project has none of its own. */
  | DomainEvent<'ContractTemplateMadeDefault', { templateId: string; projectId: string | null }>
  | DomainEvent<'ContractTemplateDeleted', { templateId: string }>;

export const CONTRACT_TEMPLATE_EVENT_TYPES: ContractTemplateEvent['type'][] = [
  'ContractTemplateCreated',
  'ContractTemplateRevised',
  'ContractTemplateMadeDefault',
  'ContractTemplateDeleted',
];

export const contractTemplateStream = (templateId: string) => `contract-template-${templateId}`;
