import { describe, test } from 'vitest';
import type { StaffCodeEvent, StaffProfileEvent } from '../../domain/identity/staff-events.js';
import { staffCodeDecider, staffProfileDecider } from '../../domain/identity/staff-profile.js';
import { scenario } from '../support/given-when-then.js';

const staff = () => scenario(staffProfileDecider);
const userId = 'u1';
const profile = {
  code: ' nv-001 ',
  title: 'Nhân viên kinh doanh',
  department: 'Kinh doanh',
  startDate: '2026-12-01',
  areaIds: ['a1', 'a1'],
};
const created: StaffProfileEvent = {
  type: 'StaffProfileCreated',
  data: {
    userId,
    role: 'sales',
    code: 'NV-001',
    title: 'Nhân viên kinh doanh',
    department: 'Kinh doanh',
    startDate: '2026-12-01',
    areaIds: ['a1'],
  },
};
const status = (
  to: 'active' | 'on_leave' | 'left',
  from: 'active' | 'on_leave',
  reason: string | null = null,
): StaffProfileEvent => ({
  type: 'StaffStatusChanged',
  data: { userId, status: to, previousStatus: from, reason },
});

describe('staff profile', () => {
  test('is created once, with a normalised code and a real start date', () => {
    staff().given([]).when({ type: 'CreateStaffProfile', userId, role: 'sales', profile }).thenEmits([created]);
    staff()
      .given([created])
      .when({ type: 'CreateStaffProfile', userId, role: 'sales', profile })
      .thenFails('STAFF_EXISTS');
    staff()
      .given([])
      .when({ type: 'CreateStaffProfile', userId, role: 'sales', profile: { ...profile, code: 'nv 1' } })
      .thenFails('STAFF_CODE_INVALID', 'profile.code');
    staff()
      .given([])
      .when({ type: 'CreateStaffProfile', userId, role: 'sales', profile: { ...profile, startDate: '2026-02-30' } })
      .thenFails('DATE_INVALID', 'profile.startDate');
    staff()
      .given([])
      .when({ type: 'CreateStaffProfile', userId, role: 'operator', profile: { ...profile, title: '  ' } })
      .thenFails('FIELD_REQUIRED', 'profile.title');
  });

  test('updates only what changed, with the previous values for the audit trail', () => {
    staff()
      .given([created])
      .when({ type: 'UpdateStaffProfile', userId, title: 'Trưởng nhóm', department: 'Kinh doanh', areaIds: ['a1'] })
      .thenEmits([
        { type: 'StaffProfileUpdated', data: { userId, title: 'Trưởng nhóm', previousTitle: 'Nhân viên kinh doanh' } },
      ]);
    staff()
      .given([created])
      .when({ type: 'UpdateStaffProfile', userId, areaIds: ['a1'] })
      .thenEmits([]);
    staff().given([]).when({ type: 'UpdateStaffProfile', userId, title: 'x' }).thenFails('STAFF_NOT_FOUND');
  });

  test('status goes active ↔ on_leave → left, leaving needs a reason, nothing after left', () => {
    staff()
      .given([created])
      .when({ type: 'ChangeStaffStatus', userId, status: 'on_leave', reason: null })
      .thenEmits([status('on_leave', 'active')]);
    staff()
      .given([created, status('on_leave', 'active')])
      .when({ type: 'ChangeStaffStatus', userId, status: 'active', reason: ' back ' })
      .thenEmits([status('active', 'on_leave', 'back')]);
    staff().given([created]).when({ type: 'ChangeStaffStatus', userId, status: 'active', reason: null }).thenEmits([]);
    staff()
      .given([created])
      .when({ type: 'ChangeStaffStatus', userId, status: 'left', reason: ' ' })
      .thenFails('REASON_REQUIRED', 'reason');
    const left = status('left', 'on_leave', 'Chuyển công tác');
    staff()
      .given([created, status('on_leave', 'active')])
      .when({ type: 'ChangeStaffStatus', userId, status: 'left', reason: 'Chuyển công tác' })
      .thenEmits([left]);
    staff()
      .given([created, left])
      .when({ type: 'ChangeStaffStatus', userId, status: 'active', reason: null })
      .thenFails('STAFF_LEFT');
    staff()
      .given([created, left])
      .when({ type: 'ChangeStaffStatus', userId, status: 'left', reason: null })
      .thenEmits([]);
    staff().given([created, left]).when({ type: 'UpdateStaffProfile', userId, title: 'x' }).thenFails('STAFF_LEFT');
  });
});

describe('staff code', () => {
  const claimed: StaffCodeEvent = { type: 'StaffCodeClaimed', data: { code: 'NV-001', userId } };
  test('is claimed by one person only; a retry by the same person changes nothing', () => {
    scenario(staffCodeDecider).given([]).when({ type: 'ClaimStaffCode', code: 'NV-001', userId }).thenEmits([claimed]);
    scenario(staffCodeDecider).given([claimed]).when({ type: 'ClaimStaffCode', code: 'NV-001', userId }).thenEmits([]);
    scenario(staffCodeDecider)
      .given([claimed])
      .when({ type: 'ClaimStaffCode', code: 'NV-001', userId: 'u2' })
      .thenFails('STAFF_CODE_TAKEN', 'profile.code');
  });

  test('a released code can be claimed again', () => {
    const released: StaffCodeEvent = { type: 'StaffCodeReleased', data: { code: 'NV-001', userId } };
    scenario(staffCodeDecider)
      .given([claimed])
      .when({ type: 'ReleaseStaffCode', code: 'NV-001', userId: 'u2' })
      .thenEmits([]);
    scenario(staffCodeDecider)
      .given([claimed])
      .when({ type: 'ReleaseStaffCode', code: 'NV-001', userId })
      .thenEmits([released]);
    scenario(staffCodeDecider)
      .given([claimed, released])
      .when({ type: 'ClaimStaffCode', code: 'NV-001', userId: 'u2' })
      .thenEmits([{ type: 'StaffCodeClaimed', data: { code: 'NV-001', userId: 'u2' } }]);
  });
});
