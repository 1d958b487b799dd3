import { sql, type Transaction } from 'kysely';
import { type ExpertState, expertDecider } from '../../domain/booking/expert.js';
import {
  EXPERT_EVENT_TYPES,
  type ExpertBookingSettings,
  type ExpertDocument,
  type ExpertEvent,
  type ExpertService,
  type ExpertStatus,
} from '../../domain/booking/expert-events.js';
import type { ProviderSchedule } from '../../domain/booking/schedule.js';
import { foldVietnamese } from '../../domain/shared/text.js';
import { isUuid } from '../identity/profiles-queries.js';
import type { Projection } from '../projection.js';

/** One expert as stored; `rating`/`rating_count` are kept by reviews (later), null and 0 until then. */
export interface ExpertRow {
  expert_id: string;
  status: ExpertStatus;
  headline: string;
  bio: string;
  years_of_experience: number;
  languages: string[];
  specialties: string[];
  documents: ExpertDocument[];
  services: ExpertService[];
  settings: ExpertBookingSettings;
  schedule: ProviderSchedule;
  time_zone: string;
  auto_confirm: boolean;
  /** Over active services; null without one. */
  min_fee: string | null;
  max_fee: string | null;
  modes: string[];
  rating: string | null;
  rating_count: number;
  reason: string | null;
  /** Headline, bio and service names folded for the `q` filter. */
  search_text: string;
  submitted_at: Date | null;
  decided_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ExpertsTables {
  experts: ExpertRow;
}

/** The fields the decider's state is rebuilt from, so the same `evolve` folds each event into the row. */
const stateOf = (row: ExpertRow): ExpertState => ({
  exists: true,
  status: row.status,
  profile: {
    headline: row.headline,
    bio: row.bio,
    yearsOfExperience: row.years_of_experience,
    languages: row.languages as ExpertState['profile']['languages'],
    specialties: row.specialties,
  },
  documents: row.documents,
  services: row.services,
  settings: row.settings,
  schedule: row.schedule,
  reason: row.reason,
});

interface Pending {
  state: ExpertState;
  submittedAt: Date | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

async function write(trx: Transaction<ExpertsTables>, schema: string, expertId: string, pending: Pending) {
  const { state } = pending;
  const active = state.services.filter((s) => s.active);
  const fees = active.map((s) => s.feeVnd);
  const modes = [...new Set(active.map((s) => s.mode))].sort();
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
  const searchText = foldVietnamese(
    [state.profile.headline, state.profile.bio, ...active.map((s) => s.name)].join(' '),
  );
  await sql`insert into ${sql.id(schema, 'experts')} (
      expert_id, status, headline, bio, years_of_experience, languages, specialties, documents, services,
      settings, schedule, time_zone, auto_confirm, min_fee, max_fee, modes, reason, search_text,
      submitted_at, decided_at, created_at, updated_at)
    values (${expertId}, ${state.status}, ${state.profile.headline}, ${state.profile.bio},
      ${state.profile.yearsOfExperience}, ${state.profile.languages}::text[], ${state.profile.specialties}::text[],
      ${json(state.documents)}, ${json(state.services)}, ${json(state.settings)}, ${json(state.schedule)},
      ${state.settings.timeZone}, ${state.settings.autoConfirm}, ${fees.length ? Math.min(...fees) : null},
      ${fees.length ? Math.max(...fees) : null}, ${modes}::text[], ${state.reason}, ${searchText},
      ${pending.submittedAt}, ${pending.decidedAt}, ${pending.createdAt}, ${pending.updatedAt})
    on conflict (expert_id) do update set
      status = excluded.status, headline = excluded.headline, bio = excluded.bio,
      years_of_experience = excluded.years_of_experience, languages = excluded.languages,
      specialties = excluded.specialties, documents = excluded.documents, services = excluded.services,
      settings = excluded.settings, schedule = excluded.schedule, time_zone = excluded.time_zone,
      auto_confirm = excluded.auto_confirm, min_fee = excluded.min_fee, max_fee = excluded.max_fee,
      modes = excluded.modes, reason = excluded.reason, search_text = excluded.search_text,
      submitted_at = excluded.submitted_at, decided_at = excluded.decided_at, updated_at = excluded.updated_at`.execute(
    trx,
  );
}

/**
 * Experts (rm.experts): one row per expert with profile columns for search and the schedule,
 * settings and services as JSON for the booking core. Each event is folded with the decider's own
 * `evolve` into the state read back from the row, so the row is what the write side decides on.
 */
export const expertsProjection: Projection<ExpertsTables> = {
  name: 'experts',
  version: 1,
  filter: { eventTypes: EXPERT_EVENT_TYPES },
  tables: ['experts'],

  async setup(db, schema) {
    const t = sql.id(schema, 'experts');
    await sql`create table if not exists ${t} (
      expert_id uuid primary key,
      status text not null,
      headline text not null default '',
      bio text not null default '',
      years_of_experience integer not null default 0,
      languages text[] not null default '{}',
      specialties text[] not null default '{}',
      documents jsonb not null default '[]',
      services jsonb not null default '[]',
      settings jsonb not null,
      schedule jsonb not null,
      time_zone text not null,
      auto_confirm boolean not null default false,
      min_fee bigint,
      max_fee bigint,
      modes text[] not null default '{}',
      rating numeric,
      rating_count integer not null default 0,
      reason text,
      search_text text not null default '',
      submitted_at timestamptz,
      decided_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
    await sql`create index if not exists experts_status on ${t} (status, submitted_at)`.execute(db);
    await sql`create index if not exists experts_specialties on ${t} using gin (specialties)`.execute(db);
  },

  async apply(events, { trx, schema }) {
    const touched = new Map<string, Pending>();
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ExpertEvent;
      const { expertId } = event.data;
      // Streams are keyed by user ids (uuid); anything else cannot belong to a person.
      if (!isUuid(expertId)) continue;
      const at = new Date(recorded.metadata.occurredAt);
      let pending = touched.get(expertId);
      if (!pending) {
        const { rows } = await sql<ExpertRow>`select * from ${sql.id(schema, 'experts')}
          where expert_id = ${expertId}`.execute(trx);
        const row = rows[0];
        pending = row
          ? {
              state: stateOf(row),
              submittedAt: row.submitted_at,
              decidedAt: row.decided_at,
              createdAt: row.created_at,
              updatedAt: row.updated_at,
            }
          : { state: expertDecider.initialState(), submittedAt: null, decidedAt: null, createdAt: at, updatedAt: at };
        touched.set(expertId, pending);
      }
      pending.state = expertDecider.evolve(pending.state, event);
      pending.updatedAt = at;
      if (event.type === 'ExpertSubmittedForVerification') pending.submittedAt = at;
      if (event.type === 'ExpertVerified' || event.type === 'ExpertRejected' || event.type === 'ExpertSuspended') {
        pending.decidedAt = at;
      }
    }
    for (const [expertId, pending] of touched) await write(trx, schema, expertId, pending);
  },
};
