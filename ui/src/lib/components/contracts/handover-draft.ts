// The handover form's editable copy of a report's content (numbers as typed, photos not yet
// uploaded) and its checks, mirroring the domain's limits so mistakes show before sending.
import { parseMoney } from '$lib/catalog';
import type { AssetCondition, Deduction, HandoverContent, HandoverKind } from '$lib/contracts';
import { t } from '$lib/locale.svelte';

export const MAX_ASSETS = 100;
export const MAX_PHOTOS = 10;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export type AssetDraft = {
  uid: number;
  name: string;
  condition: AssetCondition;
  note: string;
  photoKeys: string[];
  /** Chosen before the report exists: uploaded right after it is opened. */
  pending: File[];
};
export type DeductionDraft = { uid: number; reason: string; amount: string };
export type HandoverDraft = {
  electricity: string;
  water: string;
  assets: AssetDraft[];
  notes: string;
  deductions: DeductionDraft[];
};

let next = 1;
export const uid = () => next++;

export const newAsset = (name = '', condition: AssetCondition = 'good'): AssetDraft => ({
  uid: uid(),
  name,
  condition,
  note: '',
  photoKeys: [],
  pending: [],
});

export function draftOf(content: HandoverContent): HandoverDraft {
  return {
    electricity: String(content.meters.electricity),
    water: String(content.meters.water),
    assets: content.assets.map((a) => ({
      ...newAsset(a.name, a.condition),
      note: a.note ?? '',
      photoKeys: [...a.photoKeys],
    })),
    notes: content.notes ?? '',
    deductions: content.deductions.map((d) => ({ uid: uid(), reason: d.reason, amount: String(d.amountVnd) })),
  };
}

/** A move-out starts from the move-in report's readings and asset list (conditions to re-check). */
export function moveOutStart(moveIn: HandoverContent): HandoverDraft {
  return {
    electricity: String(moveIn.meters.electricity),
    water: String(moveIn.meters.water),
    assets: moveIn.assets.map((a) => newAsset(a.name, a.condition)),
    notes: '',
    deductions: [],
  };
}

const reading = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);

export function contentOf(draft: HandoverDraft, kind: HandoverKind): HandoverContent {
  return {
    meters: { electricity: reading(draft.electricity) ?? 0, water: reading(draft.water) ?? 0 },
    assets: draft.assets.map((a) => ({
      name: a.name.trim(),
      condition: a.condition,
      note: a.note.trim() || null,
      photoKeys: a.photoKeys,
    })),
    notes: draft.notes.trim() || null,
    deductions:
      kind === 'move_out'
        ? draft.deductions.map((d): Deduction => ({ reason: d.reason.trim(), amountVnd: parseMoney(d.amount) ?? 0 }))
        : [],
  };
}

export type DraftField = 'electricity' | 'water' | 'assets' | 'notes' | 'deductions';

/** What is wrong with a draft, field by field (for FormState.rejects), plus per-row messages. */
export function draftProblems(
  draft: HandoverDraft,
  kind: HandoverKind,
  moveIn: HandoverContent | null,
  depositVnd: number | null,
) {
  const meter = (text: string, floor: number | undefined) => {
    const value = reading(text);
    if (value === null || !Number.isSafeInteger(value)) return t('ho.err.meter');
    if (floor !== undefined && value < floor) return t('ct.err.METER_DECREASED');
    return false;
  };
  const assetRows = new Map<number, string>();
  for (const a of draft.assets) {
    const name = a.name.trim();
    if (!name || name.length > 100) assetRows.set(a.uid, t('ho.err.assetName'));
    else if (a.photoKeys.length + a.pending.length > MAX_PHOTOS)
      assetRows.set(a.uid, t('ho.err.tooManyPhotos', { n: MAX_PHOTOS }));
    else if (a.note.length > 500) assetRows.set(a.uid, t('ho.err.noteTooLong'));
  }
  const deductionRows = new Map<number, string>();
  let total = 0;
  if (kind === 'move_out') {
    for (const d of draft.deductions) {
      const amount = parseMoney(d.amount);
      if (!d.reason.trim() || d.reason.trim().length > 200) deductionRows.set(d.uid, t('ho.err.deductionReason'));
      else if (amount === null || !Number.isSafeInteger(amount) || amount <= 0)
        deductionRows.set(d.uid, t('ho.err.deductionAmount'));
      else total += amount;
    }
  }
  const fields: Record<DraftField, string | false> = {
    electricity: meter(draft.electricity, moveIn?.meters.electricity),
    water: meter(draft.water, moveIn?.meters.water),
    assets:
      (draft.assets.length > MAX_ASSETS && t('ho.err.tooManyAssets', { n: MAX_ASSETS })) ||
      (assetRows.size > 0 && t('ho.err.assetRows')),
    notes: draft.notes.length > 2000 && t('ho.err.notesTooLong'),
    deductions:
      (deductionRows.size > 0 && t('ho.err.deductionRows')) ||
      (depositVnd !== null && total > depositVnd && t('ct.err.DEDUCTIONS_EXCEED_DEPOSIT')),
  };
  return { fields, assetRows, deductionRows, total };
}
