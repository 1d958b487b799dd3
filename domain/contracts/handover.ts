import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import { CONTRACT_LIMITS, cleanText } from './contract-terms.js';
import { checkHandoverContent, handoverDigest } from './handover-content.js';
import {
  HANDOVER_KINDS,
  HANDOVER_PARTIES,
  type HandoverContent,
  type HandoverEvent,
  type HandoverKind,
  type HandoverParties,
  type HandoverParty,
  type HandoverSignature,
  type HandoverStatus,
  type MeterReadings,
} from './handover-events.js';

export interface HandoverState {
  status: HandoverStatus;
  kind: HandoverKind;
  parties: HandoverParties | null;
  moveInHandoverId: string | null;
  content: HandoverContent | null;
  documentSha256: string;
  signatures: HandoverSignature[];
  completedAt: string | null;
}

export type HandoverCommand = { handoverId: string } & (
  | ({
      type: 'OpenHandover';
      kind: HandoverKind;
      openedBy: string;
      content: HandoverContent;
      /** The service checked that the contract is signed. */
      contractSigned: boolean;
      /** Move-out: the completed move-in report and its meter readings. */
      moveInHandoverId: string | null;
      moveInMeters: MeterReadings | null;
      /** What the deposit still holds (0 once released): caps the move-out deductions. */
      depositHeldVnd: number;
    } & HandoverParties)
  | {
      type: 'RecordHandoverContent';
      content: HandoverContent;
      moveInMeters: MeterReadings | null;
      depositHeldVnd: number;
    }
  | {
      type: 'SignHandover';
      party: HandoverParty;
      signerId: string;
      ip: string;
      userAgent: string;
      documentSha256: string;
    }
  | { type: 'CancelHandover'; reason: string }
);

export type HandoverContext = DecisionContext;

export const handoverPartyIdOf = (parties: HandoverParties, party: HandoverParty) =>
  party === 'customer' ? parties.customerId : parties.ownerId;

const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
const frozen = () => conflict('HANDOVER_FROZEN', 'Biên bản đã có chữ ký, nội dung không thể thay đổi');

type Command<T extends HandoverCommand['type']> = Extract<HandoverCommand, { type: T }>;

/**
 * A handover report (BienBanBanGiao) at move-in or move-out: opened in progress by staff once the
 * contract is signed, its content recorded until the first signature, then signed by customer and
 * owner in any order over the content's digest; the second signature completes it (read-only).
 * One report in progress per room is the room stream's rule, not this one's.
 */
export const handoverDecider: Decider<HandoverCommand, HandoverState, HandoverEvent, HandoverContext> = {
  initialState: () => ({
    status: 'not_started',
    kind: 'move_in',
    parties: null,
    moveInHandoverId: null,
    content: null,
    documentSha256: '',
    signatures: [],
    completedAt: null,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'HandoverOpened': {
        const d = event.data;
        const { contractId, roomId, projectId, customerId, ownerId, depositId } = d;
        return {
          ...state,
          status: 'in_progress',
          kind: d.kind,
          parties: { contractId, roomId, projectId, customerId, ownerId, depositId },
          moveInHandoverId: d.moveInHandoverId,
          content: d.content,
          documentSha256: d.documentSha256,
        };
      }
      case 'HandoverContentRecorded':
        return { ...state, content: event.data.content, documentSha256: event.data.documentSha256 };
      case 'HandoverSigned': {
        const { handoverId: _id, ...signature } = event.data;
        return { ...state, signatures: [...state.signatures, signature] };
      }
      case 'HandoverCompleted':
        return { ...state, status: 'completed', completedAt: event.data.completedAt };
      case 'HandoverCancelled':
        return { ...state, status: 'cancelled' };
      default:
        return state;
    }
  },

  decide(command, state, context) {
    if (command.type === 'OpenHandover') return open(command, state);
    if (state.status === 'not_started' || !state.parties) {
      return notFound('HANDOVER_NOT_FOUND', 'Không tìm thấy biên bản bàn giao');
    }
    if (state.status === 'completed') {
      return conflict('HANDOVER_COMPLETED', 'Biên bản đã hoàn tất, chỉ có thể xem');
    }
    const { handoverId } = command;

    switch (command.type) {
      case 'RecordHandoverContent': {
        if (state.status !== 'in_progress') return wrongStatus(state);
        if (state.signatures.length > 0) return frozen();
        const content = checkHandoverContent(command.content, state.kind, command.moveInMeters, command.depositHeldVnd);
        if (content instanceof DomainError) return content;
        const documentSha256 = handoverDigest(content);
        if (documentSha256 === state.documentSha256) return [];
        return [{ type: 'HandoverContentRecorded', data: { handoverId, content, documentSha256 } }];
      }
      case 'SignHandover':
        return sign(command, state, context.now);
      case 'CancelHandover': {
        if (state.status === 'cancelled') return [];
        if (state.signatures.length > 0) return frozen();
        const reason = cleanText(command.reason);
        if (reason === null) return invalid('REASON_REQUIRED', 'Nhập lý do huỷ biên bản', 'reason');
        if (reason.length > CONTRACT_LIMITS.reason) {
          return invalid('FIELD_TOO_LONG', `Lý do dài tối đa ${CONTRACT_LIMITS.reason} ký tự`, 'reason');
        }
        return [{ type: 'HandoverCancelled', data: { handoverId, reason } }];
      }
    }
  },
};

