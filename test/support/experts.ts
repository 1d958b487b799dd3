import { type ExpertContext, expertDecider } from '../../domain/booking/expert.js';
import type { ExpertDocument, ExpertEvent, ExpertProfile, ExpertService } from '../../domain/booking/expert-events.js';
import { scenario, testContext } from './given-when-then.js';

/** Fixtures of the expert decider's unit tests. */
export const EXPERT = '0b7f6d6e-3c2a-4a53-9a8e-3d7a1c2b4e51';

export const specialties = new Map([
  ['phap-ly-thue-nha', { active: true }],
  ['tai-chinh-ca-nhan', { active: true }],
  ['phong-thuy', { active: false }],
]);

export const expertContext = (overrides: Partial<ExpertContext> = {}): ExpertContext => ({
  ...testContext({ actorId: EXPERT, roles: ['expert'] }),
  specialties: { specialties },
  ...overrides,
});

/** As the expert; `reviewer()` as an admin. */
export const expert = () => scenario(expertDecider, expertContext());
export const reviewer = () => scenario(expertDecider, expertContext({ actorId: 'admin-1', roles: ['admin'] }));

export const profile: ExpertProfile = {
  headline: 'Luật sư tư vấn hợp đồng thuê nhà',
  bio: '10 năm giải quyết tranh chấp thuê nhà tại TP.HCM.',
  yearsOfExperience: 10,
  languages: ['vi', 'en'],
  specialties: ['phap-ly-thue-nha'],
};

export const certificate: ExpertDocument = {
  id: 'doc-1',
  kind: 'certificate',
  title: 'Chứng chỉ hành nghề luật sư',
  issuer: 'Bộ Tư pháp',
  year: 2015,
  fileKey: 'experts/abc/doc-1.pdf',
};

export const onlineService: ExpertService = {
  id: 'svc-1',
  name: 'Tư vấn hợp đồng 60 phút',
  description: 'Rà soát hợp đồng thuê nhà',
  durationMinutes: 60,
  feeVnd: 500_000,
  mode: 'online',
  address: null,
  active: true,
};

const at = (type: ExpertEvent['type'], data: Record<string, unknown> = {}) =>
  ({ type, data: { expertId: EXPERT, ...data } }) as ExpertEvent;

export const created = at('ExpertProfileCreated');
export const profiled = at('ExpertProfileUpdated', { profile });
export const documented = at('ExpertDocumentAdded', { document: certificate });
export const submitted = at('ExpertSubmittedForVerification');
export const verified = at('ExpertVerified');
export const rejected = at('ExpertRejected', { reason: 'Thiếu chứng chỉ' });
export const suspended = at('ExpertSuspended', { reason: 'Khiếu nại' });
export const serviceAdded = at('ExpertServiceAdded', { service: onlineService });
export const event = at;

/** A complete draft, ready to submit. */
export const ready = [created, profiled, documented];
