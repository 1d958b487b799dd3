import type pg from 'pg';
import { isRole, type Role } from '../../domain/identity/roles.js';
import { userDecider } from '../../domain/identity/user.js';
import { type UserEvent, userStream } from '../../domain/identity/user-events.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { EventStore } from '../eventstore/port.js';
import type { Mailer } from '../mail/port.js';
import { newDeviceLoginMail } from '../mail/templates.js';
import type { CommandMetadata } from '../metadata.js';
import { normalizeEmail } from './accounts.js';
import { hashPassword, hashToken, randomToken, verifyPassword } from './passwords.js';
import type { TwoFactorService } from './two-factor.js';
import type { UserCommands } from './users.js';

export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;
const FAILED_LOGIN_WINDOW_MS = 60 * 1000;
const MAX_FAILED_LOGINS = 5;

export interface SessionDeps {
  pool: pg.Pool;
  store: EventStore;
  users: UserCommands;
  mailer: Mailer;
  twoFactor: TwoFactorService;
  clock: () => Date;
}

const CHALLENGE_TTL_MS = 5 * 60 * 1000;

let dummyHash: Promise<string> | null = null;
const unknownUserHash = () => {
  dummyHash ??= hashPassword(randomToken(16));
  return dummyHash;
};
const MAX_CHALLENGE_ATTEMPTS = 5;

/** A correct password on an account with 2FA: the code is asked next, with this token. */
export interface TwoFactorChallenge {
  twoFactorRequired: true;
  challengeToken: string;
}

/** What a signed-in device holds: the access token is signed from this by the API. */
export interface IssuedSession {
  userId: string;
  email: string;
  name: string;
  sessionId: string;
  roles: Role[];
  activeRole: Role;
  refreshToken: string;
  refreshExpiresAt: Date;
}

export class TooManyAttempts extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('too_many', 'TOO_MANY_ATTEMPTS', `Quá nhiều lần đăng nhập sai; thử lại sau ${retryAfterSeconds} giây`);
  }
}

const unauthorized = (code: string, message: string) => new DomainError('unauthenticated', code, message);
const invalidCredentials = () =>
  new DomainError('unauthenticated', 'INVALID_CREDENTIALS', 'Email hoặc mật khẩu không đúng', { field: 'password' });

