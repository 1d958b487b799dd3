// Catalog: public search and listing pages, favorites, owners' projects, rooms and listings, and the
// operators' moderation. Types mirror projections/catalog/*-queries.ts and the api/routes/ answers.
import { type Amenity, listAmenities } from './amenities';
import { API_BASE, apiGet, apiSend } from './api';
import { type AreaNode, getTree } from './areas';
import type { PolicyTerms } from './deposit-policies';

export const ROOM_TYPES = ['room', 'apartment', 'house', 'dormitory'] as const;
export type RoomType = (typeof ROOM_TYPES)[number];
export const LISTING_STATUSES = [
  'draft',
  'pending_review',
  'approved',
  'published',
  'suspended',
  'rejected',
  'archived',
] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];
export const PROJECT_STATUSES = ['active', 'suspended', 'banned', 'archived'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const ROOM_STATUSES = ['available', 'reserved', 'rented', 'cleaning'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];
export const SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'distance'] as const;
export type Sort = (typeof SORTS)[number];

export type Address = { areaId: string; street: string; lat: number | null; lng: number | null };
export type ListingImage = { key: string; thumbnailKey: string; width: number; height: number };

/** A room as a listing offers it: the listing's price and area (its override, else the room's). */
export type ListingRoom = {
  roomId: string;
  name: string;
  price: number;
  listingAreaM2: number;
  status: RoomStatus;
  description: string | null;
  standardPrice?: number;
  areaM2?: number;
  displayOrder?: number;
};

/** The policy in force (the listing's own, else its project's default), as the policies API shows it. */
export type DepositPolicySummary = { id: string; name: string; currentVersion: number; terms: PolicyTerms };

/** A published listing (`GET /listings/:id`): the catalog view without the moderation fields. */
export type PublicListing = {
  listingId: string;
  projectId: string;
  projectName: string;
  status: ListingStatus;
  title: string;
  description: string;
  roomType: RoomType;
  amenities: string[];
  address: Address | null;
  images: ListingImage[];
  rooms: ListingRoom[];
  depositPolicy: DepositPolicySummary | null;
  publishedAt: string | null;
};

/** A search result (`GET /listings/search`, api/routes/listing-search.ts). */
export type SearchItem = {
  listingId: string;
  title: string;
  roomType: RoomType;
  priceMin: number | null;
  priceMax: number | null;
  areaMin: number | null;
  areaMax: number | null;
  availableRooms: number;
  roomCount: number;
  wardName?: string | null;
  districtName?: string | null;
  provinceName?: string | null;
  /** Same-origin path of the cover's thumbnail. */
  coverThumbnailUrl: string | null;
  distanceKm?: number | null;
};

/** Counts over every match (not just the page): by district, and by the listing's lowest price. */
export type Facets = {
  total: number;
  districts: { areaId: string; name: string; count: number }[];
  /** `max` is exclusive; null = open-ended. */
  priceBuckets: { min: number | null; max: number | null; count: number }[];
};

export type SearchPage = { items: SearchItem[]; nextCursor: string | null; facets?: Facets };

export type SearchFilters = {
  q: string;
  areaId: string;
  priceMin: string;
  priceMax: string;
  areaMin: string;
  areaMax: string;
  amenities: string[];
  roomType: string;
  available: boolean;
  lat: string;
  lng: string;
  radiusKm: string;
  sort: Sort;
};

export const emptyFilters = (): SearchFilters => ({
  q: '',
  areaId: '',
  priceMin: '',
  priceMax: '',
  areaMin: '',
  areaMax: '',
  amenities: [],
  roomType: '',
  available: false,
  lat: '',
  lng: '',
  radiusKm: '',
  sort: 'relevance',
});

const TEXT_KEYS = [
  'q',
  'areaId',
  'priceMin',
  'priceMax',
  'areaMin',
  'areaMax',
  'roomType',
  'lat',
  'lng',
  'radiusKm',
] as const;

/** The filters a search URL carries (`/search?q=…`). */
export function filtersFromUrl(params: URLSearchParams): SearchFilters {
  const filters = emptyFilters();
  for (const key of TEXT_KEYS) filters[key] = params.get(key) ?? '';
  filters.amenities = (params.get('amenities') ?? '').split(',').filter(Boolean);
  filters.available = params.get('available') === 'true';
  const sort = params.get('sort');
  filters.sort = (SORTS as readonly string[]).includes(sort ?? '') ? (sort as Sort) : 'relevance';
  return filters;
}

/** The query string of some filters, without empty ones (the page URL and the API call share it). */
export function filtersToParams(filters: SearchFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of TEXT_KEYS) {
    let value = filters[key].trim();
    // People type "3.500.000" for money and "25,5" for sizes.
    if (key === 'priceMin' || key === 'priceMax') value = value.replace(/[\s.,]/g, '');
    if (key === 'areaMin' || key === 'areaMax') value = value.replace(',', '.');
    if (value) params.set(key, value);
  }
  if (filters.amenities.length > 0) params.set('amenities', filters.amenities.join(','));
  if (filters.available) params.set('available', 'true');
  if (filters.sort !== 'relevance') params.set('sort', filters.sort);
  return params;
}

