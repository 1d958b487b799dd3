import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  DEFAULT_BOOKING_SETTINGS,
  DOCUMENT_KINDS,
  EXPERT_LANGUAGES,
  EXPERT_STATUSES,
  SERVICE_MODES,
} from '../../domain/booking/expert-events.js';
import { EXPERT_LIMITS } from '../../domain/booking/expert-rules.js';
import { invalid } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { EXPERT_SEARCH_LIMITS, EXPERT_SORTS } from '../../projections/booking/experts-search.js';
import { waitForProjection } from '../../projections/status.js';

/**
 * Request shapes of the expert routes. They check types and rough sizes; the decider checks the
 * rules (exact limits, multiples of 5, an address for offline services) and names the field.
 */
const text = (max: number) => z.string().max(max * 2);
export const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const localTime = z.string().regex(/^\d{2}:\d{2}$/, 'HH:mm');
const range = z.object({ start: localTime, end: localTime });
const ranges = z.array(range).max(24);
const id = z.string().min(1).max(64);

export const expertIdParams = z.object({ id: z.uuid() });
export const itemParams = z.object({ id });
export const expertStatus = z.enum(EXPERT_STATUSES);

export const profileBody = z.object({
  headline: text(EXPERT_LIMITS.headline).default(''),
  bio: text(EXPERT_LIMITS.bio).default(''),
  yearsOfExperience: z.number().int().min(0).max(100).default(0),
  languages: z.array(z.enum(EXPERT_LANGUAGES)).max(EXPERT_LANGUAGES.length).default(['vi']),
  specialties: z
    .array(z.string().max(64))
    .max(EXPERT_LIMITS.specialties * 2)
    .default([]),
});

/** The text fields of a credential upload (multipart fields, hence strings). */
export const documentFields = z.object({
  kind: z.enum(DOCUMENT_KINDS),
  title: text(EXPERT_LIMITS.documentText),
  issuer: text(EXPERT_LIMITS.documentText),
  year: z.coerce.number().int(),
});

const fee = z.number().int().min(0);
const serviceFields = {
  name: text(EXPERT_LIMITS.serviceName),
  description: text(EXPERT_LIMITS.serviceDescription),
  durationMinutes: z.number().int(),
  feeVnd: fee,
  mode: z.enum(SERVICE_MODES),
  address: text(EXPERT_LIMITS.address).nullable(),
};
export const newServiceBody = z.object({
  ...serviceFields,
  description: serviceFields.description.default(''),
  address: serviceFields.address.default(null),
});
export const serviceChangesBody = z
  .object({ ...serviceFields, active: z.boolean() })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });

const d = DEFAULT_BOOKING_SETTINGS;
const minutes = z.number().int();
export const settingsBody = z.object({
  timeZone: z.string().max(64).default(d.timeZone),
  autoConfirm: z.boolean().default(d.autoConfirm),
  bufferBeforeMinutes: minutes.default(d.bufferBeforeMinutes),
  bufferAfterMinutes: minutes.default(d.bufferAfterMinutes),
  minimumNoticeMinutes: minutes.default(d.minimumNoticeMinutes),
  bookingWindowDays: z.number().int().default(d.bookingWindowDays),
  dailyLimit: z.number().int().nullable().default(d.dailyLimit),
  weeklyLimit: z.number().int().nullable().default(d.weeklyLimit),
  stepMinutes: minutes.default(d.stepMinutes),
});

const rrule = z.string().min(1).max(500);
const reason = z.string().max(500).nullable().default(null);
export const rulesBody = z.object({
  rules: z
    .array(
      z.object({
        id: id.optional(),
        rrule,
        /** Today in the expert's time zone when left out. */
        from: localDate.optional(),
        until: localDate.nullable().default(null),
        ranges,
        exceptDates: z.array(localDate).max(366).default([]),
      }),
    )
    .max(100),
});
export const overrideParams = z.object({ date: localDate });
export const overrideBody = z.object({ ranges });
export const offTimeBody = z.object({
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  reason,
});
export const recurringOffTimeBody = z.object({
  rrule,
  from: localDate.optional(),
  until: localDate.nullable().default(null),
  /** null = the whole day. */
  ranges: ranges.nullable().default(null),
  reason,
});

export const reasonBody = z.object({ reason: z.string().max(EXPERT_LIMITS.reason * 2) });

export const searchQuery = z.object({
  specialty: z.string().max(64).optional(),
  minFee: z.coerce.number().int().min(0).optional(),
  maxFee: z.coerce.number().int().min(0).optional(),
  mode: z.enum(SERVICE_MODES).optional(),
  q: z.string().max(EXPERT_SEARCH_LIMITS.q).optional(),
  sort: z.enum(EXPERT_SORTS).default('rating'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(EXPERT_SEARCH_LIMITS.pageSize)
    .default(EXPERT_SEARCH_LIMITS.defaultPageSize),
  cursor: z.string().max(500).optional(),
});

export function checkFeeRange(query: { minFee?: number | undefined; maxFee?: number | undefined }) {
  if (query.minFee !== undefined && query.maxFee !== undefined && query.minFee > query.maxFee) {
    throw invalid('FEE_RANGE_INVALID', 'Phí tối đa phải lớn hơn hoặc bằng phí tối thiểu', 'maxFee');
  }
}

/** The expert `/me/expert` means: the signed-in expert, or the user an operator acts as. */
export const expertOf = (request: FastifyRequest) => request.actor?.actAsId ?? request.actor?.id ?? '';

/** `YYYY-MM-DD` of `now` in `timeZone` (a rule's default start). */
export const todayIn = (timeZone: string, now: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/** Read-your-writes: answer once the read model shows the change (or after 2 s). */
export const settledOn =
  (services: Services, projection: 'experts' | 'specialties') => async (position: bigint | null) => {
    if (position !== null) await waitForProjection(services.pool, projection, position, 2000);
  };
