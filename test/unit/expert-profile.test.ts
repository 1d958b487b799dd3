import { describe, expect, test } from 'vitest';
import { expertDecider } from '../../domain/booking/expert.js';
import { fold } from '../../domain/shared/decider.js';
import {
  certificate,
  created,
  documented,
  EXPERT,
  event,
  expert,
  profile,
  profiled,
  ready,
  rejected,
  reviewer,
  submitted,
  suspended,
  verified,
} from '../support/experts.js';

const update = (changes: Partial<typeof profile>) => ({
  type: 'UpdateExpertProfile' as const,
  expertId: EXPERT,
  profile: { ...profile, ...changes },
});

describe('expert profile', () => {
  test('the first change starts the stream; text is cleaned; the same profile again changes nothing', () => {
    expert()
      .given([])
      .when(update({ headline: '  Luật sư   tư vấn hợp đồng thuê nhà ', bio: ' Tiểu sử ' }))
      .thenEmits([created, event('ExpertProfileUpdated', { profile: { ...profile, bio: 'Tiểu sử' } })]);
    expert().given([created, profiled]).when(update({})).thenEmits([]);
  });

  test('refuses bad fields, naming them', () => {
    const cases: [Partial<typeof profile>, string, string][] = [
      [{ headline: 'x'.repeat(121) }, 'FIELD_TOO_LONG', 'headline'],
      [{ bio: 'x'.repeat(5001) }, 'FIELD_TOO_LONG', 'bio'],
      [{ yearsOfExperience: -1 }, 'NUMBER_OUT_OF_RANGE', 'yearsOfExperience'],
      [{ yearsOfExperience: 2.5 }, 'NUMBER_OUT_OF_RANGE', 'yearsOfExperience'],
      [{ languages: [] }, 'LANGUAGE_REQUIRED', 'languages'],
      [{ languages: ['vi', 'xx' as 'vi'] }, 'LANGUAGE_INVALID', 'languages.1'],
      [{ languages: ['vi', 'vi'] }, 'DUPLICATE', 'languages.1'],
      [{ specialties: Array.from({ length: 11 }, (_, i) => `s${i}`) }, 'TOO_MANY_SPECIALTIES', 'specialties'],
      [{ specialties: ['phap-ly-thue-nha', 'phap-ly-thue-nha'] }, 'DUPLICATE', 'specialties.1'],
      [{ specialties: ['phap-ly-thue-nha', 'khong-co'] }, 'SPECIALTY_UNKNOWN', 'specialties.1'],
      [{ specialties: ['phong-thuy'] }, 'SPECIALTY_DISABLED', 'specialties.0'],
    ];
    for (const [changes, code, field] of cases) expert().given([created]).when(update(changes)).thenFails(code, field);
  });

  test('a disabled specialty the expert already has stays allowed', () => {
    const withFengShui = event('ExpertProfileUpdated', { profile: { ...profile, specialties: ['phong-thuy'] } });
    expert()
      .given([created, withFengShui])
      .when(update({ specialties: ['phong-thuy'], headline: 'Mới' }))
      .thenEmits([
        event('ExpertProfileUpdated', { profile: { ...profile, specialties: ['phong-thuy'], headline: 'Mới' } }),
      ]);
  });

  test('a draft may be incomplete; a submitted or verified profile must stay complete', () => {
    expert()
      .given([created])
      .when(update({ headline: '', bio: '', specialties: [] }))
      .thenEmits([event('ExpertProfileUpdated', { profile: { ...profile, headline: '', bio: '', specialties: [] } })]);
    for (const history of [
      [...ready, submitted],
      [...ready, submitted, verified],
    ]) {
      expert()
        .given(history)
        .when(update({ headline: ' ' }))
        .thenFails('FIELD_REQUIRED', 'headline');
      expert()
        .given(history)
        .when(update({ specialties: [] }))
        .thenFails('SPECIALTY_REQUIRED', 'specialties');
    }
  });

  test('a verified expert who changes specialties and credentials stays verified', () => {
    const history = [...ready, submitted, verified];
    const changed = update({ specialties: ['tai-chinh-ca-nhan'] });
    const decision = expertDecider.decide(changed, fold(expertDecider, history), {
      now: new Date('2026-11-22T03:00:00Z'),
      actorId: EXPERT,
      roles: ['expert'],
      specialties: { specialties: new Map([['tai-chinh-ca-nhan', { active: true }]]) },
    });
    if (!Array.isArray(decision)) throw decision;
    const removed = event('ExpertDocumentRemoved', { documentId: 'doc-1', fileKey: certificate.fileKey });
    const state = fold(expertDecider, [...history, ...decision, removed]);
    expect(state.status).toBe('verified');
    expect(state.profile.specialties).toEqual(['tai-chinh-ca-nhan']);
    expect(state.documents).toEqual([]);
  });
});

