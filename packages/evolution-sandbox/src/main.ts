import { createEvolutionSandbox } from './evolution-sandbox';
import { SandboxConfigError, loadSandboxConfig } from './sandbox-config';
import type { SandboxLogger } from './sandbox-options';

/*
 * Standalone Evolution sandbox: `node packages/evolution-sandbox/dist/main.js`.
 * Logs JSON lines on stdout; the first is `{"level":"info",…,"message":"listening","url":…}`, which
 * scripts wait for.
 */

const SERVICE = 'evolution-sandbox';

function writeLine(level: string, message: string, context: Readonly<Record<string, unknown>> = {}): void {
  const line = JSON.stringify({ level, service: SERVICE, message, ...context });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

// Per-message debug lines would drown a benchmark's output.
const logger: SandboxLogger = {
  debug: () => undefined,
  info: (message, context) => writeLine('info', message, context),
  warn: (message, context) => writeLine('warn', message, context),
  error: (message, context) => writeLine('error', message, context),
};

async function main(): Promise<void> {
  let config;
  try {
    config = loadSandboxConfig();
  } catch (error) {
    const problems = error instanceof SandboxConfigError ? error.problems : [String(error)];
    writeLine('error', 'invalid configuration', { problems });
    process.exitCode = 1;
    return;
  }

  const sandbox = createEvolutionSandbox({
    globalApiKey: config.globalApiKey,
    autoCreateInstances: config.autoCreateInstances,
    latencyMs: config.latencyMs,
    serverAckMs: config.serverAckMs,
    deliveryAckMs: config.deliveryAckMs,
    readMs: config.readMs,
    readProbability: config.readProbability,
    logger,
  });
  const server = await sandbox.listen(config.port, config.host);
  writeLine('info', 'listening', { url: server.url, autoCreateInstances: config.autoCreateInstances });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    writeLine('info', 'stopping', { signal });
    server.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        writeLine('error', 'failed to stop cleanly', { error: String(error) });
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  writeLine('error', 'sandbox failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  process.exitCode = 1;
});
