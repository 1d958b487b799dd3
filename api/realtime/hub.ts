import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/** What a client receives on `/ws`: always this JSON shape. */
export interface RealtimeMessage {
  type: string;
  data: unknown;
  /** ISO-8601 UTC, stamped by the publisher. */
  at: string;
}

export type RealtimeListener = (message: RealtimeMessage) => void;

/** Stops a subscription; `ready` settles once messages published from any process arrive. */
export type Unsubscribe = (() => void) & { ready: Promise<void> };

export interface RealtimeHub {
  /** Delivers to every connection of the user, in this process or (with Redis) any other. */
  publish(userId: string, message: { type: string; data?: unknown; at?: string }): Promise<void>;
  subscribe(userId: string, onMessage: RealtimeListener): Unsubscribe;
  close(): Promise<void>;
}

export interface RealtimeHubOptions {
  /** Fan-out through Redis pub/sub across API processes; in-process when unset. */
  redisUrl?: string;
  /** Channel prefix (default `rm:`); channels are `<prefix>rt:user:<id>`. Tests use a unique one. */
  prefix?: string;
  onError?: (error: unknown) => void;
}

const stamp = (message: { type: string; data?: unknown; at?: string }): RealtimeMessage => ({
  type: message.type,
  data: message.data ?? null,
  at: message.at ?? new Date().toISOString(),
});

/**
 * Per-user channels. Local listeners hang off one EventEmitter keyed by user id; with Redis a
 * process subscribes to `rt:user:<id>` while it has at least one listener for that user, and
 * publishing goes through Redis only (so a local listener is not served twice).
 */
export function createRealtimeHub(options: RealtimeHubOptions = {}): RealtimeHub {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const deliver = (userId: string, message: RealtimeMessage) => {
    for (const listener of local.listeners(userId) as RealtimeListener[]) {
      try {
        listener(message);
      } catch (error) {
        options.onError?.(error);
      }
    }
  };

  if (!options.redisUrl) {
    return {
      async publish(userId, message) {
        deliver(userId, stamp(message));
      },
      subscribe(userId, onMessage) {
        local.on(userId, onMessage);
        return Object.assign(() => void local.off(userId, onMessage), { ready: Promise.resolve() });
      },
      async close() {
        local.removeAllListeners();
      },
    };
  }

  const prefix = `${options.prefix ?? 'rm:'}rt:user:`;
  const connect = () => new Redis(options.redisUrl as string, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const publisher = connect();
  const subscriber = connect();
  for (const client of [publisher, subscriber]) client.on('error', (error) => options.onError?.(error));
  subscriber.on('message', (channel: string, text: string) => {
    if (!channel.startsWith(prefix)) return;
    try {
      deliver(channel.slice(prefix.length), JSON.parse(text) as RealtimeMessage);
    } catch (error) {
      options.onError?.(error);
    }
  });
  /** One SUBSCRIBE per user id, shared by its local listeners; settles when Redis confirmed it. */
  const subscriptions = new Map<string, Promise<void>>();
  let closed = false;

  return {
    async publish(userId, message) {
      await publisher.publish(prefix + userId, JSON.stringify(stamp(message)));
    },
    subscribe(userId, onMessage) {
      local.on(userId, onMessage);
      let ready = subscriptions.get(userId);
      if (!ready) {
        ready = subscriber.subscribe(prefix + userId).then(() => undefined);
        ready.catch((error: unknown) => {
          subscriptions.delete(userId);
          options.onError?.(error);
        });
        subscriptions.set(userId, ready);
      }
      const unsubscribe = () => {
        local.off(userId, onMessage);
        if (closed || local.listenerCount(userId) > 0 || !subscriptions.has(userId)) return;
        subscriptions.delete(userId);
        subscriber.unsubscribe(prefix + userId).catch((error: unknown) => options.onError?.(error));
      };
      return Object.assign(unsubscribe, { ready });
    },
    async close() {
      closed = true;
      local.removeAllListeners();
      subscriptions.clear();
      await Promise.all(
        [publisher, subscriber].map((client) =>
          client.status === 'wait' || client.status === 'end'
            ? client.disconnect()
            : client.quit().then(() => undefined),
        ),
      );
    },
  };
}
