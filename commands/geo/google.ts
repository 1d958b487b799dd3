import { fetchJson, matchOf } from './http.js';
import { type GeocodingProvider, ProviderFailure } from './port.js';

export const DEFAULT_GOOGLE_GEOCODING_URL = 'https://maps.googleapis.com';

export interface GoogleGeocoderOptions {
  key: string;
  /** GOOGLE_GEOCODING_URL; tests point it at a local server. */
  baseUrl?: string;
  timeoutMs?: number;
}

interface GoogleAnswer {
  status?: string;
  error_message?: string;
  results?: { formatted_address?: string; geometry?: { location?: { lat?: unknown; lng?: unknown } } }[];
}

/**
 * The Google Geocoding API (`/maps/api/geocode/json`). It answers HTTP 200 with a `status`:
 * OK and ZERO_RESULTS are answers; OVER_QUERY_LIMIT, OVER_DAILY_LIMIT, REQUEST_DENIED,
 * INVALID_REQUEST and UNKNOWN_ERROR are failures, so the next provider is asked.
 */
export function googleGeocoder(options: GoogleGeocoderOptions): GeocodingProvider {
  const base = (options.baseUrl ?? DEFAULT_GOOGLE_GEOCODING_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 3000;
  return {
    name: 'google',
    async lookup(address, { region }) {
      const url = new URL(`${base}/maps/api/geocode/json`);
      url.search = new URLSearchParams({ address, key: options.key, region, language: 'vi' }).toString();
      const { status, body } = await fetchJson('google', url, { timeoutMs });
      const answer = (body ?? {}) as GoogleAnswer;
      if (status !== 200) throw new ProviderFailure('google', `HTTP_${status}`, answer.error_message ?? 'HTTP error');
      if (answer.status === 'ZERO_RESULTS') return null;
      if (answer.status !== 'OK') {
        throw new ProviderFailure('google', answer.status ?? 'BAD_RESPONSE', answer.error_message ?? 'no status');
      }
      const first = answer.results?.[0];
      if (!first) throw new ProviderFailure('google', 'BAD_RESPONSE', 'OK without results');
      const location = first.geometry?.location;
      return matchOf('google', location?.lat, location?.lng, first.formatted_address);
    },
  };
}
