import { v5 as uuidv5 } from 'uuid';
import { checkTemplateBody, renderContract, sampleValues } from '../../domain/contracts/placeholders.js';
import {
  type ContractTemplateCommand,
  type ContractTemplateState,
  contractTemplateDecider,
  type TemplateContext,
} from '../../domain/contracts/template.js';
import { contractTemplateStream } from '../../domain/contracts/template-events.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { DomainError } from '../../domain/shared/errors.js';
import { commandHandler, currentState, type HandlerDeps } from '../handler.js';
import { type CommandMetadata, systemMetadata } from '../metadata.js';
import { BUILT_IN_CONTRACT_TEMPLATE_BODY, BUILT_IN_CONTRACT_TEMPLATE_NAME } from './built-in-template.js';

/** The built-in template's id: the same on every installation, so seeding twice finds the first. */
export const BUILT_IN_TEMPLATE_ID = uuidv5(
  'platform-default-contract-template',
  '7a1c5e0e-4b7f-4c43-9d0e-2f0a6d3b9c11',
);

/** How many contracts were generated from a template (read model); a used template is never deleted. */
export interface TemplateUsage {
  countUses(templateId: string): Promise<number>;
}

/** Contract templates (MauHopDong, UC-ADMIN-06), one stream `contract-template-<id>` each. */
export function templateCommands(deps: HandlerDeps & { usage: TemplateUsage }) {
  const handle = commandHandler(deps, {
    decider: contractTemplateDecider,
    stream: (command: ContractTemplateCommand) => contractTemplateStream(command.templateId),
    context: async (command, base): Promise<TemplateContext> => ({
      ...base,
      usageCount: command.type === 'DeleteContractTemplate' ? await deps.usage.countUses(command.templateId) : 0,
    }),
  });

  const state = (templateId: string): Promise<ContractTemplateState> =>
    currentState(deps.store, contractTemplateStream(templateId), contractTemplateDecider);

  /** A body rendered with sample data, for the editor's live preview (nothing is written). */
  function preview(body: string) {
    const placeholders = checkTemplateBody(body, 'body');
    if (isDomainError(placeholders)) throw placeholders;
    const { text, missing } = renderContract(body, sampleValues());
    return { text, placeholders, missing };
  }

  /**
   * Creates the platform's built-in template and makes it the platform default, once: fixed
   * idempotency keys make a later start (or a second caller) find the first one's events, so an
   * admin's later choice of another default stays.
   */
  async function ensureBuiltIn(): Promise<void> {
    const metadata = (step: string): CommandMetadata => ({
      ...systemMetadata('seed-contract-template-v1'),
      idempotencyKey: `seed-contract-template-v1:${step}`,
    });
    const templateId = BUILT_IN_TEMPLATE_ID;
    try {
      await handle(
        {
          type: 'CreateContractTemplate',
          templateId,
          name: BUILT_IN_CONTRACT_TEMPLATE_NAME,
          body: BUILT_IN_CONTRACT_TEMPLATE_BODY,
        },
        metadata('create'),
      );
      await handle({ type: 'MakeTemplateDefault', templateId, projectId: null }, metadata('default'));
    } catch (error) {
      // Already there (seeded by an earlier version, or deleted by an admin on purpose): leave it.
      if (!(error instanceof DomainError && (error.kind === 'conflict' || error.kind === 'not_found'))) throw error;
    }
  }

  return { handle, state, preview, ensureBuiltIn };
}

export type TemplateCommands = ReturnType<typeof templateCommands>;
