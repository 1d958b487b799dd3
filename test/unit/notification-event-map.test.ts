import { describe, expect, test } from 'vitest';
import type { RecordedEvent } from '../../commands/eventstore/port.js';
import { intentsFor, NOTIFYING_EVENT_TYPES } from '../../commands/notifications/event-map.js';
import type { NotificationIntent, SourceLookups } from '../../commands/notifications/intent.js';
import { request } from '../support/booking-fixtures.js';

const CUSTOMER = '11111111-1111-4111-8111-111111111111';
const OWNER = '22222222-2222-4222-8222-222222222222';
const STAFF = '33333333-3333-4333-8333-333333333333';
const LISTING = '44444444-4444-4444-8444-444444444444';

/**
 * Streams of recorded events in memory: the mapping from events to notifications is a pure
 * function of the stream's history and two names, which this table answers.
 */
function history(streams: Record<string, { type: string; data: unknown; actor?: string }[]>) {
  const recorded = new Map<string, RecordedEvent[]>();
  let position = 0n;
  for (const [stream, events] of Object.entries(streams)) {
    recorded.set(
      stream,
      events.map((e, i) => ({
        eventId: `00000000-0000-4000-8000-${String(++position).padStart(12, '0')}`,
        type: e.type,
        streamName: stream,
        revision: BigInt(i),
        position,
        data: e.data,
        metadata: {
          actorId: e.actor ?? null,
          actAsId: null,
          roles: [],
          correlationId: 'c',
          causationId: null,
          idempotencyKey: null,
          ip: null,
          userAgent: null,
          occurredAt: '2026-11-20T03:00:00.000Z',
          schemaVersion: 1,
        },
        createdAt: new Date(),
      })),
    );
  }
  const lookups: SourceLookups = {
    history: async (stream, revision) => (recorded.get(stream) ?? []).slice(0, Number(revision) + 1),
    listingTitle: async (id) => (id === LISTING ? 'Phòng 20 m² Quận 7' : ''),
    userName: async (id) => ({ [CUSTOMER]: 'Nguyễn Văn An' })[id] ?? '',
  };
  /** The notifications of the `index`th event of `stream`, as (user, kind, values in Vietnamese). */
  const of = async (stream: string, index: number) => {
    const event = recorded.get(stream)?.[index] as RecordedEvent;
    expect(NOTIFYING_EVENT_TYPES).toContain(event.type);
    return (await intentsFor(event, lookups)).map((intent: NotificationIntent) => ({
      to: intent.userId,
      kind: intent.kind,
      link: intent.link,
      values: Object.fromEntries(Object.entries(intent.values).map(([k, v]) => [k, typeof v === 'string' ? v : v.vi])),
    }));
  };
  return { of };
}

