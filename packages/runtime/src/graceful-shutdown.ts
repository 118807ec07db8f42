/** Something to stop, in order, when the process is asked to exit. */
export interface ShutdownStep {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}

export interface ShutdownOptions {
  /** Upper bound for all steps together; after it the process exits anyway. */
  readonly timeoutMs: number;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>) => void;
  /** Injected for tests; defaults to process.exit. */
  readonly exit?: (code: number) => void;
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * Runs the steps in order on SIGTERM/SIGINT, then exits 0. Steps are expected to stop intake first
 * and let in-flight work finish; if they have not finished within the bound (BullMQ's close can hang
 * while Redis is down) the process exits 1 anyway, so an orchestrator is never left waiting.
 *
 * @returns a function that triggers the same shutdown programmatically.
 */
export function installGracefulShutdown(
  steps: readonly ShutdownStep[],
  options: ShutdownOptions,
): () => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    shuttingDown ??= (async () => {
      options.log('info', 'shutting down', { reason, timeoutMs: options.timeoutMs });
      const forced = setTimeout(() => {
        options.log('error', 'shutdown bound reached; forcing exit', { timeoutMs: options.timeoutMs });
        exit(1);
      }, options.timeoutMs);
      forced.unref();
      for (const step of steps) {
        try {
          await step.run();
        } catch (error) {
          options.log('warn', `shutdown step failed: ${step.name}`, { error });
        }
      }
      clearTimeout(forced);
      options.log('info', 'shutdown complete');
      exit(0);
    })();
    return shuttingDown;
  };

  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => void shutdown(signal));
  }
  return () => shutdown('requested');
}
