import { fetchJson, matchOf } from './http.js';
import { type GeocodingProvider, ProviderFailure } from './port.js';

export const DEFAULT_NOMINATIM_URL = 'https://nominatim.openstreetmap.org';

/** Nominatim's usage policy asks for a User-Agent naming the application (library defaults are refused). */
export const NOMINATIM_USER_AGENT = 'rental-marketplace/0.1 (room listings in Vietnam; listing address geocoding)';

export interface NominatimGeocoderOptions {
  /** NOMINATIM_URL; tests point it at a local server. */
  baseUrl?: string;
  userAgent?: string;
  timeoutMs?: number;
  /** Spacing between requests to one Nominatim server from this process (policy: at most 1 per second). */
  minIntervalMs?: number;
  /** A request that would have to queue longer than this fails at once (BUSY) instead of holding its caller. */
  maxQueueMs?: number;
}

/** Next free request slot (performance.now()) per Nominatim server, shared by every adapter in the process. */
const nextSlot = new Map<string, number>();

async function awaitSlot(server: string, intervalMs: number, maxQueueMs: number): Promise<void> {
  const now = performance.now();
  const slot = Math.max(now, nextSlot.get(server) ?? 0);
  if (slot - now > maxQueueMs) throw new ProviderFailure('nominatim', 'BUSY', 'request queue too long');
  nextSlot.set(server, slot + intervalMs); // reserved synchronously, so concurrent callers queue in order
  if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
}

/** After a 429/503 with Retry-After (seconds), nobody in this process asks that server again before then. */
function backOff(server: string, retryAfter: string | null): void {
  const seconds = Number(retryAfter);
  if (!retryAfter || !Number.isFinite(seconds) || seconds <= 0) return;
  const until = performance.now() + Math.min(seconds, 3600) * 1000;
  nextSlot.set(server, Math.max(nextSlot.get(server) ?? 0, until));
}

interface NominatimPlace {
  lat?: unknown;
  lon?: unknown;
  display_name?: unknown;
}

/** OpenStreetMap Nominatim `/search?format=jsonv2`: a JSON array (empty = not found), lat/lon as strings. */
export function nominatimGeocoder(options: NominatimGeocoderOptions = {}): GeocodingProvider {
  const base = (options.baseUrl ?? DEFAULT_NOMINATIM_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 3000;
  const intervalMs = options.minIntervalMs ?? 1000;
  const maxQueueMs = options.maxQueueMs ?? 5000;
  const headers = { 'user-agent': options.userAgent ?? NOMINATIM_USER_AGENT, 'accept-language': 'vi' };
  return {
    name: 'nominatim',
    async lookup(address, { region }) {
      await awaitSlot(base, intervalMs, maxQueueMs);
      const url = new URL(`${base}/search`);
      url.search = new URLSearchParams({ format: 'jsonv2', q: address, countrycodes: region, limit: '1' }).toString();
      const answer = await fetchJson('nominatim', url, { timeoutMs, headers });
      if (answer.status !== 200) {
        if (answer.status === 429 || answer.status === 503) backOff(base, answer.headers.get('retry-after'));
        throw new ProviderFailure('nominatim', `HTTP_${answer.status}`, 'request refused');
      }
      if (!Array.isArray(answer.body)) throw new ProviderFailure('nominatim', 'BAD_RESPONSE', 'not a JSON array');
      const first = answer.body[0] as NominatimPlace | undefined;
      if (!first) return null;
      return matchOf('nominatim', first.lat, first.lon, first.display_name);
    },
  };
}
