import { conflict, DomainError, invalid } from '../shared/errors.js';
import { cleanText } from './contract-terms.js';
import {
  ASSET_CONDITIONS,
  type HandoverAsset,
  type HandoverContent,
  type HandoverDeduction,
  type HandoverKind,
  type MeterReadings,
} from './handover-events.js';
import { sha256Hex } from './placeholders.js';

export const HANDOVER_LIMITS = {
  meter: 1_000_000_000,
  assets: 100,
  assetName: 100,
  assetNote: 500,
  photosPerAsset: 10,
  notes: 2_000,
  deductions: 50,
  deductionReason: 200,
  maxVnd: 10_000_000_000,
} as const;

/** JSON with object keys sorted at every level: the same content always hashes the same. */
export const canonicalJson = (value: unknown) =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );

/** The hash the parties sign: SHA-256 of the content's canonical JSON. */
export const handoverDigest = (content: HandoverContent) => sha256Hex(canonicalJson(content));

export const deductionsTotal = (deductions: readonly HandoverDeduction[]) =>
  deductions.reduce((sum, d) => sum + d.amountVnd, 0);

const isInt = (n: unknown, min: number, max: number): n is number =>
  typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max;

function checkMeters(meters: MeterReadings, moveIn: MeterReadings | null): MeterReadings | DomainError {
  if (!meters || typeof meters !== 'object') return invalid('METERS_REQUIRED', 'Nhập chỉ số điện, nước', 'meters');
  for (const meter of ['electricity', 'water'] as const) {
    if (!isInt(meters[meter], 0, HANDOVER_LIMITS.meter)) {
      return invalid('METER_INVALID', 'Chỉ số đồng hồ là số nguyên không âm', `meters.${meter}`);
    }
    if (moveIn && meters[meter] < moveIn[meter]) {
      const what = meter === 'electricity' ? 'điện' : 'nước';
      return invalid(
        'METER_DECREASED',
        `Chỉ số ${what} khi trả phòng thấp hơn lúc nhận phòng (${moveIn[meter]})`,
        `meters.${meter}`,
      );
    }
  }
  return { electricity: meters.electricity, water: meters.water };
}

function checkAsset(asset: HandoverAsset, path: string): HandoverAsset | DomainError {
  if (!asset || typeof asset !== 'object') return invalid('ASSET_INVALID', 'Tài sản không hợp lệ', path);
  const name = cleanText(asset.name)?.replace(/\s+/g, ' ') ?? null;
  if (name === null) return invalid('ASSET_NAME_REQUIRED', 'Nhập tên tài sản', `${path}.name`);
  if ([...name].length > HANDOVER_LIMITS.assetName) {
    return invalid('FIELD_TOO_LONG', `Tên tài sản dài tối đa ${HANDOVER_LIMITS.assetName} ký tự`, `${path}.name`);
  }
  if (!(ASSET_CONDITIONS as readonly string[]).includes(asset.condition)) {
    return invalid('ASSET_CONDITION_INVALID', 'Tình trạng: tốt, cần sửa, hỏng hoặc mất', `${path}.condition`);
  }
  const note = cleanText(asset.note);
  if (note !== null && note.length > HANDOVER_LIMITS.assetNote) {
    return invalid('FIELD_TOO_LONG', `Ghi chú dài tối đa ${HANDOVER_LIMITS.assetNote} ký tự`, `${path}.note`);
  }
  const photoKeys = asset.photoKeys ?? [];
  if (!Array.isArray(photoKeys) || photoKeys.some((key) => typeof key !== 'string' || key.length === 0)) {
    return invalid('PHOTOS_INVALID', 'Danh sách ảnh không hợp lệ', `${path}.photoKeys`);
  }
  if (photoKeys.length > HANDOVER_LIMITS.photosPerAsset) {
    return invalid('PHOTOS_TOO_MANY', `Tối đa ${HANDOVER_LIMITS.photosPerAsset} ảnh mỗi tài sản`, `${path}.photoKeys`);
  }
  return { name, condition: asset.condition, note, photoKeys: [...new Set(photoKeys)] };
}

