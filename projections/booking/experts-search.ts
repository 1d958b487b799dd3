import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ExpertBookingSettings, ExpertService, ServiceMode } from '../../domain/booking/expert-events.js';
import type { ProviderSchedule } from '../../domain/booking/schedule.js';
import { invalid } from '../../domain/shared/errors.js';
import { foldVietnamese } from '../../domain/shared/text.js';
import { avatarUrlOf } from '../identity/profiles-queries.js';

export const EXPERT_SORTS = ['rating', 'fee_asc', 'fee_desc', 'experience'] as const;
export type ExpertSort = (typeof EXPERT_SORTS)[number];
export const EXPERT_SEARCH_LIMITS = { q: 100, pageSize: 50, defaultPageSize: 20, candidates: 1000 } as const;

/** Which verified experts match; fees and mode match one active service (all of them together). */
export interface ExpertFilter {
  specialty?: string;
  minFee?: number;
  maxFee?: number;
  mode?: ServiceMode;
  /** Accent-insensitive words of the name, headline, bio, service or specialty names. */
  q?: string;
}

export interface ExpertSearchRequest extends ExpertFilter {
  sort: ExpertSort;
  limit: number;
  cursor?: string;
}

export interface ExpertCard {
  expertId: string;
  displayName: string;
  avatarUrl: string | null;
  headline: string;
  yearsOfExperience: number;
  languages: string[];
  specialties: string[];
  /** Lowest and highest fee of the active services (integer VND); null without one. */
  minFeeVnd: number | null;
  maxFeeVnd: number | null;
  modes: ServiceMode[];
  rating: number | null;
  ratingCount: number;
  timeZone: string;
}

export interface ExpertSearchPage {
  items: ExpertCard[];
  /** Pass back as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

/** What the booking core needs to compute a candidate's slots (availability filter, soonest-slot sort). */
export interface ExpertCandidate {
  expertId: string;
  displayName: string;
  schedule: ProviderSchedule;
  settings: ExpertBookingSettings;
  /** Active services that match the filter's mode and fees. */
  services: ExpertService[];
}

const FROM = sql`from rm.experts e
  join rm.users u on u.id = e.expert_id
  left join rm.profiles p on p.user_id = e.expert_id`;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

function conditions(filter: ExpertFilter): RawBuilder<unknown>[] {
  const where = [sql`e.status = 'verified'`];
  if (filter.specialty) where.push(sql`e.specialties @> array[${filter.specialty}]::text[]`);
  if (filter.mode !== undefined || filter.minFee !== undefined || filter.maxFee !== undefined) {
    where.push(sql`exists (select 1 from jsonb_array_elements(e.services) s
      where (s->>'active')::boolean
        and (${filter.mode ?? null}::text is null or s->>'mode' = ${filter.mode ?? null})
        and (${filter.minFee ?? null}::bigint is null or (s->>'feeVnd')::bigint >= ${filter.minFee ?? null})
        and (${filter.maxFee ?? null}::bigint is null or (s->>'feeVnd')::bigint <= ${filter.maxFee ?? null}))`);
  }
  const q = filter.q ? foldVietnamese(filter.q) : '';
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    const raw = `%${escapeLike(filter.q?.trim().toLowerCase() ?? '')}%`;
    where.push(sql`(e.search_text like ${pattern}
      or lower(coalesce(p.name, u.name)) like ${raw}
      or exists (select 1 from rm.specialties sp where sp.id = any(e.specialties) and sp.search_text like ${pattern}))`);
  }
  return where;
}

/** The sort keys, most significant first; the expert id breaks ties so pages never overlap. */
const SORT_KEYS: Record<ExpertSort, { expr: RawBuilder<unknown>; desc: boolean }[]> = {
  rating: [
    { expr: sql`coalesce(e.rating, -1)::float8`, desc: true },
    { expr: sql`e.rating_count::float8`, desc: true },
  ],
  fee_asc: [{ expr: sql`coalesce(e.min_fee, 9e15)::float8`, desc: false }],
  fee_desc: [{ expr: sql`coalesce(e.min_fee, -1)::float8`, desc: true }],
  experience: [
    { expr: sql`e.years_of_experience::float8`, desc: true },
    { expr: sql`coalesce(e.rating, -1)::float8`, desc: true },
  ],
};

const encodeCursor = (values: (number | string)[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

function decodeCursor(cursor: string, keys: number): { values: number[]; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === keys + 1) {
      const values = parsed.slice(0, keys);
      const id = parsed[keys];
      if (values.every((v) => typeof v === 'number' && Number.isFinite(v)) && typeof id === 'string') {
        return { values: values as number[], id };
      }
    }
  } catch {
    // falls through to the 400 below
  }
  throw invalid('CURSOR_INVALID', 'Con trỏ phân trang không hợp lệ', 'cursor');
}

