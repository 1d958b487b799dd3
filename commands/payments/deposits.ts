import type pg from 'pg';
import type { DepositType } from '../../domain/catalog/deposit-policy-events.js';
import type { DepositState } from '../../domain/payments/deposit.js';
import type {
  DepositDeduction,
  DepositParties,
  PolicySnapshot,
  ReleaseMode,
} from '../../domain/payments/deposit-events.js';
import { depositAmountFor, platformFeeFor } from '../../domain/payments/fees.js';
import { conflict, DomainError, invalid, notFound } from '../../domain/shared/errors.js';
import { getListing, type ListingView } from '../../projections/catalog/catalog-queries.js';
import { getDepositPolicy } from '../../projections/catalog/deposit-policies-queries.js';
import type { CommandMetadata } from '../metadata.js';
import type { GatewayName, PaymentGateway } from './gateways/port.js';
import { type MoneyHandlers, stepMetadata } from './money-handlers.js';
import type { PaymentStarter } from './payment-starter.js';
import type { Settlement } from './settlement.js';

export interface DepositOption {
  kind: DepositType;
  amountVnd: number;
  feeVnd: number;
  totalVnd: number;
  ttlHours: number | null;
}

export interface DepositServiceDeps {
  pool: pg.Pool;
  handlers: MoneyHandlers;
  settlement: Settlement;
  gateways: Partial<Record<GatewayName, PaymentGateway>>;
  startPayment: PaymentStarter;
}

/** The listing's policy in force and the room, checked for a new deposit. */
async function listingTerms(pool: pg.Pool, listingId: string) {
  const listing = await getListing(pool, listingId);
  if (!listing?.visible) throw notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
  const policy = listing.depositPolicyInForce ? await getDepositPolicy(pool, listing.depositPolicyInForce) : null;
  if (!policy || policy.status === 'deleted') {
    throw conflict('DEPOSIT_POLICY_MISSING', 'Tin đăng chưa có chính sách cọc: chưa nhận đặt cọc');
  }
  const snapshot: PolicySnapshot = { policyId: policy.id, version: policy.currentVersion, terms: policy.terms };
  return { listing, policy: snapshot };
}

function optionsFor(policy: PolicySnapshot, rentVnd: number): DepositOption[] {
  const { terms } = policy;
  return terms.allowedDepositTypes.flatMap((kind) => {
    const rule = kind === 'reservation' ? terms.reservationAmount : terms.securityAmount;
    if (!rule) return [];
    const amountVnd = depositAmountFor(rule, rentVnd);
    const feeVnd = platformFeeFor(amountVnd);
    const ttlHours = kind === 'reservation' ? terms.reservationTtlHours : null;
    return [{ kind, amountVnd, feeVnd, totalVnd: amountVnd + feeVnd, ttlHours }];
  });
}

function roomOf(listing: ListingView, roomId: string) {
  const room = listing.rooms.find((r) => r.roomId === roomId);
  if (!room) throw invalid('ROOM_NOT_IN_LISTING', 'Phòng không thuộc tin đăng', 'roomId');
  return room;
}

/**
 * Deposits (UC-CUST-04): options per room, a new deposit with its payment and checkout, conversion
 * of a reservation into a security deposit, cancellation and expiry with refunds by the policy.
 */
