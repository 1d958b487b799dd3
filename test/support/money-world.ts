import { expect } from 'vitest';
import type { DepositPolicyTerms } from '../../domain/catalog/deposit-policy-events.js';
import { ADMIN, eventually, type TestApp } from './app.js';
import { listingWorld } from './listing-world.js';

export const DEPOSIT_TERMS: DepositPolicyTerms = {
  allowedDepositTypes: ['reservation', 'security'],
  reservationTtlHours: 48,
  reservationAmount: { kind: 'fixed', amount: 1_000_000 },
  securityAmount: { kind: 'months_of_rent', months: 1 },
  refundRules: [{ event: 'deposit_paid', offsetHours: 24, refundPercent: 100 }],
  convertReservationToSecurity: true,
  releaseRequiresHandover: true,
  commission: { kind: 'percent_of_deposit', percent: 5 },
};

/** A published listing with `rooms` rooms at 3,000,000 ₫ a month and a deposit policy, ready for deposits. */
export async function listingTakingDeposits(t: TestApp, rooms = 2, terms = DEPOSIT_TERMS) {
  const policy = await t.call<{ id: string }>(
    'POST',
    '/api/v1/admin/deposit-policies',
    { name: 'Cọc chuẩn', terms },
    ADMIN,
  );
  expect(policy.status).toBe(201);
  const world = listingWorld(t.app.services.store);
  const areaId = await world.area(`Tỉnh ${crypto.randomUUID().slice(0, 6)}`, 'province');
  const ownerId = await world.newOwner();
  const project = await world.project(
    ownerId,
    Array.from({ length: rooms }, () => ({ price: 3_000_000, areaM2: 20 })),
    areaId,
  );
  const listingId = await world.listing({
    projectId: project.projectId,
    ownerId,
    title: 'Phòng trọ có cọc',
    areaId,
    rooms: project.roomIds.map((roomId) => ({ roomId })),
    depositPolicyId: policy.body.data.id,
  });
  await eventually(async () => {
    const options = await t.call('GET', `/api/v1/listings/${listingId}/deposit-options`);
    expect(options.status).toBe(200);
  });
  return { listingId, ownerId, roomIds: project.roomIds, policyId: policy.body.data.id };
}

/** Headers of an admin acting for a customer (audited act-as) with an Idempotency-Key. */
export const actingFor = (customerId: string, key = crypto.randomUUID()) => ({
  ...ADMIN,
  'x-act-as': customerId,
  'idempotency-key': key,
});

/** The sandbox's order reference in a VNPay checkout URL. */
export const txnRefOf = (checkoutUrl: string) => new URL(checkoutUrl).searchParams.get('vnp_TxnRef') ?? '';

/** What the payer does on the sandbox's page: open it, then pay (or fail); the IPN reaches the app. */
export async function payAtSandbox(t: TestApp, checkoutUrl: string, outcome: 'paid' | 'failed' = 'paid') {
  const sandbox = t.app.sandbox;
  if (!sandbox) throw new Error('the test app runs the VNPay sandbox');
  expect((await fetch(checkoutUrl)).status).toBe(200);
  return sandbox.pay(txnRefOf(checkoutUrl), outcome);
}
