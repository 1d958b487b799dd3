import type pg from 'pg';
import { conflict, notFound } from '../../domain/shared/errors.js';
import type { DeliveryChannel } from './channels/port.js';
import { NOTIFICATION_CHANNEL } from './create.js';
import { clientExecutor, type DeliveryQueue } from './queue.js';

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'retrying', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryView {
  channel: DeliveryChannel;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}

export interface InboxItem {
  id: string;
  type: string;
  category: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
  deliveries: DeliveryView[];
}

interface NotificationRow {
  id: string;
  type: string;
  category: string;
  title: string;
  body: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VISIBLE = 'deleted_at is null and in_app';
const missing = () => notFound('NOTIFICATION_NOT_FOUND', 'Không tìm thấy thông báo');

async function withDeliveries(pool: pg.Pool, rows: NotificationRow[]): Promise<InboxItem[]> {
  const { rows: deliveries } = await pool.query<{
    notification_id: string;
    channel: DeliveryChannel;
    status: DeliveryStatus;
    attempts: number;
    last_error: string | null;
    sent_at: Date | null;
  }>(
    `select notification_id, channel, status, attempts, last_error, sent_at from ops.notification_deliveries
      where notification_id = any($1::uuid[]) order by channel`,
    [rows.map((r) => r.id)],
  );
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    category: row.category,
    title: row.title,
    body: row.body,
    link: row.link,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
    deliveries: deliveries
      .filter((d) => d.notification_id === row.id)
      .map((d) => ({
        channel: d.channel,
        status: d.status,
        attempts: d.attempts,
        lastError: d.last_error,
        sentAt: d.sent_at?.toISOString() ?? null,
      })),
  }));
}

