import { resolve } from 'node:path';

/** What a run measures and for how long; flags override the defaults. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Seconds each measured HTTP load or drain window lasts. */
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  /** autocannon connections for single sends. */
  readonly connections: number;
  /** autocannon connections for batches. */
  readonly batchConnections: number;
  readonly batchSize: number;
  /** DISPATCHER_CONCURRENCY, and the baseline worker's. */
  readonly concurrency: number;
  /** Messages queued for the dispatcher throughput runs. */
  readonly drainMessages: number;
  /** Backlog sizes measured (Redis memory, drain throughput). */
  readonly backlogs: readonly number[];
  /** Requests per second of the light-load latency run, and its length. */
  readonly lightRate: number;
  readonly lightSeconds: number;
  /** Write docs/benchmarks.md (a full run does by default; --quick does not). */
  readonly writeDocs: boolean;
  /** Run ingress and the dispatcher under `--cpu-prof`, writing profiles here. */
  readonly cpuProfileDir?: string;
}

const USAGE = `Usage: npm run bench [-- --quick] [--duration S] [--connections N] [--batch-connections N]
       [--batch-size N] [--concurrency N] [--backlogs 10000,100000] [--write-docs | --no-docs]
       [--cpu-prof DIR]
       npm run bench:backlog [-- --backlogs 1000000] [--duration S] [--concurrency N]`;

/** Parses argv; `defaultBacklogs` differs between bench and bench:backlog. */
export function parseOptions(argv: readonly string[], defaultBacklogs: readonly number[]): BenchOptions {
  const flags = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const next = argv[index + 1];
    if (inline !== undefined) flags.set(name, inline);
    else if (next !== undefined && !next.startsWith('--')) {
      flags.set(name, next);
      index += 1;
    } else flags.set(name, true);
  }
  const known = [
    'quick',
    'duration',
    'connections',
    'batch-connections',
    'batch-size',
    'concurrency',
    'backlogs',
    'write-docs',
    'no-docs',
    'cpu-prof',
    'help',
  ];
  for (const name of flags.keys())
    if (!known.includes(name)) throw new Error(`Unknown flag --${name}\n${USAGE}`);
  if (flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = flags.has('quick');
  const number = (name: string, fallback: number): number => {
    const value = flags.get(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`--${name} must be a positive number\n${USAGE}`);
    return parsed;
  };
  const backlogs = flags.get('backlogs');
  const cpuProfileDir = flags.get('cpu-prof');
  if (cpuProfileDir === true) throw new Error(`--cpu-prof needs a directory\n${USAGE}`);
  return {
    quick,
    durationSeconds: number('duration', quick ? 5 : 15),
    warmupSeconds: quick ? 1 : 3,
    connections: number('connections', 20),
    batchConnections: number('batch-connections', 4),
    batchSize: Math.min(1000, number('batch-size', 1000)),
    concurrency: number('concurrency', 10),
    drainMessages: quick ? 5_000 : 20_000,
    backlogs:
      typeof backlogs === 'string'
        ? backlogs.split(',').map((size) => Number(size.replace(/[_k]/g, (s) => (s === 'k' ? '000' : ''))))
        : quick
          ? defaultBacklogs.map((size) => Math.min(size, 10_000)).filter((s, i, all) => all.indexOf(s) === i)
          : defaultBacklogs,
    lightRate: 20,
    lightSeconds: quick ? 5 : 10,
    // Profiling slows the services down: its figures are not for the record.
    writeDocs: cpuProfileDir === undefined && (flags.has('write-docs') || (!quick && !flags.has('no-docs'))),
    ...(cpuProfileDir === undefined ? {} : { cpuProfileDir: resolve(cpuProfileDir) }),
  };
}
