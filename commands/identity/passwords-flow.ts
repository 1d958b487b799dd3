import type pg from 'pg';
import { checkPasswordStrength } from '../../domain/identity/password-policy.js';
import { DomainError, invalid } from '../../domain/shared/errors.js';
import type { Mailer } from '../mail/port.js';
import { passwordResetMail } from '../mail/templates.js';
import type { CommandMetadata } from '../metadata.js';
import { normalizeEmail } from './accounts.js';
import { hashPassword, hashToken, randomDigits, verifyPassword } from './passwords.js';
import type { UserCommands } from './users.js';

const RESET_TTL_MS = 10 * 60 * 1000;
const MAX_CODE_ATTEMPTS = 5;

export interface PasswordFlowDeps {
  pool: pg.Pool;
  users: UserCommands;
  mailer: Mailer;
  clock: () => Date;
}

const codeInvalid = () => invalid('CODE_INVALID', 'Mã không đúng hoặc đã hết hạn', 'code');

/** Change password (signed in) and forgot/reset password with a 6-digit mailed code. */
export function passwordFlows(deps: PasswordFlowDeps) {
  async function setPassword(
    userId: string,
    email: string,
    name: string,
    password: string,
    via: 'change' | 'reset',
    keepSessionId: string | null,
    metadata: CommandMetadata,
  ) {
    const strength = checkPasswordStrength(password, { email, name });
    if (!strength.ok)
      throw new DomainError('invalid', strength.code, strength.message, {
        field: 'newPassword',
        details: { problems: strength.problems },
      });
    await deps.pool.query('update identity.credentials set password_hash = $2, updated_at = now() where user_id = $1', [
      userId,
      await hashPassword(password),
    ]);
    await deps.pool.query(
      `update identity.sessions set revoked_at = now(), revoked_reason = 'password_changed'
        where user_id = $1 and revoked_at is null and id is distinct from $2`,
      [userId, keepSessionId],
    );
    await deps.users({ type: 'RecordPasswordChange', userId, via, keepSessionId }, metadata);
  }

  async function account(where: 'user_id' | 'email', value: string) {
    const { rows } = await deps.pool.query<{
      user_id: string;
      email: string;
      password_hash: string;
      name: string | null;
    }>(
      `select c.user_id, c.email, c.password_hash, u.name from identity.credentials c
         left join rm.users u on u.id = c.user_id where c.${where} = $1`,
      [value],
    );
    return rows[0] ?? null;
  }

  return {
    /** Signs out the other devices; this one stays signed in. */
    async change(
      input: { userId: string; sessionId: string | null; currentPassword: string; newPassword: string },
      metadata: CommandMetadata,
    ) {
      const found = await account('user_id', input.userId);
      if (!found || !(await verifyPassword(found.password_hash, input.currentPassword))) {
        throw invalid('PASSWORD_INCORRECT', 'Mật khẩu hiện tại không đúng', 'currentPassword');
      }
      await setPassword(
        found.user_id,
        found.email,
        found.name ?? '',
        input.newPassword,
        'change',
        input.sessionId,
        metadata,
      );
    },

    /** Always answers the same, whether or not the email has an account. */
    async forgot(emailInput: string, locale: 'vi' | 'en', metadata: CommandMetadata): Promise<void> {
      const found = await account('email', normalizeEmail(emailInput));
      if (!found) return;
      await deps.users({ type: 'RequestPasswordReset', userId: found.user_id }, metadata).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'ACCOUNT_LOCKED') return null;
        throw error;
      });
      const code = randomDigits(6);
      const now = deps.clock();
      await deps.pool.query(
        `insert into identity.email_codes (user_id, purpose, code_hash, expires_at, attempts, sent_at)
         values ($1, 'reset', $2, $3, 0, $4)
         on conflict (user_id, purpose) do update
           set code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0, sent_at = excluded.sent_at`,
        [found.user_id, hashToken(code), new Date(now.getTime() + RESET_TTL_MS), now],
      );
      const mail = passwordResetMail({ name: found.name ?? found.email, code, locale });
      await deps.mailer.send({ to: found.email, ...mail, category: 'account.password_reset', locale });
    },

    /** 10 minutes, 5 tries; a reset signs out every device. */
    async reset(input: { email: string; code: string; newPassword: string }, metadata: CommandMetadata) {
      const found = await account('email', normalizeEmail(input.email));
      if (!found) throw codeInvalid();
      const { rows } = await deps.pool.query<{ code_hash: string; expires_at: Date; attempts: number }>(
        `select code_hash, expires_at, attempts from identity.email_codes where user_id = $1 and purpose = 'reset'`,
        [found.user_id],
      );
      const stored = rows[0];
      if (!stored || stored.expires_at < deps.clock() || stored.attempts >= MAX_CODE_ATTEMPTS) throw codeInvalid();
      if (stored.code_hash !== hashToken(input.code)) {
        await deps.pool.query(
          `update identity.email_codes set attempts = attempts + 1 where user_id = $1 and purpose = 'reset'`,
          [found.user_id],
        );
        throw codeInvalid();
      }
      await setPassword(found.user_id, found.email, found.name ?? '', input.newPassword, 'reset', null, metadata);
      await deps.pool.query(`delete from identity.email_codes where user_id = $1 and purpose = 'reset'`, [
        found.user_id,
      ]);
    },
  };
}

export type PasswordFlows = ReturnType<typeof passwordFlows>;
