import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import {
  COMMISSION_TRIGGERS,
  type CommissionTrigger,
  commissionTriggerOf,
  DEPOSIT_TYPES,
  type DepositAmountRule,
  type DepositPolicyEvent,
  type DepositPolicyStatus,
  type DepositPolicyTerms,
  type DepositType,
  REFUND_EVENTS,
  type RefundRule,
  SECURITY_RELEASES,
  securityReleaseOf,
} from './deposit-policy-events.js';

export const DEPOSIT_POLICY_LIMITS = {
  name: 120,
  reservationTtlHours: { min: 1, max: 720 },
  /** 10 billion VND: far above any room deposit, well inside a safe integer. */
  amount: 10_000_000_000,
  months: 12,
  refundRules: 20,
  /** One year either side of the event. */
  offsetHours: 8760,
} as const;

/** Terms as a client sends them: reservation and security fields may be left out when not allowed. */
export type DepositPolicyTermsInput = Omit<
  DepositPolicyTerms,
  'reservationTtlHours' | 'reservationAmount' | 'securityAmount' | 'releaseRequiresHandover'
> & {
  reservationTtlHours?: number | null;
  reservationAmount?: DepositAmountRule | null;
  securityAmount?: DepositAmountRule | null;
  releaseRequiresHandover: boolean;
};

export interface DepositPolicyVersion {
  version: number;
  name: string;
  terms: DepositPolicyTerms;
}

export interface DepositPolicyState {
  ownerId: string | null;
  status: DepositPolicyStatus | 'none';
  /** Every version, oldest first; the last one is in force. */
  versions: DepositPolicyVersion[];
  disabledByAdmin: boolean;
}

export type DepositPolicyCommand = { policyId: string } & (
  | { type: 'CreateDepositPolicy'; ownerId: string | null; name: string; terms: DepositPolicyTermsInput }
  | { type: 'ReviseDepositPolicy'; name: string; terms: DepositPolicyTermsInput }
  | { type: 'DisableDepositPolicy' }
  | { type: 'EnableDepositPolicy' }
  | { type: 'DeleteDepositPolicy' }
);

export interface DepositPolicyContext extends DecisionContext {
  /** The actor holds `policy:manage`: creates and changes templates, may disable anyone's policy. */
  canManageTemplates: boolean;
  /** Listings and projects referring to the policy (read models); asked only for a delete. */
  usageCount: number;
}

export const currentVersion = (state: DepositPolicyState): DepositPolicyVersion | undefined => state.versions.at(-1);
export const versionOf = (state: DepositPolicyState, version: number) =>
  state.versions.find((v) => v.version === version);

