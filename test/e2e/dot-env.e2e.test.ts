import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../support/free-port';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
const INGRESS = join(ROOT, 'services', 'ingress', 'dist', 'main.js');
const DISPATCHER = join(ROOT, 'services', 'dispatcher', 'dist', 'main.js');

interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}

const started: Started[] = [];

/** Runs a compiled entry point with nothing in its environment but PATH, HOME and the given extras. */
function launch(script: string, args: readonly string[], extra: Readonly<Record<string, string>>): Started {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH, HOME: tmpdir(), ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const process_ = { child, exited, output: () => output };
  started.push(process_);
  return process_;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/**
 * `.env` in the project root (here: the file ENV_FILE names, so the test never writes the real one)
 * configures `npm start`, every CLI command and both services; an exported variable wins over it.
 */
describe('Settings from .env', () => {
  const databaseName = `telenexus_env_${randomUUID().slice(0, 8)}`;
  const databaseUrl = new URL(TEST_DATABASE_URL);
  databaseUrl.pathname = `/${databaseName}`;
  const scratch = mkdtempSync(join(tmpdir(), 'telenexus-dotenv-'));
  const envFile = join(scratch, '.env');

  afterAll(async () => {
    for (const { child } of started)
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
    const admin = new URL(TEST_DATABASE_URL);
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await client.end();
  });

  it('When settings are only in .env, then npm start and each service use them, and exported variables win', async () => {
    const [port, healthPort, sandboxPort, exportedPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    writeFileSync(
      envFile,
      [
        '# Written as a newcomer would, from .env.example',
        `PORT=${port}`,
        `HEALTH_PORT=${healthPort}`,
        `SANDBOX_PORT=${sandboxPort}`,
        `DATABASE_URL=${databaseUrl.toString()}`,
        `REDIS_URL=${TEST_REDIS_URL}`,
        `QUEUE_PREFIX=env-${randomUUID().slice(0, 8)}`,
        'CONNECTION_POLL_INTERVAL_MS=0',
        '',
      ].join('\n'),
    );

    // npm start: the CLI reads the file and starts all three on the ports it names.
    const start = launch(CLI, ['start'], { ENV_FILE: envFile });
    await waitFor(() => start.output().includes('Press Ctrl+C to stop.'), 'the start banner', 30_000);
    expect(start.output()).toContain(`API:        http://localhost:${port}`);
    expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBe(true);
    expect(await answers(`http://127.0.0.1:${healthPort}/healthz`)).toBe(true);
    expect(await answers(`http://127.0.0.1:${sandboxPort}/`)).toBe(true);
    process.kill(-start.child.pid!, 'SIGINT');
    expect(await start.exited).toBe(0);

    // Each service started on its own reads the file too; PORT exported beside it wins.
    const ingress = launch(INGRESS, [], { ENV_FILE: envFile, PORT: String(exportedPort) });
    // The dispatcher needs an Evolution (npm start gave it the sandbox); it sends nothing here.
    const dispatcher = launch(DISPATCHER, [], {
      ENV_FILE: envFile,
      EVOLUTION_API_URL: 'http://127.0.0.1:9',
      EVOLUTION_API_KEY: 'unused',
    });
    await waitFor(() => answers(`http://127.0.0.1:${exportedPort}/readyz`), 'ingress on the exported port');
    await waitFor(() => answers(`http://127.0.0.1:${healthPort}/readyz`), 'the dispatcher on the .env port');
    expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBe(false);
    for (const service of [ingress, dispatcher]) {
      process.kill(-service.child.pid!, 'SIGTERM');
      expect(await service.exited).toBe(0);
    }
  }, 60_000);
});
