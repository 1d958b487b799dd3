import { type GeocodingProviderName, ProviderFailure, type ProviderMatch } from './port.js';

const inRange = (value: number, limit: number) => Number.isFinite(value) && Math.abs(value) <= limit;

/** Shared check of a provider's coordinates, so a garbled answer is a failure rather than a wrong pin. */
export function matchOf(
  provider: GeocodingProviderName,
  lat: unknown,
  lng: unknown,
  formattedAddress: unknown,
): ProviderMatch {
  const [la, ln] = [Number(lat), Number(lng)];
  if (lat === null || lng === null || lat === '' || lng === '' || !inRange(la, 90) || !inRange(ln, 180)) {
    throw new ProviderFailure(provider, 'BAD_RESPONSE', 'coordinates missing or out of range');
  }
  if (typeof formattedAddress !== 'string' || formattedAddress.trim() === '') {
    throw new ProviderFailure(provider, 'BAD_RESPONSE', 'no formatted address');
  }
  return { lat: la, lng: ln, formattedAddress };
}

/** GET a JSON document with a deadline; network trouble and timeouts become ProviderFailure. */
export async function fetchJson(
  provider: GeocodingProviderName,
  url: URL,
  init: { timeoutMs: number; headers?: Record<string, string> },
): Promise<{ status: number; headers: Headers; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...init.headers },
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    // The URL may carry an API key: never put it in the message.
    throw new ProviderFailure(
      provider,
      timedOut ? 'TIMEOUT' : 'NETWORK',
      timedOut ? 'no answer in time' : 'unreachable',
    );
  }
  try {
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new ProviderFailure(provider, 'TIMEOUT', 'answer too slow');
    if (!response.ok) return { status: response.status, headers: response.headers, body: null };
    throw new ProviderFailure(provider, 'BAD_RESPONSE', 'answer is not JSON');
  }
}
