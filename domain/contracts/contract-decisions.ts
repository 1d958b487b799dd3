import { conflict, DomainError, invalid } from '../shared/errors.js';
import type { ContractCommand, ContractContext, ContractState } from './contract.js';
import {
  CONTRACT_CANCELLERS,
  CONTRACT_PARTIES,
  type ContractEvent,
  type ContractParties,
  type ContractParty,
  type ContractTerms,
} from './contract-events.js';
import { CONTRACT_LIMITS, checkContractTerms, checkValues, cleanText, termValues, vnDateOf } from './contract-terms.js';
import { checkTemplateBody, formatDate, renderContract, sha256Hex } from './placeholders.js';

// The contract decider's larger decisions (generate, fill, sign, cancel); see contract.ts.

export const partyIdOf = (parties: ContractParties, party: ContractParty) =>
  party === 'customer' ? parties.customerId : parties.ownerId;

export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const wrongStatus = (state: ContractState, action: string) =>
  conflict('CONTRACT_STATUS', `Hợp đồng đang ở trạng thái ${state.status}, không thể ${action}`, {
    status: state.status,
  });

function rendered(templateBody: string, values: Record<string, string>) {
  const { text, missing } = renderContract(templateBody, values);
  return { text, sha256: sha256Hex(text), missing };
}

type Command<T extends ContractCommand['type']> = Extract<ContractCommand, { type: T }>;

export function generate(command: Command<'GenerateContract'>, state: ContractState, context: ContractContext) {
  if (state.status !== 'none') return conflict('CONTRACT_EXISTS', 'Khoản cọc này đã có hợp đồng');
  const { contractId, templateId, templateVersion, templateBody } = command;
  const known = checkTemplateBody(templateBody, 'templateBody');
  if (known instanceof DomainError) return known;
  const terms = checkContractTerms(command.terms);
  if (terms instanceof DomainError) return terms;
  const given = checkValues(command.values, false);
  if (given instanceof DomainError) return given;
  const values: Record<string, string> = {
    MaHopDong: `HD-${contractId.replace(/-/g, '').slice(0, 8).toUpperCase()}`,
    NgayLap: formatDate(vnDateOf(context.now)),
    ...given,
    ...termValues(terms),
  };
  const { depositId, roomHoldId, roomId, listingId, projectId, customerId, ownerId } = command;
  return [
    {
      type: 'ContractGenerated' as const,
      data: {
        contractId,
        depositId,
        roomHoldId,
        roomId,
        listingId,
        projectId,
        customerId,
        ownerId,
        templateId,
        templateVersion,
        templateBody,
        values,
        terms,
        ...rendered(templateBody, values),
      },
    },
  ];
}

export function fill(command: Command<'FillContractFields'>, state: ContractState, context: ContractContext) {
  const parties = state.parties as ContractParties;
  if (context.actorId !== parties.ownerId && !context.actingAsOperator) {
    return forbidden('NOT_THE_OWNER', 'Chỉ chủ nhà điền thông tin hợp đồng');
  }
  if (state.signatures.length > 0) {
    return conflict('CONTRACT_FROZEN', 'Hợp đồng đã có chữ ký, nội dung không thể thay đổi');
  }
  if (state.status !== 'awaiting_signatures') return wrongStatus(state, 'sửa');
  const given = checkValues(command.values, true);
  if (given instanceof DomainError) return given;
  const terms = checkContractTerms({
    ...state.terms,
    ...(command.startDate !== undefined && { startDate: command.startDate }),
    ...(command.endDate !== undefined && { endDate: command.endDate }),
    ...(command.clauses !== undefined && { clauses: command.clauses }),
  });
  if (terms instanceof DomainError) return terms;
  const next = { ...given, ...termValues(terms) };
  const changed = Object.fromEntries(Object.entries(next).filter(([name, value]) => state.values[name] !== value));
  const termsChanged = (Object.keys(terms) as (keyof ContractTerms)[]).some((key) => terms[key] !== state.terms[key]);
  if (Object.keys(changed).length === 0 && !termsChanged) return [];
  const values = { ...state.values, ...changed };
  const { contractId } = command;
  return [
    {
      type: 'ContractFieldsFilled' as const,
      data: { contractId, values: changed, terms, ...rendered(state.templateBody, values) },
    },
  ];
}

export function sign(command: Command<'SignContract'>, state: ContractState, context: ContractContext) {
  const parties = state.parties as ContractParties;
  const { contractId, party, signerId } = command;
  if (!(CONTRACT_PARTIES as readonly string[]).includes(party)) {
    return invalid('PARTY_INVALID', 'Bên ký là khách thuê hoặc chủ nhà', 'party');
  }
  if (signerId !== partyIdOf(parties, party)) {
    return forbidden('NOT_A_PARTY', 'Bạn không phải là bên ký này của hợp đồng');
  }
  if (state.signatures.some((s) => s.party === party)) {
    return conflict('ALREADY_SIGNED', 'Bên này đã ký hợp đồng', { party });
  }
  if (state.status !== 'awaiting_signatures') return wrongStatus(state, 'ký');
  if (state.missing.length > 0) {
    return conflict('CONTRACT_INCOMPLETE', 'Hợp đồng còn thông tin chưa điền', { missing: state.missing });
  }
  if (party === 'owner' && !state.signatures.some((s) => s.party === 'customer')) {
    return conflict('CUSTOMER_SIGNS_FIRST', 'Khách thuê ký trước, chủ nhà ký sau');
  }
  if (command.documentSha256 !== state.sha256) {
    return conflict('DOCUMENT_CHANGED', 'Nội dung hợp đồng đã thay đổi; hãy xem lại trước khi ký', {
      sha256: state.sha256,
    });
  }
  const signedAt = context.now.toISOString();
  const signature = {
    party,
    signerId,
    signedAt,
    ip: String(command.ip ?? '').slice(0, 100),
    userAgent: String(command.userAgent ?? '').slice(0, 1000),
    documentSha256: state.sha256,
  };
  const signed: ContractEvent = { type: 'ContractSigned', data: { contractId, ...signature } };
  if (party === 'customer') return [signed];
  return [
    signed,
    { type: 'ContractFullySigned' as const, data: { contractId, signedAt, documentSha256: state.sha256 } },
  ];
}

export function cancel(command: Command<'CancelContract'>, state: ContractState, context: ContractContext) {
  const parties = state.parties as ContractParties;
  const { contractId, by } = command;
  if (!(CONTRACT_CANCELLERS as readonly string[]).includes(by)) {
    return invalid('CANCELLER_INVALID', 'Bên huỷ là khách thuê, chủ nhà hoặc vận hành', 'by');
  }
  const mayCancel =
    by === 'operator'
      ? context.actingAsOperator
      : context.actorId === (by === 'customer' ? parties.customerId : parties.ownerId);
  if (!mayCancel) return forbidden('NOT_A_PARTY', 'Bạn không thể huỷ hợp đồng này');
  if (state.status === 'cancelled') return [];
  if (state.status !== 'awaiting_signatures' && state.status !== 'signed') return wrongStatus(state, 'huỷ');
  const reason = cleanText(command.reason);
  if (reason === null) return invalid('REASON_REQUIRED', 'Nhập lý do huỷ hợp đồng', 'reason');
  if (reason.length > CONTRACT_LIMITS.reason) {
    return invalid('FIELD_TOO_LONG', `Lý do dài tối đa ${CONTRACT_LIMITS.reason} ký tự`, 'reason');
  }
  return [{ type: 'ContractCancelled' as const, data: { contractId, reason, by, previousStatus: state.status } }];
}
