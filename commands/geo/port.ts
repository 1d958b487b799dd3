/** Turns a listing's address into coordinates for the map preview (listing wizard, step 2). */
export type GeocodingProviderName = 'google' | 'nominatim';

export interface GeocodeOptions {
  /** Country the address is in (biases Google, restricts Nominatim); Vietnam is the only market. */
  region?: 'vn';
}

export interface Geocoded {
  lat: number;
  lng: number;
  formattedAddress: string;
  provider: GeocodingProviderName;
  /** True when answered from the cache without asking a provider. */
  cached: boolean;
}

export interface Geocoder {
  /** null: the address was not found. Throws GeocodingUnavailable when every provider failed. */
  geocode(address: string, options?: GeocodeOptions): Promise<Geocoded | null>;
}

/** What one provider found for an address. */
export interface ProviderMatch {
  lat: number;
  lng: number;
  formattedAddress: string;
}

/** One external service. Answers null for "nothing matches"; throws ProviderFailure when it could not answer. */
export interface GeocodingProvider {
  readonly name: GeocodingProviderName;
  lookup(address: string, options: Required<GeocodeOptions>): Promise<ProviderMatch | null>;
}

/** A provider could not answer (quota, denied, timeout, network, bad response); the next one is tried. */
export class ProviderFailure extends Error {
  override readonly name = 'ProviderFailure';
  constructor(
    readonly provider: GeocodingProviderName,
    /** e.g. OVER_QUERY_LIMIT, HTTP_429, TIMEOUT, NETWORK, BAD_RESPONSE, BUSY */
    readonly reason: string,
    message: string,
  ) {
    super(`${provider}: ${reason}: ${message}`);
  }
}

/** Every provider failed: nobody can say whether the address exists (the API answers 503). */
export class GeocodingUnavailable extends Error {
  override readonly name = 'GeocodingUnavailable';
  constructor(readonly failures: readonly ProviderFailure[]) {
    super(`Geocoding unavailable: ${failures.map((f) => f.message).join('; ') || 'no provider configured'}`);
  }
}
