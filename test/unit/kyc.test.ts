import { describe, test } from 'vitest';
import { kycDecider } from '../../domain/identity/kyc.js';
import type { KycDocument, KycEvent } from '../../domain/identity/kyc-events.js';
import { scenario, testContext } from '../support/given-when-then.js';

const userId = 'owner-1';
const byOwner = () => scenario(kycDecider, testContext({ actorId: userId, roles: ['owner'] }));
const byOperator = () => scenario(kycDecider, testContext({ actorId: 'operator-1', roles: ['operator'] }));
const doc = (key: string, kind: KycDocument['kind'] = 'id_front'): KycDocument => ({
  key,
  contentType: 'application/pdf',
  size: 1234,
  kind,
});
const submitted = (...documents: KycDocument[]): KycEvent => ({ type: 'KycSubmitted', data: { userId, documents } });
const submit = (...documents: KycDocument[]) => ({ type: 'SubmitKyc' as const, userId, documents });
const rejected: KycEvent = { type: 'KycRejected', data: { userId, reason: 'Ảnh mờ' } };
const verified: KycEvent = { type: 'KycVerified', data: { userId } };

describe('kyc', () => {
  test('unverified → pending → rejected with a reason → pending again → verified', () => {
    byOwner()
      .given([])
      .when(submit(doc('kyc/o/1.pdf'), doc('kyc/o/2.pdf', 'id_back')))
      .thenEmits([submitted(doc('kyc/o/1.pdf'), doc('kyc/o/2.pdf', 'id_back'))]);
    byOperator()
      .given([submitted(doc('kyc/o/1.pdf'))])
      .when({ type: 'RejectKyc', userId, reason: '  Ảnh mờ ' })
      .thenEmits([rejected]);
    byOwner()
      .given([submitted(doc('kyc/o/1.pdf')), rejected])
      .when(submit(doc('kyc/o/3.pdf')))
      .thenEmits([submitted(doc('kyc/o/3.pdf'))]);
    byOperator()
      .given([submitted(doc('kyc/o/1.pdf')), rejected, submitted(doc('kyc/o/3.pdf'))])
      .when({ type: 'VerifyKyc', userId })
      .thenEmits([verified]);
  });

  test('no second submission while pending or once verified', () => {
    byOwner()
      .given([submitted(doc('kyc/o/1.pdf'))])
      .when(submit(doc('kyc/o/2.pdf')))
      .thenFails('KYC_PENDING');
    byOwner()
      .given([submitted(doc('kyc/o/1.pdf')), verified])
      .when(submit(doc('kyc/o/2.pdf')))
      .thenFails('KYC_ALREADY_VERIFIED');
  });

  test('documents: one to five, known kinds, PDF/JPG/PNG, at most 10 MB each', () => {
    byOwner().given([]).when(submit()).thenFails('DOCUMENTS_REQUIRED', 'documents');
    const six = Array.from({ length: 6 }, (_, i) => doc(`kyc/o/${i}.pdf`));
    byOwner()
      .given([])
      .when(submit(...six))
      .thenFails('TOO_MANY_DOCUMENTS', 'documents');
    byOwner()
      .given([])
      .when(submit(doc('kyc/o/1.pdf'), { ...doc('kyc/o/2.pdf'), kind: 'selfie' as KycDocument['kind'] }))
      .thenFails('DOCUMENT_KIND_INVALID', 'kinds.1');
    byOwner()
      .given([])
      .when(submit({ ...doc('kyc/o/1.gif'), contentType: 'image/gif' as KycDocument['contentType'] }))
      .thenFails('FILE_TYPE_NOT_ALLOWED', 'documents.0');
    byOwner()
      .given([])
      .when(submit({ ...doc('kyc/o/1.pdf'), size: 10 * 1024 * 1024 + 1 }))
      .thenFails('DOCUMENT_SIZE_INVALID', 'documents.0');
  });

  test('reviews: only a pending submission, a reason to reject, never one’s own', () => {
    byOperator().given([]).when({ type: 'VerifyKyc', userId }).thenFails('KYC_NOT_PENDING');
    byOperator()
      .given([submitted(doc('kyc/o/1.pdf')), verified])
      .when({ type: 'RejectKyc', userId, reason: 'muộn' })
      .thenFails('KYC_NOT_PENDING');
    byOperator()
      .given([submitted(doc('kyc/o/1.pdf'))])
      .when({ type: 'RejectKyc', userId, reason: '  ' })
      .thenFails('REASON_REQUIRED', 'reason');
    byOwner()
      .given([submitted(doc('kyc/o/1.pdf'))])
      .when({ type: 'VerifyKyc', userId })
      .thenFails('KYC_SELF_REVIEW');
  });
});
