import pg from 'pg';
import type { Logger } from 'pino';
import type { RealtimeHub } from '../../api/realtime/hub.js';
import { NOTIFICATION_CHANNEL } from './create.js';
import { inboxItemsById, unreadCounts } from './inbox.js';

const RECONNECT_MS = 1000;

/** What a writer's pg_notify says: a new inbox row (`notificationId`), or only a changed count (null). */
interface Announcement {
  userId: string;
  notificationId: string | null;
}

/**
 * Pushes inbox changes to the person's `/ws` sockets: `notification.created` { notification,
 * unreadCount } for a new inbox row, `notifications.unread` { unreadCount } after read or delete.
 * The writers `pg_notify` inside their transactions, so nothing is pushed before it is committed
 * (and a page that refetches on the push sees it). Runs in the projector role; with Redis the
 * hub reaches sockets on every API process.
 */
export function startNotificationPublisher(deps: { pool: pg.Pool; hub: RealtimeHub; logger: Logger }) {
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  /**
   * Announcements that arrive while a batch is being published wait and go out together: one
   * query for the unread counts and two for the new items, however many there are.
   */
  let queued: Announcement[] = [];
  let publishing = false;
  const publishBatch = async (batch: Announcement[]) => {
    const ids = batch.flatMap((a) => (a.notificationId === null ? [] : [a.notificationId]));
    const [counts, items] = await Promise.all([
      unreadCounts(
        deps.pool,
        batch.map((a) => a.userId),
      ),
      inboxItemsById(deps.pool, ids),
    ]);
    await Promise.all(
      batch.flatMap(({ userId, notificationId }) => {
        const unreadCount = counts.get(userId) ?? 0;
        if (notificationId === null) {
          return [deps.hub.publish(userId, { type: 'notifications.unread', data: { unreadCount } })];
        }
        const found = items.get(notificationId);
        if (found?.userId !== userId) return [];
        return [
          deps.hub.publish(userId, { type: 'notification.created', data: { notification: found.item, unreadCount } }),
        ];
      }),
    );
  };
  const publish = async (payload: string) => {
    queued.push(JSON.parse(payload) as Announcement);
    if (publishing) return;
    publishing = true;
    try {
      while (queued.length > 0) {
        const batch = queued;
        queued = [];
        await publishBatch(batch).catch((error: unknown) =>
          deps.logger.warn({ err: error }, 'notification publisher: push failed'),
        );
      }
    } finally {
      publishing = false;
    }
  };

  const connect = async () => {
    if (stopped) return;
    const listener = new pg.Client(deps.pool.options);
    listener.on('notification', (message) => {
      if (message.channel !== NOTIFICATION_CHANNEL || !message.payload) return;
      publish(message.payload).catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'notification publisher: bad announcement'),
      );
    });
    listener.on('error', (error) => {
      deps.logger.warn({ err: error }, 'notification publisher: connection lost; reconnecting');
      if (client === listener) client = null;
      listener.end().catch(() => undefined);
      schedule();
    });
    try {
      await listener.connect();
      await listener.query(`listen ${NOTIFICATION_CHANNEL}`);
      if (stopped) await listener.end();
      else client = listener;
    } catch (error) {
      deps.logger.warn({ err: error }, 'notification publisher: cannot listen yet; retrying');
      await listener.end().catch(() => undefined);
      schedule();
    }
  };
  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, RECONNECT_MS);
  };
  const ready = connect();

  return {
    /** Resolves once listening (tests connect a socket after this). */
    ready,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ready;
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
