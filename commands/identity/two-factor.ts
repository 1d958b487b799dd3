import type pg from 'pg';
import { DomainError, invalid } from '../../domain/shared/errors.js';
import type { CommandMetadata } from '../metadata.js';
import { verifyPassword } from './passwords.js';
import { matchRecoveryCode, matchTotpStep, newRecoveryCodes, newTotpSecret, totpQrDataUrl, totpUri } from './totp.js';
import type { UserCommands } from './users.js';

export interface TwoFactorDeps {
  pool: pg.Pool;
  users: UserCommands;
  clock: () => Date;
}

const codeInvalid = () => invalid('CODE_INVALID', 'Mã xác thực không đúng', 'code');

/** Optional TOTP second factor (otplib) with one-time recovery codes. */
export function twoFactorService(deps: TwoFactorDeps) {
  async function row(userId: string) {
    const { rows } = await deps.pool.query<{
      secret: string;
      enabled_at: Date | null;
      last_step: string | null;
      recovery_code_hashes: string[];
    }>('select secret, enabled_at, last_step, recovery_code_hashes from identity.totp where user_id = $1', [userId]);
    return rows[0] ?? null;
  }

  return {
    async isEnabled(userId: string): Promise<boolean> {
      return (await row(userId))?.enabled_at != null;
    },

    /** A new secret, not active until confirmed with a code from the authenticator app. */
    async setup(userId: string, email: string) {
      if ((await row(userId))?.enabled_at) {
        throw new DomainError('conflict', 'TWO_FACTOR_ALREADY_ENABLED', 'Xác thực hai lớp đã được bật');
      }
      const secret = newTotpSecret();
      await deps.pool.query(
        `insert into identity.totp (user_id, secret) values ($1, $2)
         on conflict (user_id) do update set secret = excluded.secret, last_step = null`,
        [userId, secret],
      );
      const otpauthUri = totpUri({ secret, accountName: email });
      return { secret, otpauthUri, qrDataUrl: await totpQrDataUrl(otpauthUri) };
    },

    async confirm(userId: string, code: string, metadata: CommandMetadata): Promise<{ recoveryCodes: string[] }> {
      const current = await row(userId);
      if (!current || current.enabled_at)
        throw invalid('TWO_FACTOR_NOT_PENDING', 'Hãy bắt đầu cài đặt xác thực hai lớp trước');
      const step = matchTotpStep(current.secret, code, deps.clock());
      if (step === null) throw codeInvalid();
      const { codes, hashes } = newRecoveryCodes();
      await deps.pool.query(
        'update identity.totp set enabled_at = $2, last_step = $3, recovery_code_hashes = $4 where user_id = $1',
        [userId, deps.clock(), step, hashes],
      );
      await deps.users({ type: 'EnableTwoFactor', userId }, metadata);
      return { recoveryCodes: codes };
    },

    /**
     * A TOTP code (each time step accepted once) or an unused recovery code. Returns false when
     * neither matches; the caller counts failures.
     */
    async verifySecondFactor(userId: string, code: string, metadata: CommandMetadata): Promise<boolean> {
      const current = await row(userId);
      if (!current?.enabled_at) return false;
      const lastStep = current.last_step === null ? undefined : Number(current.last_step);
      const step = matchTotpStep(current.secret, code, deps.clock(), lastStep);
      if (step !== null) {
        const { rowCount } = await deps.pool.query(
          'update identity.totp set last_step = $2 where user_id = $1 and (last_step is null or last_step < $2)',
          [userId, step],
        );
        return rowCount === 1;
      }
      const index = matchRecoveryCode(current.recovery_code_hashes, code);
      if (index < 0) return false;
      const used = current.recovery_code_hashes[index];
      const { rowCount } = await deps.pool.query(
        'update identity.totp set recovery_code_hashes = array_remove(recovery_code_hashes, $2) where user_id = $1 and $2 = any(recovery_code_hashes)',
        [userId, used],
      );
      if (rowCount !== 1) return false;
      const remaining = current.recovery_code_hashes.length - 1;
      await deps.users({ type: 'RecordRecoveryCodeUse', userId, remaining }, metadata);
      return true;
    },

    /** Needs the password and a current code, so a stolen session alone cannot turn it off. */
    async disable(userId: string, password: string, code: string, metadata: CommandMetadata): Promise<void> {
      const { rows } = await deps.pool.query<{ password_hash: string }>(
        'select password_hash from identity.credentials where user_id = $1',
        [userId],
      );
      if (!rows[0] || !(await verifyPassword(rows[0].password_hash, password))) {
        throw invalid('PASSWORD_INCORRECT', 'Mật khẩu không đúng', 'password');
      }
      if (!(await this.verifySecondFactor(userId, code, metadata))) throw codeInvalid();
      await deps.pool.query('delete from identity.totp where user_id = $1', [userId]);
      await deps.users({ type: 'DisableTwoFactor', userId }, metadata);
    },
  };
}

export type TwoFactorService = ReturnType<typeof twoFactorService>;