export function sessionService(deps: SessionDeps) {
  async function issueRefreshToken(client: pg.ClientBase | pg.Pool, sessionId: string) {
    const refreshToken = randomToken(32);
    const refreshExpiresAt = new Date(deps.clock().getTime() + REFRESH_TTL_MS);
    await client.query('insert into identity.refresh_tokens (token_hash, session_id, expires_at) values ($1, $2, $3)', [
      hashToken(refreshToken),
      sessionId,
      refreshExpiresAt,
    ]);
    return { refreshToken, refreshExpiresAt };
  }

  async function contactOf(userId: string): Promise<{ email: string; name: string }> {
    const { rows } = await deps.pool.query<{ email: string; name: string | null }>(
      'select c.email, u.name from identity.credentials c left join rm.users u on u.id = c.user_id where c.user_id = $1',
      [userId],
    );
    return { email: rows[0]?.email ?? '', name: rows[0]?.name ?? rows[0]?.email ?? '' };
  }

  /** Roles and status from the users read model, or from the user's stream while it catches up. */
  async function rolesOf(userId: string): Promise<{ roles: Role[]; locked: boolean; verified: boolean }> {
    const { rows } = await deps.pool.query<{ roles: string[]; locked: boolean; email_verified: boolean }>(
      'select roles, locked, email_verified from rm.users where id = $1',
      [userId],
    );
    const row = rows[0];
    if (row) return { roles: row.roles.filter(isRole), locked: row.locked, verified: row.email_verified };
    let state = userDecider.initialState();
    for await (const event of deps.store.readStream(userStream(userId))) {
      state = userDecider.evolve(state, { type: event.type, data: event.data } as UserEvent);
    }
    return { roles: [...state.roles], locked: state.locked, verified: state.emailVerified };
  }

  /** 5 failures per minute per IP and per account, then 429 with Retry-After. */
  async function assertNotThrottled(keys: string[]) {
    const since = new Date(deps.clock().getTime() - FAILED_LOGIN_WINDOW_MS);
    const { rows } = await deps.pool.query<{ n: number; oldest: Date | null }>(
      'select count(*)::int as n, min(at) as oldest from identity.failed_logins where key = any($1) and at > $2 group by key order by n desc limit 1',
      [keys, since],
    );
    const worst = rows[0];
    if (worst && worst.n >= MAX_FAILED_LOGINS && worst.oldest) {
      const retryAfter = Math.ceil((worst.oldest.getTime() + FAILED_LOGIN_WINDOW_MS - deps.clock().getTime()) / 1000);
      throw new TooManyAttempts(Math.max(1, retryAfter));
    }
  }

  /** Security mail when an account signs in from a device it has not used before (not the first sign-in). */
  async function warnOfNewDevice(userId: string, device: string, metadata: CommandMetadata) {
    const { rows } = await deps.pool.query<{ known: boolean; any: boolean; email: string; name: string | null }>(
      `select exists (select 1 from identity.sessions where user_id = $1 and device = $2) as known,
              exists (select 1 from identity.sessions where user_id = $1) as any,
              c.email, u.name
         from identity.credentials c left join rm.users u on u.id = c.user_id where c.user_id = $1`,
      [userId, device],
    );
    const row = rows[0];
    if (!row || row.known || !row.any) return;
    const mail = newDeviceLoginMail({
      name: row.name ?? row.email,
      device,
      ip: metadata.ip ?? '?',
      time: deps.clock(),
      locale: 'vi',
    });
    await deps.mailer.send({ to: row.email, ...mail, category: 'account.new_device_login', locale: 'vi' });
  }

  async function startSession(userId: string, device: string, metadata: CommandMetadata): Promise<IssuedSession> {
    const sessionId = crypto.randomUUID();
    // The user's stream decides (locked, unverified) before any session row exists.
    await deps.users({ type: 'StartSession', userId, sessionId, device, ip: metadata.ip }, metadata);
    const { roles } = await rolesOf(userId);
    const activeRole = roles[0] ?? 'customer';
    await warnOfNewDevice(userId, device, metadata);
    await deps.pool.query(
      'insert into identity.sessions (id, user_id, device, ip, user_agent, active_role) values ($1, $2, $3, $4, $5, $6)',
      [sessionId, userId, device, metadata.ip, metadata.userAgent, activeRole],
    );
    const contact = await contactOf(userId);
    return { userId, ...contact, sessionId, roles, activeRole, ...(await issueRefreshToken(deps.pool, sessionId)) };
  }

  return {
    /** UC-GEN-01. The first role of the user is active until they switch (UC-GEN-03). */
    async login(
      input: { email: string; password: string; device: string },
      metadata: CommandMetadata,
    ): Promise<IssuedSession | TwoFactorChallenge> {
      const email = normalizeEmail(input.email);
      const keys = [`ip:${metadata.ip ?? 'unknown'}`, `account:${email}`];
      await assertNotThrottled(keys);
      const { rows } = await deps.pool.query<{ user_id: string; password_hash: string }>(
        'select user_id, password_hash from identity.credentials where email = $1',
        [email],
      );
      const credentials = rows[0];
      // An unknown email costs a hash check too, so timing does not tell which emails exist.
      const passwordOk = await verifyPassword(credentials?.password_hash ?? (await unknownUserHash()), input.password);
      if (!credentials || !passwordOk) {
        await deps.pool.query('insert into identity.failed_logins (key, at) values ($1, $3), ($2, $3)', [
          keys[0],
          keys[1],
          deps.clock(),
        ]);
        throw invalidCredentials();
      }
      if (await deps.twoFactor.isEnabled(credentials.user_id)) {
        const challengeToken = randomToken(32);
        await deps.pool.query(
          'insert into identity.login_challenges (token_hash, user_id, device, expires_at) values ($1, $2, $3, $4)',
          [
            hashToken(challengeToken),
            credentials.user_id,
            input.device,
            new Date(deps.clock().getTime() + CHALLENGE_TTL_MS),
          ],
        );
        return { twoFactorRequired: true, challengeToken };
      }
      return startSession(credentials.user_id, input.device, metadata);
    },

    /** The second step of a sign-in with 2FA: 5 wrong codes void the challenge. */
    async completeTwoFactor(challengeToken: string, code: string, metadata: CommandMetadata): Promise<IssuedSession> {
      const { rows } = await deps.pool.query<{ user_id: string; device: string; expires_at: Date; attempts: number }>(
        'select user_id, device, expires_at, attempts from identity.login_challenges where token_hash = $1',
        [hashToken(challengeToken)],
      );
      const challenge = rows[0];
      if (!challenge || challenge.expires_at < deps.clock() || challenge.attempts >= MAX_CHALLENGE_ATTEMPTS) {
        throw unauthorized('CHALLENGE_INVALID', 'Phiên xác thực đã hết hạn; vui lòng đăng nhập lại');
      }
      if (!(await deps.twoFactor.verifySecondFactor(challenge.user_id, code, metadata))) {
        await deps.pool.query('update identity.login_challenges set attempts = attempts + 1 where token_hash = $1', [
          hashToken(challengeToken),
        ]);
        throw new DomainError('invalid', 'CODE_INVALID', 'Mã xác thực không đúng', { field: 'code' });
      }
      await deps.pool.query('delete from identity.login_challenges where token_hash = $1', [hashToken(challengeToken)]);
      return startSession(challenge.user_id, challenge.device, metadata);
    },

    /**
     * Rotates: the presented token is spent and a new one issued. A spent token presented again
     * means it was stolen or replayed: the whole session (its token family) is revoked and audited.
     */
    async refresh(refreshToken: string, metadata: CommandMetadata): Promise<IssuedSession> {
      const client = await deps.pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<{
          session_id: string;
          user_id: string;
          replaced_at: Date | null;
          expires_at: Date;
          revoked_at: Date | null;
          active_role: string;
        }>(
          `select t.session_id, s.user_id, t.replaced_at, t.expires_at, s.revoked_at, s.active_role
             from identity.refresh_tokens t join identity.sessions s on s.id = t.session_id
            where t.token_hash = $1 for update of t, s`,
          [hashToken(refreshToken)],
        );
        const token = rows[0];
        if (!token || token.revoked_at || token.expires_at < deps.clock()) {
          await client.query('rollback');
          throw unauthorized('REFRESH_INVALID', 'Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại');
        }
        if (token.replaced_at) {
          await client.query(
            `update identity.sessions set revoked_at = now(), revoked_reason = 'refresh_token_reuse' where id = $1`,
            [token.session_id],
          );
          await client.query('commit');
          await deps.users(
            { type: 'ReportRefreshTokenReuse', userId: token.user_id, sessionId: token.session_id },
            metadata,
          );
          throw unauthorized('REFRESH_REUSED', 'Phiên đăng nhập đã bị thu hồi vì mã làm mới bị dùng lại');
        }
        const { roles, locked } = await rolesOf(token.user_id);
        if (locked) {
          await client.query('rollback');
          throw unauthorized('ACCOUNT_LOCKED', 'Tài khoản đã bị khóa; vui lòng liên hệ hỗ trợ');
        }
        await client.query('update identity.refresh_tokens set replaced_at = now() where token_hash = $1', [
          hashToken(refreshToken),
        ]);
        await client.query('update identity.sessions set last_seen_at = now(), ip = $2 where id = $1', [
          token.session_id,
          metadata.ip,
        ]);
        const issued = await issueRefreshToken(client, token.session_id);
        await client.query('commit');
        const activeRole =
          isRole(token.active_role) && roles.includes(token.active_role) ? token.active_role : (roles[0] ?? 'customer');
        return {
          userId: token.user_id,
          ...(await contactOf(token.user_id)),
          sessionId: token.session_id,
          roles,
          activeRole,
          ...issued,
        };
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },

    async endSession(
      userId: string,
      sessionId: string,
      reason: 'logout' | 'revoked',
      metadata: CommandMetadata,
    ): Promise<boolean> {
      const { rowCount } = await deps.pool.query(
        'update identity.sessions set revoked_at = now(), revoked_reason = $3 where id = $1 and user_id = $2 and revoked_at is null',
        [sessionId, userId, reason],
      );
      if (rowCount === 0) return false;
      await deps.users({ type: 'EndSession', userId, sessionId, reason }, metadata);
      return true;
    },

    async listSessions(userId: string) {
      const { rows } = await deps.pool.query(
        `select id, device, ip, user_agent as "userAgent", active_role as "activeRole", created_at as "createdAt",
                last_seen_at as "lastSeenAt" from identity.sessions
          where user_id = $1 and revoked_at is null order by last_seen_at desc`,
        [userId],
      );
      return rows as {
        id: string;
        device: string;
        ip: string | null;
        userAgent: string | null;
        activeRole: string;
        createdAt: Date;
        lastSeenAt: Date;
      }[];
    },

    /** UC-GEN-03: the next access token carries the new role; no sign-out. */
    async switchRole(userId: string, sessionId: string, role: Role): Promise<void> {
      const { roles } = await rolesOf(userId);
      if (!roles.includes(role)) {
        throw new DomainError('forbidden', 'ROLE_NOT_HELD', `Bạn không có vai trò ${role}`, { field: 'role' });
      }
      await deps.pool.query('update identity.sessions set active_role = $3 where id = $1 and user_id = $2', [
        sessionId,
        userId,
        role,
      ]);
    },

    /** The live facts an access token is checked against on every request. */
    async currentSession(sessionId: string) {
      const { rows } = await deps.pool.query<{ user_id: string; active_role: string; revoked_at: Date | null }>(
        'select user_id, active_role, revoked_at from identity.sessions where id = $1',
        [sessionId],
      );
      const session = rows[0];
      if (!session || session.revoked_at) return null;
      const facts = await rolesOf(session.user_id);
      return { userId: session.user_id, activeRole: session.active_role, ...facts };
    },
  };
}

export type SessionService = ReturnType<typeof sessionService>;
