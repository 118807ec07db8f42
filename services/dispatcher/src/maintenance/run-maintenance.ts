import type { Logger } from '@telenexus/logger';
import { runPeriodically } from '@telenexus/runtime';
import type { Dispatcher } from '../create-dispatcher';

/** How often each maintenance task runs; a poll interval of 0 turns connection polling off. */
export interface MaintenanceSchedule {
  readonly sweepIntervalMs: number;
  readonly housekeepingIntervalMs: number;
  readonly releaseIntervalMs: number;
  readonly reconcileIntervalMs: number;
  readonly connectionPollIntervalMs: number;
}

/** Runs the dispatcher's maintenance tasks on their schedule until stopped; a failed run is logged and retried next time. */
export function runMaintenance(
  dispatcher: Dispatcher,
  schedule: MaintenanceSchedule,
  logger: Logger,
): { stop(): Promise<void> } {
  const every = (intervalMs: number, name: string, task: () => Promise<unknown>) =>
    runPeriodically(intervalMs, task, (error) => logger.warn(`${name} failed`, { error }));
  const running = [
    every(schedule.sweepIntervalMs, 'sweep', () => dispatcher.sweeper.sweep()),
    every(schedule.housekeepingIntervalMs, 'housekeeping', () => dispatcher.housekeeping.run()),
    every(schedule.releaseIntervalMs, 'releasing held messages', () => dispatcher.releaser.releaseOnce()),
    every(schedule.reconcileIntervalMs, 'reconciling ambiguous sends', () =>
      dispatcher.reconciler.reconcileOnce(),
    ),
    ...(schedule.connectionPollIntervalMs > 0
      ? [every(schedule.connectionPollIntervalMs, 'connection poll', () => dispatcher.poller.pollOnce())]
      : []),
  ];
  return {
    async stop() {
      await Promise.all(running.map((task) => task.stop()));
    },
  };
}