/** `(k1, k2, id)` after the cursor's, each key in its own direction (keyset pagination). */
function after(keys: { expr: RawBuilder<unknown>; desc: boolean }[], cursor: { values: number[]; id: string }) {
  const all = [
    ...keys.map((k, i) => ({ ...k, value: cursor.values[i] as unknown })),
    {
      expr: sql`e.expert_id::text`,
      desc: false,
      value: cursor.id as unknown,
    },
  ];
  const branches = all.map((key, index) => {
    const equal = all.slice(0, index).map((k) => sql`${k.expr} = ${k.value}`);
    const beyond = key.desc ? sql`${key.expr} < ${key.value}` : sql`${key.expr} > ${key.value}`;
    return sql`(${sql.join([...equal, beyond], sql` and `)})`;
  });
  return sql`(${sql.join(branches, sql` or `)})`;
}

interface CardRow {
  expert_id: string;
  display_name: string;
  avatar_key: string | null;
  headline: string;
  years_of_experience: number;
  languages: string[];
  specialties: string[];
  min_fee: number | null;
  max_fee: number | null;
  modes: ServiceMode[];
  rating: number | null;
  rating_count: number;
  time_zone: string;
  [key: `k${number}`]: number;
}

/** Verified experts matching the filter, one page in the chosen order. */
export async function searchExperts(
  // biome-ignore lint/suspicious/noExplicitAny: read models bring their own table types
  db: Kysely<any>,
  request: ExpertSearchRequest,
): Promise<ExpertSearchPage> {
  const keys = SORT_KEYS[request.sort];
  const where = conditions(request);
  if (request.cursor) where.push(after(keys, decodeCursor(request.cursor, keys.length)));
  const limit = Math.min(Math.max(request.limit, 1), EXPERT_SEARCH_LIMITS.pageSize);
  const order = [...keys.map((k) => (k.desc ? sql`${k.expr} desc` : sql`${k.expr} asc`)), sql`e.expert_id::text asc`];
  const { rows } = await sql<CardRow>`
    select e.expert_id, coalesce(p.name, u.name) as display_name, p.avatar_key, e.headline, e.years_of_experience,
           e.languages, e.specialties, e.min_fee::float8 as min_fee, e.max_fee::float8 as max_fee, e.modes,
           e.rating::float8 as rating, e.rating_count, e.time_zone,
           ${sql.join(keys.map((k, i) => sql`${k.expr} as ${sql.ref(`k${i}`)}`))}
      ${FROM}
     where ${sql.join(where, sql` and `)}
     order by ${sql.join(order)}
     limit ${limit + 1}`.execute(db);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor([...keys.map((_, i) => Number(last[`k${i}`])), last.expert_id]) : null;
  return {
    items: page.map((row) => ({
      expertId: row.expert_id,
      displayName: row.display_name,
      avatarUrl: avatarUrlOf(row.expert_id, row.avatar_key),
      headline: row.headline,
      yearsOfExperience: row.years_of_experience,
      languages: row.languages,
      specialties: row.specialties,
      minFeeVnd: row.min_fee,
      maxFeeVnd: row.max_fee,
      modes: row.modes,
      rating: row.rating,
      ratingCount: row.rating_count,
      timeZone: row.time_zone,
    })),
    nextCursor,
  };
}

/**
 * Every verified expert matching the filter (up to `limit`), with what slot computation needs:
 * the booking core filters them by "has a free slot between dates" or sorts by the soonest slot.
 */
export async function listExpertCandidates(
  // biome-ignore lint/suspicious/noExplicitAny: read models bring their own table types
  db: Kysely<any>,
  filter: ExpertFilter,
  limit: number = EXPERT_SEARCH_LIMITS.candidates,
): Promise<ExpertCandidate[]> {
  const { rows } = await sql<{
    expert_id: string;
    display_name: string;
    schedule: ProviderSchedule;
    settings: ExpertBookingSettings;
    services: ExpertService[];
  }>`
    select e.expert_id, coalesce(p.name, u.name) as display_name, e.schedule, e.settings, e.services
      ${FROM}
     where ${sql.join(conditions(filter), sql` and `)}
     order by e.expert_id
     limit ${limit}`.execute(db);
  const matches = (service: ExpertService) =>
    service.active &&
    (filter.mode === undefined || service.mode === filter.mode) &&
    (filter.minFee === undefined || service.feeVnd >= filter.minFee) &&
    (filter.maxFee === undefined || service.feeVnd <= filter.maxFee);
  return rows.map((row) => ({
    expertId: row.expert_id,
    displayName: row.display_name,
    schedule: row.schedule,
    settings: row.settings,
    services: row.services.filter(matches),
  }));
}
