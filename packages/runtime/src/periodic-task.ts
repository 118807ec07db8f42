/** A task run every so often, never overlapping itself. */
export interface PeriodicTask {
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs` (first run after one interval), one run at a time: a slow run
 * delays the next instead of stacking up. Errors are reported and the schedule goes on.
 */
export function runPeriodically(
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (error: unknown) => void,
): PeriodicTask {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = task()
        .then(
          () => undefined,
          (error: unknown) => onError(error),
        )
        .finally(schedule);
    }, intervalMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
