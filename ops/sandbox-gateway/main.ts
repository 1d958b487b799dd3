import { startSandboxGateway } from './server.js';

/**
 * Runs the local VNPay sandbox: `tsx ops/sandbox-gateway/main.ts`.
 * SANDBOX_PORT (default 8089), SANDBOX_HOST, SANDBOX_TMN_CODE, SANDBOX_HASH_SECRET (random when unset) and
 * SANDBOX_IPN_URL (the app's VNPay IPN endpoint; without it no IPN is sent) configure it.
 */
const env = process.env;
const sandbox = await startSandboxGateway({
  port: Number(env.SANDBOX_PORT ?? 8089),
  host: env.SANDBOX_HOST ?? '127.0.0.1',
  ...(env.SANDBOX_TMN_CODE && { tmnCode: env.SANDBOX_TMN_CODE }),
  ...(env.SANDBOX_HASH_SECRET && { hashSecret: env.SANDBOX_HASH_SECRET }),
  ipnUrl: () => env.SANDBOX_IPN_URL,
});

console.log(`VNPay sandbox gateway on ${sandbox.url}
  VNPAY_TMN_CODE=${sandbox.tmnCode}
  VNPAY_HASH_SECRET=${sandbox.hashSecret}
  VNPAY_PAYMENT_URL=${sandbox.paymentUrl}
  VNPAY_API_URL=${sandbox.apiUrl}
  IPN URL: ${env.SANDBOX_IPN_URL ?? '(none: set SANDBOX_IPN_URL to receive IPNs)'}`);

const stop = () => {
  sandbox.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
