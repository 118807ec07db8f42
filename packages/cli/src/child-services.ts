import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '@telenexus/runtime';

/** One of our processes started by `telenexus start`. */
export interface ChildService {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
}

/** The workspace's root, in the repository and in the image alike: this is packages/cli/{src,dist}. */
const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/**
 * The compiled entry point of a service or package, by its directory in the workspace
 * (`services/ingress` → …/services/ingress/dist/main.js). By path, not by package name: the CLI
 * starts the services without depending on them.
 */
export function entryPoint(workspace: string, relativePath: string): string {
  return join(WORKSPACE_ROOT, workspace, relativePath);
}

/**
 * Starts a compiled service as a child process sharing our terminal, with the services' Node flags
 * after our own (a later flag wins, so a service's memory bounds hold whatever we were started with).
 */
export function startChild(name: string, script: string, environment: NodeJS.ProcessEnv): ChildService {
  const child = fork(script, [], {
    env: environment,
    execArgv: [...process.execArgv, ...SERVICE_NODE_FLAGS],
    stdio: 'inherit',
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 0));
  });
  return { name, process: child, exited };
}

/**
 * Polls a URL until it answers at all (any HTTP status), the child exits, or time runs out.
 *
 * @returns false when the child exited or the deadline passed.
 */
export async function waitUntilAnswering(
  url: string,
  child: ChildService,
  timeoutMs = 30_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline && !exited) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return false;
}

/** Asks every child to stop (SIGTERM) and waits for all of them. */
export async function stopAll(children: readonly ChildService[]): Promise<void> {
  for (const child of children) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM');
  }
  await Promise.all(children.map((child) => child.exited));
}
