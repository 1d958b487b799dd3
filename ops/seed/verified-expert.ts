import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '../../commands/metadata.js';
import type { RecurringRule } from '../../domain/booking/schedule.js';
import { waitForProjection } from '../../projections/status.js';
import type { Services } from '../services.js';

/** A minimal PDF: the credential a verified expert must have uploaded. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

const metadataOf = (actorId: string, roles: string[]): CommandMetadata => ({
  actorId,
  actAsId: null,
  roles,
  correlationId: randomUUID(),
  causationId: null,
  idempotencyKey: null,
  ip: null,
  userAgent: null,
});

/** Every day 08:00–20:00 (the expert's zone). */
export const EVERY_DAY: RecurringRule = {
  id: 'every-day',
  rrule: 'FREQ=DAILY',
  from: '2026-01-01',
  until: null,
  ranges: [{ start: '08:00', end: '20:00' }],
  exceptDates: [],
};

export interface ExpertSpec {
  expertId?: string;
  feeVnd?: number;
  durationMinutes?: number;
  autoConfirm?: boolean;
  timeZone?: string;
  rules?: RecurringRule[];
  minimumNoticeMinutes?: number;
  bookingWindowDays?: number;
  dailyLimit?: number | null;
}

/**
 * Verified experts with one service and availability, through the real command services (tests,
 * benchmarks, demo data). Without `expertId` a user account is registered for the expert.
 */
export function expertSeeder(services: Services) {
  const admin = metadataOf(randomUUID(), ['admin']);
  let specialtyReady: Promise<unknown> | null = null;
  const specialty = () => {
    const add = {
      type: 'AddSpecialty' as const,
      specialtyId: 'tu-van-thue-nha',
      nameVi: 'Tư vấn thuê nhà',
      nameEn: 'Rental advice',
    };
    specialtyReady ??= services.commands.specialties(add, { ...admin, idempotencyKey: 'test-specialty' });
    return specialtyReady;
  };

  async function verifiedExpert(spec: ExpertSpec = {}): Promise<{ expertId: string; serviceId: string }> {
    await specialty();
    const expertId = spec.expertId ?? randomUUID();
    if (!spec.expertId) {
      const email = `expert-${expertId.slice(0, 8)}@example.com`;
      const register = {
        type: 'RegisterUser' as const,
        userId: expertId,
        email,
        name: 'Chuyên gia thử',
        phone: null,
        roles: ['expert' as const],
      };
      const registered = await services.commands.users(register, admin);
      if (registered.position !== null) await waitForProjection(services.pool, 'users', registered.position, 10_000);
    }
    const own = metadataOf(expertId, ['expert']);
    const { handle, addDocument } = services.commands.experts;
    const profile = {
      headline: 'Luật sư tư vấn hợp đồng thuê nhà',
      bio: 'Mười năm kinh nghiệm tư vấn hợp đồng thuê nhà và tranh chấp tiền cọc.',
      yearsOfExperience: 10,
      languages: ['vi' as const],
      specialties: ['tu-van-thue-nha'],
    };
    await handle({ type: 'UpdateExpertProfile', expertId, profile }, own);
    await addDocument(
      expertId,
      { id: 'degree-1', kind: 'degree', title: 'Cử nhân Luật', issuer: 'ĐH Luật TP.HCM', year: 2012, bytes: PDF },
      own,
    );
    await handle({ type: 'SubmitExpertProfile', expertId }, own);
    await handle({ type: 'VerifyExpert', expertId }, admin);
    const serviceId = 'tu-van-60';
    await handle(
      {
        type: 'AddExpertService',
        expertId,
        service: {
          id: serviceId,
          name: 'Tư vấn hợp đồng',
          description: 'Đọc và góp ý hợp đồng thuê',
          durationMinutes: spec.durationMinutes ?? 60,
          feeVnd: spec.feeVnd ?? 0,
          mode: 'online',
          address: null,
        },
      },
      own,
    );
    const current = (await services.commands.experts.expert(expertId)).settings;
    await handle(
      {
        type: 'ChangeExpertBookingSettings',
        expertId,
        settings: {
          ...current,
          timeZone: spec.timeZone ?? current.timeZone,
          autoConfirm: spec.autoConfirm ?? false,
          minimumNoticeMinutes: spec.minimumNoticeMinutes ?? 60,
          bookingWindowDays: spec.bookingWindowDays ?? current.bookingWindowDays,
          dailyLimit: spec.dailyLimit ?? null,
          stepMinutes: 30,
        },
      },
      own,
    );
    const last = await handle({ type: 'ReplaceExpertWeeklyRules', expertId, rules: spec.rules ?? [EVERY_DAY] }, own);
    if (last.position !== null) await waitForProjection(services.pool, 'experts', last.position, 10_000);
    return { expertId, serviceId };
  }

  return { verifiedExpert };
}
