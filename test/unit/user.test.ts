import { describe, test } from 'vitest';
import { userDecider } from '../../domain/identity/user.js';
import type { UserEvent } from '../../domain/identity/user-events.js';
import { scenario, testContext } from '../support/given-when-then.js';

const user = () => scenario(userDecider, testContext({ actorId: 'u1' }));
const userId = 'u1';
const registered: UserEvent = {
  type: 'UserRegistered',
  data: { userId, email: 'an@example.vn', name: 'An', phone: null, roles: ['customer'], registeredBy: null },
};
const verified: UserEvent = { type: 'EmailVerified', data: { userId, email: 'an@example.vn' } };
const session = (sessionId: string): UserEvent => ({
  type: 'SessionStarted',
  data: { userId, sessionId, device: 'phone', ip: null },
});

describe('user', () => {
  test('registers once, with its roles, by itself or by staff', () => {
    user()
      .given([])
      .when({
        type: 'RegisterUser',
        userId,
        email: 'an@example.vn',
        name: 'An',
        phone: null,
        roles: ['customer', 'customer'],
      })
      .thenEmits([registered]);
    user()
      .given([registered])
      .when({ type: 'RegisterUser', userId, email: 'x@example.vn', name: 'X', phone: null, roles: ['owner'] })
      .thenFails('USER_EXISTS');
    scenario(userDecider, testContext({ actorId: 'operator-7' }))
      .given([])
      .when({ type: 'RegisterUser', userId, email: 'an@example.vn', name: 'An', phone: null, roles: ['customer'] })
      .thenEmits([{ ...registered, data: { ...registered.data, registeredBy: 'operator-7' } }]);
  });

  test('signs in only when verified and not locked', () => {
    const start = { type: 'StartSession', userId, sessionId: 's1', device: 'phone', ip: null } as const;
    user().given([registered]).when(start).thenFails('EMAIL_NOT_VERIFIED');
    user()
      .given([registered, verified, { type: 'UserLocked', data: { userId, reason: 'spam' } }])
      .when(start)
      .thenFails('ACCOUNT_LOCKED');
    user()
      .given([registered, verified])
      .when(start)
      .thenEmits([session('s1')]);
  });

  test('a password change ends every other open session', () => {
    user()
      .given([
        registered,
        verified,
        session('s1'),
        session('s2'),
        { type: 'SessionEnded', data: { userId, sessionId: 's1', reason: 'logout' } },
      ])
      .when({ type: 'RecordPasswordChange', userId, via: 'reset', keepSessionId: null })
      .thenEmits([
        { type: 'PasswordChanged', data: { userId, via: 'reset' } },
        { type: 'SessionEnded', data: { userId, sessionId: 's2', reason: 'password_changed' } },
      ]);
    user()
      .given([registered, verified, session('s1'), session('s2')])
      .when({ type: 'RecordPasswordChange', userId, via: 'change', keepSessionId: 's2' })
      .thenEmits([
        { type: 'PasswordChanged', data: { userId, via: 'change' } },
        { type: 'SessionEnded', data: { userId, sessionId: 's1', reason: 'password_changed' } },
      ]);
  });

  test('refresh token reuse is recorded and ends the session', () => {
    user()
      .given([registered, verified, session('s1')])
      .when({ type: 'ReportRefreshTokenReuse', userId, sessionId: 's1' })
      .thenEmits([
        { type: 'RefreshTokenReuseDetected', data: { userId, sessionId: 's1' } },
        { type: 'SessionEnded', data: { userId, sessionId: 's1', reason: 'revoked' } },
      ]);
  });

  test('roles: granting twice records once; the last role cannot be revoked', () => {
    user().given([registered]).when({ type: 'GrantRole', userId, role: 'customer' }).thenEmits([]);
    user().given([registered]).when({ type: 'RevokeRole', userId, role: 'customer' }).thenFails('LAST_ROLE');
    user()
      .given([registered, { type: 'RoleGranted', data: { userId, role: 'owner' } }])
      .when({ type: 'RevokeRole', userId, role: 'customer' })
      .thenEmits([{ type: 'RoleRevoked', data: { userId, role: 'customer' } }]);
  });

  test('locking needs a reason; commands on an unknown user are refused', () => {
    user().given([registered]).when({ type: 'LockUser', userId, reason: '  ' }).thenFails('REASON_REQUIRED', 'reason');
    user().given([]).when({ type: 'VerifyEmail', userId }).thenFails('USER_NOT_FOUND');
  });
});