const at = (path: string) => `terms.${path}`;
const isInteger = (value: unknown, min: number, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const vnd = (n: number) => n.toLocaleString('vi-VN');

function checkAmount(rule: DepositAmountRule | null | undefined, path: string): DepositAmountRule | DomainError {
  const { amount: maxAmount, months: maxMonths } = DEPOSIT_POLICY_LIMITS;
  if (!rule || typeof rule !== 'object') return invalid('AMOUNT_RULE_REQUIRED', 'Nhập mức cọc', at(path));
  if (rule.kind === 'fixed') {
    if (!isInteger(rule.amount, 1, maxAmount)) {
      return invalid('AMOUNT_INVALID', `Số tiền là số nguyên VND từ 1 đến ${vnd(maxAmount)}`, at(`${path}.amount`));
    }
    return { kind: 'fixed', amount: rule.amount };
  }
  if (rule.kind === 'months_of_rent') {
    const months = rule.months;
    if (typeof months !== 'number' || !isInteger(months * 2, 1, maxMonths * 2)) {
      return invalid('MONTHS_INVALID', `Số tháng tiền thuê từ 0,5 đến ${maxMonths}, bước 0,5`, at(`${path}.months`));
    }
    return { kind: 'months_of_rent', months };
  }
  return invalid('AMOUNT_RULE_INVALID', 'Mức cọc là số tiền cố định hoặc số tháng tiền thuê', at(`${path}.kind`));
}

function checkRefundRules(rules: readonly RefundRule[]): RefundRule[] | DomainError {
  if (!Array.isArray(rules))
    return invalid('REFUND_RULES_INVALID', 'Quy tắc hoàn tiền phải là danh sách', at('refundRules'));
  const { refundRules: max, offsetHours: maxOffset } = DEPOSIT_POLICY_LIMITS;
  if (rules.length > max) return invalid('REFUND_RULES_TOO_MANY', `Tối đa ${max} mốc hoàn tiền`, at('refundRules'));
  const seen = new Set<string>();
  for (const [index, rule] of rules.entries()) {
    const path = `refundRules.${index}`;
    if (!(REFUND_EVENTS as readonly unknown[]).includes(rule?.event)) {
      return invalid('REFUND_EVENT_INVALID', 'Mốc là ngày đặt cọc hoặc ngày nhận phòng', at(`${path}.event`));
    }
    const min = rule.event === 'deposit_paid' ? 0 : -maxOffset;
    if (!isInteger(rule.offsetHours, min, maxOffset)) {
      const message =
        rule.event === 'deposit_paid'
          ? `Số giờ sau khi đặt cọc là số nguyên từ 0 đến ${maxOffset}`
          : `Số giờ so với ngày nhận phòng là số nguyên từ -${maxOffset} đến ${maxOffset} (âm = trước)`;
      return invalid('REFUND_OFFSET_INVALID', message, at(`${path}.offsetHours`));
    }
    if (!isInteger(rule.refundPercent, 0, 100)) {
      return invalid('REFUND_PERCENT_INVALID', 'Tỷ lệ hoàn là số nguyên từ 0 đến 100', at(`${path}.refundPercent`));
    }
    const key = `${rule.event}@${rule.offsetHours}`;
    if (seen.has(key)) {
      return invalid('REFUND_RULE_DUPLICATE', 'Hai quy tắc hoàn tiền trùng mốc và số giờ', at(`${path}.offsetHours`));
    }
    seen.add(key);
  }
  const order = (rule: RefundRule) => REFUND_EVENTS.indexOf(rule.event);
  return rules
    .map(({ event, offsetHours, refundPercent }) => ({ event, offsetHours, refundPercent }))
    .sort((a, b) => order(a) - order(b) || a.offsetHours - b.offsetHours);
}

function checkTrigger(on: CommissionTrigger | undefined): CommissionTrigger | DomainError {
  if (on === undefined || on === null) return 'deposit_held';
  if (!(COMMISSION_TRIGGERS as readonly unknown[]).includes(on)) {
    return invalid(
      'COMMISSION_TRIGGER_INVALID',
      'Hoa hồng tính khi cọc được giữ hoặc khi bàn giao xong',
      at('commission.on'),
    );
  }
  return on;
}

function checkCommission(rule: DepositPolicyTerms['commission']): DepositPolicyTerms['commission'] | DomainError {
  if (rule?.kind === 'none') return { kind: 'none' };
  const on = checkTrigger(rule && 'on' in rule ? rule.on : undefined);
  if (on instanceof DomainError) return on;
  if (rule?.kind === 'percent_of_deposit') {
    const { percent } = rule;
    const hundredths = typeof percent === 'number' ? percent * 100 : Number.NaN;
    if (!(Math.abs(hundredths - Math.round(hundredths)) < 1e-6 && hundredths >= 1 && hundredths <= 10_000)) {
      return invalid(
        'COMMISSION_INVALID',
        'Hoa hồng từ 0,01% đến 100% (tối đa 2 chữ số thập phân)',
        at('commission.percent'),
      );
    }
    return { kind: 'percent_of_deposit', percent, on };
  }
  if (rule?.kind === 'fixed') {
    if (!isInteger(rule.amount, 1, DEPOSIT_POLICY_LIMITS.amount)) {
      return invalid('COMMISSION_INVALID', 'Hoa hồng cố định là số nguyên VND lớn hơn 0', at('commission.amount'));
    }
    return { kind: 'fixed', amount: rule.amount, on };
  }
  return invalid('COMMISSION_INVALID', 'Hoa hồng: không có, % tiền cọc hoặc số tiền cố định', at('commission.kind'));
}

/** Validates terms and returns them in canonical form (unused fields null, refund rules sorted). */
export function checkTerms(input: DepositPolicyTermsInput): DepositPolicyTerms | DomainError {
  if (!input || typeof input !== 'object') return invalid('TERMS_REQUIRED', 'Nhập điều khoản chính sách', 'terms');
  const types = input.allowedDepositTypes;
  if (!Array.isArray(types) || types.length === 0) {
    return invalid('DEPOSIT_TYPES_REQUIRED', 'Chọn ít nhất một loại cọc', at('allowedDepositTypes'));
  }
  for (const [index, type] of types.entries()) {
    if (!(DEPOSIT_TYPES as readonly unknown[]).includes(type)) {
      return invalid('DEPOSIT_TYPE_INVALID', 'Loại cọc là giữ chỗ hoặc an ninh', at(`allowedDepositTypes.${index}`));
    }
    if (types.indexOf(type) !== index) {
      return invalid('DEPOSIT_TYPE_DUPLICATE', 'Loại cọc bị lặp', at(`allowedDepositTypes.${index}`));
    }
  }
  const allowed = (type: DepositType) => types.includes(type);
  const reservation = allowed('reservation');
  const { min, max } = DEPOSIT_POLICY_LIMITS.reservationTtlHours;
  if (reservation && !isInteger(input.reservationTtlHours, min, max)) {
    return invalid(
      'RESERVATION_TTL_INVALID',
      `Thời hạn giữ chỗ là số giờ nguyên từ ${min} đến ${max}`,
      at('reservationTtlHours'),
    );
  }
  const reservationAmount = reservation ? checkAmount(input.reservationAmount, 'reservationAmount') : null;
  if (reservationAmount instanceof DomainError) return reservationAmount;
  const securityAmount = allowed('security') ? checkAmount(input.securityAmount, 'securityAmount') : null;
  if (securityAmount instanceof DomainError) return securityAmount;
  const refundRules = checkRefundRules(input.refundRules);
  if (refundRules instanceof DomainError) return refundRules;
  if (typeof input.convertReservationToSecurity !== 'boolean') {
    return invalid('CONVERSION_INVALID', 'Chọn có hoặc không', at('convertReservationToSecurity'));
  }
  if (input.convertReservationToSecurity && !(reservation && allowed('security'))) {
    return invalid(
      'CONVERSION_NEEDS_BOTH_TYPES',
      'Chỉ chuyển cọc giữ chỗ thành cọc an ninh khi chính sách cho phép cả hai loại cọc',
      at('convertReservationToSecurity'),
    );
  }
  if (input.releaseRequiresHandover !== true) {
    return invalid(
      'HANDOVER_REQUIRED_FOR_RELEASE',
      'Cọc an ninh chỉ được giải tỏa sau khi có biên bản bàn giao hoàn tất; quy tắc này không thể tắt',
      at('releaseRequiresHandover'),
    );
  }
  const securityRelease = input.securityRelease ?? 'offset_first_rent';
  if (!(SECURITY_RELEASES as readonly unknown[]).includes(securityRelease)) {
    return invalid(
      'SECURITY_RELEASE_INVALID',
      'Cọc an ninh: trừ vào tiền thuê tháng đầu, hoàn khi nhận phòng hoặc hoàn khi trả phòng',
      at('securityRelease'),
    );
  }
  const commission = checkCommission(input.commission);
  if (commission instanceof DomainError) return commission;
  return {
    allowedDepositTypes: DEPOSIT_TYPES.filter(allowed),
    reservationTtlHours: reservation ? (input.reservationTtlHours as number) : null,
    reservationAmount,
    securityAmount,
    refundRules,
    convertReservationToSecurity: input.convertReservationToSecurity,
    releaseRequiresHandover: true,
    securityRelease,
    commission,
  };
}

/** Terms with the defaults of fields added later filled in, as `checkTerms` writes them today. */
export function withTermDefaults(terms: DepositPolicyTerms): DepositPolicyTerms {
  const { commission } = terms;
  return {
    ...terms,
    securityRelease: securityReleaseOf(terms),
    commission: commission.kind === 'none' ? commission : { ...commission, on: commissionTriggerOf(commission) },
  };
}

function checkName(name: string): string | DomainError {
  const clean = typeof name === 'string' ? name.normalize('NFC').trim().replace(/\s+/g, ' ') : '';
  if (clean.length === 0) return invalid('NAME_REQUIRED', 'Nhập tên chính sách', 'name');
  if ([...clean].length > DEPOSIT_POLICY_LIMITS.name) {
    return invalid('FIELD_TOO_LONG', `Tên dài tối đa ${DEPOSIT_POLICY_LIMITS.name} ký tự`, 'name');
  }
  return clean;
}

/** JSON with sorted keys: stored events come back from JSONB with keys in another order. */
const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );

