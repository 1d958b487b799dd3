import type { ContractEvent } from '../../domain/contracts/contract-events.js';
import type { HandoverEvent, HandoverKind } from '../../domain/contracts/handover-events.js';
import type { KycEvent } from '../../domain/identity/kyc-events.js';
import type { NotificationKind, NotificationLocale } from '../../domain/notifications/catalog.js';
import type { DepositEvent } from '../../domain/payments/deposit-events.js';
import type { PaymentEvent, PaymentPurpose } from '../../domain/payments/payment-events.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { type Localized, localDate, money, type NotificationIntent, type SourceLookups } from './intent.js';

/** Payments, deposits, KYC, contracts and handovers: the events that notify someone. */
export const MONEY_EVENT_TYPES = [
  'PaymentCaptured',
  'PaymentRefunded',
  'PaymentReversed',
  'DepositHeld',
  'DepositRefunded',
  'KycVerified',
  'KycRejected',
  'ContractGenerated',
  'ContractSigned',
  'ContractFullySigned',
  'ContractExpiryReminderDue',
  'ContractExpired',
  'HandoverOpened',
  'HandoverCompleted',
] as const;

const PURPOSE_LABELS: Record<PaymentPurpose['kind'], Record<NotificationLocale, string>> = {
  deposit: { vi: 'tiền cọc', en: 'deposit' },
  consultation: { vi: 'phí tư vấn', en: 'consultation fee' },
  wallet_topup: { vi: 'nạp ví', en: 'wallet top-up' },
};

const HANDOVER_LABELS: Record<HandoverKind, Record<NotificationLocale, string>> = {
  move_in: { vi: 'nhận phòng', en: 'move-in' },
  move_out: { vi: 'trả phòng', en: 'move-out' },
};

type Values = Record<string, Localized>;
const notice =
  (resource: { type: string; id: string }, link: string | null) =>
  (userIds: string[], kind: NotificationKind, values: Values): NotificationIntent[] =>
    [...new Set(userIds)].map((userId) => ({ userId, kind, values, resource, link }));

async function paymentIntents(event: RecordedEvent, lookups: SourceLookups) {
  const first = (await lookups.history(event.streamName, event.revision))[0];
  if (first?.type !== 'PaymentInitiated') return [];
  const { paymentId, payerId, purpose } = first.data as Extract<PaymentEvent, { type: 'PaymentInitiated' }>['data'];
  const to = notice({ type: 'payment', id: paymentId }, `/payments/${paymentId}`);
  const values = (amountVnd: number) => ({ amount: money(amountVnd), purpose: PURPOSE_LABELS[purpose.kind] });
  const payment = { type: event.type, data: event.data } as PaymentEvent;
  switch (payment.type) {
    // A deposit's capture and refund are announced by the deposit (deposit.captured / refunded).
    case 'PaymentCaptured':
      if (purpose.kind === 'deposit') return [];
      return to([payerId], 'payment.captured', values(payment.data.principalVnd + payment.data.feeVnd));
    case 'PaymentRefunded':
      if (purpose.kind === 'deposit') return [];
      return to([payerId], 'payment.refunded', values(payment.data.amountVnd));
    case 'PaymentReversed':
      return to([payerId], 'payment.refunded', values(payment.data.amountVnd));
    default:
      return [];
  }
}

async function depositIntents(event: RecordedEvent, lookups: SourceLookups) {
  const first = (await lookups.history(event.streamName, event.revision))[0];
  if (first?.type !== 'DepositRequested') return [];
  const requested = first.data as Extract<DepositEvent, { type: 'DepositRequested' }>['data'];
  const to = notice({ type: 'deposit', id: requested.depositId }, '/deposits');
  const listingTitle = await lookups.listingTitle(requested.listingId);
  const deposit = { type: event.type, data: event.data } as DepositEvent;
  if (deposit.type === 'DepositHeld') {
    return to([requested.customerId, requested.ownerId], 'deposit.captured', {
      amount: money(requested.amountVnd),
      listingTitle,
    });
  }
  if (deposit.type === 'DepositRefunded' && deposit.data.refundVnd > 0) {
    return to([requested.customerId], 'deposit.refunded', { amount: money(deposit.data.refundVnd), listingTitle });
  }
  return [];
}