export async function unreadCount(pool: pg.Pool, userId: string): Promise<number> {
  if (!UUID.test(userId)) return 0; // the dev admin header's actor has no inbox
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from ops.notifications where user_id = $1 and read_at is null and ${VISIBLE}`,
    [userId],
  );
  return rows[0]?.n ?? 0;
}

/** Unread counts of many people in one query (the realtime publisher); 0 for those with none. */
export async function unreadCounts(pool: pg.Pool, userIds: readonly string[]): Promise<Map<string, number>> {
  const ids = [...new Set(userIds)].filter((id) => UUID.test(id));
  const counts = new Map(ids.map((id) => [id, 0]));
  if (ids.length === 0) return counts;
  const { rows } = await pool.query<{ user_id: string; n: number }>(
    `select user_id, count(*)::int as n from ops.notifications
      where user_id = any($1::uuid[]) and read_at is null and ${VISIBLE} group by user_id`,
    [ids],
  );
  for (const row of rows) counts.set(row.user_id, row.n);
  return counts;
}

/** A person's inbox, newest first; pass `nextCursor` back as `cursor` for the next page. */
export async function listInbox(
  pool: pg.Pool,
  userId: string,
  options: { unread?: boolean; cursor?: string | null; limit: number },
): Promise<{ items: InboxItem[]; unreadCount: number; nextCursor: string | null }> {
  if (!UUID.test(userId)) return { items: [], unreadCount: 0, nextCursor: null };
  const where = [`user_id = $1`, VISIBLE];
  const params: unknown[] = [userId];
  if (options.unread === true) where.push('read_at is null');
  if (options.unread === false) where.push('read_at is not null');
  if (options.cursor) {
    if (!UUID.test(options.cursor))
      return { items: [], unreadCount: await unreadCount(pool, userId), nextCursor: null };
    params.push(options.cursor);
    where.push(`(created_at, seq) < (select created_at, seq from ops.notifications where id = $${params.length})`);
  }
  params.push(options.limit);
  const { rows } = await pool.query<NotificationRow>(
    `select id, type, category, title, body, link, created_at, read_at from ops.notifications
      where ${where.join(' and ')} order by created_at desc, seq desc limit $${params.length}`,
    params,
  );
  const items = await withDeliveries(pool, rows);
  const last = rows.at(-1);
  return {
    items,
    unreadCount: await unreadCount(pool, userId),
    nextCursor: rows.length === options.limit && last ? last.id : null,
  };
}

/** One notification of the person (another person's is not found). */
export async function inboxItem(pool: pg.Pool, userId: string, id: string): Promise<InboxItem | null> {
  if (!UUID.test(id) || !UUID.test(userId)) return null;
  const { rows } = await pool.query<NotificationRow>(
    `select id, type, category, title, body, link, created_at, read_at from ops.notifications
      where id = $1 and user_id = $2 and ${VISIBLE}`,
    [id, userId],
  );
  return (await withDeliveries(pool, rows))[0] ?? null;
}

/** Inbox items by id with their owners, in two queries however many (the realtime publisher). */
export async function inboxItemsById(
  pool: pg.Pool,
  ids: readonly string[],
): Promise<Map<string, { userId: string; item: InboxItem }>> {
  const valid = ids.filter((id) => UUID.test(id));
  if (valid.length === 0) return new Map();
  const { rows } = await pool.query<NotificationRow & { user_id: string }>(
    `select id, user_id, type, category, title, body, link, created_at, read_at from ops.notifications
      where id = any($1::uuid[]) and ${VISIBLE}`,
    [valid],
  );
  const items = await withDeliveries(pool, rows);
  return new Map(rows.map((row, i) => [row.id, { userId: row.user_id, item: items[i] as InboxItem }]));
}

/** Tells the realtime publisher the unread count changed (delivered when the change commits). */
const announce = (pool: pg.Pool, userId: string) =>
  pool.query('select pg_notify($1, $2)', [NOTIFICATION_CHANNEL, JSON.stringify({ userId, notificationId: null })]);

export async function markRead(pool: pg.Pool, userId: string, id: string, now: Date) {
  if (!UUID.test(id) || !UUID.test(userId)) throw missing();
  const { rows } = await pool.query<{ read_at: Date; changed: boolean }>(
    `update ops.notifications set read_at = coalesce(read_at, $3)
      where id = $1 and user_id = $2 and ${VISIBLE}
      returning read_at, read_at = $3 as changed`,
    [id, userId, now],
  );
  const row = rows[0];
  if (!row) throw missing();
  if (row.changed) await announce(pool, userId);
  return { id, readAt: row.read_at.toISOString(), unreadCount: await unreadCount(pool, userId) };
}

export async function markAllRead(pool: pg.Pool, userId: string, now: Date) {
  if (!UUID.test(userId)) return { updated: 0, unreadCount: 0 };
  const { rowCount } = await pool.query(
    `update ops.notifications set read_at = $2 where user_id = $1 and read_at is null and ${VISIBLE}`,
    [userId, now],
  );
  if ((rowCount ?? 0) > 0) await announce(pool, userId);
  return { updated: rowCount ?? 0, unreadCount: await unreadCount(pool, userId) };
}

/** Hidden from the inbox at once; the row (and its delivery history) goes with the retention clean-up. */
export async function deleteNotification(pool: pg.Pool, userId: string, id: string, now: Date) {
  if (!UUID.test(id) || !UUID.test(userId)) throw missing();
  const { rows } = await pool.query<{ unread: boolean }>(
    `update ops.notifications set deleted_at = $3 where id = $1 and user_id = $2 and ${VISIBLE}
      returning read_at is null as unread`,
    [id, userId, now],
  );
  if (!rows[0]) throw missing();
  if (rows[0].unread) await announce(pool, userId);
  return { id, deleted: true as const, unreadCount: await unreadCount(pool, userId) };
}

export interface AdminDeliveryView {
  id: string;
  notificationId: string;
  userId: string;
  channel: DeliveryChannel;
  address: string;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  createdAt: string;
  type: string;
  title: string;
}

const ADMIN_COLUMNS = `d.id, d.notification_id, d.user_id, d.channel, d.address, d.status, d.attempts, d.max_attempts,
  d.last_error, d.next_attempt_at, d.sent_at, d.created_at, n.type, n.title`;

interface AdminRow {
  id: string;
  notification_id: string;
  user_id: string;
  channel: DeliveryChannel;
  address: string;
  status: DeliveryStatus;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  sent_at: Date | null;
  created_at: Date;
  type: string;
  title: string;
}

const adminView = (row: AdminRow): AdminDeliveryView => ({
  id: row.id,
  notificationId: row.notification_id,
  userId: row.user_id,
  channel: row.channel,
  address: row.address,
  status: row.status,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  lastError: row.last_error,
  nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
  sentAt: row.sent_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  type: row.type,
  title: row.title,
});

/** Delivery history for admins, newest first. */
export async function listDeliveries(
  pool: pg.Pool,
  filter: { status?: string; channel?: string; userId?: string; limit: number },
): Promise<AdminDeliveryView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [
    ['d.status', filter.status],
    ['d.channel', filter.channel],
    ['d.user_id', filter.userId],
  ] as const) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  params.push(filter.limit);
  const { rows } = await pool.query<AdminRow>(
    `select ${ADMIN_COLUMNS} from ops.notification_deliveries d join ops.notifications n on n.id = d.notification_id
      ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
      order by d.created_at desc, d.id desc limit $${params.length}`,
    params,
  );
  return rows.map(adminView);
}

/**
 * Sends a dead or failed delivery again from its first attempt; the attempt log keeps what came
 * before and who asked. 409 DELIVERY_NOT_RETRYABLE for any other status.
 */
export async function retryDelivery(
  deps: { pool: pg.Pool; queue: DeliveryQueue },
  id: string,
  actorId: string | null,
  now: Date,
): Promise<AdminDeliveryView> {
  if (!UUID.test(id)) throw notFound('DELIVERY_NOT_FOUND', 'Không tìm thấy lượt gửi');
  const client = await deps.pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ status: string; channel: 'email' | 'telegram' | 'sms'; bulk: boolean }>(
      'select status, channel, bulk from ops.notification_deliveries where id = $1 for update',
      [id],
    );
    const row = rows[0];
    if (!row) throw notFound('DELIVERY_NOT_FOUND', 'Không tìm thấy lượt gửi');
    if (row.status !== 'dead' && row.status !== 'failed') {
      throw conflict('DELIVERY_NOT_RETRYABLE', `Chỉ gửi lại được lượt gửi thất bại (hiện: ${row.status})`, {
        status: row.status,
      });
    }
    await client.query(
      `update ops.notification_deliveries
          set status = 'pending', attempts = 0, next_attempt_at = null, leased_until = null, updated_at = $2
        where id = $1`,
      [id, now],
    );
    await client.query(
      `insert into ops.notification_delivery_attempts (delivery_id, at, outcome, actor_id)
       values ($1, $2, 'retry_requested', $3)`,
      [id, now, actorId],
    );
    await deps.queue.enqueue(clientExecutor(client), {
      deliveryId: id,
      channel: row.channel,
      bulk: row.bulk,
      key: null,
    });
    const view = await client.query<AdminRow>(
      `select ${ADMIN_COLUMNS} from ops.notification_deliveries d join ops.notifications n on n.id = d.notification_id
        where d.id = $1`,
      [id],
    );
    await client.query('commit');
    return adminView(view.rows[0] as AdminRow);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
