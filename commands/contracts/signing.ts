import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { DomainError, invalid } from '../../domain/shared/errors.js';
import type { Mailer } from '../mail/port.js';
import { escapeHtml } from '../mail/templates.js';

/** What a one-time code signs: a contract or a handover report, as one of its parties. */
export type SigningSubject = 'contract' | 'handover';
export type SigningParty = 'customer' | 'owner';

export const OTP_TTL_MS = 10 * 60 * 1000;
export const OTP_MAX_ATTEMPTS = 5;
/** Codes one person may ask for in OTP_ISSUE_WINDOW_MS (across every document). */
export const OTP_ISSUE_LIMIT = 5;
export const OTP_ISSUE_WINDOW_MS = 10 * 60 * 1000;

/**
 * One-time signing codes (`ops.signing_challenges`). A row is bound to the signer, the document
 * (subject and id), the party and the document's hash at the time the code was sent; it is kept
 * after use (attempts, used_at) as the trace of how the signature was proven. Only a hash of the
 * code (salted with the row's id) is stored.
 */
export const signingChallengesSchema = /* sql */ `
create schema if not exists ops;
create table if not exists ops.signing_challenges (
  id              uuid primary key,
  user_id         text not null,
  subject         text not null check (subject in ('contract', 'handover')),
  subject_id      uuid not null,
  party           text not null check (party in ('customer', 'owner')),
  document_sha256 text not null,
  code_hash       text not null,
  attempts        integer not null default 0,
  sent_to         text not null,
  created_at      timestamptz not null,
  expires_at      timestamptz not null,
  used_at         timestamptz
);
create index if not exists signing_challenges_user on ops.signing_challenges (user_id, created_at desc);
create index if not exists signing_challenges_subject on ops.signing_challenges (subject, subject_id, created_at desc);
`;

export interface IssuedChallenge {
  challengeId: string;
  expiresAt: string;
  /** Where the code went, masked: `l***@example.vn`. */
  sentTo: string;
}

/** A code that proved right: what the signature it allows must carry. */
export interface VerifiedChallenge {
  challengeId: string;
  party: SigningParty;
  documentSha256: string;
}

export interface SigningDeps {
  pool: pg.Pool;
  mailer: Mailer;
  clock: () => Date;
}

const codeHash = (code: string, challengeId: string) =>
  createHash('sha256').update(`${code}\u0000${challengeId}`, 'utf8').digest('hex');

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `lan.nguyen@example.vn` → `l***@example.vn`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

const sixDigits = () => Array.from({ length: 6 }, () => String(randomInt(10))).join('');

const SUBJECT_NAMES: Record<SigningSubject, string> = { contract: 'hợp đồng thuê', handover: 'biên bản bàn giao' };

const otpError = (
  code: string,
  message: string,
  details?: Record<string, unknown>,
  kind: 'invalid' | 'conflict' | 'too_many' = 'invalid',
) => new DomainError(kind, code, message, { field: 'code', ...(details && { details }) });

/**
 * Issues and checks the 6-digit codes that sign contracts and handover reports: mailed to the
 * signer, valid 10 minutes, 5 tries, one use, at most 5 codes per person per 10 minutes.
 */
