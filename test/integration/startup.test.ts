import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { freePort } from '../../ops/embedded-postgres.js';
import { eventually } from '../support/app.js';

const MAIN = fileURLToPath(new URL('../../ops/main.ts', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test('a bad configuration value stops start-up with a message naming it', async () => {
  const started = run({ PORT: 'eighty', EVENTSTORE_URL: 'http://nope' });
  expect(await started.exited).toBe(1);
  expect(started.output()).toContain('PORT');
  expect(started.output()).toContain('EVENTSTORE_URL: must be a URL starting with esdb://');
});

test('the embedded default starts, serves health and the UI, and shuts down cleanly on SIGTERM', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'rental-start-'));
  await chmod(dataDir, 0o755);
  const port = await freePort();
  const started = run({
    DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(await freePort()),
    DATABASE_URL: '',
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    let exited = false;
    void started.exited.then(() => {
      exited = true;
    });
    while (!started.output().includes('is running')) {
      if (exited || Date.now() > deadline) throw new Error(`did not start:\n${started.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(started.output()).toContain(url);
    const health = (await (await fetch(`${url}/health`)).json()) as { data: { database: { ok: boolean } } };
    expect(health.data.database.ok).toBe(true);
    await eventually(async () => {
      const seeded = (await (await fetch(`${url}/api/v1/areas?level=province`)).json()) as { data: { name: string }[] };
      expect(seeded.data.map((a) => a.name).sort()).toEqual(['Thành phố Hà Nội', 'Thành phố Hồ Chí Minh']);
    });
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  } finally {
    started.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}, 90_000);
