import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { listOutbox } from '../../commands/mail/outbox.js';
import { systemMetadata } from '../../commands/metadata.js';
import { createServices, type Services } from '../../ops/services.js';
import { usersProjection } from '../../projections/identity/users-projection.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let services: Services;
beforeAll(async () => {
  db = await createTestDatabase();
  services = createServices({ databaseUrl: db.url, logger: pino({ level: 'silent' }), publicUrl: () => 'http://test' });
  await usersProjection.setup(services.db, 'rm'); // the table exists, but no projector fills it
});
afterAll(async () => {
  await services.close();
  await db.drop();
});

test('signing in right after verifying works before the users read model has caught up', async () => {
  const metadata = systemMetadata('lag-test');
  const userId = crypto.randomUUID();
  const email = 'fast@example.vn';
  const { accounts, sessions } = services.identity;
  await accounts.register(
    { userId, email, password: 'Phòng-trọ-2026', name: 'Nhanh', phone: null, role: 'owner', locale: 'vi' },
    metadata,
  );
  const [mail] = await listOutbox(db.pool, { to: email, limit: 1 });
  const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';
  await accounts.verifyEmail({ email, code }, metadata);

  const session = await sessions.login({ email, password: 'Phòng-trọ-2026', device: 'test' }, metadata);
  expect(session).toMatchObject({ userId, roles: ['owner'], activeRole: 'owner' });
  const { rows } = await db.pool.query('select count(*)::int as n from rm.users');
  expect(rows[0].n).toBe(0);
  if ('sessionId' in session) {
    expect(await sessions.currentSession(session.sessionId)).toMatchObject({ roles: ['owner'], locked: false });
  }
});
