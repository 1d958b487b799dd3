import type { DomainEvent } from '../shared/decider.js';
import type { Role } from './roles.js';

/** Facts about a user. No secrets: hashes, TOTP secrets and tokens stay in the identity tables. */
export type UserEvent =
  | DomainEvent<
      'UserRegistered',
      { userId: string; email: string; name: string; phone: string | null; roles: Role[]; registeredBy: string | null }
    >
  | DomainEvent<'EmailVerificationSent', { userId: string; email: string }>
  | DomainEvent<'EmailVerified', { userId: string; email: string }>
  | DomainEvent<'RoleGranted', { userId: string; role: Role }>
  | DomainEvent<'RoleRevoked', { userId: string; role: Role }>
  | DomainEvent<'UserLocked', { userId: string; reason: string }>
  | DomainEvent<'UserUnlocked', { userId: string }>
  | DomainEvent<'PasswordChanged', { userId: string; via: 'change' | 'reset' | 'invite' }>
  | DomainEvent<'SessionStarted', { userId: string; sessionId: string; device: string; ip: string | null }>
  | DomainEvent<
      'SessionEnded',
      { userId: string; sessionId: string; reason: 'logout' | 'revoked' | 'password_changed' }
    >
  | DomainEvent<'RefreshTokenReuseDetected', { userId: string; sessionId: string }>
  | DomainEvent<'TwoFactorEnabled', { userId: string }>
  | DomainEvent<'TwoFactorDisabled', { userId: string }>
  | DomainEvent<'RecoveryCodeUsed', { userId: string; remaining: number }>
  | DomainEvent<'PasswordResetRequested', { userId: string }>;

export const USER_EVENT_TYPES: UserEvent['type'][] = [
  'UserRegistered',
  'EmailVerificationSent',
  'EmailVerified',
  'RoleGranted',
  'RoleRevoked',
  'UserLocked',
  'UserUnlocked',
  'PasswordChanged',
  'SessionStarted',
  'SessionEnded',
  'RefreshTokenReuseDetected',
  'TwoFactorEnabled',
  'TwoFactorDisabled',
  'RecoveryCodeUsed',
  'PasswordResetRequested',
];

export const userStream = (userId: string) => `user-${userId}`;
