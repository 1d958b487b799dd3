import type pg from 'pg';
import { DomainError } from '../../domain/shared/errors.js';

/**
 * Claims an email for a new user: the unique email column of `identity.credentials` decides
 * between simultaneous sign-ups. Returns the compensation to run if the user's events fail.
 */
export async function claimCredentials(
  pool: pg.Pool,
  input: { userId: string; email: string; passwordHash: string },
): Promise<() => Promise<void>> {
  try {
    await pool.query('insert into identity.credentials (user_id, email, password_hash) values ($1, $2, $3)', [
      input.userId,
      input.email,
      input.passwordHash,
    ]);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new DomainError('conflict', 'EMAIL_TAKEN', 'Email này đã được đăng ký', { field: 'email' });
    }
    throw error;
  }
  return async () => {
    await pool.query('delete from identity.credentials where user_id = $1', [input.userId]);
  };
}
