import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the fake eSMS accepted (CodeResult 100). */
export interface SmsSent {
  smsId: string;
  phone: string;
  content: string;
  body: Record<string, unknown>;
}

/** A scripted answer: an eSMS CodeResult (HTTP 200, as eSMS answers its errors) or a bare HTTP status. */
export type SmsFailure =
  | { codeResult: string; errorMessage: string }
  | { httpStatus: number; retryAfter?: number; raw?: string };

export const SMS_FAILURES = {
  notEnoughBalance: { codeResult: '103', errorMessage: 'Not enough balance' },
  wrongBrandname: { codeResult: '104', errorMessage: 'Brand name code is not exist' },
  ipNotAllowed: { codeResult: '140', errorMessage: 'IP is not allowed' },
  wrongTemplate: { codeResult: '146', errorMessage: 'Sai template Brandname CSKH' },
  serverError: { httpStatus: 500, raw: '<html>500 Internal Server Error</html>' },
  busy: { httpStatus: 503, retryAfter: 30 },
} satisfies Record<string, SmsFailure>;

const SEND_PATH = '/MainService.svc/json/SendMultipleMessage_V4_post_json/';
const PHONE = /^(0|84)[35789]\d{8}$/;

/**
 * A local eSMS.vn speaking `SendMultipleMessage_V4_post_json` as documented
 * (https://developers.esms.vn/en/esms-api/send-sms-api/send-otp-customer-care-message): wrong keys
 * are 101, an unregistered brandname 104, a malformed phone 108, a RequestId seen before 124; it keeps
 * what it accepts and can be told to answer the next calls with any code or HTTP status.
 */
export async function startFakeSms(options: { apiKey?: string; secretKey?: string; brandnames?: string[] } = {}) {
  const apiKey = options.apiKey ?? 'TEST_API_KEY';
  const secretKey = options.secretKey ?? 'TEST_SECRET_KEY';
  const brandnames = new Set(options.brandnames ?? ['PHONGTRO']);
  const sent: SmsSent[] = [];
  const scripted: SmsFailure[] = [];
  const requestIds = new Set<string>();
  let calls = 0;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      calls++;
      const answer = (body: Record<string, unknown>) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ CountRegenerate: 0, ...body }));
      };
      const refuse = (code: string, message: string) => answer({ CodeResult: code, ErrorMessage: message });
      if (request.method !== 'POST' || request.url !== SEND_PATH) {
        response.writeHead(404, { 'content-type': 'text/html' });
        return response.end('<html>404 Not Found</html>');
      }
      const failure = scripted.shift();
      if (failure && 'httpStatus' in failure) {
        response.writeHead(failure.httpStatus, {
          'content-type': 'text/html',
          ...(failure.retryAfter !== undefined && { 'retry-after': String(failure.retryAfter) }),
        });
        return response.end(failure.raw ?? '');
      }
      if (failure) return refuse(failure.codeResult, failure.errorMessage);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        response.writeHead(400, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ error: 'Invalid request' }));
      }
      if (body.ApiKey !== apiKey || body.SecretKey !== secretKey) return refuse('101', 'Authorize Failed');
      if (!['2', '8'].includes(String(body.SmsType ?? ''))) return refuse('300', 'Missing SmsType');
      if (String(body.SmsType) === '2' && !brandnames.has(String(body.Brandname ?? ''))) {
        return refuse('104', 'Brand name code is not exist');
      }
      const phone = String(body.Phone ?? '');
      if (!PHONE.test(phone)) return refuse('108', 'Phone number is not in correct format');
      const requestId = typeof body.RequestId === 'string' ? body.RequestId : '';
      if (requestId !== '' && requestIds.has(requestId)) {
        return answer({ CodeResult: '124', ErrorMessage: 'Request exist 1', SendStatus: '5' });
      }
      if (requestId !== '') requestIds.add(requestId);
      const smsId = randomBytes(16).toString('hex');
      sent.push({ smsId, phone, content: String(body.Content ?? ''), body });
      answer({ CodeResult: '100', SMSID: smsId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    secretKey,
    sent,
    calls: () => calls,
    /** The next `times` calls answer with `failure` (queued after failures already scripted). */
    failNext(failure: SmsFailure, times = 1) {
      for (let i = 0; i < times; i++) scripted.push(failure);
    },
    reset() {
      sent.length = 0;
      scripted.length = 0;
      requestIds.clear();
      calls = 0;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeSms = Awaited<ReturnType<typeof startFakeSms>>;
