import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import { checkTemplateBody } from './placeholders.js';
import type { ContractTemplateEvent } from './template-events.js';

export const CONTRACT_TEMPLATE_LIMITS = { name: 120 } as const;

export interface ContractTemplateVersion {
  version: number;
  name: string;
  body: string;
  placeholders: string[];
}

export interface ContractTemplateState {
  status: 'none' | 'active' | 'deleted';
  /** Every version, oldest first; the last one is current. */
  versions: ContractTemplateVersion[];
}

export type ContractTemplateCommand = { templateId: string } & (
  | { type: 'CreateContractTemplate'; name: string; body: string }
  | { type: 'ReviseContractTemplate'; name: string; body: string }
  /** `projectId` null: the platform-wide default. */
  | { type: 'MakeTemplateDefault'; projectId: string | null }
  | { type: 'DeleteContractTemplate' }
);

export interface TemplateContext extends DecisionContext {
  /** Contracts generated from any version of the template (read model); asked only for a delete. */
  usageCount: number;
}

export const currentTemplateVersion = (state: ContractTemplateState): ContractTemplateVersion | undefined =>
  state.versions.at(-1);
export const templateVersionOf = (state: ContractTemplateState, version: number) =>
  state.versions.find((v) => v.version === version);

function checkName(name: string): string | DomainError {
  const clean = typeof name === 'string' ? name.normalize('NFC').trim().replace(/\s+/g, ' ') : '';
  if (clean.length === 0) return invalid('NAME_REQUIRED', 'Nhập tên mẫu hợp đồng', 'name');
  if ([...clean].length > CONTRACT_TEMPLATE_LIMITS.name) {
    return invalid('FIELD_TOO_LONG', `Tên mẫu dài tối đa ${CONTRACT_TEMPLATE_LIMITS.name} ký tự`, 'name');
  }
  return clean;
}

/** Bodies are stored NFC with `\n` line ends, so an unchanged text pasted back is no new version. */
const normalizeBody = (body: string) =>
  typeof body === 'string' ? body.normalize('NFC').replace(/\r\n?/g, '\n') : body;

function checkNameAndBody(command: { name: string; body: string }) {
  const name = checkName(command.name);
  if (name instanceof DomainError) return name;
  const body = normalizeBody(command.body);
  const placeholders = checkTemplateBody(body, 'body');
  if (placeholders instanceof DomainError) return placeholders;
  return { name, body, placeholders };
}

/**
 * A contract template (MauHopDong): version 1 at creation, each revision of name or body a new
 * version; a deleted template refuses everything. Who may manage templates (`contract:template_manage`)
 * is checked by the service. Which template is the default of a scope is the last
 * ContractTemplateMadeDefault across templates (read model), so making a template default always
 * records the choice again.
 */
export const contractTemplateDecider: Decider<
  ContractTemplateCommand,
  ContractTemplateState,
  ContractTemplateEvent,
  TemplateContext
> = {
  initialState: () => ({ status: 'none', versions: [] }),

  evolve(state, event) {
    switch (event.type) {
      case 'ContractTemplateCreated': {
        const { name, body, placeholders } = event.data;
        return { status: 'active', versions: [{ version: 1, name, body, placeholders }] };
      }
      case 'ContractTemplateRevised': {
        const { version, name, body, placeholders } = event.data;
        state.versions.push({ version, name, body, placeholders });
        return state;
      }
      case 'ContractTemplateDeleted':
        return { ...state, status: 'deleted' };
      default:
        return state;
    }
  },

  decide(command, state, context) {
    const { templateId } = command;
    if (command.type === 'CreateContractTemplate') {
      if (state.status !== 'none') return conflict('TEMPLATE_EXISTS', 'Mẫu hợp đồng đã tồn tại');
      const checked = checkNameAndBody(command);
      if (checked instanceof DomainError) return checked;
      return [{ type: 'ContractTemplateCreated', data: { templateId, ...checked, version: 1 } }];
    }
    const current = currentTemplateVersion(state);
    if (!current || state.status === 'deleted') {
      return notFound('TEMPLATE_NOT_FOUND', 'Không tìm thấy mẫu hợp đồng');
    }

    switch (command.type) {
      case 'ReviseContractTemplate': {
        const checked = checkNameAndBody(command);
        if (checked instanceof DomainError) return checked;
        if (checked.name === current.name && checked.body === current.body) return [];
        const { name, body, placeholders } = checked;
        return [
          {
            type: 'ContractTemplateRevised',
            data: { templateId, version: current.version + 1, name, body, placeholders },
          },
        ];
      }
      case 'MakeTemplateDefault': {
        const { projectId } = command;
        if (projectId !== null && (typeof projectId !== 'string' || projectId.length === 0)) {
          return invalid('PROJECT_INVALID', 'Chọn dự án hoặc mặc định toàn nền tảng', 'projectId');
        }
        return [{ type: 'ContractTemplateMadeDefault', data: { templateId, projectId } }];
      }
      case 'DeleteContractTemplate':
        if (context.usageCount > 0) {
          return conflict(
            'TEMPLATE_IN_USE',
            `Không thể xoá: đã có ${context.usageCount} hợp đồng được tạo từ mẫu này`,
            { uses: context.usageCount },
          );
        }
        return [{ type: 'ContractTemplateDeleted', data: { templateId } }];
    }
  },
};
