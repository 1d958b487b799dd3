import type pg from 'pg';
import { isRole, type Role } from '../../domain/identity/roles.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { CommandMetadata } from '../metadata.js';
import { normalizeEmail } from './accounts.js';
import { hashToken, randomToken, verifyPassword } from './passwords.js';
import type { UserCommands } from './users.js';

export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;
const FAILED_LOGIN_WINDOW_MS = 60 * 1000;
const MAX_FAILED_LOGINS = 5;

export interface SessionDeps {
  pool: pg.Pool;
  users: UserCommands;
  clock: () => Date;
}

/** What a signed-in device holds: the access token is signed from this by the API. */
export interface IssuedSession {
  userId: string;
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

  async function rolesOf(userId: string): Promise<{ roles: Role[]; locked: boolean; verified: boolean }> {
    const { rows } = await deps.pool.query<{ roles: string[]; locked: boolean; email_verified: boolean }>(
      'select roles, locked, email_verified from rm.users where id = $1',
      [userId],
    );
    const row = rows[0];
    return {
      roles: (row?.roles ?? []).filter(isRole),
      locked: row?.locked ?? false,
      verified: row?.email_verified ?? false,
    };
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

  return {
    /** UC-GEN-01. The first role of the user is active until they switch (UC-GEN-03). */
    async login(
      input: { email: string; password: string; device: string },
      metadata: CommandMetadata,
    ): Promise<IssuedSession> {
      const email = normalizeEmail(input.email);
      const keys = [`ip:${metadata.ip ?? 'unknown'}`, `account:${email}`];
      await assertNotThrottled(keys);
      const { rows } = await deps.pool.query<{ user_id: string; password_hash: string }>(
        'select user_id, password_hash from identity.credentials where email = $1',
        [email],
      );
      const credentials = rows[0];
      const passwordOk = credentials ? await verifyPassword(credentials.password_hash, input.password) : false;
      if (!credentials || !passwordOk) {
        await deps.pool.query('insert into identity.failed_logins (key, at) values ($1, $3), ($2, $3)', [
          keys[0],
          keys[1],
          deps.clock(),
        ]);
        throw invalidCredentials();
      }
      const userId = credentials.user_id;
      const sessionId = crypto.randomUUID();
      // The user's stream decides (locked, unverified) before any session row exists.
      await deps.users({ type: 'StartSession', userId, sessionId, device: input.device, ip: metadata.ip }, metadata);
      const { roles } = await rolesOf(userId);
      const activeRole = roles[0] ?? 'customer';
      await deps.pool.query(
        'insert into identity.sessions (id, user_id, device, ip, user_agent, active_role) values ($1, $2, $3, $4, $5, $6)',
        [sessionId, userId, input.device, metadata.ip, metadata.userAgent, activeRole],
      );
      return { userId, sessionId, roles, activeRole, ...(await issueRefreshToken(deps.pool, sessionId)) };
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
        return { userId: token.user_id, sessionId: token.session_id, roles, activeRole, ...issued };
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
