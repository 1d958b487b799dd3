import type { DomainEvent } from '../shared/decider.js';

/** ChuaBanGiao → not_started (no events yet), DangBanGiao → in_progress, DaBanGiao → completed. */
export const HANDOVER_STATUSES = ['not_started', 'in_progress', 'completed', 'cancelled'] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];

export const HANDOVER_KINDS = ['move_in', 'move_out'] as const;
export type HandoverKind = (typeof HANDOVER_KINDS)[number];

export const HANDOVER_PARTIES = ['customer', 'owner'] as const;
export type HandoverParty = (typeof HANDOVER_PARTIES)[number];

export const ASSET_CONDITIONS = ['good', 'needs_repair', 'broken', 'missing'] as const;
export type AssetCondition = (typeof ASSET_CONDITIONS)[number];

export interface MeterReadings {
  electricity: number;
  water: number;
}

export interface HandoverAsset {
  name: string;
  condition: AssetCondition;
  note: string | null;
  /** Storage keys of photos uploaded for this report. */
  photoKeys: string[];
}

/** Kept from the deposit at move-out, with the reason (becomes an owner_payable ledger line). */
export interface HandoverDeduction {
  reason: string;
  amountVnd: number;
}

/** What the parties sign: meters, assets with their condition, notes, and move-out deductions. */
export interface HandoverContent {
  meters: MeterReadings;
  assets: HandoverAsset[];
  notes: string | null;
  deductions: HandoverDeduction[];
}

export interface HandoverSignature {
  party: HandoverParty;
  signerId: string;
  signedAt: string;
  ip: string;
  userAgent: string;
  documentSha256: string;
}

/** The contract-side facts a handover is about, copied when it opens. */
export interface HandoverParties {
  contractId: string;
  roomId: string;
  projectId: string;
  customerId: string;
  ownerId: string;
  depositId: string;
}

/** One handover report (BienBanBanGiao, stream `handover-<handoverId>`, SRS UC-OPER-06). */
export type HandoverEvent =
  | DomainEvent<
      'HandoverOpened',
      HandoverParties & {
        handoverId: string;
        kind: HandoverKind;
        openedBy: string;
        /** The completed move-in report a move-out is compared with; null for a move-in. */
        moveInHandoverId: string | null;
        content: HandoverContent;
        documentSha256: string;
      }
    >
  | DomainEvent<'HandoverContentRecorded', { handoverId: string; content: HandoverContent; documentSha256: string }>
  | DomainEvent<'HandoverSigned', HandoverSignature & { handoverId: string }>
  | DomainEvent<
      'HandoverCompleted',
      { handoverId: string; kind: HandoverKind; completedAt: string; documentSha256: string }
    >
  | DomainEvent<'HandoverCancelled', { handoverId: string; reason: string }>;

export const HANDOVER_EVENT_TYPES: HandoverEvent['type'][] = [
  'HandoverOpened',
  'HandoverContentRecorded',
  'HandoverSigned',
  'HandoverCompleted',
  'HandoverCancelled',
];

export const handoverStream = (handoverId: string) => `handover-${handoverId}`;
