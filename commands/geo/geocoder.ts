import type pg from 'pg';
import { foldVietnamese } from '../../domain/shared/text.js';
import { googleGeocoder } from './google.js';
import { nominatimGeocoder } from './nominatim.js';
import {
  type Geocoded,
  type GeocodeOptions,
  type Geocoder,
  type GeocodingProvider,
  type GeocodingProviderName,
  GeocodingUnavailable,
  ProviderFailure,
  type ProviderMatch,
} from './port.js';

/** Answers (found and not found) kept in Postgres so an address costs one provider call a month. */
export const geocodeCacheSchema = /* sql */ `
create schema if not exists catalog;
create table if not exists catalog.geocode_cache (
  key               text primary key,
  query             text not null,
  found             boolean not null,
  lat               double precision,
  lng               double precision,
  formatted_address text,
  provider          text check (provider in ('google', 'nominatim')),
  cached_at         timestamptz not null,
  expires_at        timestamptz not null,
  check (not found or (lat is not null and lng is not null and formatted_address is not null and provider is not null))
);
`;

export const GEOCODE_CACHE_TTL_MS = 30 * 24 * 3600 * 1000;

/** The address as sent to providers: trimmed, single spaces, one space after each comma. */
const tidy = (address: string) =>
  address
    .replace(/\s+/g, ' ')
    .replace(/\s*,\s*/g, ', ')
    .replace(/^[\s,]+|[\s,]+$/g, '');

/** Cache key: accent- and case-insensitive, so "Hàng Bè, Hoàn Kiếm" and "hang be,hoan kiem" share an entry. */
export const geocodeCacheKey = (address: string, region: string) => `${region}:${foldVietnamese(tidy(address))}`;

export interface CachedGeocoderOptions {
  pool: pg.Pool;
  /** Asked in order; the next one only when the previous failed (a "not found" is an answer). */
  providers: readonly GeocodingProvider[];
  clock?: () => Date;
  ttlMs?: number;
  onProviderFailure?: (failure: ProviderFailure) => void;
}

type CacheRow = {
  found: boolean;
  lat: number | null;
  lng: number | null;
  formatted_address: string | null;
  provider: GeocodingProviderName | null;
};

export function cachedGeocoder(options: CachedGeocoderOptions): Geocoder {
  const { pool } = options;
  const clock = options.clock ?? (() => new Date());
  const ttlMs = options.ttlMs ?? GEOCODE_CACHE_TTL_MS;
  /** Concurrent requests for one address share a single provider call. */
  const inFlight = new Map<string, Promise<Geocoded | null>>();

  async function fromCache(key: string): Promise<Geocoded | null | undefined> {
    const { rows } = await pool.query<CacheRow>(
      `select found, lat, lng, formatted_address, provider from catalog.geocode_cache where key = $1 and expires_at > $2`,
      [key, clock()],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (!row.found || row.lat === null || row.lng === null || !row.formatted_address || !row.provider) return null;
    return {
      lat: row.lat,
      lng: row.lng,
      formattedAddress: row.formatted_address,
      provider: row.provider,
      cached: true,
    };
  }

  async function remember(key: string, query: string, match: ProviderMatch | null, provider: GeocodingProviderName) {
    const now = clock();
    await pool.query(
      `insert into catalog.geocode_cache (key, query, found, lat, lng, formatted_address, provider, cached_at, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (key) do update set query = excluded.query, found = excluded.found, lat = excluded.lat,
         lng = excluded.lng, formatted_address = excluded.formatted_address, provider = excluded.provider,
         cached_at = excluded.cached_at, expires_at = excluded.expires_at`,
      [
        key,
        query,
        match !== null,
        match?.lat ?? null,
        match?.lng ?? null,
        match?.formattedAddress ?? null,
        match ? provider : null,
        now,
        new Date(now.getTime() + ttlMs),
      ],
    );
  }

  async function resolve(key: string, query: string, region: 'vn'): Promise<Geocoded | null> {
    const cached = await fromCache(key);
    if (cached !== undefined) return cached;
    const failures: ProviderFailure[] = [];
    for (const provider of options.providers) {
      let match: ProviderMatch | null;
      try {
        match = await provider.lookup(query, { region });
      } catch (error) {
        const failure =
          error instanceof ProviderFailure
            ? error
            : new ProviderFailure(provider.name, 'ERROR', (error as Error).message ?? String(error));
        failures.push(failure);
        options.onProviderFailure?.(failure);
        continue;
      }
      await remember(key, query, match, provider.name);
      return match && { ...match, provider: provider.name, cached: false };
    }
    throw new GeocodingUnavailable(failures);
  }

  return {
    geocode(address, geocodeOptions: GeocodeOptions = {}) {
      const region = geocodeOptions.region ?? 'vn';
      const query = tidy(address);
      if (query === '') return Promise.resolve(null);
      const key = geocodeCacheKey(query, region);
      const pending = inFlight.get(key);
      if (pending) return pending;
      const answer = resolve(key, query, region).finally(() => inFlight.delete(key));
      inFlight.set(key, answer);
      return answer;
    },
  };
}

export interface GeocodingConfig {
  /** GOOGLE_GEOCODING_KEY: Google is asked first when set. */
  googleKey?: string | undefined;
  /** GOOGLE_GEOCODING_URL (default https://maps.googleapis.com). */
  googleUrl?: string;
  /** NOMINATIM_URL (default https://nominatim.openstreetmap.org). */
  nominatimUrl?: string;
  /** Per request to a provider (default 3 s). */
  timeoutMs?: number;
}

/** Google first when a key is configured, Nominatim otherwise or when Google fails; answers cached in Postgres. */
export function createGeocoder(
  config: GeocodingConfig & Pick<CachedGeocoderOptions, 'pool' | 'clock' | 'onProviderFailure'>,
): Geocoder {
  const timeout = config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {};
  const providers: GeocodingProvider[] = [];
  if (config.googleKey) {
    providers.push(googleGeocoder({ key: config.googleKey, baseUrl: config.googleUrl, ...timeout }));
  }
  providers.push(nominatimGeocoder({ baseUrl: config.nominatimUrl, ...timeout }));
  return cachedGeocoder({ ...config, providers });
}
