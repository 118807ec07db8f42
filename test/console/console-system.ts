import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../support/free-port';
import { TEST_DATABASE_URL } from '../support/test-database';
import { TEST_SECRETS_KEY } from '../support/test-secrets';
import { waitFor } from '../support/wait-for';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
const CONSOLE_INDEX = join(ROOT, 'packages', 'console', 'dist', 'index.html');

/** The whole system as `npm start` runs it, on a database and ports of its own. */
export interface ConsoleSystem {
  /** Ingress, where the console and the API are. */
  readonly baseUrl: string;
  /** From the first-start banner. */
  readonly adminKey: string;
  readonly sendKey: string;
  readonly instanceId: string;
  /** The Evolution sandbox, whose `/__sandbox` control routes play WhatsApp and the phone. */
  readonly sandboxUrl: string;
  output(): string;
  stop(): Promise<void>;
}

async function onMaintenanceDatabase(sql: string): Promise<void> {
  const maintenance = new URL(TEST_DATABASE_URL);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function bannerValue(output: string, pattern: RegExp, what: string): string {
  const value = pattern.exec(output)?.[1];
  if (!value) throw new Error(`The start banner has no ${what}:\n${output}`);
  return value;
}

/**
 * Runs the compiled CLI's `start` (sandbox, ingress, dispatcher) with a fresh database, free ports
 * and its own queue namespace, and reads the demo keys and instance from its banner. Build first
 * (`npm run build`, which builds the console too); CI does.
 */
export async function startConsoleSystem(): Promise<ConsoleSystem> {
  for (const [file, what] of [
    [CLI, 'The CLI'],
    [CONSOLE_INDEX, 'The console'],
  ] as const) {
    if (!existsSync(file))
      throw new Error(`${what} is not built (${file} is missing): run npm run build first`);
  }
  const databaseName = `telenexus_console_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const databaseUrl = new URL(TEST_DATABASE_URL);
  databaseUrl.pathname = `/${databaseName}`;
  await onMaintenanceDatabase(`CREATE DATABASE "${databaseName}"`);

  const [port, healthPort, sandboxPort] = [await freePort(), await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [CLI, 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      // Only what the test says: never the developer's own .env.
      ENV_FILE: '/dev/null',
      SECRETS_KEY: TEST_SECRETS_KEY,
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `console-${randomUUID().slice(0, 8)}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      HEALTH_PORT: String(healthPort),
      HEALTH_HOST: '127.0.0.1',
      SANDBOX_PORT: String(sandboxPort),
      // Free ports for /metrics: other tests run services beside this one.
      METRICS_PORT: '0',
      PUBLIC_BASE_URL: baseUrl,
      CONNECTION_POLL_INTERVAL_MS: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await onMaintenanceDatabase(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  };

  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`telenexus start exited:\n${output}`);
        return output.includes('Press Ctrl+C to stop.');
      },
      'the start banner',
      30_000,
    );
    return {
      baseUrl,
      adminKey: bannerValue(output, /Admin key \(shown only now\):\s+(tnx_\S+)/, 'admin key'),
      sendKey: bannerValue(output, /API key \(shown only now; store it\):\s+(tnx_\S+)/, 'API key'),
      instanceId: bannerValue(output, /Instance ID:\s+(\S+)/, 'instance ID'),
      sandboxUrl: `http://127.0.0.1:${sandboxPort}`,
      output: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
