import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { assertMailMessage, type Mailer, type MailLocale, type MailMessage } from './port.js';

/** A mail as kept in `ops.mail_outbox` (schema: `mailOutboxSchema` in outbox-schema.ts). */
export interface OutboxMessage extends MailMessage {
  id: string;
  createdAt: Date;
}

export interface ListOutboxOptions {
  /** Only mail to this address (case-insensitive). */
  to?: string;
  /** Page size, 1 to 500. */
  limit: number;
  /** Cursor: the id of the last message of the previous page; returns the messages older than it. */
  before?: string;
}

const MAX_LIMIT = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keeps every message in the local outbox instead of sending it; the dev/`npm start` default. */
export class OutboxMailer implements Mailer {
  constructor(private readonly pool: pg.Pool) {}

  async send(message: MailMessage): Promise<{ id: string }> {
    assertMailMessage(message);
    const id = randomUUID();
    await this.pool.query(
      `insert into ops.mail_outbox (id, to_address, subject, text_body, html_body, category, locale)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [id, message.to, message.subject, message.text, message.html ?? null, message.category, message.locale],
    );
    return { id };
  }
}

interface OutboxRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  category: string;
  locale: MailLocale;
  created_at: Date;
}

const COLUMNS = 'id, to_address, subject, text_body, html_body, category, locale, created_at';

/** Newest first; page on with `before` set to the id of the last message returned. */
export async function listOutbox(pool: pg.Pool, options: ListOutboxOptions): Promise<OutboxMessage[]> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_LIMIT) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  if (options.before !== undefined && !UUID.test(options.before)) {
    throw new RangeError('before must be the id (uuid) of an outbox message');
  }
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.to !== undefined) {
    params.push(options.to);
    where.push(`lower(to_address) = lower($${params.length})`);
  }
  if (options.before !== undefined) {
    params.push(options.before);
    where.push(`(created_at, id) < (select created_at, id from ops.mail_outbox where id = $${params.length})`);
  }
  params.push(options.limit);
  const { rows } = await pool.query<OutboxRow>(
    `select ${COLUMNS} from ops.mail_outbox
     ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
     order by created_at desc, id desc limit $${params.length}`,
    params,
  );
  return rows.map(fromRow);
}

/** One message by id, or undefined when there is none (also for a malformed id). */
export async function getOutboxMessage(pool: pg.Pool, id: string): Promise<OutboxMessage | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await pool.query<OutboxRow>(`select ${COLUMNS} from ops.mail_outbox where id = $1`, [id]);
  const row = rows[0];
  return row ? fromRow(row) : undefined;
}

function fromRow(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    ...(row.html_body !== null && { html: row.html_body }),
    category: row.category,
    locale: row.locale,
    createdAt: row.created_at,
  };
}
