import type { BenchOptions } from './bench-options';
import { BenchSystem } from './bench-system';
import type { BacklogRun } from './phases';
import { progress } from './phases';
import type { CostEntry, Row } from './report';

const MB = 1024 * 1024;

/**
 * Runs a benchmark with a fresh BenchSystem and always cleans up after it — processes, Redis keys,
 * database — also on failure and on Ctrl-C. Missed targets are information, not failure: the exit
 * code is non-zero only when the benchmark itself could not run.
 */
export async function runSafely(
  options: BenchOptions,
  body: (system: BenchSystem) => Promise<void>,
): Promise<void> {
  const system = new BenchSystem();
  if (options.cpuProfileDir) system.nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= system.close());
  const interrupt = (signal: NodeJS.Signals): void => {
    progress(`${signal}: cleaning up`);
    void close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await body(system);
  } catch (error) {
    process.stderr.write(
      `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  } finally {
    progress('cleaning up (processes, Redis keys, database)');
    await close();
  }
}

export function settingsLine(options: BenchOptions): string {
  return (
    `Settings: ${options.durationSeconds} s per measurement after a ${options.warmupSeconds} s warm-up, ` +
    `dispatcher concurrency ${options.concurrency}, database pools of 10, LOG_LEVEL=warn${options.quick ? ', --quick' : ''}.`
  );
}

function sizeLabel(size: number): string {
  return size >= 1_000_000 && size % 1_000_000 === 0
    ? `${size / 1_000_000}M`
    : size >= 1000 && size % 1000 === 0
      ? `${size / 1000}k`
      : String(size);
}

/** Rows for backlog runs: Redis bytes per message (from the first), then memory and drain rate per size. */
export function backlogRows(
  backlogs: readonly { ours: BacklogRun; bare: BacklogRun }[],
  options: { perMessageFrom?: { ours: BacklogRun; bare: BacklogRun } } = {},
): Row[] {
  const rows: Row[] = [];
  const reference = options.perMessageFrom;
  if (reference) {
    rows.push({
      metric: 'Redis bytes per queued message',
      note: `${sizeLabel(reference.ours.size)} queued; baseline: bare BullMQ job with a job id`,
      ours: reference.ours.memory.bytes / reference.ours.size,
      baseline: reference.bare.memory.bytes / reference.bare.size,
      unit: 'B',
      better: 'lower',
    });
  }
  for (const { ours, bare } of backlogs) {
    const label = sizeLabel(ours.size);
    rows.push(
      {
        metric: `Backlog ${label}: Redis memory`,
        note: 'sum of MEMORY USAGE over the namespace',
        ours: ours.memory.bytes / MB,
        baseline: bare.memory.bytes / MB,
        unit: 'MB',
        better: 'lower',
        digits: 1,
      },
      {
        metric: `Backlog ${label}: drain sends/s`,
        note: `${ours.drain.drained ? 'drained' : `${ours.drain.seconds.toFixed(0)} s window`}; baseline: no-op worker`,
        ours: ours.drain.perSecond,
        baseline: bare.drain.perSecond,
        unit: '/s',
        better: 'higher',
      },
    );
  }
  return rows;
}

/** Cost lines of a backlog comparison: the dispatcher and the no-op worker. */
export function backlogCosts(measurement: string, run: { ours: BacklogRun; bare: BacklogRun }): CostEntry[] {
  return [
    { measurement, side: 'ours', usage: run.ours.drain.usage },
    { measurement, side: 'no-op worker', usage: run.bare.drain.usage },
  ];
}