const wrongStatus = (state: HandoverState) =>
  conflict('HANDOVER_STATUS', `Biên bản đang ở trạng thái ${state.status}`, { status: state.status });

function open(command: Command<'OpenHandover'>, state: HandoverState) {
  if (state.status !== 'not_started') return conflict('HANDOVER_EXISTS', 'Biên bản bàn giao đã tồn tại');
  const { handoverId, kind, openedBy, contractId, roomId, projectId, customerId, ownerId, depositId } = command;
  if (!(HANDOVER_KINDS as readonly string[]).includes(kind)) {
    return invalid('HANDOVER_KIND_INVALID', 'Loại bàn giao là nhận phòng hoặc trả phòng', 'kind');
  }
  if (!command.contractSigned) {
    return conflict('CONTRACT_NOT_SIGNED', 'Chỉ lập biên bản bàn giao khi hợp đồng đã được ký');
  }
  const moveInHandoverId = kind === 'move_out' ? command.moveInHandoverId : null;
  if (kind === 'move_out' && (!moveInHandoverId || !command.moveInMeters)) {
    return invalid('MOVE_IN_REQUIRED', 'Trả phòng cần biên bản nhận phòng đã hoàn tất', 'moveInHandoverId');
  }
  const content = checkHandoverContent(command.content, kind, command.moveInMeters, command.depositHeldVnd);
  if (content instanceof DomainError) return content;
  return [
    {
      type: 'HandoverOpened' as const,
      data: {
        handoverId,
        kind,
        contractId,
        roomId,
        projectId,
        customerId,
        ownerId,
        depositId,
        openedBy,
        moveInHandoverId,
        content,
        documentSha256: handoverDigest(content),
      },
    },
  ];
}

function sign(command: Command<'SignHandover'>, state: HandoverState, now: Date) {
  const parties = state.parties as HandoverParties;
  const { handoverId, party, signerId } = command;
  if (!(HANDOVER_PARTIES as readonly string[]).includes(party)) {
    return invalid('PARTY_INVALID', 'Bên ký là khách thuê hoặc chủ nhà', 'party');
  }
  if (signerId !== handoverPartyIdOf(parties, party)) {
    return forbidden('NOT_A_PARTY', 'Bạn không phải là bên ký này của biên bản');
  }
  if (state.status !== 'in_progress') return wrongStatus(state);
  if (state.signatures.some((s) => s.party === party)) {
    return conflict('ALREADY_SIGNED', 'Bên này đã ký biên bản', { party });
  }
  if (command.documentSha256 !== state.documentSha256) {
    return conflict('DOCUMENT_CHANGED', 'Nội dung biên bản đã thay đổi; hãy xem lại trước khi ký', {
      documentSha256: state.documentSha256,
    });
  }
  const signedAt = now.toISOString();
  const { documentSha256 } = state;
  const signed: HandoverEvent = {
    type: 'HandoverSigned',
    data: {
      handoverId,
      party,
      signerId,
      signedAt,
      ip: String(command.ip ?? '').slice(0, 100),
      userAgent: String(command.userAgent ?? '').slice(0, 1000),
      documentSha256,
    },
  };
  if (state.signatures.length === 0) return [signed];
  return [
    signed,
    {
      type: 'HandoverCompleted' as const,
      data: { handoverId, kind: state.kind, completedAt: signedAt, documentSha256 },
    },
  ];
}
