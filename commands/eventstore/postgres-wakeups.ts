import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type EventFilter, matchesFilter } from './port.js';

/** What an append wrote, as far as a subscriber's filter can tell. */
export type Appended = readonly { type: string; streamName: string }[];

/** Postgres refuses NOTIFY payloads of 8000 bytes or more; a longer list wakes everyone instead. */
const MAX_PAYLOAD = 7900;

interface Watcher {
  filter: EventFilter | undefined;
  changes: number;
  wake: (() => void) | null;
}

/**
 * Wakes Postgres subscribers when events are appended: in-process at once, and across processes
 * through LISTEN/NOTIFY. Only subscribers whose filter matches an appended event are woken, so
 * with ~30 filtered read models an append costs a read for the few that care, not for all of
 * them. NOTIFYs are coalesced (one in flight at a time, carrying what was appended meanwhile)
 * because each one is a transaction that queues on Postgres's global notify lock. A NOTIFY
 * without a list (other writers send '') wakes everyone.
 */
export function createWakeups(pool: pg.Pool, channel: string) {
  const instance = randomUUID();
  const watchers = new Set<Watcher>();
  let listener: pg.Client | null = null;
  let listening: Promise<void> | null = null;
  let notifying = false;
  /** What the next NOTIFY tells the other processes (deduplicated). */
  let unsent = new Map<string, Appended[number]>();
  let closed = false;

  /** `null`: anything may have been appended (an unknown writer), so every subscriber looks. */
  const bump = (touched: Appended | null) => {
    for (const watcher of watchers) {
      if (touched !== null && !touched.some((event) => matchesFilter(event, watcher.filter))) continue;
      watcher.changes += 1;
      watcher.wake?.();
    }
  };

  const onNotification = (payload: string | undefined) => {
    let message: { from?: string; events?: [string, string][] } = {};
    try {
      message = payload ? JSON.parse(payload) : {};
    } catch {
      // Not ours: wake everyone.
    }
    if (message.from === instance) return; // woken in-process already
    bump(message.events ? message.events.map(([type, streamName]) => ({ type, streamName })) : null);
  };

  const listen = () => {
    listening ??= (async () => {
      const client = new pg.Client(pool.options);
      client.on('notification', (message) => onNotification(message.payload));
      client.on('error', () => {
        // The connection dropped: reconnect on the next wait; pollers cover the gap meanwhile.
        listener = null;
        listening = null;
      });
      await client.connect();
      await client.query(`listen ${channel}`);
      listener = client;
    })().catch((error) => {
      listening = null;
      throw error;
    });
    return listening;
  };

  const payloadOf = (events: Appended): string => {
    const listed = JSON.stringify({ from: instance, events: events.map((e) => [e.type, e.streamName]) });
    return listed.length < MAX_PAYLOAD ? listed : JSON.stringify({ from: instance });
  };

  const sendNotify = async (): Promise<void> => {
    if (notifying) return;
    notifying = true;
    try {
      while (!closed && unsent.size > 0) {
        const payload = payloadOf([...unsent.values()]);
        unsent = new Map();
        await pool.query('select pg_notify($1, $2)', [channel, payload]);
      }
    } catch {
      // Subscribers in other processes fall back to polling; nothing is lost.
      unsent = new Map();
    } finally {
      notifying = false;
    }
  };

  return {
    notify(appended: Appended): void {
      bump(appended);
      if (closed) return;
      for (const event of appended) unsent.set(`${event.type}\u0000${event.streamName}`, event);
      void sendNotify();
    },
    /** One subscriber's view: it is woken only by appends its filter matches. */
    watch(filter: EventFilter | undefined) {
      const watcher: Watcher = { filter, changes: 0, wake: null };
      watchers.add(watcher);
      return {
        version: () => watcher.changes,
        /** Resolves when a matching append came since `version`, after `timeoutMs`, or on abort. */
        async waitForChange(version: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
          if (!closed && !listener) await listen().catch(() => undefined);
          if (watcher.changes !== version || signal.aborted) return;
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              watcher.wake = null;
              signal.removeEventListener('abort', done);
              resolve();
            };
            const timer = setTimeout(done, timeoutMs);
            watcher.wake = done;
            signal.addEventListener('abort', done, { once: true });
          });
        },
        close() {
          watcher.wake?.();
          watchers.delete(watcher);
        },
      };
    },
    async close(): Promise<void> {
      closed = true;
      for (const watcher of watchers) watcher.wake?.();
      await listening?.catch(() => undefined);
      await listener?.end().catch(() => undefined);
      listener = null;
    },
  };
}
