import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, sleep } from './child-process';

/** A redis-server of the run's own: its CPU is ours alone, which the shared Redis's never is. */
export interface PrivateRedis {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port with no persistence (nothing to fsync or fork for),
 * and waits until it answers PING.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // An interrupted run exits without awaiting anything: the server must not outlive it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // Refusals while the server starts are expected; connect() reports them.
  probe.on('error', () => undefined);
  try {
    for (let tries = 0; ; tries += 1) {
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch (error) {
        if (tries > 50) throw new Error(`redis-server did not start on port ${port}: ${String(error)}`);
        probe.disconnect();
        await sleep(100);
      }
    }
  } finally {
    probe.disconnect();
  }
  return {
    url,
    pid: child.pid ?? -1,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      child.kill('SIGTERM');
      await exited;
    },
  };
}
