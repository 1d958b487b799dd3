import { type DomainError, invalid } from '../shared/errors.js';
import type { DepositDeduction } from './deposit-events.js';

/** What a move-out keeps from a security deposit: the sum of its deductions, in VND. */
export const deductedVnd = (deductions: readonly DepositDeduction[]) =>
  deductions.reduce((sum, d) => sum + d.amountVnd, 0);

/** Deductions cleaned (reasons NFC, trimmed), or the first that is wrong, named by its index. */
export function checkDeductions(
  deductions: readonly DepositDeduction[],
  amountVnd: number,
): DepositDeduction[] | DomainError {
  if (!Array.isArray(deductions))
    return invalid('DEDUCTIONS_INVALID', 'Khoản khấu trừ phải là danh sách', 'deductions');
  const clean: DepositDeduction[] = [];
  for (const [index, d] of deductions.entries()) {
    const reason = typeof d?.reason === 'string' ? d.reason.normalize('NFC').trim() : '';
    if (reason.length === 0 || [...reason].length > 200) {
      return invalid('DEDUCTION_REASON_REQUIRED', 'Lý do khấu trừ dài 1–200 ký tự', `deductions.${index}.reason`);
    }
    if (!Number.isSafeInteger(d.amountVnd) || d.amountVnd < 1) {
      return invalid('AMOUNT_INVALID', 'Số tiền khấu trừ là số nguyên VND dương', `deductions.${index}.amountVnd`);
    }
    clean.push({ reason, amountVnd: d.amountVnd });
  }
  if (deductedVnd(clean) > amountVnd) {
    return invalid('DEDUCTIONS_EXCEED_DEPOSIT', 'Tổng khấu trừ vượt quá số tiền cọc', 'deductions');
  }
  return clean;
}
