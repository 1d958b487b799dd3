import { randomBytes } from 'node:crypto';
import { sameHex } from '../../commands/payments/gateways/gateway-support.js';
import {
  parseVnpDate,
  VNP_VERSION,
  vnpDate,
  vnpMessageChecksum,
} from '../../commands/payments/gateways/vnpay-signing.js';
import type { SandboxPayment } from './server.js';

/** The sandbox's payer bank (VNPay's demo bank). */
export const BANK_CODE = 'NCB';

export interface MerchantApiContext {
  tmnCode: string;
  hashSecret: string;
  clock: () => Date;
  payments: Map<string, SandboxPayment>;
  /** vnp_RequestId values already seen (a repeated one is answered 94). */
  requestIds: Set<string>;
  nextTransactionNo: () => string;
}

/** querydr and refund: documented JSON in, signed JSON out (every answer signed with its message's checksum). */
/** VNPay's querydr and refund: documented JSON in, JSON out signed with the answer's checksum. */
export function merchantApi(sandbox: MerchantApiContext, body: Record<string, unknown>): Record<string, unknown> {
  const { tmnCode, hashSecret, clock, payments, requestIds } = sandbox;
  const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  const command = str('vnp_Command');
  const kind = command === 'refund' ? 'refund' : 'querydr';
  const base = { vnp_ResponseId: randomBytes(16).toString('hex'), vnp_Command: command, vnp_TmnCode: tmnCode };
  const reply = (fields: Record<string, unknown>) => {
    const message: Record<string, unknown> = { ...base, ...fields };
    message.vnp_SecureHash = vnpMessageChecksum(hashSecret, `${kind}Response`, message);
    return message;
  };
  const fail = (code: string, text: string) => reply({ vnp_ResponseCode: code, vnp_Message: text });

  if (command !== 'querydr' && command !== 'refund') return fail('03', 'Unknown command');
  const expected = vnpMessageChecksum(hashSecret, `${kind}Request`, body);
  if (!sameHex(expected, body.vnp_SecureHash)) return fail('97', 'Invalid Checksum');
  if (str('vnp_TmnCode') !== tmnCode) return fail('02', 'Invalid TmnCode');
  const requestId = str('vnp_RequestId');
  if (!requestId || str('vnp_Version') !== VNP_VERSION || !parseVnpDate(str('vnp_CreateDate'))) {
    return fail('03', 'Invalid request format');
  }
  if (requestIds.has(requestId)) return fail('94', 'Duplicate request');
  requestIds.add(requestId);
  const payment = payments.get(str('vnp_TxnRef'));
  if (!payment || payment.createDate !== str('vnp_TransactionDate')) return fail('91', 'Transaction not found');
  const described = {
    vnp_TxnRef: payment.txnRef,
    vnp_BankCode: BANK_CODE,
    vnp_OrderInfo: payment.orderInfo,
  };

  if (kind === 'querydr') {
    return reply({
      ...described,
      vnp_ResponseCode: '00',
      vnp_Message: 'QueryDR Success',
      vnp_Amount: String(payment.amountVnd * 100),
      vnp_PayDate: payment.payDate ?? '',
      vnp_TransactionNo: payment.transactionNo ?? '0',
      vnp_TransactionType: '01',
      vnp_TransactionStatus: { pending: '01', paid: '00', failed: '02' }[payment.status],
      vnp_PromotionCode: '',
      vnp_PromotionAmount: '',
    });
  }

  const type = str('vnp_TransactionType');
  const wireAmount = Number(str('vnp_Amount'));
  const transactionNo = str('vnp_TransactionNo');
  if ((type !== '02' && type !== '03') || !Number.isSafeInteger(wireAmount) || wireAmount <= 0 || wireAmount % 100) {
    return fail('03', 'Invalid request format');
  }
  if (payment.status !== 'paid') return fail('95', 'Transaction was not successful at VNPAY');
  if (transactionNo && transactionNo !== '0' && transactionNo !== payment.transactionNo) {
    return fail('91', 'Transaction not found');
  }
  const amountVnd = wireAmount / 100;
  const remaining = payment.amountVnd - payment.refundedVnd;
  if (type === '02' && payment.refundedVnd > 0) return fail('04', 'Full refund not allowed after a partial refund');
  if (amountVnd > remaining || (type === '02' && amountVnd !== payment.amountVnd)) {
    return fail('93', 'Invalid refund amount');
  }
  const refundNo = sandbox.nextTransactionNo();
  payment.refundedVnd += amountVnd;
  payment.refunds.push({ requestId, amountVnd, transactionNo: refundNo, type, createdBy: str('vnp_CreateBy') });
  return reply({
    ...described,
    vnp_ResponseCode: '00',
    vnp_Message: 'Refund success',
    vnp_Amount: String(wireAmount),
    vnp_PayDate: vnpDate(clock()),
    vnp_TransactionNo: refundNo,
    vnp_TransactionType: type,
    vnp_TransactionStatus: '05',
  });
}
