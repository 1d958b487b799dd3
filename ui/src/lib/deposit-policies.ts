// Deposit policies (ChinhSachCoc): owners' own at /api/v1/me/deposit-policies, admin templates at
// /api/v1/admin/deposit-policies. Types mirror domain/catalog/deposit-policy-events.ts.
import { API_BASE, apiGet, apiSend } from './api';
import { locale, t } from './locale.svelte';

export const DEPOSIT_TYPES = ['reservation', 'security'] as const;
export type DepositType = (typeof DEPOSIT_TYPES)[number];
export const REFUND_EVENTS = ['deposit_paid', 'move_in'] as const;
export type RefundEvent = (typeof REFUND_EVENTS)[number];
export const POLICY_STATUSES = ['active', 'disabled', 'deleted'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

export type AmountRule = { kind: 'fixed'; amount: number } | { kind: 'months_of_rent'; months: number };
export type RefundRule = { event: RefundEvent; offsetHours: number; refundPercent: number };
/** When the sales commission is earned: the deposit is held (default) or the handover is completed. */
export const COMMISSION_TRIGGERS = ['deposit_held', 'handover_completed'] as const;
export type CommissionTrigger = (typeof COMMISSION_TRIGGERS)[number];
export type CommissionRule =
  | { kind: 'none' }
  | { kind: 'percent_of_deposit'; percent: number; on?: CommissionTrigger }
  | { kind: 'fixed'; amount: number; on?: CommissionTrigger };
/** What the completed move-in handover does with the security deposit. */
export const SECURITY_RELEASES = ['offset_first_rent', 'refund_at_move_in', 'refund_at_move_out'] as const;
export type SecurityRelease = (typeof SECURITY_RELEASES)[number];

export type PolicyTerms = {
  allowedDepositTypes: DepositType[];
  reservationTtlHours: number | null;
  reservationAmount: AmountRule | null;
  securityAmount: AmountRule | null;
  refundRules: RefundRule[];
  convertReservationToSecurity: boolean;
  releaseRequiresHandover: true;
  /** Absent in policies written before it existed: 'offset_first_rent'. */
  securityRelease?: SecurityRelease;
  commission: CommissionRule;
};

export type DepositPolicy = {
  id: string;
  /** null for an admin template. */
  ownerId: string | null;
  name: string;
  status: PolicyStatus;
  currentVersion: number;
  disabledByAdmin: boolean;
  terms: PolicyTerms;
  createdAt: string;
  updatedAt: string;
};

export type PolicyVersion = { policyId: string; version: number; name: string; terms: PolicyTerms; createdAt: string };
export type PolicyInput = { name: string; terms: PolicyTerms };

/** Whose policies a page manages: the signed-in owner's, or the admin templates (and everyone's). */
export type PolicyScope = 'me' | 'admin';

const baseOf = (scope: PolicyScope) => `${API_BASE}/${scope === 'me' ? 'me' : 'admin'}/deposit-policies`;
const one = (scope: PolicyScope, id: string) => `${baseOf(scope)}/${encodeURIComponent(id)}`;

export function listPolicies(scope: PolicyScope, filter: { status?: PolicyStatus; templates?: boolean } = {}) {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.templates !== undefined) params.set('templates', String(filter.templates));
  const qs = params.toString();
  return apiGet<DepositPolicy[]>(qs ? `${baseOf(scope)}?${qs}` : baseOf(scope));
}

export const listTemplates = () => apiGet<DepositPolicy[]>(`${API_BASE}/deposit-policies/templates`);
export const createPolicy = (scope: PolicyScope, input: PolicyInput) =>
  apiSend<DepositPolicy>('POST', baseOf(scope), input);
export const revisePolicy = (scope: PolicyScope, id: string, input: PolicyInput) =>
  apiSend<DepositPolicy>('PUT', one(scope, id), input);
export const setPolicyEnabled = (scope: PolicyScope, id: string, enabled: boolean) =>
  apiSend<DepositPolicy>('POST', `${one(scope, id)}/${enabled ? 'enable' : 'disable'}`);
export const deletePolicy = (scope: PolicyScope, id: string) => apiSend<DepositPolicy>('DELETE', one(scope, id));
export const getPolicyVersion = (scope: PolicyScope, id: string, version: number) =>
  apiGet<PolicyVersion>(`${one(scope, id)}/versions/${version}`);

/** A sensible starting point for a new policy (both deposit types, one month's security). */
export function defaultTerms(): PolicyTerms {
  return {
    allowedDepositTypes: ['reservation', 'security'],
    reservationTtlHours: 48,
    reservationAmount: { kind: 'fixed', amount: 1_000_000 },
    securityAmount: { kind: 'months_of_rent', months: 1 },
    refundRules: [
      { event: 'deposit_paid', offsetHours: 24, refundPercent: 100 },
      { event: 'move_in', offsetHours: -72, refundPercent: 50 },
    ],
    convertReservationToSecurity: true,
    releaseRequiresHandover: true,
    securityRelease: 'offset_first_rent',
    commission: { kind: 'none' },
  };
}

/** The server's field path without a "body." prefix, e.g. `terms.refundRules.1.refundPercent`. */
export const fieldPath = (field: string | undefined) => field?.replace(/^body[./]/, '').replaceAll('/', '.');

export const formatVnd = (amount: number, lang: 'vi' | 'en') =>
  new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { style: 'currency', currency: 'VND' }).format(amount);

/** The terms in a few lines of the UI language, for lists and version views. */
export function termsSummary(terms: PolicyTerms): string[] {
  const amount = (rule: AmountRule | null) =>
    rule === null
      ? '—'
      : rule.kind === 'fixed'
        ? formatVnd(rule.amount, locale.lang)
        : t('dp.summary.months', { n: rule.months.toLocaleString(locale.lang === 'vi' ? 'vi-VN' : 'en-US') });
  const lines: string[] = [];
  if (terms.allowedDepositTypes.includes('reservation')) {
    const ttl = t('dp.summary.ttl', { hours: terms.reservationTtlHours ?? '—' });
    lines.push(`${t('dp.type.reservation')}: ${amount(terms.reservationAmount)} · ${ttl}`);
  }
  if (terms.allowedDepositTypes.includes('security')) {
    lines.push(`${t('dp.type.security')}: ${amount(terms.securityAmount)}`);
  }
  for (const rule of terms.refundRules) {
    const offset = rule.offsetHours > 0 ? `+${rule.offsetHours}` : String(rule.offsetHours);
    lines.push(t('dp.summary.refund', { event: t(`dp.event.${rule.event}`), offset, percent: rule.refundPercent }));
  }
  if (terms.convertReservationToSecurity) lines.push(t('dp.convert'));
  lines.push(t('dp.handover'));
  if (terms.allowedDepositTypes.includes('security')) {
    lines.push(
      `${t('dp.securityRelease')}: ${t(`dp.securityRelease.${terms.securityRelease ?? 'offset_first_rent'}`)}`,
    );
  }
  const c = terms.commission;
  const commission =
    c.kind === 'none'
      ? t('dp.commission.none')
      : c.kind === 'fixed'
        ? formatVnd(c.amount, locale.lang)
        : `${c.percent}%`;
  const when = c.kind === 'none' ? '' : ` · ${t(`dp.commissionOn.${c.on ?? 'deposit_held'}`)}`;
  lines.push(`${t('dp.commission')}: ${commission}${when}`);
  return lines;
}
