import { ChannelError } from './port.js';

/** A retryable failure whose provider said when to try again (Telegram's `retry_after`, HTTP `Retry-After`). */
export class RetryLaterError extends ChannelError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    providerCode?: string,
  ) {
    super(message, true, providerCode);
  }
}

/** Seconds from a `Retry-After` header given in seconds (the HTTP-date form is not used by these providers). */
export function retryAfterSecondsOf(value: unknown): number | null {
  const seconds = Number(value);
  return value !== null && value !== '' && Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : null;
}

export interface JsonAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body; null when the body is empty or not JSON. */
  body: unknown;
}

/**
 * POSTs a JSON document with a deadline. Network trouble and timeouts are retryable ChannelErrors
 * whose message never holds the URL (a bot token travels in Telegram's path).
 */
export async function postJson(
  provider: string,
  url: string,
  payload: unknown,
  timeoutMs: number,
): Promise<JsonAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new ChannelError(
      `${provider}: ${timedOut ? 'no answer in time' : 'unreachable'}`,
      true,
      timedOut ? 'TIMEOUT' : 'NETWORK',
    );
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new ChannelError(`${provider}: answer cut off`, true, 'NETWORK');
  }
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: response.status, headers: response.headers, body };
}
