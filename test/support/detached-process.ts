import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from './test-database';

/** A program running in a process group of its own, its output captured. */
export interface DetachedProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Signals the whole group (a CLI and the services it started). */
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts a program leading its own process group, with exactly the given environment: a test that
 * fails can then kill it and every process it started (see {@link killIfRunning}).
 */
export function startDetached(
  command: string,
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
  cwd?: string,
): DetachedProcess {
  const child = spawn(command, [...args], {
    cwd,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    signal: (signal) => process.kill(-child.pid!, signal),
  };
}

/** Kills the group of a process that is still running (after a failed test). */
export function killIfRunning(started: DetachedProcess | undefined): void {
  if (started?.child.pid && started.child.exitCode === null && started.child.signalCode === null)
    process.kill(-started.child.pid, 'SIGKILL');
}

/** A database name of a test's own on the test server, which the system under test creates itself. */
export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export function scratchDatabase(prefix: string): ScratchDatabase {
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const maintenance = new URL(TEST_DATABASE_URL);
      maintenance.pathname = '/postgres';
      const client = new Client({ connectionString: maintenance.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
