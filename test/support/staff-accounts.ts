import { expect } from 'vitest';
import { listOutbox } from '../../commands/mail/outbox.js';
import { eventually, type TestApp } from './app.js';

export const STRONG = 'Phòng-trọ-2026';
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
type Login = { accessToken: string; user: { id: string; roles: string[] } };

/** People for the roles and staff API tests: customers who sign up, and accounts created with an invite. */
export function staffTestAccounts(t: TestApp, admin: () => Record<string, string>) {
  async function signIn(email: string, password = STRONG): Promise<Login> {
    return eventually(async () => {
      const answer = await t.call<Login>('POST', '/api/v1/auth/login', { email, password });
      expect(answer.status).toBe(200);
      return answer.body.data;
    });
  }

  async function lastMail(email: string) {
    const [mail] = await listOutbox(t.db.pool, { to: email, limit: 1 });
    if (!mail) throw new Error(`no mail to ${email}`);
    return mail;
  }

  /** The token of the newest invite link mailed to `email`. */
  async function inviteToken(email: string): Promise<string> {
    const mail = await lastMail(email);
    expect(mail.category).toBe('staff.invite');
    const token = /\/set-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    if (!token) throw new Error(`no invite link mailed to ${email}`);
    return token;
  }

  async function signedInCustomer(email: string): Promise<{ id: string; token: string }> {
    const registered = await t.call<{ userId: string }>('POST', '/api/v1/auth/register', {
      email,
      password: STRONG,
      name: 'Trần Thị Bình',
    });
    const code = /\b(\d{6})\b/.exec((await lastMail(email)).text)?.[1];
    await t.call('POST', '/api/v1/auth/verify-email', { email, code });
    return { id: registered.body.data.userId, token: (await signIn(email)).accessToken };
  }

  /** Admin creates an account with these roles; the person accepts the invite and signs in. */
  async function invitedUser(email: string, roles: string[]): Promise<{ id: string; token: string }> {
    const body = { email, name: 'Lê Văn C', roles };
    const created = await t.call<{ userId: string }>('POST', '/api/v1/admin/users', body, admin());
    expect(created.status).toBe(201);
    const token = await inviteToken(email);
    const accepted = await t.call('POST', '/api/v1/auth/accept-invite', { token, password: STRONG });
    expect(accepted.status).toBe(200);
    return { id: created.body.data.userId, token: (await signIn(email)).accessToken };
  }

  return { signIn, inviteToken, signedInCustomer, invitedUser };
}

export type StaffTestAccounts = ReturnType<typeof staffTestAccounts>;
