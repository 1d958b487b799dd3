import type pg from 'pg';
import { checkPasswordStrength } from '../../domain/identity/password-policy.js';
import type { Role } from '../../domain/identity/roles.js';
import { DomainError, invalid } from '../../domain/shared/errors.js';
import type { Mailer } from '../mail/port.js';
import { staffInviteMail } from '../mail/templates.js';
import type { CommandMetadata } from '../metadata.js';
import { normalizeEmail } from './accounts.js';
import { claimCredentials } from './credentials.js';
import { hashPassword, hashToken, randomToken } from './passwords.js';
import type { UserCommands } from './users.js';

export const INVITE_TTL_MS = 72 * 3600 * 1000;

export interface InvitationDeps {
  pool: pg.Pool;
  users: UserCommands;
  mailer: Mailer;
  clock: () => Date;
  publicUrl: () => string;
}

export interface InvitedUser {
  userId: string;
  email: string;
  name: string;
  phone: string | null;
  roles: Role[];
  locale: 'vi' | 'en';
}

/** Steps of a larger creation (a staff code, a staff profile) that run inside `createUser`. */
export interface CreationSteps {
  /** After the credentials row, before the user stream; `release` undoes it if registration fails. */
  reserve?: { claim(): Promise<void>; release(): Promise<void> };
  /** After the user is registered and verified, before the invite is mailed. */
  afterRegister?: () => Promise<void>;
}

/**
 * One request sends several commands, some to the same stream: each gets its own idempotency
 * key, derived from the request's, so their deterministic event ids differ.
 */
export const stepOf = (metadata: CommandMetadata, step: string): CommandMetadata => ({
  ...metadata,
  idempotencyKey: metadata.idempotencyKey === null ? null : `${metadata.idempotencyKey}:${step}`,
});

const inviteInvalid = () => invalid('INVITE_INVALID', 'Lời mời không hợp lệ, đã dùng hoặc đã hết hạn', 'token');

/** Accounts created by staff: no password until the person follows the mailed invite. */
export function invitationService(deps: InvitationDeps) {
  async function sendInvite(userId: string, email: string, name: string, locale: 'vi' | 'en') {
    const token = randomToken(32);
    await deps.pool.query(
      `insert into identity.staff_invites (user_id, token_hash, expires_at) values ($1, $2, $3)
       on conflict (user_id) do update set token_hash = excluded.token_hash, expires_at = excluded.expires_at,
         created_at = now()`,
      [userId, hashToken(token), new Date(deps.clock().getTime() + INVITE_TTL_MS)],
    );
    const link = `${deps.publicUrl()}/set-password?token=${token}`;
    await deps.mailer.send({ to: email, ...staffInviteMail({ name, link, locale }) });
  }

  return {
    /**
     * The credentials row gets an unusable password (the argon2 hash of a random secret nobody
     * keeps), the user is registered with `roles` and verified (the invite proves the address),
     * then the invite is mailed. A failure before the user stream exists removes the credentials
     * row again (and releases what `steps.reserve` claimed): nothing half-written.
     */
    async createUser(input: InvitedUser, metadata: CommandMetadata, steps: CreationSteps = {}) {
      const email = normalizeEmail(input.email);
      const removeCredentials = await claimCredentials(deps.pool, {
        userId: input.userId,
        email,
        passwordHash: await hashPassword(randomToken(32)),
      });
      try {
        await steps.reserve?.claim();
      } catch (error) {
        await removeCredentials();
        throw error;
      }
      try {
        await deps.users(
          {
            type: 'RegisterUser',
            userId: input.userId,
            email,
            name: input.name,
            phone: input.phone,
            roles: input.roles,
          },
          metadata,
        );
      } catch (error) {
        await removeCredentials();
        await steps.reserve?.release().catch(() => undefined);
        throw error;
      }
      const verified = await deps.users({ type: 'VerifyEmail', userId: input.userId }, stepOf(metadata, 'verify'));
      await steps.afterRegister?.();
      await sendInvite(input.userId, email, input.name, input.locale);
      /** `position`: of the last user event, for read-your-writes on the users read model. */
      return { userId: input.userId, position: verified.position };
    },

    /** A new link (the old one stops working), e.g. when the first expired. */
    async resend(userId: string, locale: 'vi' | 'en') {
      const { rows } = await deps.pool.query<{ email: string; name: string; locked: boolean }>(
        `select c.email, u.name, u.locked from identity.credentials c join rm.users u on u.id = c.user_id
          where c.user_id = $1`,
        [userId],
      );
      const row = rows[0];
      if (!row) throw new DomainError('not_found', 'USER_NOT_FOUND', 'Không tìm thấy người dùng');
      if (row.locked) throw new DomainError('forbidden', 'ACCOUNT_LOCKED', 'Tài khoản đã bị khóa');
      await sendInvite(userId, row.email, row.name, locale);
    },

    /** Sets the first password with the invite's token and uses the token up. */
    async accept(input: { token: string; password: string }, metadata: CommandMetadata) {
      const tokenHash = hashToken(input.token);
      const { rows } = await deps.pool.query<{ user_id: string; email: string; name: string | null; locked: boolean }>(
        `select i.user_id, c.email, u.name, coalesce(u.locked, false) as locked from identity.staff_invites i
           join identity.credentials c using (user_id) left join rm.users u on u.id = i.user_id
          where i.token_hash = $1 and i.expires_at > $2`,
        [tokenHash, deps.clock()],
      );
      const row = rows[0];
      if (!row) throw inviteInvalid();
      if (row.locked) throw new DomainError('forbidden', 'ACCOUNT_LOCKED', 'Tài khoản đã bị khóa');
      const strength = checkPasswordStrength(input.password, { email: row.email, name: row.name ?? '' });
      if (!strength.ok) throw new DomainError('invalid', strength.code, strength.message, { field: 'password' });
      const passwordHash = await hashPassword(input.password);
      const client = await deps.pool.connect();
      try {
        await client.query('begin');
        const used = await client.query(
          'delete from identity.staff_invites where token_hash = $1 and expires_at > $2',
          [tokenHash, deps.clock()],
        );
        if (used.rowCount === 0) throw inviteInvalid(); // used meanwhile by a concurrent request
        await client.query(
          'update identity.credentials set password_hash = $2, updated_at = now() where user_id = $1',
          [row.user_id, passwordHash],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
      // The person holding the link is the invitee: they are the actor of their first password.
      await deps.users(
        { type: 'RecordPasswordChange', userId: row.user_id, via: 'invite', keepSessionId: null },
        { ...metadata, actorId: metadata.actorId ?? row.user_id },
      );
      return { userId: row.user_id, email: row.email };
    },

    /** A person who leaves can no longer use an open invite. */
    async cancel(userId: string) {
      await deps.pool.query('delete from identity.staff_invites where user_id = $1', [userId]);
    },
  };
}

export type InvitationService = ReturnType<typeof invitationService>;