function kycIntents(event: RecordedEvent) {
  const kyc = { type: event.type, data: event.data } as KycEvent;
  const to = notice({ type: 'kyc', id: kyc.data.userId }, '/account/kyc');
  if (kyc.type === 'KycVerified') {
    return to([kyc.data.userId], 'kyc.decided', { outcome: { vi: 'đã được xác minh', en: 'verified' }, reason: '' });
  }
  if (kyc.type === 'KycRejected') {
    const reason = kyc.data.reason;
    return to([kyc.data.userId], 'kyc.decided', {
      outcome: { vi: 'bị từ chối', en: 'rejected' },
      reason: { vi: `Lý do: ${reason}`, en: `Reason: ${reason}` },
    });
  }
  return [];
}

async function contractIntents(event: RecordedEvent, lookups: SourceLookups) {
  const first = (await lookups.history(event.streamName, event.revision))[0];
  if (first?.type !== 'ContractGenerated') return [];
  const generated = first.data as Extract<ContractEvent, { type: 'ContractGenerated' }>['data'];
  const { contractId, customerId, ownerId } = generated;
  const to = notice({ type: 'contract', id: contractId }, `/contracts/${contractId}`);
  const listingTitle = await lookups.listingTitle(generated.listingId);
  const contract = { type: event.type, data: event.data } as ContractEvent;
  switch (contract.type) {
    // The customer signs first, then the owner (SRS UC-PROJ-04).
    case 'ContractGenerated':
      return to([customerId], 'contract.ready_to_sign', { listingTitle });
    case 'ContractSigned':
      return contract.data.party === 'customer' ? to([ownerId], 'contract.ready_to_sign', { listingTitle }) : [];
    case 'ContractFullySigned':
      return to([customerId, ownerId], 'contract.signed', { listingTitle });
    case 'ContractExpiryReminderDue':
      return to([customerId, ownerId], 'contract.expiring', {
        listingTitle,
        endDate: localDate(contract.data.endDate),
        daysBefore: String(contract.data.daysBefore),
      });
    case 'ContractExpired':
      return to([customerId, ownerId], 'contract.expired', { listingTitle, endDate: localDate(contract.data.endDate) });
    default:
      return [];
  }
}

async function handoverIntents(event: RecordedEvent, lookups: SourceLookups) {
  const first = (await lookups.history(event.streamName, event.revision))[0];
  if (first?.type !== 'HandoverOpened') return [];
  const opened = first.data as Extract<HandoverEvent, { type: 'HandoverOpened' }>['data'];
  const to = notice({ type: 'handover', id: opened.handoverId }, `/handovers/${opened.handoverId}`);
  const values = { handoverKind: HANDOVER_LABELS[opened.kind] };
  if (event.type === 'HandoverOpened') return to([opened.customerId, opened.ownerId], 'handover.ready_to_sign', values);
  if (event.type === 'HandoverCompleted') return to([opened.customerId, opened.ownerId], 'handover.completed', values);
  return [];
}

export async function moneyIntents(event: RecordedEvent, lookups: SourceLookups): Promise<NotificationIntent[]> {
  const stream = event.streamName;
  if (event.type.startsWith('Payment') && stream.startsWith('payment-')) return paymentIntents(event, lookups);
  if (event.type.startsWith('Deposit') && stream.startsWith('deposit-')) return depositIntents(event, lookups);
  if (event.type.startsWith('Kyc') && stream.startsWith('kyc-')) return kycIntents(event);
  if (event.type.startsWith('Contract') && stream.startsWith('contract-')) return contractIntents(event, lookups);
  if (event.type.startsWith('Handover') && stream.startsWith('handover-')) return handoverIntents(event, lookups);
  return [];
}
