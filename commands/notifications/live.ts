import pg from 'pg';
import type { Logger } from 'pino';
import type { RealtimeHub } from '../../api/realtime/hub.js';
import { NOTIFICATION_CHANNEL } from './create.js';
import { inboxItem, unreadCount } from './inbox.js';

const RECONNECT_MS = 1000;

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

  const publish = async (payload: string) => {
    const { userId, notificationId } = JSON.parse(payload) as { userId: string; notificationId: string | null };
    const count = await unreadCount(deps.pool, userId);
    if (notificationId === null) {
      await deps.hub.publish(userId, { type: 'notifications.unread', data: { unreadCount: count } });
      return;
    }
    const notification = await inboxItem(deps.pool, userId, notificationId);
    if (notification) {
      await deps.hub.publish(userId, { type: 'notification.created', data: { notification, unreadCount: count } });
    }
  };

  const connect = async () => {
    if (stopped) return;
    const listener = new pg.Client(deps.pool.options);
    listener.on('notification', (message) => {
      if (message.channel !== NOTIFICATION_CHANNEL || !message.payload) return;
      publish(message.payload).catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'notification publisher: push failed'),
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
