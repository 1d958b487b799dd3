// Live slot changes over `/ws` (api/realtime/ws.ts): after `ready`, `watch` a provider's calendar
// and get `slots.changed` whenever its free slots change. Signed-out visitors have no socket (the
// socket needs a token); pages poll as well, so a lost socket only makes updates slower.
import { currentAccessToken } from '../api';
import { refreshSession } from '../session.svelte';

type SlotsChanged = { type: 'slots.changed'; data: { providerId: string; days?: string[] } };
const WS_UNAUTHORIZED = 4401;
const MAX_BACKOFF_MS = 30_000;

export interface SlotWatch {
  /** Watches exactly these providers (others are unwatched). */
  set(providerIds: readonly string[]): void;
  close(): void;
}

export function watchSlots(onChange: (providerId: string) => void): SlotWatch {
  let socket: WebSocket | null = null;
  let ready = false;
  let closed = false;
  let wanted = new Set<string>();
  let watching = new Set<string>();
  let backoff = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const send = (type: 'watch' | 'unwatch', calendar: string) =>
    socket?.send(JSON.stringify({ type, data: { calendar } }));

  function sync() {
    if (!ready || !socket) return;
    for (const id of watching) if (!wanted.has(id)) send('unwatch', id);
    for (const id of wanted) if (!watching.has(id)) send('watch', id);
    watching = new Set(wanted);
  }

  function connect() {
    const token = currentAccessToken();
    if (closed || wanted.size === 0 || !token || typeof WebSocket === 'undefined') return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws`, ['bearer', token]);
    socket = ws;
    ws.onmessage = (event) => {
      let message: { type?: string; data?: unknown };
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (message.type === 'ready') {
        ready = true;
        backoff = 1000;
        watching = new Set();
        sync();
      } else if (message.type === 'slots.changed') {
        const providerId = (message as SlotsChanged).data?.providerId;
        if (providerId && wanted.has(providerId)) onChange(providerId);
      }
    };
    ws.onclose = async (event) => {
      if (socket === ws) {
        socket = null;
        ready = false;
      }
      if (closed) return;
      // An expired access token: refresh it once, then come back.
      if (event.code === WS_UNAUTHORIZED && !(await refreshSession())) return;
      timer = setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
  }

  return {
    set(providerIds) {
      wanted = new Set(providerIds);
      if (socket) sync();
      else {
        clearTimeout(timer);
        connect();
      }
    },
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close(1000);
      socket = null;
    },
  };
}