export function depositService(deps: DepositServiceDeps) {
  const { handlers, pool } = deps;

  async function options(listingId: string) {
    const { listing, policy } = await listingTerms(pool, listingId);
    const rooms = listing.rooms.map((room) => ({
      roomId: room.roomId,
      name: room.name,
      status: room.status,
      rentVnd: room.price,
      kinds: optionsFor(policy, room.price),
    }));
    const gateways = (Object.keys(deps.gateways) as GatewayName[]).filter((name) => deps.gateways[name]);
    return {
      listingId,
      policy: { id: policy.policyId, version: policy.version, terms: policy.terms },
      rooms,
      gateways,
    };
  }

  async function create(
    input: {
      depositId: string;
      paymentId: string;
      listingId: string;
      roomId: string;
      kind: DepositType;
      gateway: GatewayName;
    },
    customerId: string,
    clientIp: string,
    metadata: CommandMetadata,
  ) {
    const { listing, policy } = await listingTerms(pool, input.listingId);
    if (listing.ownerId === customerId) throw conflict('OWN_LISTING', 'Chủ dự án không đặt cọc phòng của mình');
    const room = roomOf(listing, input.roomId);
    if (room.status !== 'available') {
      throw conflict('ROOM_NOT_AVAILABLE', 'Phòng không còn trống', { status: room.status });
    }
    const option = optionsFor(policy, room.price).find((o) => o.kind === input.kind);
    if (!option)
      throw invalid('DEPOSIT_TYPE_NOT_ALLOWED', 'Chính sách cọc của tin đăng không cho loại cọc này', 'kind');
    const parties: DepositParties = {
      customerId,
      ownerId: listing.ownerId,
      listingId: listing.listingId,
      roomId: room.roomId,
      projectId: listing.projectId,
      areaId: listing.address?.areaId ?? null,
      salesStaffId: await viewingStaffOf(pool, customerId, listing.listingId),
    };
    const { depositId, paymentId } = input;
    // The checkout first: a gateway that fails leaves nothing written.
    const { checkout } = await deps.startPayment(
      {
        paymentId,
        payerId: customerId,
        purpose: { kind: 'deposit', depositId },
        principalVnd: option.amountVnd,
        feeVnd: option.feeVnd,
        gateway: input.gateway,
        description: `Coc ${input.kind === 'reservation' ? 'giu cho' : 'an ninh'} ${room.name ?? ''}`.trim(),
        clientIp,
      },
      metadata,
    );
    const requested = await handlers.deposit(
      {
        type: 'RequestDeposit',
        depositId,
        kind: input.kind,
        parties,
        amountVnd: option.amountVnd,
        feeVnd: option.feeVnd,
        policy,
        paymentId,
        convertedFrom: null,
        roomHoldId: depositId,
      },
      metadata,
    );
    return { depositId, paymentId, checkout, position: requested.position };
  }

  /** A held reservation becomes (part of) a security deposit; the rest is paid as a new payment. */
  async function convert(
    input: { reservationId: string; depositId: string; paymentId: string; gateway: GatewayName },
    customerId: string,
    clientIp: string,
    metadata: CommandMetadata,
  ) {
    const reservation = await ownDeposit(input.reservationId, customerId);
    const parties = reservation.parties as DepositParties;
    const policy = reservation.policy as PolicySnapshot;
    const listing = await getListing(pool, parties.listingId);
    const rule = policy.terms.securityAmount;
    if (!listing || !rule || !policy.terms.allowedDepositTypes.includes('security')) {
      throw conflict('CONVERSION_NOT_ALLOWED', 'Chính sách cọc không cho chuyển cọc giữ chỗ thành cọc an ninh');
    }
    const amountVnd = depositAmountFor(rule, roomOf(listing, parties.roomId).price);
    const remainder = amountVnd - reservation.amountVnd;
    if (remainder < 0) throw conflict('CONVERSION_EXCEEDS_DEPOSIT', 'Cọc giữ chỗ lớn hơn cọc an ninh');
    const feeVnd = platformFeeFor(remainder);
    const paymentId = remainder > 0 ? input.paymentId : null;
    const { depositId } = input;
    // The checkout first: a gateway that fails leaves the reservation as it was.
    const started =
      paymentId === null
        ? null
        : await deps.startPayment(
            {
              paymentId,
              payerId: customerId,
              purpose: { kind: 'deposit', depositId },
              principalVnd: remainder,
              feeVnd,
              gateway: input.gateway,
              description: 'Coc an ninh (phan con lai)',
              clientIp,
            },
            metadata,
          );
    await handlers.deposit(
      { type: 'ConvertDeposit', depositId: input.reservationId, intoDepositId: depositId },
      metadata,
    );
    const requested = await handlers.deposit(
      {
        type: 'RequestDeposit',
        depositId,
        kind: 'security',
        parties,
        amountVnd,
        feeVnd,
        policy,
        paymentId,
        convertedFrom: {
          depositId: input.reservationId,
          amountVnd: reservation.amountVnd,
          paymentIds: reservation.fundingPaymentIds,
        },
        roomHoldId: reservation.roomHoldId,
      },
      metadata,
    );
    return {
      depositId,
      paymentId,
      checkout: started?.checkout ?? null,
      position: requested.position,
    };
  }

  async function ownDeposit(depositId: string, customerId: string | null): Promise<DepositState> {
    const deposit = await handlers.depositState(depositId);
    const mine = customerId === null || deposit.parties?.customerId === customerId;
    if (deposit.status === 'none' || !mine) throw notFound('DEPOSIT_NOT_FOUND', 'Không tìm thấy khoản cọc');
    return deposit;
  }

  /** Pays out what a deposit's end gives back and frees the room it held. */
  async function afterDepositEnded(depositId: string, metadata: CommandMetadata) {
    const deposit = await handlers.depositState(depositId);
    const ended = deposit.status === 'refunded' || deposit.status === 'forfeited' || deposit.status === 'released';
    if (!ended || !deposit.parties) return;
    if (deposit.refundDueVnd > 0) {
      await deps.settlement.refundDeposit(deposit, depositId, deposit.refundDueVnd, metadata);
    }
    if (deposit.status !== 'released') {
      await handlers
        .room(
          { type: 'ReleaseRoomReservation', roomId: deposit.parties.roomId, holdId: deposit.roomHoldId },
          stepMetadata(metadata, `release-room:${depositId}`),
        )
        .catch((error: unknown) => {
          if (!(error instanceof DomainError)) throw error; // the room moved on (rented, released): nothing to free
        });
    }
  }

  async function cancel(depositId: string, by: { customerId: string | null }, metadata: CommandMetadata) {
    await ownDeposit(depositId, by.customerId);
    const actor = by.customerId === null ? 'operator' : 'customer';
    const result = await handlers.deposit({ type: 'CancelDeposit', depositId, by: actor, moveInAt: null }, metadata);
    await afterDepositEnded(depositId, metadata);
    return result.position;
  }

  async function expire(depositId: string, metadata: CommandMetadata) {
    const result = await handlers.deposit({ type: 'ExpireReservation', depositId }, metadata);
    if (result.events.length > 0) await afterDepositEnded(depositId, metadata);
  }

  /** After a completed handover; `deductions` (move-out) stay with the owner, each with its reason. */
  async function release(
    depositId: string,
    mode: ReleaseMode,
    handoverId: string,
    metadata: CommandMetadata,
    deductions: DepositDeduction[] = [],
  ) {
    await handlers.deposit({ type: 'ReleaseDeposit', depositId, mode, handoverId, deductions }, metadata);
    await afterDepositEnded(depositId, metadata);
  }

  return { options, create, convert, cancel, expire, release, afterDepositEnded };
}

/** The sales staff member of the customer's latest viewing of this listing, credited with the deal. */
async function viewingStaffOf(pool: pg.Pool, customerId: string, listingId: string): Promise<string | null> {
  const { rows } = await pool.query<{ provider_id: string }>(
    `select provider_id from rm.bookings
      where customer_id = $1 and listing_id = $2 and kind = 'viewing' and provider_id is not null
      order by start_at desc limit 1`,
    [customerId, listingId],
  );
  return rows[0]?.provider_id ?? null;
}

export type DepositService = ReturnType<typeof depositService>;
