import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { TEST_SECRETS_KEY } from './test-secrets';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '..', '..');

/** The compiled entry points, as containers and `npm start` run them. */
export const ENTRY_POINTS = {
  ingress: join(ROOT, 'services', 'ingress', 'dist', 'main.js'),
  dispatcher: join(ROOT, 'services', 'dispatcher', 'dist', 'main.js'),
} as const;

export type ServiceName = keyof typeof ENTRY_POINTS;

/** The compiled CLI, as `npm start` and `npx telenexus` run it. */
export const CLI_ENTRY_POINT = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');

/** One of our services running as a real child process. */
export interface ServiceProcess {
  readonly name: ServiceName;
  readonly pid: number;
  /** Where its probes answer (and ingress's API). */
  readonly baseUrl: string;
  /** Where its /metrics answers: a port of its own (METRICS_PORT). */
  readonly metricsUrl: string;
  /** Every line it wrote to stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts a compiled service with the given environment (on free ports of its own) and waits until
 * its `/healthz` answers. Build first (`npm run build`); CI does.
 */
export async function startService(
  name: ServiceName,
  environment: Readonly<Record<string, string>>,
): Promise<ServiceProcess> {
  if (!existsSync(ENTRY_POINTS[name]))
    throw new Error(`${ENTRY_POINTS[name]} is missing: run npm run build first`);
  const [port, metricsPort] = [await freePort(), await freePort()];
  const portVariable = name === 'ingress' ? 'PORT' : 'HEALTH_PORT';
  const child: ChildProcess = spawn(process.execPath, [ENTRY_POINTS[name]], {
    env: {
      PATH: process.env.PATH ?? '',
      // Only what the test says: never the developer's own .env.
      ENV_FILE: '/dev/null',
      LOG_LEVEL: 'info',
      SECRETS_KEY: TEST_SECRETS_KEY,
      ...environment,
      [portVariable]: String(port),
      METRICS_PORT: String(metricsPort),
      HEALTH_HOST: '127.0.0.1',
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (gone) throw new Error(`${name} exited while starting:\n${output}`);
      try {
        return (await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(500) })).ok || undefined;
      } catch {
        return undefined;
      }
    },
    `${name} to answer /healthz`,
    20_000,
  );
  return {
    name,
    pid: child.pid!,
    baseUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    output: () => output,
    exited,
    signal: (signal) => {
      if (!gone) child.kill(signal);
    },
  };
}

/** Stops the processes (SIGTERM, then SIGKILL after the grace) and waits for them. */
export async function stopServices(processes: readonly ServiceProcess[], graceMs = 10_000): Promise<void> {
  await Promise.all(
    processes.map(async (service) => {
      service.signal('SIGTERM');
      const timer = setTimeout(() => service.signal('SIGKILL'), graceMs);
      await service.exited;
      clearTimeout(timer);
    }),
  );
}
