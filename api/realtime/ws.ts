import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { calendarTopic } from '../../commands/booking/slot-changes.js';
import type { AccessClaims } from '../plugins/auth.js';
import { createRealtimeHub, type RealtimeHub, type RealtimeMessage, type Unsubscribe } from './hub.js';

/** Close codes of `/ws` (4000-4999 are the application's). */
export const WS_UNAUTHORIZED = 4401;
export const WS_FORBIDDEN = 4403;

/** The sub-protocol a browser offers with the token: `new WebSocket(url, ['bearer', accessToken])`. */
export const WS_BEARER_PROTOCOL = 'bearer';

/** What the socket needs from the identity side: is this session still live? */
export interface LiveSessions {
  currentSession(sessionId: string): Promise<{ userId: string; locked: boolean } | null>;
}

export interface RealtimeOptions {
  /** In-process hub (closed with the app) when not given. */
  hub?: RealtimeHub;
  sessions: LiveSessions;
  /** How often an open socket is pinged and its session re-checked (default 30 s). */
  recheckMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A socket may watch this many providers' calendars for `slots.changed` at once. */
const MAX_WATCHED_CALENDARS = 20;

const message = (type: string, data: unknown = null): string =>
  JSON.stringify({ type, data, at: new Date().toISOString() } satisfies RealtimeMessage);

/** The access token from `?token=` or from the offered sub-protocols (`bearer, <token>`). */
function tokenOf(request: FastifyRequest): string | null {
  const query = request.query as { token?: unknown } | undefined;
  if (typeof query?.token === 'string' && query.token.length > 0) return query.token;
  const offered = request.headers['sec-websocket-protocol'];
  if (typeof offered !== 'string') return null;
  const protocols = offered.split(',').map((p) => p.trim());
  const at = protocols.indexOf(WS_BEARER_PROTOCOL);
  return at >= 0 ? (protocols[at + 1] ?? null) : null;
}

/**
 * `GET /ws`: a WebSocket that carries the signed-in user's messages (`{ type, data, at }`).
 * The first message is `{ type: 'ready', data: { userId } }`, sent once the user's channel is
 * subscribed (across processes when the hub uses Redis). A missing or bad token, or a revoked
 * session, closes the socket with 4401; a locked account with 4403. Token and session are
 * re-checked every `recheckMs`, so revoking the session (or the access token expiring) ends an
 * open socket with 4401 too: the client refreshes its token and reconnects. A client may send
 * `{ "type": "ping" }` and gets `pong` back, and `{ "type": "watch" | "unwatch", "data": { "calendar": providerId } }`
 * to receive (or stop) `slots.changed` of a provider's calendar.
 */
export async function registerRealtime(app: FastifyInstance, options: RealtimeOptions): Promise<void> {
  const hub = options.hub ?? createRealtimeHub();
  if (!options.hub) app.addHook('onClose', () => hub.close());
  const recheckMs = options.recheckMs ?? 30_000;
  await app.register(fastifyWebsocket, {
    options: {
      maxPayload: 16 * 1024,
      handleProtocols: (protocols: Set<string>) => (protocols.has(WS_BEARER_PROTOCOL) ? WS_BEARER_PROTOCOL : false),
    },
  });

  async function authenticate(request: FastifyRequest): Promise<{ userId: string; sessionId: string } | number> {
    const token = tokenOf(request);
    if (!token) return WS_UNAUTHORIZED;
    let claims: AccessClaims;
    try {
      claims = app.jwt.verify<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return WS_UNAUTHORIZED;
    }
    const session = await options.sessions.currentSession(claims.sid);
    if (!session || session.userId !== claims.sub) return WS_UNAUTHORIZED;
    if (session.locked) return WS_FORBIDDEN;
    return { userId: claims.sub, sessionId: claims.sid };
  }

  app.get('/ws', { websocket: true, schema: { hide: true } }, async (socket: WebSocket, request) => {
    let closed = false;
    let stop = () => {};
    socket.on('close', () => {
      closed = true;
      stop();
    });
    const who = await authenticate(request).catch((error: unknown) => {
      request.log.warn({ err: error }, 'websocket authentication failed');
      return 1011;
    });
    if (closed) return;
    if (typeof who === 'number') {
      socket.close(who, who === WS_FORBIDDEN ? 'ACCOUNT_LOCKED' : 'AUTH_REQUIRED');
      return;
    }

    const unsubscribe = hub.subscribe(who.userId, (m) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
    });
    let alive = true;
    socket.on('pong', () => {
      alive = true;
    });
    const timer = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
      void authenticate(request)
        .then((again) => {
          if (typeof again === 'number') socket.close(again, 'SESSION_ENDED');
        })
        .catch(() => undefined);
    }, recheckMs);
    stop = () => {
      clearInterval(timer);
      unsubscribe();
    };
    if (closed) return stop();

    const watching = new Map<string, Unsubscribe>();
    const stopUser = stop;
    stop = () => {
      stopUser();
      for (const unwatch of watching.values()) unwatch();
      watching.clear();
    };
    socket.on('message', (raw) => {
      let incoming: { type?: unknown; data?: { calendar?: unknown } };
      try {
        incoming = JSON.parse(raw.toString());
      } catch {
        socket.close(1003, 'JSON_EXPECTED');
        return;
      }
      if (incoming.type === 'ping') socket.send(message('pong'));
      const calendar = incoming.data?.calendar;
      if (typeof calendar !== 'string' || !UUID.test(calendar)) return;
      if (incoming.type === 'watch' && !watching.has(calendar) && watching.size < MAX_WATCHED_CALENDARS) {
        watching.set(
          calendar,
          hub.subscribe(calendarTopic(calendar), (m) => {
            if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
          }),
        );
      }
      if (incoming.type === 'unwatch') {
        watching.get(calendar)?.();
        watching.delete(calendar);
      }
    });
    try {
      await unsubscribe.ready;
      if (socket.readyState === socket.OPEN) socket.send(message('ready', { userId: who.userId }));
    } catch (error) {
      request.log.warn({ err: error }, 'realtime subscription failed');
      socket.close(1011, 'UNAVAILABLE');
    }
  });
}
