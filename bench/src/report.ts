import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ResourceUsage } from './resource-meter';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** The machine's 1-minute load average when the run started: other work on it skews every figure. */
const LOAD_AT_START = loadavg()[0] ?? 0;

/** Which way is better for a figure; the ratio is oriented so that above 1 is better than the baseline. */
export type Better = 'higher' | 'lower';

/** One line of the table. */
export interface Row {
  readonly metric: string;
  readonly ours: number | undefined;
  readonly baseline?: number;
  readonly unit: string;
  readonly better: Better;
  /** Minimum ratio required; unset: information only. */
  readonly target?: number;
  /** Digits after the decimal point for ours and baseline. */
  readonly digits?: number;
  readonly note?: string;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly kernel: string;
  readonly node: string;
  readonly postgres: string;
  readonly redis: string;
  readonly date: string;
  readonly loadAtStart: number;
}

export function machineInfo(postgres: string, redis: string): MachineInfo {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: os.cpus() is the best there is
  }
  return {
    cpu,
    cores: cpus().length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: `Linux ${release()}`,
    node: process.version,
    postgres,
    redis,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAtStart: LOAD_AT_START,
  };
}

/** Ratio oriented so that > 1 is better than the baseline: ours/baseline for rates, baseline/ours otherwise. */
export function ratioOf(row: Row): number | undefined {
  if (row.ours === undefined || row.baseline === undefined || row.ours <= 0 || row.baseline <= 0)
    return undefined;
  return row.better === 'higher' ? row.ours / row.baseline : row.baseline / row.ours;
}

export function targetMet(row: Row): boolean | undefined {
  if (row.target === undefined) return undefined;
  const ratio = ratioOf(row);
  return ratio !== undefined && ratio >= row.target;
}

function format(value: number | undefined, digits: number): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The table as Markdown: metric | ours | baseline | ratio | target | met? */
export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    '| Metric | Ours | Baseline | Ratio | Target | Met? |',
    '| --- | ---: | ---: | ---: | ---: | :---: |',
  ];
  for (const row of rows) {
    const digits = row.digits ?? 0;
    const ratio = ratioOf(row);
    const met = targetMet(row);
    const unit = row.unit ? ` ${row.unit}` : '';
    const metric = row.note ? `${row.metric} <br><sub>${row.note}</sub>` : row.metric;
    lines.push(
      [
        '',
        ` ${metric} `,
        ` ${format(row.ours, digits)}${row.ours === undefined ? '' : unit} `,
        ` ${row.baseline === undefined ? '—' : `${format(row.baseline, digits)}${unit}`} `,
        ` ${ratio === undefined ? '—' : `${ratio.toFixed(2)}×`} `,
        ` ${row.target === undefined ? '—' : `≥ ${row.target.toFixed(1)}`} `,
        ` ${met === undefined ? '' : met ? 'yes' : '**no**'} `,
        '',
      ].join('|'),
    );
  }
  return lines.join('\n');
}

export function machineLines(machine: MachineInfo, settings: string): string {
  return [
    `Measured ${machine.date} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, ${machine.kernel};`,
    `Node ${machine.node}, PostgreSQL ${machine.postgres}, Redis ${machine.redis}; load average ${machine.loadAtStart.toFixed(2)} at the start.`,
    settings,
  ].join('\n');
}

/** Lines naming each target missed, for the console. */
export function missedTargets(rows: readonly Row[]): string[] {
  return rows
    .filter((row) => targetMet(row) === false)
    .map((row) => {
      const ratio = ratioOf(row);
      return `MISSED: ${row.metric}: ratio ${ratio === undefined ? 'n/a' : ratio.toFixed(2)} < target ${row.target?.toFixed(1)}`;
    });
}

const SKELETON = `# Benchmarks

<!-- bench:results:begin -->
<!-- bench:results:end -->

<!-- bench:backlog:begin -->
<!-- bench:backlog:end -->
`;

/**
 * Replaces the generated section `name` of docs/benchmarks.md (between its begin/end markers),
 * leaving the hand-written text around it alone.
 */
export function writeSection(path: string, name: string, content: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : SKELETON;
  const begin = `<!-- bench:${name}:begin -->`;
  const end = `<!-- bench:${name}:end -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const section = `${begin}\n\n${content.trim()}\n\n${end}`;
  const updated =
    from >= 0 && to > from
      ? text.slice(0, from) + section + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, updated);
}

/** One line of the cost table: what an item cost in one run. */
export interface CostEntry {
  readonly measurement: string;
  readonly side: string;
  readonly usage: ResourceUsage | undefined;
}

/**
 * What each item cost every process involved, and how many Postgres transactions and Redis
 * commands it took. On a machine this small, throughput is roughly cores ÷ total CPU per item.
 */
export function costTable(entries: readonly CostEntry[]): string {
  const lines = [
    '| Measurement | Side | Service CPU | Postgres CPU | Redis CPU | Load gen. / sandbox CPU | Total CPU | PG transactions | Redis commands |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const ms = (value: number | undefined): string => (value === undefined ? '—' : `${value.toFixed(3)} ms`);
  for (const { measurement, side, usage } of entries) {
    if (!usage) continue;
    const cpu = usage.cpuMsPerItem;
    const other =
      cpu.load === undefined && cpu.sandbox === undefined ? undefined : (cpu.load ?? 0) + (cpu.sandbox ?? 0);
    const total = Object.values(cpu).reduce((sum, value) => sum + value, 0);
    lines.push(
      `| ${measurement} | ${side} | ${ms(cpu.service)} | ${ms(cpu.postgres)} | ${ms(cpu.redis)} | ${ms(other)} | ${ms(total)} | ` +
        `${usage.postgresTransactionsPerItem.toFixed(2)} | ${usage.redisCommandsPerItem.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}