export function signingService(deps: SigningDeps) {
  const { pool, clock } = deps;

  async function signerAddress(userId: string): Promise<{ email: string; name: string }> {
    const { rows } = await pool.query<{ email: string | null; name: string | null }>(
      `select coalesce(c.email, u.email) as email, u.name
         from (select $1::text as id) me
         left join identity.credentials c on c.user_id::text = me.id
         left join rm.users u on u.id::text = me.id`,
      [userId],
    );
    const email = rows[0]?.email;
    if (!email) {
      throw new DomainError('conflict', 'SIGNER_HAS_NO_EMAIL', 'Tài khoản chưa có email để nhận mã ký');
    }
    return { email, name: rows[0]?.name ?? '' };
  }

  /** Sends a fresh code for `party` of the document whose current hash is `documentSha256`. */
  async function issue(input: {
    userId: string;
    subject: SigningSubject;
    subjectId: string;
    party: SigningParty;
    documentSha256: string;
    /** Shown in the mail: "Hợp đồng HD-1A2B3C4D, phòng P101". */
    documentTitle: string;
  }): Promise<IssuedChallenge> {
    const { email, name } = await signerAddress(input.userId);
    const now = clock();
    const challengeId = randomUUID();
    const code = sixDigits();
    const expiresAt = new Date(now.getTime() + OTP_TTL_MS);
    const client = await pool.connect();
    try {
      await client.query('begin');
      // One person's requests are counted one at a time, so parallel requests cannot pass the limit together.
      await client.query(`select pg_advisory_xact_lock(hashtext('signing-otp:' || $1))`, [input.userId]);
      const { rows } = await client.query<{ n: number; oldest: Date | null }>(
        `select count(*)::int as n, min(created_at) as oldest from ops.signing_challenges
          where user_id = $1 and created_at > $2`,
        [input.userId, new Date(now.getTime() - OTP_ISSUE_WINDOW_MS)],
      );
      const recent = rows[0];
      if (recent && recent.n >= OTP_ISSUE_LIMIT) {
        const freeAt = (recent.oldest?.getTime() ?? now.getTime()) + OTP_ISSUE_WINDOW_MS;
        const error = new DomainError(
          'too_many',
          'OTP_RATE_LIMITED',
          `Bạn đã yêu cầu quá ${OTP_ISSUE_LIMIT} mã trong 10 phút; vui lòng thử lại sau`,
        );
        Object.assign(error, { retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) });
        throw error;
      }
      await client.query(
        `insert into ops.signing_challenges
           (id, user_id, subject, subject_id, party, document_sha256, code_hash, sent_to, created_at, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          challengeId,
          input.userId,
          input.subject,
          input.subjectId,
          input.party,
          input.documentSha256,
          codeHash(code, challengeId),
          email,
          now,
          expiresAt,
        ],
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    await deps.mailer.send({
      to: email,
      ...otpMail(input.subject, input.documentTitle, name, code, input.documentSha256),
    });
    return { challengeId, expiresAt: expiresAt.toISOString(), sentTo: maskEmail(email) };
  }

  /**
   * Checks a code against its challenge and uses it up. Wrong code: 400 OTP_INVALID with
   * `attemptsLeft`; the fifth wrong try locks the challenge (429 OTP_LOCKED); past its 10 minutes
   * 400 OTP_EXPIRED; used already 409 OTP_USED; another person's or another document's challenge
   * 404 OTP_NOT_FOUND.
   */
  async function verify(input: {
    challengeId: string;
    code: string;
    userId: string;
    subject: SigningSubject;
    subjectId: string;
  }): Promise<VerifiedChallenge> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{
        user_id: string;
        subject: string;
        subject_id: string;
        party: SigningParty;
        document_sha256: string;
        code_hash: string;
        attempts: number;
        expires_at: Date;
        used_at: Date | null;
      }>('select * from ops.signing_challenges where id = $1 for update', [input.challengeId]);
      const row = rows[0];
      if (!row || row.user_id !== input.userId || row.subject !== input.subject || row.subject_id !== input.subjectId) {
        throw new DomainError(
          'not_found',
          'OTP_NOT_FOUND',
          'Không tìm thấy mã ký cho tài liệu này; hãy yêu cầu mã mới',
        );
      }
      if (row.used_at !== null)
        throw otpError('OTP_USED', 'Mã này đã được dùng; hãy yêu cầu mã mới', undefined, 'conflict');
      if (row.attempts >= OTP_MAX_ATTEMPTS) {
        throw otpError('OTP_LOCKED', 'Nhập sai quá 5 lần; hãy yêu cầu mã mới', { attemptsLeft: 0 }, 'too_many');
      }
      if (row.expires_at.getTime() <= clock().getTime()) {
        throw otpError('OTP_EXPIRED', 'Mã đã hết hạn (10 phút); hãy yêu cầu mã mới');
      }
      if (!/^\d{6}$/.test(input.code) || !sameHash(row.code_hash, codeHash(input.code, input.challengeId))) {
        const attempts = row.attempts + 1;
        await client.query('update ops.signing_challenges set attempts = $2 where id = $1', [
          input.challengeId,
          attempts,
        ]);
        await client.query('commit');
        const attemptsLeft = OTP_MAX_ATTEMPTS - attempts;
        if (attemptsLeft <= 0) {
          throw otpError('OTP_LOCKED', 'Nhập sai quá 5 lần; hãy yêu cầu mã mới', { attemptsLeft: 0 }, 'too_many');
        }
        throw otpError('OTP_INVALID', `Mã không đúng; còn ${attemptsLeft} lần thử`, { attemptsLeft });
      }
      await client.query('update ops.signing_challenges set used_at = $2 where id = $1', [input.challengeId, clock()]);
      await client.query('commit');
      return { challengeId: input.challengeId, party: row.party, documentSha256: row.document_sha256 };
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Gives a used code back when the signature it was for failed for a reason that was not the signer's. */
  async function release(challengeId: string): Promise<void> {
    await pool.query('update ops.signing_challenges set used_at = null where id = $1', [challengeId]);
  }

  return { issue, verify, release };
}

export type SigningService = ReturnType<typeof signingService>;

/** Verifies the code, then runs `sign`; a failure that is not a rule's refusal gives the code back. */
export async function withVerifiedCode<T>(
  signing: SigningService,
  input: Parameters<SigningService['verify']>[0],
  sign: (challenge: VerifiedChallenge) => Promise<T>,
): Promise<T> {
  if (input.code.length === 0) throw invalid('CODE_REQUIRED', 'Nhập mã OTP', 'code');
  const challenge = await signing.verify(input);
  try {
    return await sign(challenge);
  } catch (error) {
    if (!(error instanceof DomainError)) await signing.release(challenge.challengeId).catch(() => undefined);
    throw error;
  }
}

function otpMail(subject: SigningSubject, title: string, name: string, code: string, sha256: string) {
  const what = SUBJECT_NAMES[subject];
  const hello = name.trim() ? `Xin chào ${name.trim()},` : 'Xin chào,';
  const lines = [
    hello,
    `Mã OTP để ký ${what} của bạn (${title}) là:`,
    `    ${code}`,
    'Mã có hiệu lực trong 10 phút và chỉ dùng được một lần. Đừng chia sẻ mã này với bất kỳ ai.',
    `Mã chỉ ký đúng văn bản có mã băm SHA-256: ${sha256}`,
    'Nếu bạn không yêu cầu ký, hãy bỏ qua email này.',
    '— Phòng Trọ Việt',
  ];
  const html = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Mã ký ${escapeHtml(what)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1f2937;max-width:560px">
<p>${escapeHtml(hello)}</p>
<p>Mã OTP để ký ${escapeHtml(what)} của bạn (${escapeHtml(title)}) là:</p>
<p style="font-size:28px;font-weight:bold;letter-spacing:6px">${code}</p>
<p>Mã có hiệu lực trong 10 phút và chỉ dùng được một lần. Đừng chia sẻ mã này với bất kỳ ai.</p>
<p style="font-size:12px;color:#6b7280">SHA-256: ${sha256}</p>
</body></html>
`;
  return {
    subject: `Mã ký ${what} – Phòng Trọ Việt`,
    text: lines.join('\n\n'),
    html,
    category: `${subject}.otp`,
    locale: 'vi' as const,
  };
}
