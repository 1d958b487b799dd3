import sharp from 'sharp';
import { expect } from 'vitest';
import { bearer, mailedCode, STRONG_PASSWORD, signIn } from './accounts.js';
import { type ApiAnswer, eventually, TEST_ADMIN, type TestApp } from './app.js';

export { bearer };

/** A minimal PDF and a real PNG, for uploads checked by content. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
export const png = (size = 32) =>
  sharp({ create: { width: size, height: size, channels: 3, background: '#1a7f5a' } })
    .png()
    .toBuffer();

export interface Person {
  id: string;
  token: string;
}

export interface UploadFile {
  field: string;
  bytes: Buffer;
  name: string;
  type: string;
}

/**
 * Signed-in people of a test app, made over HTTP: sign-up, mailed code, sign-in. Takes the app
 * lazily, so a file can set the helpers up at the top and start the app in `beforeAll`.
 */
export function people(app: () => TestApp) {
  async function login(email: string, password = STRONG_PASSWORD): Promise<string> {
    return eventually(async () => {
      const answer = await signIn(app(), email, password);
      expect(answer.status).toBe(200);
      return answer.body.data.accessToken;
    });
  }

  async function person(email: string, role: 'customer' | 'owner' | 'expert', name = 'Lê Minh'): Promise<Person> {
    const t = app();
    const registered = await t.call<{ userId: string }>('POST', '/api/v1/auth/register', {
      email,
      password: STRONG_PASSWORD,
      name,
      role,
    });
    expect(registered.status).toBe(201);
    const code = await mailedCode(t, email);
    expect((await t.call('POST', '/api/v1/auth/verify-email', { email, code })).status).toBe(200);
    return { id: registered.body.data.userId, token: await login(email) };
  }

  /** A staff member granted the operator role by the admin, with that role active. */
  async function operator(email: string): Promise<Person> {
    const t = app();
    const admin = await login(TEST_ADMIN.email, TEST_ADMIN.password);
    const { id } = await person(email, 'customer', 'Điều Hành');
    const granted = await t.call('POST', `/api/v1/admin/users/${id}/roles`, { role: 'operator' }, bearer(admin));
    expect(granted.status).toBe(200);
    const token = await eventually(async () => {
      const switched = await t.call<{ accessToken: string }>(
        'POST',
        '/api/v1/me/active-role',
        { role: 'operator' },
        bearer(await login(email)),
      );
      expect(switched.status).toBe(200);
      return switched.body.data.accessToken;
    });
    return { id, token };
  }

  /** A multipart request through real HTTP, the way a browser's FormData sends it. */
  async function upload(
    pathname: string,
    token: string,
    files: UploadFile[],
    fields: Record<string, string> = {},
  ): Promise<ApiAnswer<Record<string, unknown>>> {
    const t = app();
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files) form.append(file.field, new Blob([file.bytes], { type: file.type }), file.name);
    const response = await fetch(`${t.url}${pathname}`, { method: 'POST', headers: bearer(token), body: form });
    const body = (await response.json()) as ApiAnswer<Record<string, unknown>>['body'];
    return { status: response.status, headers: response.headers, body };
  }

  return { login, person, operator, upload };
}
