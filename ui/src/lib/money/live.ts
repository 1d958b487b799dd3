// Live payment changes over `/ws` (api/realtime/ws.ts): the socket carries the signed-in user's
// messages, among them `payment.changed` for the payer. Nothing needs watching. Pages poll as well,
// so a lost socket only makes updates slower.
import { currentAccessToken } from '../api';
import { refreshSession } from '../session.svelte';
import type { PaymentChanged } from './types';

const WS_UNAUTHORIZED = 4401;
const MAX_BACKOFF_MS = 30_000;

/** Calls `onChange` for every `payment.changed`; returns a function that closes the socket. */
export function watchPayments(onChange: (change: PaymentChanged) => void): () => void {
  let socket: WebSocket | null = null;
  let closed = false;
  let backoff = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;

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
      if (message.type === 'ready') backoff = 1000;
      else if (message.type === 'payment.changed' && message.data) onChange(message.data as PaymentChanged);
    };
    ws.onclose = async (event) => {
      if (socket === ws) socket = null;
      if (closed) return;
      if (event.code === WS_UNAUTHORIZED && !(await refreshSession())) return;
      timer = setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
  }

  connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    socket?.close(1000);
    socket = null;
  };
}
