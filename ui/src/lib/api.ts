// Typed client for the backend API (same origin; the Vite dev server proxies /api and /health).
// Every response body is the envelope { success, message, data, error }.

export type ApiErrorBody = { code: string; field?: string; details?: unknown };

export type Envelope<T> = {
  success: boolean;
  message: string;
  data: T | null;
  error: ApiErrorBody | null;
};

export const API_BASE = '/api/v1';

/**
 * Who is calling. session.svelte.ts installs these at start-up (api.ts cannot import it: the
 * session itself calls the API). Every request carries `Authorization: Bearer <access token>` when
 * signed in, and `X-Act-As: <userId>` while an operator or admin acts for someone.
 */
export type AuthHooks = {
  accessToken(): string | null;
  /** The user acted for on this request, or null (see session.svelte.ts for which paths). */
  actAs(path: string): string | null;
  /** Gets a new access token with the refresh cookie; false when there is no session any more. */
  refresh(): Promise<boolean>;
};

let hooks: AuthHooks | null = null;

export function setAuthHooks(next: AuthHooks | null): void {
  hooks = next;
}

/** The current access token (the WebSocket offers it as a sub-protocol), or null signed out. */
export const currentAccessToken = (): string | null => hooks?.accessToken() ?? null;

/** Thrown for `success: false` responses and for transport failures. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly details: unknown;
  /** Seconds from a `Retry-After` header (429), when the server sent one. */
  retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, field?: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }

  /** The field an error names, without any "body." / "query." prefix the validator may add. */
  get fieldName(): string | undefined {
    if (!this.field) return undefined;
    const parts = this.field.split(/[./]/).filter(Boolean);
    return parts[parts.length - 1];
  }
}

export type RequestOptions = {
  /** Do not refresh the session and retry on a 401 (the auth endpoints themselves). */
  noRefresh?: boolean;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Content-Type of a raw body (string or Blob); JSON bodies set it themselves. */
  contentType?: string;
  signal?: AbortSignal;
};

function authHeaders(path: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const token = hooks?.accessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const actAs = hooks?.actAs(path);
  if (actAs) headers['X-Act-As'] = actAs;
  return headers;
}

function isEnvelope(v: unknown): v is Envelope<unknown> {
  return typeof v === 'object' && v !== null && 'success' in v;
}

async function sendOnce(
  method: string,
  path: string,
  payload: BodyInit | undefined,
  contentType: string | undefined,
  opts: RequestOptions,
): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers, ...authHeaders(path) };
  if (contentType) headers['Content-Type'] = contentType;
  try {
    return await fetch(path, { method, headers, body: payload, signal: opts.signal, credentials: 'same-origin' });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', e instanceof Error ? e.message : String(e));
  }
}

/** A 401 saying the access token is missing, expired or revoked (worth one refresh). */
async function isAuthRequired(res: Response): Promise<boolean> {
  if (res.status !== 401) return false;
  try {
    const env = (await res.clone().json()) as Envelope<unknown>;
    return env?.error?.code === 'AUTH_REQUIRED';
  } catch {
    return false;
  }
}

/**
 * Sends with the current credentials; on a 401 `AUTH_REQUIRED` refreshes the session once (the
 * httpOnly cookie) and sends again with the new access token.
 */
async function send(method: string, path: string, body: unknown, opts: RequestOptions): Promise<Response> {
  let payload: BodyInit | undefined;
  let contentType: string | undefined;
  if (body instanceof FormData) {
    payload = body; // multipart: the browser sets Content-Type with the boundary
  } else if (body instanceof Blob || typeof body === 'string') {
    payload = body;
    contentType = opts.contentType ?? (body instanceof Blob && body.type ? body.type : 'text/plain');
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    contentType = 'application/json';
  }
  const res = await sendOnce(method, path, payload, contentType, opts);
  if (opts.noRefresh || !hooks || !(await isAuthRequired(res))) return res;
  if (!(await hooks.refresh())) return res;
  return sendOnce(method, path, payload, contentType, opts);
}

/** Reads the envelope whatever the status (the health page needs a degraded body too). */
export async function readEnvelope<T>(res: Response): Promise<Envelope<T>> {
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    // not JSON (proxy error page, empty body): fall through
  }
  if (isEnvelope(json)) return json as Envelope<T>;
  return {
    success: res.ok,
    message: res.ok ? '' : `HTTP ${res.status} ${res.statusText}`,
    data: null,
    error: res.ok ? null : { code: `HTTP_${res.status}` },
  };
}

async function unwrap<T>(res: Response): Promise<T> {
  const env = await readEnvelope<T>(res);
  if (!env.success) {
    const err = env.error ?? { code: `HTTP_${res.status}` };
    const error = new ApiError(res.status, err.code, env.message || err.code, err.field, err.details);
    const retryAfter = Number(res.headers.get('Retry-After'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) error.retryAfter = Math.ceil(retryAfter);
    throw error;
  }
  return env.data as T;
}

export async function apiGet<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  return unwrap<T>(await send('GET', path, undefined, opts));
}

export async function apiSend<T>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  opts: RequestOptions = {},
): Promise<T> {
  return unwrap<T>(await send(method, path, body, opts));
}

/** GET without unwrapping: status plus envelope (used where a non-2xx body still has data). */
export async function apiFetchEnvelope<T>(path: string, opts: RequestOptions = {}) {
  const res = await send('GET', path, undefined, opts);
  return { status: res.status, envelope: await readEnvelope<T>(res) };
}

/** Downloads a file (with auth headers, which a plain link cannot carry). */
export async function apiDownload(path: string, opts: RequestOptions = {}) {
  const res = await send('GET', path, undefined, opts);
  if (!res.ok) await unwrap<never>(res);
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const filename = match?.[1] ? decodeURIComponent(match[1]) : 'download';
  return { blob: await res.blob(), filename };
}

/** Hands a Blob to the browser as a file download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Writes are eventually consistent: after a command succeeds, poll a query until the change is
 * visible (or the timeout passes) and return the last result either way.
 */
export async function pollUntil<T>(
  query: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 2000, intervalMs = 150 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await query();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await query();
  }
  return value;
}
