// Set-up calls of browser journeys made over HTTP (the dev admin header is off there, so calls carry
// a signed-in person's token): accounts with verified e-mail, staff with a shift, mailed codes.
import { expect } from 'vitest';
import { eventually } from '../support/app.js';

export type Answer<T> = { status: number; body: { success: boolean; data: T; error: { code: string } | null } };
export type Person = { name: string; email: string; password: string };

export function journeyApi(baseUrl: () => string) {
  async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<Answer<T>> {
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(`${baseUrl()}${path}`, { method, headers, body: payload });
    return { status: response.status, body: (await response.json()) as Answer<T>['body'] };
  }

  const login = (email: string, password: string) =>
    eventually(async () => {
      const answer = await api<{ accessToken: string }>('POST', '/api/v1/auth/login', { email, password });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.data.accessToken;
    });

  /** The newest mail to `email` in the outbox (read by the admin). */
  async function mailTo(email: string, adminToken: string): Promise<string> {
    const mail = await api<{ text: string }[]>('GET', `/api/v1/admin/mail-outbox?to=${email}`, undefined, adminToken);
    return mail.body.data[0]?.text ?? '';
  }

  /** Signs up with `role` and verifies the e-mail with the mailed code. */
  async function register(person: Person, role: 'owner' | 'customer', adminToken: string): Promise<string> {
    const registered = await api<{ userId: string }>('POST', '/api/v1/auth/register', { ...person, role });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const code = /\b(\d{6})\b/.exec(await mailTo(person.email, adminToken))?.[1];
    expect((await api('POST', '/api/v1/auth/verify-email', { email: person.email, code })).status).toBe(200);
    return registered.body.data.userId;
  }

  /** A sales staff member created by the admin (invite accepted), working every day 08:00–20:00 from `today`. */
  async function salesWithShift(person: Person, code: string, today: string, adminToken: string): Promise<string> {
    const created = await api<{ userId: string }>(
      'POST',
      '/api/v1/admin/staff',
      {
        email: person.email,
        name: person.name,
        phone: null,
        role: 'sales',
        profile: { code, title: 'Nhân viên kinh doanh', department: 'Kinh doanh', startDate: today, areaIds: [] },
      },
      adminToken,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const staffId = created.body.data.userId;
    const token = /\/set-password\?token=([A-Za-z0-9_-]+)/.exec(await mailTo(person.email, adminToken))?.[1];
    expect((await api('POST', '/api/v1/auth/accept-invite', { token, password: person.password })).status).toBe(200);
    const weekly = { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], start: '08:00', end: '20:00', from: today };
    const shift = await api('POST', `/api/v1/staff/${staffId}/weekly-shifts`, weekly, adminToken);
    expect(shift.status, JSON.stringify(shift.body)).toBe(201);
    return staffId;
  }

  return { api, login, mailTo, register, salesWithShift };
}