export function searchListings(filters: SearchFilters, opts: { cursor?: string | null; limit?: number } = {}) {
  const params = filtersToParams(filters);
  if (opts.cursor) params.set('cursor', opts.cursor);
  else params.set('facets', 'true');
  params.set('limit', String(opts.limit ?? 12));
  return apiGet<SearchPage>(`${API_BASE}/listings/search?${params}`);
}

const enc = encodeURIComponent;

export const getPublicListing = (id: string) => apiGet<PublicListing>(`${API_BASE}/listings/${enc(id)}`);

/** Counts a view; never fails the page. */
export function recordView(id: string): void {
  apiSend('POST', `${API_BASE}/listings/${enc(id)}/views`).catch(() => undefined);
}

/** A listing image by its storage key (`listings/<id>/…`), served publicly. */
export const imageUrl = (key: string) => `${API_BASE}/images/${key.split('/').map(enc).join('/')}`;

/** "12 Nguyễn Trãi, Phường Bến Nghé, Quận 1, …" from a street and an area path (root first, " › "). */
export const addressLine = (street: string | null | undefined, areaPath: string) =>
  [street?.trim(), ...areaPath.split(' › ').reverse()].filter(Boolean).join(', ');

export const mapUrl = (lat: number, lng: number) =>
  `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=17/${lat}/${lng}`;

// Favorites (signed in).
/** A saved listing with its search card (null once the listing is no longer shown). */
export type Favorite = { listingId: string; createdAt: string; listing: SearchItem | null };
const favorites = `${API_BASE}/me/favorites`;
export const listFavorites = (cursor?: string | null) =>
  apiGet<{ items: Favorite[]; nextCursor: string | null }>(
    `${favorites}?limit=50${cursor ? `&cursor=${enc(cursor)}` : ''}`,
  );
export const addFavorite = (listingId: string) =>
  apiSend<{ listingId: string; favorited: boolean }>('POST', favorites, { listingId });
export const removeFavorite = (listingId: string) =>
  apiSend<{ listingId: string; favorited: boolean }>('DELETE', `${favorites}/${enc(listingId)}`);
export const checkFavorites = (ids: string[]) =>
  ids.length === 0
    ? Promise.resolve({} as Record<string, boolean>)
    : apiGet<Record<string, boolean>>(`${favorites}/check?ids=${ids.map(enc).join(',')}`);

export type Geocoded = { lat: number; lng: number; formattedAddress: string };
export const geocode = (address: string) => apiGet<Geocoded>(`${API_BASE}/geocode?address=${enc(address)}`);

/** Money is integer VND. */
export const formatVnd = (amount: number, lang: 'vi' | 'en') =>
  new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', {
    style: 'currency',
    currency: 'VND',
    maximumFractionDigits: 0,
  }).format(amount);

export function formatRange(min: number | null, max: number | null, format: (n: number) => string): string {
  if (min === null && max === null) return '—';
  if (min === null || max === null || min === max) return format((min ?? max) as number);
  return `${format(min)} – ${format(max)}`;
}

/** An amount typed in a form ("3.500.000"), or null when empty; NaN when it is not a number. */
export const parseMoney = (text: string | number | null | undefined) =>
  text === null || text === undefined || String(text).trim() === ''
    ? null
    : Number(String(text).replace(/[\s.,]/g, ''));

/** A decimal typed in a form ("25,5" or "25.5"), or null when empty; NaN when it is not a number. */
export const parseDecimal = (text: string | number | null | undefined) =>
  text === null || text === undefined || String(text).trim() === ''
    ? null
    : Number(String(text).trim().replace(',', '.'));

/** Loaded once per page view and shared by every picker (a failure is retried on the next call). */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= load().catch((e) => {
      pending = null;
      throw e;
    });
    return pending;
  };
}

export const areaTree = once<AreaNode[]>(getTree);
export const activeAmenities = once<Amenity[]>(listAmenities);
export const amenityName = (a: Amenity, lang: 'vi' | 'en') => (lang === 'vi' ? a.nameVi : a.nameEn);

/** Every node of a tree with its depth, depth-first (indented pickers). */
export function withDepth(nodes: AreaNode[], depth = 0): { node: AreaNode; depth: number }[] {
  return nodes.flatMap((node) => [{ node, depth }, ...withDepth(node.children, depth + 1)]);
}

/** An address as a form edits it (coordinates as typed). */
export type AddressDraft = { areaId: string; street: string; lat: string; lng: string };

export const addressDraft = (a: Address | null | undefined): AddressDraft => ({
  areaId: a?.areaId ?? '',
  street: a?.street ?? '',
  lat: a?.lat === null || a?.lat === undefined ? '' : String(a.lat),
  lng: a?.lng === null || a?.lng === undefined ? '' : String(a.lng),
});

export const addressOf = (d: AddressDraft): Address => ({
  areaId: d.areaId,
  street: d.street.trim(),
  lat: parseDecimal(d.lat),
  lng: parseDecimal(d.lng),
});

/** Which coordinate is not a number (checked before sending; the server checks ranges). */
export function badCoordinates(d: AddressDraft): 'lat' | 'lng' | null {
  const { lat, lng } = addressOf(d);
  if (lat !== null && !Number.isFinite(lat)) return 'lat';
  if (lng !== null && !Number.isFinite(lng)) return 'lng';
  return null;
}
