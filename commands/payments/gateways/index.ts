import { type BankAccount, manualTransferGateway } from './manual.js';
import { type MomoConfig, momoGateway } from './momo.js';
import type { PaymentGateway, ProviderName } from './port.js';
import { type SepayConfig, sepayGateway } from './sepay.js';
import { type VnpayConfig, vnpayGateway } from './vnpay.js';
import { type ZalopayConfig, zalopayGateway } from './zalopay.js';

export { GatewayRequestError } from './gateway-support.js';
export { type BankAccount, manualTransferGateway, transferReference } from './manual.js';
export { type MomoConfig, momoGateway } from './momo.js';
export * from './port.js';
export { findTransferReference, type SepayConfig, sepayGateway } from './sepay.js';
export { type VnpayConfig, vnpayGateway, vnpayTxnRef } from './vnpay.js';
export { type ZalopayConfig, zalopayGateway } from './zalopay.js';

/** A provider is present only when its credentials are configured; manual bank transfer always is. */
export interface GatewayConfig {
  vnpay?: VnpayConfig;
  momo?: MomoConfig;
  zalopay?: ZalopayConfig;
  sepay?: SepayConfig;
  manual: BankAccount;
}

export function createGateways(config: GatewayConfig): Record<ProviderName, PaymentGateway | undefined> {
  return {
    vnpay: config.vnpay && vnpayGateway(config.vnpay),
    momo: config.momo && momoGateway(config.momo),
    zalopay: config.zalopay && zalopayGateway(config.zalopay),
    sepay: config.sepay && sepayGateway(config.sepay),
    manual: manualTransferGateway(config.manual),
  };
}

export const PROVIDER_SANDBOX_URLS = {
  vnpayPayment: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
  vnpayApi: 'https://sandbox.vnpayment.vn/merchant_webapi/api/transaction',
  momo: 'https://test-payment.momo.vn',
  zalopay: 'https://sb-openapi.zalopay.vn',
} as const;

/**
 * Reads VNPAY_*, MOMO_*, ZALOPAY_*, SEPAY_* and MANUAL_TRANSFER_* variables. Endpoints default to each
 * provider's sandbox, so production must set VNPAY_PAYMENT_URL, VNPAY_API_URL, MOMO_ENDPOINT, ZALOPAY_ENDPOINT.
 */
export function gatewayConfigFromEnv(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const value = (name: string) => env[name]?.trim() || undefined;
  const config: GatewayConfig = {
    manual: {
      bank: value('MANUAL_TRANSFER_BANK') ?? value('SEPAY_BANK') ?? '',
      accountNumber: value('MANUAL_TRANSFER_ACCOUNT_NUMBER') ?? value('SEPAY_ACCOUNT_NUMBER') ?? '',
      accountName: value('MANUAL_TRANSFER_ACCOUNT_NAME') ?? value('SEPAY_ACCOUNT_NAME') ?? '',
    },
  };

  const tmnCode = value('VNPAY_TMN_CODE');
  const hashSecret = value('VNPAY_HASH_SECRET');
  if (tmnCode && hashSecret) {
    config.vnpay = {
      tmnCode,
      hashSecret,
      paymentUrl: value('VNPAY_PAYMENT_URL') ?? PROVIDER_SANDBOX_URLS.vnpayPayment,
      apiUrl: value('VNPAY_API_URL') ?? PROVIDER_SANDBOX_URLS.vnpayApi,
    };
  }

  const partnerCode = value('MOMO_PARTNER_CODE');
  const accessKey = value('MOMO_ACCESS_KEY');
  const secretKey = value('MOMO_SECRET_KEY');
  if (partnerCode && accessKey && secretKey) {
    const requestType = value('MOMO_REQUEST_TYPE') as MomoConfig['requestType'];
    config.momo = {
      partnerCode,
      accessKey,
      secretKey,
      endpoint: value('MOMO_ENDPOINT') ?? PROVIDER_SANDBOX_URLS.momo,
      ...(requestType && { requestType }),
    };
  }

  const appId = value('ZALOPAY_APP_ID');
  const key1 = value('ZALOPAY_KEY1');
  const key2 = value('ZALOPAY_KEY2');
  if (appId && key1 && key2) {
    config.zalopay = { appId, key1, key2, endpoint: value('ZALOPAY_ENDPOINT') ?? PROVIDER_SANDBOX_URLS.zalopay };
  }

  const apiKey = value('SEPAY_API_KEY');
  const bank = value('SEPAY_BANK');
  const accountNumber = value('SEPAY_ACCOUNT_NUMBER');
  const accountName = value('SEPAY_ACCOUNT_NAME');
  if (apiKey && bank && accountNumber && accountName) {
    config.sepay = { apiKey, bank, accountNumber, accountName };
  }
  return config;
}