describe('which events notify whom', () => {
  test('bookings: the request to the customer and the provider, the owner when it needs approval', async () => {
    const bookingId = '55555555-5555-4555-8555-555555555555';
    const stream = `booking-${bookingId}`;
    const requested = request({
      bookingId,
      customerId: CUSTOMER,
      providerId: STAFF,
      ownerId: OWNER,
      listingId: LISTING,
      status: 'awaiting_approval',
    });
    const transition = (status: string, previousStatus: string) => ({ bookingId, status, previousStatus });
    const { of } = history({
      [stream]: [
        { type: 'BookingRequested', data: requested, actor: CUSTOMER },
        { type: 'BookingApproved', data: transition('confirmed', 'awaiting_approval'), actor: OWNER },
        {
          type: 'BookingRescheduled',
          data: {
            ...transition('rescheduled', 'confirmed'),
            start: '2026-11-25T03:00:00.000Z',
            end: '2026-11-25T03:30:00.000Z',
            previousStart: requested.start,
            previousEnd: requested.end,
            reason: null,
          },
          actor: STAFF,
        },
        { type: 'BookingReminderDue', data: { bookingId, minutesBefore: 1440, start: '2026-11-25T03:00:00.000Z' } },
        {
          type: 'BookingCancelled',
          data: { ...transition('cancelled_by_system', 'rescheduled'), by: 'system', reason: 'customer_overlap' },
        },
      ],
    });
    const place = { bookingKind: 'xem phòng', place: 'Phòng 20 m² Quận 7', start: '10:00 24/11/2026 (GMT+7)' };
    expect(await of(stream, 0)).toEqual([
      { to: CUSTOMER, kind: 'booking.requested', link: `/bookings/${bookingId}`, values: place },
      {
        to: STAFF,
        kind: 'booking.new_request',
        link: `/bookings/${bookingId}`,
        values: { ...place, customerName: 'Nguyễn Văn An' },
      },
      {
        to: OWNER,
        kind: 'booking.new_request',
        link: `/bookings/${bookingId}`,
        values: { ...place, customerName: 'Nguyễn Văn An' },
      },
    ]);
    expect((await of(stream, 1)).map((n) => [n.to, n.kind])).toEqual([[CUSTOMER, 'booking.confirmed']]);
    // The staff member who moved it hears nothing of it; the new time is in the values.
    expect(await of(stream, 2)).toEqual([
      {
        to: CUSTOMER,
        kind: 'booking.rescheduled',
        link: `/bookings/${bookingId}`,
        values: { ...place, start: '10:00 25/11/2026 (GMT+7)', previousStart: '10:00 24/11/2026 (GMT+7)' },
      },
    ]);
    expect((await of(stream, 3)).map((n) => [n.to, n.kind])).toEqual([
      [CUSTOMER, 'booking.reminder_24h'],
      [STAFF, 'booking.reminder_24h'],
    ]);
    const cancelled = await of(stream, 4);
    expect(cancelled.map((n) => n.to)).toEqual([CUSTOMER, STAFF]);
    expect(cancelled[0]?.values.reason).toBe('trùng với một lịch hẹn khác của bạn');
  });

  test('listings, KYC: the owner, with the reason', async () => {
    const stream = `listing-${LISTING}`;
    const { of } = history({
      [stream]: [
        {
          type: 'ListingDraftCreated',
          data: {
            listingId: LISTING,
            ownerId: OWNER,
            projectId: 'p',
            title: 'Nháp',
            description: '',
            roomType: 'room',
          },
        },
        {
          type: 'ListingBasicsSaved',
          data: { listingId: LISTING, title: 'Phòng mới', description: '', roomType: 'room' },
        },
        { type: 'ListingRejected', data: { listingId: LISTING, reason: 'Ảnh mờ', checklist: {} } },
      ],
      [`kyc-${OWNER}`]: [{ type: 'KycRejected', data: { userId: OWNER, reason: 'Ảnh CCCD mờ' } }],
    });
    expect(await of(stream, 2)).toEqual([
      {
        to: OWNER,
        kind: 'listing.rejected',
        link: `/owner/listings/${LISTING}`,
        values: { listingTitle: 'Phòng mới', reason: 'Ảnh mờ' },
      },
    ]);
    expect(await of(`kyc-${OWNER}`, 0)).toEqual([
      {
        to: OWNER,
        kind: 'kyc.decided',
        link: '/account/kyc',
        values: { outcome: 'bị từ chối', reason: 'Lý do: Ảnh CCCD mờ' },
      },
    ]);
  });

  test('money: a deposit tells customer and owner; its payment says nothing more; a consultation payment does', async () => {
    const depositId = '66666666-6666-4666-8666-666666666666';
    const depositPayment = '77777777-7777-4777-8777-777777777777';
    const feePayment = '88888888-8888-4888-8888-888888888888';
    const initiated = (paymentId: string, purpose: unknown) => ({
      type: 'PaymentInitiated',
      data: { paymentId, payerId: CUSTOMER, purpose, principalVnd: 500_000, feeVnd: 10_000 },
    });
    const captured = (paymentId: string) => ({
      type: 'PaymentCaptured',
      data: { paymentId, principalVnd: 500_000, feeVnd: 10_000 },
    });
    const { of } = history({
      [`deposit-${depositId}`]: [
        {
          type: 'DepositRequested',
          data: { depositId, customerId: CUSTOMER, ownerId: OWNER, listingId: LISTING, amountVnd: 2_000_000 },
        },
        { type: 'DepositHeld', data: { depositId, heldAt: '', expiresAt: null } },
        { type: 'DepositRefunded', data: { depositId, refundVnd: 1_500_000, forfeitVnd: 500_000 } },
      ],
      [`payment-${depositPayment}`]: [
        initiated(depositPayment, { kind: 'deposit', depositId }),
        captured(depositPayment),
      ],
      [`payment-${feePayment}`]: [
        initiated(feePayment, { kind: 'consultation', bookingId: 'b', expertId: 'e' }),
        captured(feePayment),
      ],
    });
    const held = await of(`deposit-${depositId}`, 1);
    expect(held.map((n) => [n.to, n.kind, n.link])).toEqual([
      [CUSTOMER, 'deposit.captured', '/deposits'],
      [OWNER, 'deposit.captured', '/deposits'],
    ]);
    expect(held[0]?.values).toEqual({ amount: '2.000.000 ₫', listingTitle: 'Phòng 20 m² Quận 7' });
    expect((await of(`deposit-${depositId}`, 2)).map((n) => [n.to, n.kind, n.values.amount])).toEqual([
      [CUSTOMER, 'deposit.refunded', '1.500.000 ₫'],
    ]);
    expect(await of(`payment-${depositPayment}`, 1)).toEqual([]);
    expect(await of(`payment-${feePayment}`, 1)).toEqual([
      {
        to: CUSTOMER,
        kind: 'payment.captured',
        link: `/payments/${feePayment}`,
        values: { amount: '510.000 ₫', purpose: 'phí tư vấn' },
      },
    ]);
  });

  test('contracts and handovers: who signs next, then both parties', async () => {
    const contractId = '99999999-9999-4999-8999-999999999999';
    const handoverId = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
    const { of } = history({
      [`contract-${contractId}`]: [
        { type: 'ContractGenerated', data: { contractId, customerId: CUSTOMER, ownerId: OWNER, listingId: LISTING } },
        { type: 'ContractSigned', data: { contractId, party: 'customer' }, actor: CUSTOMER },
        { type: 'ContractSigned', data: { contractId, party: 'owner' }, actor: OWNER },
        { type: 'ContractFullySigned', data: { contractId } },
        { type: 'ContractExpiryReminderDue', data: { contractId, daysBefore: 30, endDate: '2027-11-30' } },
      ],
      [`handover-${handoverId}`]: [
        { type: 'HandoverOpened', data: { handoverId, customerId: CUSTOMER, ownerId: OWNER, kind: 'move_in' } },
        { type: 'HandoverCompleted', data: { handoverId, kind: 'move_in' } },
      ],
    });
    const c = `contract-${contractId}`;
    const who = async (stream: string, i: number) => (await of(stream, i)).map((n) => [n.to, n.kind]);
    expect(await who(c, 0)).toEqual([[CUSTOMER, 'contract.ready_to_sign']]);
    expect(await who(c, 1)).toEqual([[OWNER, 'contract.ready_to_sign']]);
    expect(await who(c, 2)).toEqual([]);
    expect(await who(c, 3)).toEqual([
      [CUSTOMER, 'contract.signed'],
      [OWNER, 'contract.signed'],
    ]);
    expect((await of(c, 4))[0]).toMatchObject({
      kind: 'contract.expiring',
      link: `/contracts/${contractId}`,
      values: { endDate: '30/11/2027', daysBefore: '30', listingTitle: 'Phòng 20 m² Quận 7' },
    });
    const h = `handover-${handoverId}`;
    expect(await who(h, 0)).toEqual([
      [CUSTOMER, 'handover.ready_to_sign'],
      [OWNER, 'handover.ready_to_sign'],
    ]);
    expect((await of(h, 1))[1]).toMatchObject({
      kind: 'handover.completed',
      link: `/handovers/${handoverId}`,
      values: { handoverKind: 'nhận phòng' },
    });
  });
});
