// Who is signed in. The access token lives in this module's memory only (never in storage); the
// refresh token is an httpOnly cookie the browser sends to /api/v1/auth/refresh. On start-up, and
// whenever a request answers 401 AUTH_REQUIRED, the session is refreshed once and the request retried.
import { API_BASE, ApiError, apiGet, apiSend, setAuthHooks } from './api';
import { deviceLabel } from './device';
import { type Role, roleMay } from './roles';

export type Me = {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  roles: Role[];
  activeRole: Role;
  status: string;
  actingAs: string | null;
  /** Sent once the 2FA endpoints exist; undefined before. */
  twoFactorEnabled?: boolean;
};

/** The person an operator or admin acts for (kept in sessionStorage for this tab). */
export type ActAs = { id: string; name: string; email: string };

export type SessionAnswer = {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; roles: Role[]; activeRole: Role };
};
export type TwoFactorChallenge = { twoFactorRequired: true; challengeToken: string };

const ACT_AS_KEY = 'ui.actAs';
/**
 * "This browser has signed in" (never the token): spares first-time visitors a refresh call that
 * can only fail, and tells other tabs when someone signs out.
 */
const SIGNED_IN_KEY = 'ui.signedIn';
const AUTH = `${API_BASE}/auth`;
/**
 * Cookie-carried calls (refresh, logout) send this custom header: a cross-site page can make the
 * browser send the cookie but cannot add a header, so the server refuses the call without it.
 */
const CSRF = { 'X-CSRF-Protection': '1' };

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let started: Promise<void> | null = null;

export const session = $state<{ ready: boolean; user: Me | null; actAs: ActAs | null }>({
  ready: false,
  user: null,
  actAs: readActAs(),
});

function readActAs(): ActAs | null {
  try {
    const raw = globalThis.sessionStorage?.getItem(ACT_AS_KEY);
    const value = raw ? (JSON.parse(raw) as ActAs) : null;
    return value && typeof value.id === 'string' ? value : null;
  } catch {
    return null;
  }
}

function writeActAs(value: ActAs | null) {
  session.actAs = value;
  try {
    if (value) globalThis.sessionStorage?.setItem(ACT_AS_KEY, JSON.stringify(value));
    else globalThis.sessionStorage?.removeItem(ACT_AS_KEY);
  } catch {
    // storage unavailable: acting lasts for this page view only
  }
}

/**
 * Acting for someone applies to what is done for them; the staff member's own account
 * (`/api/v1/me/…`), the sign-in endpoints and the admin console stay their own.
 */
function actAsFor(path: string): string | null {
  if (!session.actAs) return null;
  if (/^\/api\/v1\/(auth|admin)\//.test(path) || path.startsWith(`${API_BASE}/me/`)) return null;
  return session.actAs.id;
}

function remember(signedIn: boolean) {
  try {
    if (signedIn) globalThis.localStorage?.setItem(SIGNED_IN_KEY, '1');
    else globalThis.localStorage?.removeItem(SIGNED_IN_KEY);
  } catch {
    // storage unavailable: every start tries the refresh cookie
  }
}

function mayHaveSession(): boolean {
  try {
    return globalThis.localStorage?.getItem(SIGNED_IN_KEY) !== null;
  } catch {
    return true;
  }
}

function clear() {
  accessToken = null;
  session.user = null;
  writeActAs(null);
  remember(false);
}

/** Serialises refreshes across tabs: the refresh token rotates, and a spent one revokes the session. */
function withRefreshLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request('rm-auth-refresh', run) : run();
}

async function refreshNow(): Promise<boolean> {
  try {
    const answer = await apiSend<SessionAnswer>('POST', `${AUTH}/refresh`, {}, { noRefresh: true, headers: CSRF });
    accessToken = answer.accessToken;
    return true;
  } catch (e) {
    // A network failure keeps what we have; a refusal means the session is over.
    if (!(e instanceof ApiError && e.status === 0)) clear();
    return false;
  }
}

/** One refresh at a time; concurrent callers share it. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= withRefreshLock(refreshNow).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

setAuthHooks({ accessToken: () => accessToken, actAs: actAsFor, refresh: refreshSession });

/** Reads the signed-in person again (after a role change, a 2FA change, …). */
export async function loadMe(): Promise<Me | null> {
  if (!accessToken) return null;
  try {
    session.user = await apiGet<Me>(`${API_BASE}/me`);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) clear();
    else throw e;
  }
  return session.user;
}

/** Restores the session from the refresh cookie; runs once, callers may await it. */
export function startSession(): Promise<void> {
  started ??= (async () => {
    // Signed out in another tab: forget the session here too.
    globalThis.addEventListener?.('storage', (event) => {
      if (event.key === SIGNED_IN_KEY && event.newValue === null && session.user) {
        accessToken = null;
        session.user = null;
        writeActAs(null);
      }
    });
    try {
      if (mayHaveSession() && (await refreshSession())) await loadMe();
    } catch {
      // offline or server error: start signed out, pages offer a retry
    } finally {
      session.ready = true;
    }
  })();
  return started;
}

async function begin(answer: SessionAnswer) {
  accessToken = answer.accessToken;
  remember(true);
  writeActAs(null);
  await loadMe();
}

/** Email + password. Answers the 2FA challenge when the account needs a code, else null (signed in). */
export async function signIn(email: string, password: string): Promise<TwoFactorChallenge | null> {
  const answer = await apiSend<SessionAnswer | TwoFactorChallenge>(
    'POST',
    `${AUTH}/login`,
    { email, password, device: deviceLabel() },
    { noRefresh: true },
  );
  if ('twoFactorRequired' in answer && answer.twoFactorRequired) return answer;
  await begin(answer as SessionAnswer);
  return null;
}

/** Second step: a 6-digit TOTP code or a recovery code `xxxx-xxxx`. */
export async function signInWithCode(challengeToken: string, code: string): Promise<void> {
  await begin(await apiSend<SessionAnswer>('POST', `${AUTH}/login/2fa`, { challengeToken, code }, { noRefresh: true }));
}

export async function signOut(): Promise<void> {
  try {
    if (accessToken) await apiSend<null>('POST', `${AUTH}/logout`, {}, { noRefresh: true, headers: CSRF });
  } catch {
    // the session may already be gone; forget it here either way
  }
  clear();
}

/** Switches the active role (UC-GEN-03); the server answers a token for it. */
export async function switchRole(role: Role): Promise<void> {
  const answer = await apiSend<{ accessToken: string; activeRole: Role }>('POST', `${API_BASE}/me/active-role`, {
    role,
  });
  accessToken = answer.accessToken;
  if (session.user) session.user.activeRole = answer.activeRole;
  if (!roleMay(answer.activeRole, 'user:act_as')) writeActAs(null);
  await loadMe();
}

export function startActingAs(user: ActAs): void {
  writeActAs(user);
}

export function stopActingAs(): void {
  writeActAs(null);
}