function checkDeductions(
  deductions: readonly HandoverDeduction[],
  kind: HandoverKind,
  depositHeldVnd: number,
): HandoverDeduction[] | DomainError {
  if (!Array.isArray(deductions))
    return invalid('DEDUCTIONS_INVALID', 'Khoản khấu trừ phải là danh sách', 'deductions');
  if (deductions.length === 0) return [];
  if (kind !== 'move_out') {
    return invalid('DEDUCTIONS_MOVE_OUT_ONLY', 'Chỉ biên bản trả phòng mới có khoản khấu trừ cọc', 'deductions');
  }
  if (deductions.length > HANDOVER_LIMITS.deductions) {
    return invalid('DEDUCTIONS_TOO_MANY', `Tối đa ${HANDOVER_LIMITS.deductions} khoản khấu trừ`, 'deductions');
  }
  const clean: HandoverDeduction[] = [];
  for (const [index, deduction] of deductions.entries()) {
    const path = `deductions.${index}`;
    const reason = cleanText(deduction?.reason);
    if (reason === null) return invalid('DEDUCTION_REASON_REQUIRED', 'Nhập lý do khấu trừ', `${path}.reason`);
    if ([...reason].length > HANDOVER_LIMITS.deductionReason) {
      return invalid('FIELD_TOO_LONG', `Lý do dài tối đa ${HANDOVER_LIMITS.deductionReason} ký tự`, `${path}.reason`);
    }
    if (!isInt(deduction.amountVnd, 1, HANDOVER_LIMITS.maxVnd)) {
      return invalid('AMOUNT_INVALID', 'Số tiền khấu trừ là số nguyên VND dương', `${path}.amountVnd`);
    }
    clean.push({ reason, amountVnd: deduction.amountVnd });
  }
  if (depositHeldVnd <= 0) {
    return conflict('DEPOSIT_ALREADY_RELEASED', 'Tiền cọc đã được giải tỏa, không còn gì để khấu trừ');
  }
  if (deductionsTotal(clean) > depositHeldVnd) {
    return invalid('DEDUCTIONS_EXCEED_DEPOSIT', 'Tổng khấu trừ vượt quá số tiền cọc đang giữ', 'deductions');
  }
  return clean;
}

/**
 * Content as stored (text cleaned, so its digest is stable), or the first rule it breaks: meters
 * never below the move-in readings, deductions only at move-out and within the deposit held.
 */
export function checkHandoverContent(
  content: HandoverContent,
  kind: HandoverKind,
  moveInMeters: MeterReadings | null,
  depositHeldVnd: number,
): HandoverContent | DomainError {
  if (!content || typeof content !== 'object') return invalid('CONTENT_REQUIRED', 'Nhập nội dung biên bản', 'content');
  const meters = checkMeters(content.meters, kind === 'move_out' ? moveInMeters : null);
  if (meters instanceof DomainError) return meters;
  const input = content.assets ?? [];
  if (!Array.isArray(input)) return invalid('ASSETS_INVALID', 'Danh sách tài sản không hợp lệ', 'assets');
  if (input.length > HANDOVER_LIMITS.assets) {
    return invalid('ASSETS_TOO_MANY', `Tối đa ${HANDOVER_LIMITS.assets} tài sản`, 'assets');
  }
  const assets: HandoverAsset[] = [];
  for (const [index, asset] of input.entries()) {
    const checked = checkAsset(asset, `assets.${index}`);
    if (checked instanceof DomainError) return checked;
    assets.push(checked);
  }
  const notes = cleanText(content.notes);
  if (notes !== null && notes.length > HANDOVER_LIMITS.notes) {
    return invalid('FIELD_TOO_LONG', `Ghi chú dài tối đa ${HANDOVER_LIMITS.notes} ký tự`, 'notes');
  }
  const deductions = checkDeductions(content.deductions ?? [], kind, depositHeldVnd);
  if (deductions instanceof DomainError) return deductions;
  return { meters, assets, notes, deductions };
}