const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
const notYours = () => forbidden('DEPOSIT_POLICY_FORBIDDEN', 'Bạn không có quyền thay đổi chính sách cọc này');

/**
 * One deposit policy: created at version 1, each revision a new version (earlier ones kept),
 * active ⇄ disabled (no new assignments; existing ones stay), deleted only when nothing uses it
 * (terminal). An owner changes their own policies; `policy:manage` holders change templates and
 * may also disable (and enable again) anyone's policy.
 */
export const depositPolicyDecider: Decider<
  DepositPolicyCommand,
  DepositPolicyState,
  DepositPolicyEvent,
  DepositPolicyContext
> = {
  initialState: () => ({ ownerId: null, status: 'none', versions: [], disabledByAdmin: false }),

  evolve(state, event) {
    switch (event.type) {
      case 'DepositPolicyCreated': {
        const { ownerId, name, terms } = event.data;
        return { ownerId, status: 'active', versions: [{ version: 1, name, terms }], disabledByAdmin: false };
      }
      case 'DepositPolicyRevised': {
        const { version, name, terms } = event.data;
        state.versions.push({ version, name, terms });
        return state;
      }
      case 'DepositPolicyDisabled':
        return { ...state, status: 'disabled', disabledByAdmin: event.data.byAdmin };
      case 'DepositPolicyEnabled':
        return { ...state, status: 'active', disabledByAdmin: false };
      case 'DepositPolicyDeleted':
        return { ...state, status: 'deleted' };
      default:
        return state;
    }
  },

  decide(command, state, context) {
    const { policyId } = command;
    if (command.type === 'CreateDepositPolicy') {
      if (state.status !== 'none') return conflict('DEPOSIT_POLICY_EXISTS', 'Chính sách cọc đã tồn tại');
      if (command.ownerId === null && !context.canManageTemplates) {
        return forbidden('TEMPLATE_MANAGER_REQUIRED', 'Chỉ quản trị viên tạo được chính sách cọc mẫu');
      }
      if (command.ownerId !== null && command.ownerId !== context.actorId) return notYours();
      const name = checkName(command.name);
      if (name instanceof DomainError) return name;
      const terms = checkTerms(command.terms);
      if (terms instanceof DomainError) return terms;
      return [{ type: 'DepositPolicyCreated', data: { policyId, ownerId: command.ownerId, name, version: 1, terms } }];
    }

    const current = currentVersion(state);
    if (!current) return notFound('DEPOSIT_POLICY_NOT_FOUND', 'Không tìm thấy chính sách cọc');
    if (state.status === 'deleted') return conflict('DEPOSIT_POLICY_DELETED', 'Chính sách cọc đã bị xoá');
    const isOwner = state.ownerId !== null && state.ownerId === context.actorId;
    const mayChange = state.ownerId === null ? context.canManageTemplates : isOwner;

    switch (command.type) {
      case 'ReviseDepositPolicy': {
        if (!mayChange) return notYours();
        const name = checkName(command.name);
        if (name instanceof DomainError) return name;
        const terms = checkTerms(command.terms);
        if (terms instanceof DomainError) return terms;
        if (name === current.name && canonical(terms) === canonical(withTermDefaults(current.terms))) return [];
        const version = current.version + 1;
        return [{ type: 'DepositPolicyRevised', data: { policyId, version, name, terms } }];
      }
      case 'DisableDepositPolicy':
        if (!mayChange && !context.canManageTemplates) return notYours();
        if (state.status === 'disabled') return [];
        return [{ type: 'DepositPolicyDisabled', data: { policyId, byAdmin: state.ownerId !== null && !isOwner } }];
      case 'EnableDepositPolicy':
        if (!mayChange && !context.canManageTemplates) return notYours();
        if (state.status === 'active') return [];
        if (state.disabledByAdmin && !context.canManageTemplates) {
          return forbidden(
            'DEPOSIT_POLICY_DISABLED_BY_ADMIN',
            'Chính sách bị quản trị viên vô hiệu hoá; liên hệ quản trị viên',
          );
        }
        return [{ type: 'DepositPolicyEnabled', data: { policyId } }];
      case 'DeleteDepositPolicy':
        if (!mayChange) return notYours();
        if (context.usageCount > 0) {
          return conflict(
            'POLICY_IN_USE',
            `Không thể xoá: ${context.usageCount} tin đăng hoặc dự án đang dùng chính sách này; hãy vô hiệu hoá thay vì xoá`,
            { uses: context.usageCount },
          );
        }
        return [{ type: 'DepositPolicyDeleted', data: { policyId } }];
    }
  },
};
