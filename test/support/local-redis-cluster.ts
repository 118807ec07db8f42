import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

const run = promisify(execFile);

/** A three-master Redis Cluster on loopback, from the machine's own redis-server. */
export interface LocalRedisCluster {
  readonly ports: readonly number[];
  /** The seed list as REDIS_URL takes it with REDIS_CLUSTER=true. */
  readonly url: string;
  stop(): Promise<void>;
}

async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

export async function startLocalRedisCluster(): Promise<LocalRedisCluster> {
  const directory = mkdtempSync(join(tmpdir(), 'telenexus-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  for (const port of ports) {
    const node = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(directory, `nodes-${port}.conf`),
        '--dir',
        directory,
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore', detached: false },
    );
    node.unref();
  }
  for (const port of ports) {
    await waitFor(
      async () => (await redisCli(port, 'ping').catch(() => '')).trim() === 'PONG' || undefined,
      `node ${port}`,
    );
  }
  await run('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((port) => `127.0.0.1:${port}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  for (const port of ports) {
    await waitFor(
      async () => (await redisCli(port, 'cluster', 'info')).includes('cluster_state:ok') || undefined,
      `cluster state ok on ${port}`,
    );
  }
  return {
    ports,
    url: ports.map((port) => `redis://127.0.0.1:${port}`).join(','),
    async stop() {
      for (const port of ports) await redisCli(port, 'shutdown', 'nosave').catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
