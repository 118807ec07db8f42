import autocannon from 'autocannon';
import { notificationBody } from './notification-bodies';

/*
 * The load generator: a process of its own, so its CPU is not the servers' and its measurements are
 * not disturbed by them. Started by load.ts with a JSON LoadSpec as its argument; says when the
 * measured stretch starts, answers one LoadResult on the IPC channel, and waits to be stopped.
 */

/** One load run, identical for our service and its baseline but for the URL and headers. */
export interface LoadSpec {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** `single`: one notification per request; `batch`: `batchSize` per request. */
  readonly scenario: 'single' | 'batch';
  readonly batchSize: number;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  readonly overallRate?: number;
  /** Makes invoice ids unique across runs and processes. */
  readonly tag: string;
  /** Paths (with query) on `url`'s origin taken in turn, one per request; default `url`'s own. */
  readonly paths?: readonly string[];
}

export interface LoadResult {
  readonly seconds: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** 2xx responses per second. */
  readonly okPerSecond: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly statusCodes: Readonly<Record<string, number>>;
}

async function load(spec: LoadSpec, phase: string, durationSeconds: number): Promise<autocannon.Result> {
  let sequence = 0;
  const body = (): string => {
    if (spec.scenario === 'single')
      return JSON.stringify(notificationBody(`${spec.tag}-${phase}`, sequence++));
    const notifications = [];
    for (let index = 0; index < spec.batchSize; index += 1) {
      notifications.push(notificationBody(`${spec.tag}-${phase}`, sequence++));
    }
    return JSON.stringify({ notifications });
  };
  const url = new URL(spec.url);
  return autocannon({
    url: url.origin,
    connections: spec.connections,
    duration: durationSeconds,
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    // A 1,000-item batch takes a while under load; a timeout would be a result, not a hang.
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path: url.pathname + url.search,
        headers: { 'content-type': 'application/json', ...spec.headers },
        setupRequest: (request) => {
          const path = spec.paths?.[sequence % spec.paths.length];
          return { ...request, ...(path ? { path } : {}), body: body() };
        },
      },
    ],
  });
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  if (spec.warmupSeconds > 0) await load(spec, 'warmup', spec.warmupSeconds);
  // Tells the parent to read its resource meters: the measured stretch starts now.
  process.send?.({ measuring: true });
  const result = await load(spec, 'measure', spec.durationSeconds);
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = stats.count ?? 0;
  }
  const answer: LoadResult = {
    seconds: result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    okPerSecond: result['2xx'] / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    statusCodes,
  };
  // Stays alive (the IPC channel holds it) until the parent has read its CPU time and stops it.
  process.send?.(answer);
}

main().catch((error: unknown) => {
  process.stderr.write(`load generator failed: ${String(error)}\n`);
  process.exit(1);
});
