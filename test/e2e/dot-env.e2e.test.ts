import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  killIfRunning,
  scratchDatabase,
  startDetached,
  type DetachedProcess,
} from '../support/detached-process';
import { freePort } from '../support/free-port';
import { CLI_ENTRY_POINT, ENTRY_POINTS } from '../support/service-process';
import { TEST_REDIS_URL } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const started: DetachedProcess[] = [];

/** Runs a compiled entry point with nothing in its environment but PATH, HOME and the given extras. */
function launch(
  script: string,
  args: readonly string[],
  extra: Readonly<Record<string, string>>,
): DetachedProcess {
  const launched = startDetached(process.execPath, [script, ...args], {
    PATH: process.env.PATH,
    HOME: tmpdir(),
    ...extra,
  });
  started.push(launched);
  return launched;
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
  const database = scratchDatabase('telenexus_env');
  const scratch = mkdtempSync(join(tmpdir(), 'telenexus-dotenv-'));
  const envFile = join(scratch, '.env');

  afterAll(async () => {
    started.forEach(killIfRunning);
    rmSync(scratch, { recursive: true, force: true });
    await database.drop();
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
        // Free ports for /metrics: other tests run services beside this one.
        'METRICS_PORT=0',
        `DATABASE_URL=${database.url}`,
        `REDIS_URL=${TEST_REDIS_URL}`,
        `QUEUE_PREFIX=env-${randomUUID().slice(0, 8)}`,
        'CONNECTION_POLL_INTERVAL_MS=0',
        '',
      ].join('\n'),
    );

    // npm start: the CLI reads the file and starts all three on the ports it names.
    const start = launch(CLI_ENTRY_POINT, ['start'], { ENV_FILE: envFile });
    await waitFor(() => start.output().includes('Press Ctrl+C to stop.'), 'the start banner', 30_000);
    expect(start.output()).toContain(`API:        http://localhost:${port}`);
    // The first start made the key of the stored secrets and kept it in the same file.
    expect(start.output()).toContain(
      `Made SECRETS_KEY, the key of the stored secrets, and saved it in ${envFile}`,
    );
    expect(readFileSync(envFile, 'utf8')).toMatch(/^SECRETS_KEY=k\d{8}[0-9a-f]{4}:[A-Za-z0-9+/]{43}=$/m);
    // Each service on the port .env names; the banner does not wait for the dispatcher to listen.
    for (const url of [
      `http://127.0.0.1:${port}/healthz`,
      `http://127.0.0.1:${healthPort}/healthz`,
      `http://127.0.0.1:${sandboxPort}/`,
    ]) {
      await waitFor(() => answers(url), url, 30_000);
      expect(await answers(url)).toBe(true);
    }
    start.signal('SIGINT');
    expect(await start.exited).toBe(0);

    // Each service started on its own reads the file too; PORT exported beside it wins.
    const ingress = launch(ENTRY_POINTS.ingress, [], { ENV_FILE: envFile, PORT: String(exportedPort) });
    // The dispatcher needs an Evolution (npm start gave it the sandbox); it sends nothing here.
    const dispatcher = launch(ENTRY_POINTS.dispatcher, [], {
      ENV_FILE: envFile,
      EVOLUTION_API_URL: 'http://127.0.0.1:9',
      EVOLUTION_API_KEY: 'unused',
    });
    await waitFor(() => answers(`http://127.0.0.1:${exportedPort}/readyz`), 'ingress on the exported port');
    await waitFor(() => answers(`http://127.0.0.1:${healthPort}/readyz`), 'the dispatcher on the .env port');
    expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBe(false);
    for (const service of [ingress, dispatcher]) {
      service.signal('SIGTERM');
      expect(await service.exited).toBe(0);
    }
  }, 60_000);
});
