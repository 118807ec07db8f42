import { slotMargin } from '@telenexus/queue';
import { PACED_GAP_MS, PACED_INSTANCES, systemCpu, type PacedWindow } from './paced-backlog';

/** The target: what a waiting backlog may cost, in % of one core. */
const WAITING_TARGET_PERCENT = 2;

/** The paced runs, as printed and as written to docs/benchmarks.md. */
export interface PacedReport {
  readonly text: string;
  readonly missed: readonly string[];
}

const percent = (value: number | undefined): string => `${(value ?? 0).toFixed(2)} %`;

/**
 * Three windows — idle, the pace with nothing behind it, the pace with the backlog behind it — and
 * what they say: the backlog's own cost is the last window less idle and less its sends, each
 * costing what one did in the second window; the pace is the instances' count over the planned
 * spacing.
 */
export function pacedReport(runs: {
  idle: PacedWindow;
  shallow: PacedWindow;
  deep: PacedWindow;
  size: number;
}): PacedReport {
  const { idle, shallow, deep } = runs;
  const lines = [
    '| Window | Sends/s | Dispatcher | Postgres | Redis | Dispatcher + Postgres + Redis | Sandbox | PG transactions/s | Redis commands/s | `messages` rows read/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const window of [idle, shallow, deep]) {
    const cpu = window.cpuPercent;
    lines.push(
      `| ${window.label} | ${window.sendsPerSecond.toFixed(1)} | ${percent(cpu.dispatcher)} | ${percent(cpu.postgres)} | ` +
        `${percent(cpu.redis)} | ${percent(systemCpu(window))} | ${percent(cpu.sandbox)} | ` +
        `${window.postgresTransactionsPerSecond.toFixed(1)} | ${window.redisCommandsPerSecond.toFixed(1)} | ` +
        `${window.messageRowsReadPerSecond.toFixed(0)} |`,
    );
  }
  // The sends' share scaled to the backlog window's send rate: the two windows rarely send exactly
  // as many, and a send costs about a third of a percent of a core.
  const perSend =
    shallow.sendsPerSecond > 0 ? (systemCpu(shallow) - systemCpu(idle)) / shallow.sendsPerSecond : 0;
  const waiting = systemCpu(deep) - systemCpu(idle) - perSend * deep.sendsPerSecond;
  const aboveIdle = systemCpu(deep) - systemCpu(idle);
  const nominal = PACED_INSTANCES / (PACED_GAP_MS / 1000);
  const planned = PACED_INSTANCES / ((PACED_GAP_MS + slotMargin(PACED_GAP_MS)) / 1000);
  // Never faster than the gap allows, and not noticeably slower than the plan.
  const slowest = planned * 0.95;
  const paceMet = deep.sendsPerSecond <= nominal * 1.01 && deep.sendsPerSecond >= slowest;
  const waitingMet = waiting <= WAITING_TARGET_PERCENT;
  const size = runs.size.toLocaleString('en-US');
  const summary = [
    '| Figure | Measured | Target | Met? |',
    '| --- | ---: | ---: | :---: |',
    `| What the waiting backlog costs <br><sub>dispatcher + Postgres + Redis with ${size} waiting, less idle and less its sends at the CPU per send of the same pace with nothing behind</sub> | ${percent(waiting)} of a core | ≤ ${WAITING_TARGET_PERCENT} % | ${waitingMet ? 'yes' : '**no**'} |`,
    `| Above idle, sends included <br><sub>${size} waiting minus idle</sub> | ${percent(aboveIdle)} of a core | — | |`,
    `| Sends/s with ${size} waiting <br><sub>${PACED_INSTANCES} instances; ${nominal.toFixed(1)}/s at exactly ${PACED_GAP_MS / 1000} s, ${planned.toFixed(1)}/s with the planned ${slotMargin(PACED_GAP_MS)} ms margin</sub> | ${deep.sendsPerSecond.toFixed(1)} /s | ${slowest.toFixed(1)}–${nominal.toFixed(1)} /s | ${paceMet ? 'yes' : '**no**'} |`,
  ];
  const missed: string[] = [];
  if (!waitingMet)
    missed.push(`MISSED: waiting backlog costs ${percent(waiting)} of a core > ${WAITING_TARGET_PERCENT} %`);
  if (!paceMet)
    missed.push(
      `MISSED: ${deep.sendsPerSecond.toFixed(1)} sends/s, the pace allows ${slowest.toFixed(1)}–${nominal.toFixed(1)}`,
    );
  if (deep.delayedAtEnd === 0 || shallow.delayedAtEnd === 0)
    missed.push(
      'WARNING: a paced window ran out of backlog before it ended; its figures are not steady-state',
    );
  return { text: `${lines.join('\n')}\n\n${summary.join('\n')}`, missed };
}
