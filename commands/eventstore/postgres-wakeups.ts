import pg from 'pg';

/**
 * Wakes Postgres subscribers when events are appended: in-process at once, and across processes
 * through LISTEN/NOTIFY. NOTIFYs are coalesced (one in flight at a time) because each one is a
 * transaction that queues on Postgres's global notify lock.
 */
export function createWakeups(pool: pg.Pool, channel: string) {
  let changes = 0;
  const waiters = new Set<() => void>();
  let listener: pg.Client | null = null;
  let listening: Promise<void> | null = null;
  let notifying = false;
  let notifyAgain = false;
  let closed = false;

  const bump = () => {
    changes += 1;
    for (const wake of waiters) wake();
    waiters.clear();
  };

  const listen = () => {
    listening ??= (async () => {
      const client = new pg.Client(pool.options);
      client.on('notification', bump);
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

  const sendNotify = async (): Promise<void> => {
    if (notifying) {
      notifyAgain = true;
      return;
    }
    notifying = true;
    try {
      do {
        notifyAgain = false;
        await pool.query('select pg_notify($1, $2)', [channel, '']);
      } while (notifyAgain && !closed);
    } catch {
      // Subscribers in other processes fall back to polling; nothing is lost.
    } finally {
      notifying = false;
    }
  };

  return {
    version: () => changes,
    notify(): void {
      bump();
      if (!closed) void sendNotify();
    },
    /** Resolves when anything changed since `version`, after `timeoutMs`, or on abort. */
    async waitForChange(version: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
      if (!closed && !listener) await listen().catch(() => undefined);
      if (changes !== version || signal.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    },
    async close(): Promise<void> {
      closed = true;
      for (const wake of waiters) wake();
      await listening?.catch(() => undefined);
      await listener?.end().catch(() => undefined);
      listener = null;
    },
  };
}