describe('expert credentials', () => {
  const addDocument = (changes: Partial<typeof certificate> = {}) => ({
    type: 'AddExpertDocument' as const,
    expertId: EXPERT,
    document: { ...certificate, ...changes },
  });

  test('adds a degree or certificate, trimmed; the same id twice is one document', () => {
    expert()
      .given([created])
      .when(addDocument({ title: ' Chứng chỉ hành nghề luật sư ', issuer: ' Bộ Tư pháp' }))
      .thenEmits([documented]);
    expert().given([created, documented]).when(addDocument()).thenEmits([]);
  });

  test('refuses a bad kind, empty title or issuer, a year out of range, and more than 20', () => {
    const cases: [Partial<typeof certificate>, string, string][] = [
      [{ kind: 'diploma' as 'degree' }, 'DOCUMENT_KIND_INVALID', 'kind'],
      [{ title: '  ' }, 'FIELD_REQUIRED', 'title'],
      [{ issuer: '' }, 'FIELD_REQUIRED', 'issuer'],
      [{ title: 'x'.repeat(201) }, 'FIELD_TOO_LONG', 'title'],
      [{ year: 1949 }, 'NUMBER_OUT_OF_RANGE', 'year'],
      [{ year: 2027 }, 'NUMBER_OUT_OF_RANGE', 'year'],
    ];
    for (const [changes, code, field] of cases)
      expert().given([created]).when(addDocument(changes)).thenFails(code, field);
    const many = Array.from({ length: 20 }, (_, i) =>
      event('ExpertDocumentAdded', { document: { ...certificate, id: `doc-${i}` } }),
    );
    expert()
      .given([created, ...many])
      .when(addDocument({ id: 'doc-x' }))
      .thenFails('DOCUMENT_LIMIT');
  });

  test('removes a document, recording its file key; an unknown one is 404', () => {
    expert()
      .given([created, documented])
      .when({ type: 'RemoveExpertDocument', expertId: EXPERT, documentId: 'doc-1' })
      .thenEmits([event('ExpertDocumentRemoved', { documentId: 'doc-1', fileKey: certificate.fileKey })]);
    const missing = expert()
      .given([created])
      .when({ type: 'RemoveExpertDocument', expertId: EXPERT, documentId: 'nope' })
      .thenFails('DOCUMENT_NOT_FOUND');
    expect(missing.status).toBe(404);
  });
});

