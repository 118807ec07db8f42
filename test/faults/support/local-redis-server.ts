import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../support/free-port';
import { waitFor } from '../../support/wait-for';

const run = promisify(execFile);

/**
 * A Redis of the fault run's own, configured as production should be (AOF, noeviction), so a
 * scenario can restart or flush it without touching the Redis other tests use.
 */
export class LocalRedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly directory: string,
  ) {}

  static async start(): Promise<LocalRedisServer> {
    const server = new LocalRedisServer(
      await freePort(),
      mkdtempSync(join(tmpdir(), 'telenexus-faults-redis-')),
    );
    await server.boot();
    return server;
  }

  /** Stops Redis the way a crash or an orchestrator's kill would, then starts it again with its AOF. */
  async restart(downMs = 0): Promise<void> {
    await this.halt();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.boot();
  }

  /** Empties Redis: every queue, every job, every pacing key — the worst loss Redis can suffer. */
  async flush(): Promise<void> {
    await this.cli('FLUSHALL');
  }

  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async boot(): Promise<void> {
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.directory,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => (await this.cli('PING').catch(() => '')).trim() === 'PONG' || undefined,
      'redis to start',
    );
  }

  private async halt(): Promise<void> {
    const process = this.process;
    this.process = undefined;
    if (!process || process.exitCode !== null) return;
    const exited = new Promise((resolve) => process.once('exit', resolve));
    process.kill('SIGKILL');
    await exited;
  }

  private async cli(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...args]);
    return stdout;
  }
}
