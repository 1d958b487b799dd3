import type { Decider } from '../shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import type { Role } from './roles.js';
import type { UserEvent } from './user-events.js';

export type UserStatus = 'unverified' | 'active' | 'locked';

export interface UserState {
  exists: boolean;
  email: string;
  emailVerified: boolean;
  locked: boolean;
  roles: Set<Role>;
  sessions: Set<string>;
  twoFactor: boolean;
}

export type UserCommand = { userId: string } & (
  | { type: 'RegisterUser'; email: string; name: string; phone: string | null; roles: Role[] }
  | { type: 'SendEmailVerification' }
  | { type: 'VerifyEmail' }
  | { type: 'GrantRole'; role: Role }
  | { type: 'RevokeRole'; role: Role }
  | { type: 'LockUser'; reason: string }
  | { type: 'UnlockUser' }
  | { type: 'RecordPasswordChange'; via: 'change' | 'reset' | 'invite'; keepSessionId: string | null }
  | { type: 'StartSession'; sessionId: string; device: string; ip: string | null }
  | { type: 'EndSession'; sessionId: string; reason: 'logout' | 'revoked' | 'password_changed' }
  | { type: 'ReportRefreshTokenReuse'; sessionId: string }
  | { type: 'EnableTwoFactor' }
  | { type: 'DisableTwoFactor' }
  | { type: 'RecordRecoveryCodeUse'; remaining: number }
  | { type: 'RequestPasswordReset' }
);

export const statusOf = (state: Pick<UserState, 'locked' | 'emailVerified'>): UserStatus =>
  state.locked ? 'locked' : state.emailVerified ? 'active' : 'unverified';

const locked = () => new DomainError('forbidden', 'ACCOUNT_LOCKED', 'Tài khoản đã bị khóa; vui lòng liên hệ hỗ trợ');

function decideExisting(command: Exclude<UserCommand, { type: 'RegisterUser' }>, state: UserState) {
  const { userId } = command;
  switch (command.type) {
    case 'SendEmailVerification':
      if (state.emailVerified) return conflict('EMAIL_ALREADY_VERIFIED', 'Email đã được xác minh');
      return [{ type: 'EmailVerificationSent' as const, data: { userId, email: state.email } }];
    case 'VerifyEmail':
      if (state.emailVerified) return [];
      return [{ type: 'EmailVerified' as const, data: { userId, email: state.email } }];
    case 'GrantRole':
      return state.roles.has(command.role)
        ? []
        : [{ type: 'RoleGranted' as const, data: { userId, role: command.role } }];
    case 'RevokeRole':
      if (!state.roles.has(command.role)) return [];
      if (state.roles.size === 1) return conflict('LAST_ROLE', 'A user keeps at least one role');
      return [{ type: 'RoleRevoked' as const, data: { userId, role: command.role } }];
    case 'LockUser':
      if (command.reason.trim().length === 0) return invalid('REASON_REQUIRED', 'Lý do khóa là bắt buộc', 'reason');
      return state.locked ? [] : [{ type: 'UserLocked' as const, data: { userId, reason: command.reason.trim() } }];
    case 'UnlockUser':
      return state.locked ? [{ type: 'UserUnlocked' as const, data: { userId } }] : [];
    case 'RecordPasswordChange': {
      const others = [...state.sessions].filter((sessionId) => sessionId !== command.keepSessionId);
      const ended = others.map((sessionId) => ({
        type: 'SessionEnded' as const,
        data: { userId, sessionId, reason: 'password_changed' as const },
      }));
      return [{ type: 'PasswordChanged' as const, data: { userId, via: command.via } }, ...ended];
    }
    case 'StartSession':
      if (state.locked) return locked();
      if (!state.emailVerified) {
        return new DomainError('forbidden', 'EMAIL_NOT_VERIFIED', 'Vui lòng xác minh email trước khi đăng nhập');
      }
      return [
        {
          type: 'SessionStarted' as const,
          data: { userId, sessionId: command.sessionId, device: command.device, ip: command.ip },
        },
      ];
    case 'EndSession':
      if (!state.sessions.has(command.sessionId)) return [];
      return [
        { type: 'SessionEnded' as const, data: { userId, sessionId: command.sessionId, reason: command.reason } },
      ];
    case 'EnableTwoFactor':
      return state.twoFactor ? [] : [{ type: 'TwoFactorEnabled' as const, data: { userId } }];
    case 'DisableTwoFactor':
      return state.twoFactor ? [{ type: 'TwoFactorDisabled' as const, data: { userId } }] : [];
    case 'RecordRecoveryCodeUse':
      return [{ type: 'RecoveryCodeUsed' as const, data: { userId, remaining: command.remaining } }];
    case 'RequestPasswordReset':
      if (state.locked) return locked();
      return [{ type: 'PasswordResetRequested' as const, data: { userId } }];
    case 'ReportRefreshTokenReuse': {
      const events: UserEvent[] = [
        { type: 'RefreshTokenReuseDetected', data: { userId, sessionId: command.sessionId } },
      ];
      if (state.sessions.has(command.sessionId)) {
        events.push({ type: 'SessionEnded', data: { userId, sessionId: command.sessionId, reason: 'revoked' } });
      }
      return events;
    }
  }
}

export const userDecider: Decider<UserCommand, UserState, UserEvent> = {
  initialState: () => ({
    exists: false,
    email: '',
    emailVerified: false,
    locked: false,
    roles: new Set(),
    sessions: new Set(),
    twoFactor: false,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'UserRegistered':
        return { ...state, exists: true, email: event.data.email, roles: new Set(event.data.roles) };
      case 'EmailVerified':
        return { ...state, emailVerified: true };
      case 'RoleGranted':
        state.roles.add(event.data.role);
        return state;
      case 'RoleRevoked':
        state.roles.delete(event.data.role);
        return state;
      case 'UserLocked':
        return { ...state, locked: true };
      case 'UserUnlocked':
        return { ...state, locked: false };
      case 'SessionStarted':
        state.sessions.add(event.data.sessionId);
        return state;
      case 'SessionEnded':
        state.sessions.delete(event.data.sessionId);
        return state;
      case 'TwoFactorEnabled':
        return { ...state, twoFactor: true };
      case 'TwoFactorDisabled':
        return { ...state, twoFactor: false };
      default:
        return state;
    }
  },

  decide(command, state, context) {
    if (command.type === 'RegisterUser') {
      if (state.exists) return conflict('USER_EXISTS', 'Người dùng đã tồn tại');
      if (command.roles.length === 0) return invalid('ROLE_REQUIRED', 'Chọn ít nhất một vai trò', 'roles');
      const { userId, email, name, phone, roles } = command;
      const registeredBy = context.actorId === userId ? null : context.actorId;
      return [
        { type: 'UserRegistered', data: { userId, email, name, phone, roles: [...new Set(roles)], registeredBy } },
      ];
    }
    if (!state.exists) return notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
    return decideExisting(command, state);
  },
};