describe('expert verification', () => {
  const submit = { type: 'SubmitExpertProfile' as const, expertId: EXPERT };
  const verify = { type: 'VerifyExpert' as const, expertId: EXPERT };
  const reject = (reason: string) => ({ type: 'RejectExpert' as const, expertId: EXPERT, reason });
  const suspend = (reason: string) => ({ type: 'SuspendExpert' as const, expertId: EXPERT, reason });

  test('a complete draft, or a rejected profile, is submitted', () => {
    expert().given(ready).when(submit).thenEmits([submitted]);
    expert()
      .given([...ready, submitted, rejected])
      .when(submit)
      .thenEmits([submitted]);
  });

  test('submitting needs a headline, bio, specialty and a credential with a file', () => {
    expert().given([created]).when(submit).thenFails('EXPERT_PROFILE_INCOMPLETE', 'headline');
    const noSpecialty = event('ExpertProfileUpdated', { profile: { ...profile, specialties: [] } });
    expert()
      .given([created, noSpecialty, documented])
      .when(submit)
      .thenFails('EXPERT_PROFILE_INCOMPLETE', 'specialties');
    expert().given([created, profiled]).when(submit).thenFails('DOCUMENT_REQUIRED', 'documents');
    const withoutFile = event('ExpertDocumentAdded', { document: { ...certificate, fileKey: null } });
    expert().given([created, profiled, withoutFile]).when(submit).thenFails('DOCUMENT_REQUIRED', 'documents');
  });

  test('no second submission while pending, verified or suspended', () => {
    expert()
      .given([...ready, submitted])
      .when(submit)
      .thenFails('EXPERT_ALREADY_SUBMITTED');
    expert()
      .given([...ready, submitted, verified])
      .when(submit)
      .thenFails('EXPERT_ALREADY_VERIFIED');
    expert()
      .given([...ready, submitted, verified, suspended])
      .when(submit)
      .thenFails('EXPERT_STATUS_CONFLICT');
  });

  test('a reviewer verifies a submitted or suspended expert; verifying twice changes nothing', () => {
    reviewer()
      .given([...ready, submitted])
      .when(verify)
      .thenEmits([verified]);
    reviewer()
      .given([...ready, submitted, verified, suspended])
      .when(verify)
      .thenEmits([verified]);
    reviewer()
      .given([...ready, submitted, verified])
      .when(verify)
      .thenEmits([]);
    reviewer().given(ready).when(verify).thenFails('EXPERT_STATUS_CONFLICT');
    reviewer()
      .given([...ready, submitted, rejected])
      .when(verify)
      .thenFails('EXPERT_STATUS_CONFLICT');
  });

  test('rejecting needs a submission and a reason; the reason is kept in the state', () => {
    reviewer()
      .given([...ready, submitted])
      .when(reject(' Thiếu chứng chỉ '))
      .thenEmits([rejected]);
    reviewer()
      .given([...ready, submitted])
      .when(reject('  '))
      .thenFails('REASON_REQUIRED', 'reason');
    reviewer()
      .given([...ready, submitted])
      .when(reject('x'.repeat(501)))
      .thenFails('FIELD_TOO_LONG', 'reason');
    reviewer().given(ready).when(reject('Sai')).thenFails('EXPERT_STATUS_CONFLICT');
    expect(fold(expertDecider, [...ready, submitted, rejected])).toMatchObject({
      status: 'rejected',
      reason: 'Thiếu chứng chỉ',
    });
    expect(fold(expertDecider, [...ready, submitted, rejected, submitted]).reason).toBeNull();
  });

  test('suspending needs a verified expert and a reason; suspending twice changes nothing', () => {
    reviewer()
      .given([...ready, submitted, verified])
      .when(suspend('Khiếu nại'))
      .thenEmits([suspended]);
    reviewer()
      .given([...ready, submitted, verified, suspended])
      .when(suspend('Khiếu nại'))
      .thenEmits([]);
    reviewer()
      .given([...ready, submitted])
      .when(suspend('Khiếu nại'))
      .thenFails('EXPERT_STATUS_CONFLICT');
    reviewer()
      .given([...ready, submitted, verified])
      .when(suspend(''))
      .thenFails('REASON_REQUIRED', 'reason');
  });

  test('nobody reviews themselves; an unknown expert is 404', () => {
    const self = expert()
      .given([...ready, submitted])
      .when(verify)
      .thenFails('EXPERT_SELF_REVIEW');
    expect(self.status).toBe(403);
    expert()
      .given([...ready, submitted])
      .when(reject('Tự từ chối'))
      .thenFails('EXPERT_SELF_REVIEW');
    const missing = reviewer().given([]).when(verify).thenFails('EXPERT_NOT_FOUND');
    expect(missing.status).toBe(404);
  });
});
