import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { KurrentDbEventStore } from '../../commands/eventstore/kurrentdb.js';
import { describeEventStoreContract } from './eventstore.contract.js';

const IMAGE = 'docker.kurrent.io/kurrent-latest/kurrentdb:latest';
const NOT_EXERCISED = 'KurrentDB contract suite not exercised: set EVENTSTORE_URL or provide a Docker engine';

type DockerEndpoint = { socketPath: string } | { host: string; port: number; tls: boolean };

/** Where a Docker engine could answer, the way testcontainers would look for it. */
function dockerEndpoints(): DockerEndpoint[] {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost?.startsWith('unix://')) return [{ socketPath: dockerHost.slice('unix://'.length) }];
  if (dockerHost?.startsWith('tcp://')) {
    const url = new URL(dockerHost);
    const tls = process.env.DOCKER_TLS_VERIFY === '1';
    return [{ host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), tls }];
  }
  const sockets = ['/var/run/docker.sock', path.join(homedir(), '.docker/run/docker.sock')];
  if (process.env.XDG_RUNTIME_DIR) sockets.push(path.join(process.env.XDG_RUNTIME_DIR, 'docker.sock'));
  return sockets.filter((socketPath) => existsSync(socketPath)).map((socketPath) => ({ socketPath }));
}

/** `GET /_ping` answered with 200, or for a TLS engine at least a TCP connection. */
function answers(endpoint: DockerEndpoint): Promise<boolean> {
  return new Promise((resolve) => {
    if ('tls' in endpoint && endpoint.tls) {
      const socket = net.connect(endpoint.port, endpoint.host, () => {
        socket.destroy();
        resolve(true);
      });
      socket.setTimeout(1000, () => socket.destroy());
      socket.on('error', () => resolve(false)).on('close', () => resolve(false));
      return;
    }
    const target = 'socketPath' in endpoint ? { socketPath: endpoint.socketPath } : endpoint;
    const request = http.get({ ...target, path: '/_ping', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy()).on('error', () => resolve(false));
  });
}

async function dockerReachable(): Promise<boolean> {
  const results = await Promise.all(dockerEndpoints().map(answers));
  return results.includes(true);
}

const eventStoreUrl = process.env.EVENTSTORE_URL;
const docker = eventStoreUrl ? false : await dockerReachable();

if (eventStoreUrl) {
  describeEventStoreContract(`KurrentDB at EVENTSTORE_URL`, async () => {
    const store = new KurrentDbEventStore(eventStoreUrl);
    return { store, dispose: () => store.close() };
  });
} else if (docker) {
  describeEventStoreContract(`KurrentDB in a container (${IMAGE})`, async () => {
    // Loaded only here: testcontainers probes for Docker as soon as it is used.
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(IMAGE)
      .withEnvironment({ KURRENTDB_INSECURE: 'true', KURRENTDB_RUN_PROJECTIONS: 'None' })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((code) => code < 300))
      .withStartupTimeout(240_000)
      .start();
    const url = `kurrentdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
    const store = new KurrentDbEventStore(url);
    return {
      store,
      async dispose() {
        await store.close();
        await container.stop();
      },
    };
  });
} else {
  console.warn(NOT_EXERCISED);
  // Not a pass of the suite: this only records why it did not run.
  test('KurrentDB contract suite is skipped because neither EVENTSTORE_URL nor a Docker engine is there', () => {
    expect(process.env.EVENTSTORE_URL).toBeUndefined();
    expect(docker).toBe(false);
  });
}
