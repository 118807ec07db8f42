import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** One process the benchmark started: one of our services, a baseline, or a load generator. */
export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it wrote, for error reports. */
  output(): string;
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after the grace; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Every process started and not yet stopped, so a failing or interrupted run still cleans up. */
const running = new Set<BenchProcess>();

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a compiled script as a child process with exactly the given environment (plus PATH, and
 * no .env file), its output captured. `ipc` forks it with a message channel.
 */
export function startProcess(
  name: string,
  script: string,
  environment: Readonly<Record<string, string>>,
  options: { ipc?: boolean; args?: readonly string[]; nodeArgs?: readonly string[] } = {},
): BenchProcess {
  const env = { PATH: process.env.PATH ?? '', ENV_FILE: '/dev/null', ...environment };
  const child = options.ipc
    ? fork(script, [...(options.args ?? [])], {
        env,
        execArgv: [...(options.nodeArgs ?? [])],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      })
    : spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...(options.args ?? [])], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  let output = '';
  const keep = (chunk: Buffer): void => {
    // Only the tail matters for an error report; a chatty child must not grow our memory.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  let gone = false;
  const handle: BenchProcess = {
    name,
    pid: child.pid ?? -1,
    child,
    output: () => output,
    exited,
    stop: async (graceMs = 15_000) => {
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!gone) child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
      running.delete(handle);
    },
  };
  void exited.then(() => {
    gone = true;
  });
  running.add(handle);
  return handle;
}

/** Stops every process still running (used on failure and on Ctrl-C). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((handle) => handle.stop(5_000)));
}

/** Polls a URL until it answers 2xx; fails early with the child's output if the child exits. */
export async function waitUntilReady(
  processHandle: BenchProcess,
  url: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void processHandle.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${processHandle.name} exited while starting:\n${processHandle.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(
    `${processHandle.name} did not answer ${url} within ${timeoutMs} ms:\n${processHandle.output()}`,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resident set size of a process in bytes, from /proc (Linux); undefined once it is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the RSS of processes until stopped; reports each one's peak. */
export class RssSampler {
  private readonly peaks = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: readonly number[],
    intervalMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Stops sampling and returns the peak per pid, in bytes. */
  stop(): Map<number, number> {
    clearInterval(this.timer);
    this.sample();
    return this.peaks;
  }

  private sample(): void {
    for (const pid of this.pids) {
      const bytes = residentBytes(pid);
      if (bytes !== undefined) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, bytes));
    }
  }
}
