import {
  type DepositPolicyCommand,
  type DepositPolicyContext,
  depositPolicyDecider,
} from '../../domain/catalog/deposit-policy.js';
import { depositPolicyStream } from '../../domain/catalog/deposit-policy-events.js';
import { commandHandler, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';

/** Who refers to a deposit policy (listings, projects' defaults), counted from read models. */
export interface DepositPolicyUsage {
  countUses(policyId: string): Promise<number>;
}

/** Nothing refers to policies yet: the listings and projects issues replace this with real counts. */
export const noPolicyReferencesYet: DepositPolicyUsage = { countUses: async () => 0 };

/** What the route knows about the caller that the decision needs besides their id. */
export interface PolicyAuthority {
  /** The caller holds `policy:manage` (templates; disabling anyone's policy). */
  canManageTemplates: boolean;
}

/** Deposit policies (ChinhSachCoc), one stream `deposit-policy-<id>` each. */
export function depositPolicyCommands(deps: HandlerDeps & { usage: DepositPolicyUsage }) {
  const handlerFor = (canManageTemplates: boolean) =>
    commandHandler(deps, {
      decider: depositPolicyDecider,
      stream: (command: DepositPolicyCommand) => depositPolicyStream(command.policyId),
      context: async (command, base): Promise<DepositPolicyContext> => ({
        ...base,
        canManageTemplates,
        usageCount: command.type === 'DeleteDepositPolicy' ? await deps.usage.countUses(command.policyId) : 0,
      }),
    });
  const asManager = handlerFor(true);
  const asOther = handlerFor(false);
  return (command: DepositPolicyCommand, metadata: CommandMetadata, authority: PolicyAuthority) =>
    (authority.canManageTemplates ? asManager : asOther)(command, metadata);
}

export type DepositPolicyCommands = ReturnType<typeof depositPolicyCommands>;
