import { type WalletCommand, walletDecider } from '../../domain/payments/wallet.js';
import { type BankAccountDetails, walletStream } from '../../domain/payments/wallet-events.js';
import { conflict, DomainError } from '../../domain/shared/errors.js';
import { commandHandler, currentState, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';
import type { GatewayName, PaymentGateway } from './gateways/port.js';
import { type MoneyHandlers, stepMetadata } from './money-handlers.js';
import type { PaymentStarter } from './payment-starter.js';

const disabled = () => conflict('WALLET_DISABLED', 'Ví chưa được bật trong chính sách hệ thống');

/**
 * Customers' wallets (Vi), when the system policy turns them on: top-ups through a gateway,
 * payments from the balance (the wallet acts as a gateway that answers at once), money given
 * back to it, and withdrawals that staff pay out to a bank account.
 */
export function walletService(
  deps: HandlerDeps & { handlers: MoneyHandlers; startPayment: PaymentStarter; enabled: boolean },
) {
  const wallet = commandHandler(deps, { decider: walletDecider, stream: (c: WalletCommand) => walletStream(c.userId) });
  const stateOf = (userId: string) => currentState(deps.store, walletStream(userId), walletDecider);
  const payerOf = async (paymentId: string) => (await deps.handlers.paymentState(paymentId)).payerId;

  const gateway: PaymentGateway = {
    name: 'wallet',
    /** Refuses at once when the balance is short, so nothing is written for a payment that cannot be made. */
    async createCheckout(request) {
      const { balanceVnd } = await stateOf(request.payerId);
      if (balanceVnd < request.amountVnd) throw conflict('WALLET_INSUFFICIENT', 'Số dư ví không đủ', { balanceVnd });
      return { gatewayRef: request.paymentId, redirectUrl: null };
    },
    verifyCallback: () => ({ ok: false, reason: 'malformed' }),
    answer: () => ({ status: 404, body: { message: 'the wallet takes no callbacks' } }),
    async queryStatus({ paymentId }) {
      const debited = (await stateOf(await payerOf(paymentId))).debits.get(paymentId);
      return debited === undefined
        ? { state: 'pending', amountVnd: null, gatewayTransactionId: null }
        : { state: 'paid', amountVnd: debited, gatewayTransactionId: `wallet:${paymentId}` };
    },
    async refund(request) {
      const userId = await payerOf(request.paymentId);
      const metadata = stepMetadata(null, `wallet-credit:${request.refundId}`);
      try {
        const { paymentId, refundId, amountVnd } = request;
        await wallet({ type: 'CreditWallet', userId, paymentId, refundId, amountVnd }, metadata);
        return { ok: true, refundRef: `wallet:${request.refundId}`, message: 'Đã hoàn về ví' };
      } catch (error) {
        if (error instanceof DomainError) return { ok: false, refundRef: null, message: error.message };
        throw error;
      }
    },
  };

  /** Takes a payment made from the wallet: the balance first (never overdrawn), then the payment's notice. */
  async function take(paymentId: string, metadata: CommandMetadata) {
    const payment = await deps.handlers.paymentState(paymentId);
    const amountVnd = payment.principalVnd + payment.feeVnd;
    const notice = (outcome: 'paid' | 'failed', message: string) => ({
      outcome,
      amountVnd,
      currency: 'VND',
      gatewayTransactionId: `wallet:${paymentId}`,
      resultCode: outcome === 'paid' ? '00' : 'WALLET_INSUFFICIENT',
      message,
    });
    try {
      await wallet(
        { type: 'DebitWallet', userId: payment.payerId, paymentId, amountVnd },
        stepMetadata(metadata, `wallet-debit:${paymentId}`),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'WALLET_INSUFFICIENT') throw error;
      await deps.handlers.payment(
        { type: 'RecordGatewayNotice', paymentId, notice: notice('failed', error.message) },
        metadata,
      );
      throw error;
    }
    await deps.handlers.payment(
      { type: 'RecordGatewayNotice', paymentId, notice: notice('paid', 'Trả từ ví') },
      metadata,
    );
  }

  async function topUp(
    input: { paymentId: string; amountVnd: number; gateway: GatewayName },
    userId: string,
    clientIp: string,
    metadata: CommandMetadata,
  ) {
    if (!deps.enabled) throw disabled();
    if (input.gateway === 'wallet') throw conflict('WALLET_TOPUP_FROM_WALLET', 'Không nạp ví bằng chính ví');
    const started = await deps.startPayment(
      {
        paymentId: input.paymentId,
        payerId: userId,
        purpose: { kind: 'wallet_topup' },
        principalVnd: input.amountVnd,
        feeVnd: 0,
        gateway: input.gateway,
        description: 'Nap vi',
        clientIp,
      },
      metadata,
    );
    return { paymentId: input.paymentId, ...started };
  }

  /** A captured top-up lands in the wallet's balance. */
  async function toppedUp(paymentId: string, userId: string, amountVnd: number, metadata: CommandMetadata) {
    await wallet({ type: 'TopUpWallet', userId, paymentId, amountVnd }, metadata);
  }

  async function withdraw(
    input: { withdrawalId: string; amountVnd: number; bankAccount: BankAccountDetails },
    userId: string,
    metadata: CommandMetadata,
  ) {
    if (!deps.enabled) throw disabled();
    return wallet({ type: 'RequestWithdrawal', userId, ...input }, metadata);
  }

  const markWithdrawalPaid = (userId: string, withdrawalId: string, reference: string, metadata: CommandMetadata) =>
    wallet({ type: 'MarkWithdrawalPaid', userId, withdrawalId, reference }, metadata);

  return { enabled: deps.enabled, gateway, take, topUp, toppedUp, withdraw, markWithdrawalPaid, stateOf };
}

export type WalletService = ReturnType<typeof walletService>;
