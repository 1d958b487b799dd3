// The signed-in person's unread count, kept live over `/ws` (api/realtime/ws.ts pushes
// `notification.created` and `notifications.unread`), with a slow poll so a lost socket only makes
// the bell slower. The inbox page listens for new notifications to show them at the top; the
// contract, handover and rentals pages reload when one concerns what they show.
import { currentAccessToken } from './api';
import { getUnreadCount, type Notification, type NotificationMessage } from './notifications';
import { refreshSession, session } from './session.svelte';

const WS_UNAUTHORIZED = 4401;
const MAX_BACKOFF_MS = 30_000;
const POLL_MS = 60_000;

/** null until the first count arrives (or while signed out). */
export const inbox = $state<{ unreadCount: number | null }>({ unreadCount: null });

type Listener = (notification: Notification) => void;
const listeners = new Set<Listener>();

/** Calls `listener` for every notification that arrives live; returns the unsubscribe function. */
export function onNotification(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const CATCH_UP_MS = 1000;

/**
 * Reloads a page when a notification about what it shows arrives (`concerns`). The notice is
 * pushed once the inbox has it; the page's own read model catches up on its own, so it reloads
 * once more a moment later. Returns the unsubscribe function.
 */
export function reloadOnNotification(
  concerns: (notification: Notification) => boolean,
  reload: () => void,
): () => void {
  let again: ReturnType<typeof setTimeout> | undefined;
  const stop = onNotification((notification) => {
    if (!concerns(notification)) return;
    reload();
    clearTimeout(again);
    again = setTimeout(reload, CATCH_UP_MS);
  });
  return () => {
    stop();
    clearTimeout(again);
  };
}

/** Sets the count from an answer the page already has (the inbox list carries it). */
export function setUnreadCount(count: number): void {
  inbox.unreadCount = Math.max(0, count);
}

async function reloadCount(): Promise<void> {
  try {
    setUnreadCount((await getUnreadCount()).unreadCount);
  } catch {
    // keep the last count; the next poll or push corrects it
  }
}

let following: string | null = null;
let stopFollowing: (() => void) | null = null;

/**
 * Follows whose bell this is: `key` names the signed-in user (and the person acted for), null when
 * signed out. A new key starts over; the same key does nothing.
 */
export function followNotifications(key: string | null): void {
  if (key === following) return;
  stopFollowing?.();
  stopFollowing = null;
  following = key;
  inbox.unreadCount = null;
  if (key) stopFollowing = follow();
}

function follow(): () => void {
  let socket: WebSocket | null = null;
  let closed = false;
  let backoff = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // While acting for someone the socket still speaks for the staff member: counts come from the API.
  const actingForSomeone = () => session.actAs !== null;

  function handle(message: NotificationMessage) {
    if (actingForSomeone()) {
      void reloadCount();
      return;
    }
    setUnreadCount(message.data.unreadCount);
    if (message.type === 'notification.created') for (const listener of listeners) listener(message.data.notification);
  }

  function connect() {
    const token = currentAccessToken();
    if (closed || !token || typeof WebSocket === 'undefined') return;
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
        backoff = 1000;
        void reloadCount(); // catch up with what happened while disconnected
      } else if ((message.type === 'notification.created' || message.type === 'notifications.unread') && message.data) {
        handle(message as NotificationMessage);
      }
    };
    ws.onclose = async (event) => {
      if (socket === ws) socket = null;
      if (closed) return;
      if (event.code === WS_UNAUTHORIZED && !(await refreshSession())) return;
      timer = setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
  }

  void reloadCount();
  connect();
  const poll = setInterval(() => {
    if (document.visibilityState === 'visible') void reloadCount();
  }, POLL_MS);
  return () => {
    closed = true;
    clearTimeout(timer);
    clearInterval(poll);
    socket?.close(1000);
    socket = null;
  };
}
