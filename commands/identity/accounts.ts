import type pg from 'pg';
import { checkPasswordStrength } from '../../domain/identity/password-policy.js';
import type { SelfServiceRole } from '../../domain/identity/roles.js';
import { DomainError, invalid } from '../../domain/shared/errors.js';
import type { Mailer } from '../mail/port.js';
import { verificationMail } from '../mail/templates.js';
import type { CommandMetadata } from '../metadata.js';
import { claimCredentials } from './credentials.js';
import { hashPassword, hashToken, randomDigits, randomToken } from './passwords.js';
import type { UserCommands } from './users.js';

const VERIFY_TTL_MS = 24 * 3600 * 1000;
const RESEND_COOLDOWN_MS = 60 * 1000;
const MAX_CODE_ATTEMPTS = 5;

export interface AccountDeps {
  pool: pg.Pool;
  users: UserCommands;
  mailer: Mailer;
  clock: () => Date;
  /** Where mailed links point, e.g. http://127.0.0.1:3000 (known once the server listens). */
  publicUrl: () => string;
}

export interface Registration {
  userId: string;
  email: string;
  password: string;
  name: string;
  phone: string | null;
  role: SelfServiceRole;
  locale: 'vi' | 'en';
}

export const normalizeEmail = (email: string) => email.normalize('NFC').trim().toLowerCase();

const codeInvalid = () => invalid('CODE_INVALID', 'Mã không đúng hoặc đã hết hạn', 'code');

export function accountService(deps: AccountDeps) {
  async function sendVerification(
    userId: string,
    email: string,
    name: string,
    locale: 'vi' | 'en',
    metadata: CommandMetadata,
  ) {
    const code = randomDigits(6);
    const linkToken = randomToken(24);
    const now = deps.clock();
    const { rowCount } = await deps.pool.query(
      `insert into identity.email_codes (user_id, purpose, code_hash, link_hash, expires_at, attempts, sent_at)
       values ($1, 'verify', $2, $3, $4, 0, $5)
       on conflict (user_id, purpose) do update
         set code_hash = excluded.code_hash, link_hash = excluded.link_hash, expires_at = excluded.expires_at,
             attempts = 0, sent_at = excluded.sent_at
         where identity.email_codes.sent_at < $6`,
      [
        userId,
        hashToken(code),
        hashToken(linkToken),
        new Date(now.getTime() + VERIFY_TTL_MS),
        now,
        new Date(now.getTime() - RESEND_COOLDOWN_MS),
      ],
    );
    if (rowCount === 0) {
      throw new DomainError('invalid', 'RESEND_TOO_SOON', 'Vui lòng đợi 60 giây trước khi gửi lại mã', {
        field: 'email',
      });
    }
    const link = `${deps.publicUrl()}/verify-email?token=${linkToken}`;
    const mail = verificationMail({ name, code, link, locale });
    await deps.mailer.send({ to: email, ...mail, category: 'account.verification', locale });
    await deps.users({ type: 'SendEmailVerification', userId }, metadata);
  }

  return {
    /** UC-GEN-02: the account starts unverified; a code and a link are mailed. */
    async register(input: Registration, metadata: CommandMetadata): Promise<{ userId: string }> {
      const email = normalizeEmail(input.email);
      const strength = checkPasswordStrength(input.password, { email, name: input.name });
      if (!strength.ok)
        throw new DomainError('invalid', strength.code, strength.message, {
          field: 'password',
          details: { problems: strength.problems },
        });
      const passwordHash = await hashPassword(input.password);
      const removeCredentials = await claimCredentials(deps.pool, { userId: input.userId, email, passwordHash });
      try {
        await deps.users(
          {
            type: 'RegisterUser',
            userId: input.userId,
            email,
            name: input.name,
            phone: input.phone,
            roles: [input.role],
          },
          metadata,
        );
      } catch (error) {
        // Nothing half-written: without its UserRegistered event the credentials row must go too.
        await removeCredentials();
        throw error;
      }
      await sendVerification(input.userId, email, input.name, input.locale, metadata);
      return { userId: input.userId };
    },

    async resendVerification(emailInput: string, locale: 'vi' | 'en', metadata: CommandMetadata): Promise<void> {
      const email = normalizeEmail(emailInput);
      const { rows } = await deps.pool.query<{ user_id: string; name: string | null; verified: boolean | null }>(
        `select c.user_id, u.name, u.email_verified as verified from identity.credentials c
           left join rm.users u on u.id = c.user_id where c.email = $1`,
        [email],
      );
      const row = rows[0];
      if (!row || row.verified) return; // say nothing about which emails exist
      await sendVerification(row.user_id, email, row.name ?? email, locale, metadata);
    },

    /**
     * First start: an admin account, verified, so someone can sign in. Runs once: the admin's id
     * is fixed, and an existing stream means it was done.
     */
    async bootstrapAdmin(input: { userId: string; email: string; password: string }, metadata: CommandMetadata) {
      const email = normalizeEmail(input.email);
      const { rowCount } = await deps.pool.query(
        'insert into identity.credentials (user_id, email, password_hash) values ($1, $2, $3) on conflict do nothing',
        [input.userId, email, await hashPassword(input.password)],
      );
      if (rowCount === 0) return false;
      const base = { userId: input.userId };
      await deps.users(
        { ...base, type: 'RegisterUser', email, name: 'Quản trị viên', phone: null, roles: ['admin'] },
        metadata,
      );
      await deps.users({ ...base, type: 'VerifyEmail' }, metadata);
      return true;
    },

    /** With the 6-digit code (and the email) or with the link's token. 5 wrong codes void it. */
    async verifyEmail(input: { email?: string; code?: string; token?: string }, metadata: CommandMetadata) {
      const now = deps.clock();
      const byToken = input.token !== undefined;
      const { rows } = await deps.pool.query<{
        user_id: string;
        code_hash: string;
        attempts: number;
        expires_at: Date;
      }>(
        byToken
          ? `select user_id, code_hash, attempts, expires_at from identity.email_codes where purpose = 'verify' and link_hash = $1`
          : `select e.user_id, e.code_hash, e.attempts, e.expires_at from identity.email_codes e
               join identity.credentials c using (user_id) where e.purpose = 'verify' and c.email = $1`,
        [byToken ? hashToken(input.token ?? '') : normalizeEmail(input.email ?? '')],
      );
      const row = rows[0];
      if (!row || row.expires_at < now || row.attempts >= MAX_CODE_ATTEMPTS) throw codeInvalid();
      if (!byToken && row.code_hash !== hashToken(input.code ?? '')) {
        await deps.pool.query(
          `update identity.email_codes set attempts = attempts + 1 where user_id = $1 and purpose = 'verify'`,
          [row.user_id],
        );
        throw codeInvalid();
      }
      await deps.users({ type: 'VerifyEmail', userId: row.user_id }, metadata);
      await deps.pool.query(`delete from identity.email_codes where user_id = $1 and purpose = 'verify'`, [
        row.user_id,
      ]);
      return { userId: row.user_id };
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
