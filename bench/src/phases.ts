import { combinedLoads, combinedUsage, measureAlternately } from './alternation';
import { namespaceMemory, type NamespaceMemory } from './bench-redis';
import type { BenchOptions } from './bench-options';
import type { BenchSystem, CountingWorker, HttpService } from './bench-system';
import { RssSampler, sleep } from './child-process';
import { runLoad, type MeasuredLoad } from './load';
import { notificationBody } from './notification-bodies';
import {
  ResourceMeter,
  usageBetween,
  type CpuGroup,
  type ResourceSnapshot,
  type ResourceUsage,
} from './resource-meter';

/** Prints progress to stderr, so stdout carries only the table. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** One side of a comparison: ours or the baseline. */
export interface HttpRun {
  readonly load: MeasuredLoad;
  readonly peakRssBytes: number;
  /** What each notification cost (CPU of every process involved, statements, Redis commands). */
  readonly usage?: ResourceUsage;
}

/** Postgres and Redis as CPU groups: every backend and the server process. */
const SHARED_SERVERS: Readonly<Record<string, CpuGroup>> = {
  postgres: { command: 'postgres' },
  redis: { command: 'redis-server' },
};

/** Meters the given processes with Postgres and Redis. */
export function meter(system: BenchSystem, groups: Readonly<Record<string, CpuGroup>>): ResourceMeter {
  return new ResourceMeter({ ...groups, ...SHARED_SERVERS }, system.database.pool, system.redis);
}

function ingressUrl(system: BenchSystem, ingress: HttpService, path: string): string {
  return `${ingress.baseUrl}/api/v1/billing/${path}?instance_id=${system.tenant.instanceIds[0]}`;
}

/**
 * Loads of this run that got answers other than 2xx, or errors: their rate counts only what was
 * accepted, so the report names them beside the table rather than letting a refusal pass for speed.
 */
export const refusedLoads: string[] = [];

function checkLoad(name: string, load: MeasuredLoad): void {
  if (load.non2xx > 0 || load.errors > 0) {
    const warning = `${name}: ${load.non2xx} non-2xx (${JSON.stringify(load.statusCodes)}), ${load.errors} errors`;
    refusedLoads.push(warning);
    progress(`  warning: ${warning}`);
  }
  progress(
    `  ${name}: ${load.okPerSecond.toFixed(1)} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms`,
  );
}

/** Sends one request and fails loudly unless it is accepted whole: a silent 400 would fake a result. */
export async function postAcceptedWhole(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  accepted: number,
): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const answer = JSON.parse(text) as { accepted?: number; success?: boolean };
  if (!response.ok || (answer.accepted ?? (answer.success ? 1 : 0)) !== accepted) {
    throw new Error(`${url} answered ${response.status}: ${text.slice(0, 500)}`);
  }
}

/** One side's windows as one run: rate over their total time, costs weighted by their items. */
function combinedHttpRuns(runs: readonly HttpRun[], batchSize: number): HttpRun {
  const measured = runs.flatMap((run) =>
    run.usage ? [{ usage: run.usage, items: run.load.ok * batchSize }] : [],
  );
  return {
    load: combinedLoads(runs.map((run) => run.load)),
    peakRssBytes: Math.max(...runs.map((run) => run.peakRssBytes)),
    ...(measured.length === runs.length ? { usage: combinedUsage(measured) } : {}),
  };
}

/**
 * Single sends or batches, against ingress and the bare baseline alternately (ours, bare, bare,
 * ours: see {@link measureAlternately}), with the same load shape; data is reset before each window
 * so every one starts from empty tables and queues. Each side's two windows are reported as one.
 */
export async function compareHttp(
  system: BenchSystem,
  options: BenchOptions,
  services: { ours: HttpService; bare: HttpService },
  scenario: 'single' | 'batch',
): Promise<{ ours: HttpRun; bare: HttpRun }> {
  const batchSize = scenario === 'batch' ? options.batchSize : 1;
  const sample = (tag: string): unknown =>
    scenario === 'single'
      ? notificationBody(tag, 0)
      : { notifications: Array.from({ length: batchSize }, (_, index) => notificationBody(tag, index)) };
  const auth = { authorization: `Bearer ${system.tenant.sendKey}` };
  const oursUrl = ingressUrl(
    system,
    services.ours,
    scenario === 'single' ? 'send-notification' : 'send-notifications',
  );
  const bareUrl = `${services.bare.baseUrl}/${scenario === 'single' ? 'send' : 'batch'}`;
  await postAcceptedWhole(oursUrl, auth, sample(`${system.runId}-probe-${scenario}`), batchSize);
  await postAcceptedWhole(bareUrl, {}, sample(`${system.runId}-probe-${scenario}`), batchSize);

  const measureSide =
    (side: 'ours' | 'bare') =>
    async (round: 1 | 2): Promise<HttpRun> => {
      await system.resetData();
      const service = services[side];
      const load = await runLoad(
        {
          url: side === 'ours' ? oursUrl : bareUrl,
          headers: side === 'ours' ? auth : {},
          scenario,
          batchSize,
          connections: scenario === 'single' ? options.connections : options.batchConnections,
          warmupSeconds: options.warmupSeconds,
          durationSeconds: options.durationSeconds,
          tag: `${system.runId}-${scenario}-${side}-${round}`,
        },
        [service.process.pid],
        (loadPid) => meter(system, { service: { pids: [service.process.pid] }, load: { pids: [loadPid] } }),
      );
      checkLoad(`${scenario} ${side} (${round} of 2)`, load);
      progress(
        `  ${scenario} ${side}: peak RSS ${((load.peakRssBytes.get(service.process.pid) ?? 0) / (1024 * 1024)).toFixed(0)} MB`,
      );
      const usage =
        load.resources && usageBetween(load.resources.from, load.resources.to, load.ok * batchSize);
      return {
        load,
        peakRssBytes: load.peakRssBytes.get(service.process.pid) ?? 0,
        ...(usage ? { usage } : {}),
      };
    };
  const runs = await measureAlternately(measureSide('ours'), measureSide('bare'));
  return { ours: combinedHttpRuns(runs.first, batchSize), bare: combinedHttpRuns(runs.second, batchSize) };
}

/** Accept→sent latency at a light, steady load through the whole system. */
export interface LightLoadLatency {
  readonly requests: number;
  readonly sent: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function measureAcceptToSent(
  system: BenchSystem,
  options: BenchOptions,
  ingress: HttpService,
): Promise<LightLoadLatency> {
  await system.resetData();
  await system.resetSandbox(0);
  const dispatcher = await system.startDispatcher(options.concurrency);
  try {
    const load = await runLoad(
      {
        url: ingressUrl(system, ingress, 'send-notification'),
        headers: { authorization: `Bearer ${system.tenant.sendKey}` },
        scenario: 'single',
        batchSize: 1,
        connections: 2,
        warmupSeconds: 0,
        durationSeconds: options.lightSeconds,
        overallRate: options.lightRate,
        tag: `${system.runId}-light`,
      },
      [],
    );
    checkLoad('light load', load);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const { rows } = await system.database.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM messages WHERE status IN ('queued', 'sending')",
      );
      if ((rows[0]?.n ?? 0) === 0) break;
      await sleep(200);
    }
    // created_at is the accepting transaction's time, a millisecond or two before the 200 leaves.
    const { rows } = await system.database.pool.query<{ sent: number; p50: number; p99: number }>(
      `SELECT count(*)::int AS sent,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at) * 1000) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at) * 1000) AS p99
       FROM messages WHERE sent_at IS NOT NULL`,
    );
    const row = rows[0];
    return {
      requests: load.ok,
      sent: row?.sent ?? 0,
      p50Ms: Number(row?.p50 ?? NaN),
      p99Ms: Number(row?.p99 ?? NaN),
    };
  } finally {
    await dispatcher.process.stop();
  }
}

/** Throughput of a worker draining a backlog, measured over a window after a warm-up. */
export interface DrainRate {
  readonly perSecond: number;
  /** Items counted in the window and its length. */
  readonly items: number;
  readonly seconds: number;
  /** The backlog ran out before the window ended (the window was cut short). */
  readonly drained: boolean;
  readonly peakRssBytes: number;
  readonly usage: ResourceUsage;
}

/**
 * Waits for the first completion, lets the worker warm up, then counts completions over the window
 * (or until the backlog is gone). Starting late on purpose keeps process start-up out of the rate; a
 * backlog gone within the warm-up is measured from its first completion to its last instead.
 */
async function measureDrain(
  worker: CountingWorker,
  total: number,
  warmupMs: number,
  windowMs: number,
  resources: ResourceMeter,
): Promise<DrainRate> {
  const sampler = new RssSampler([worker.process.pid]);
  try {
    const startDeadline = Date.now() + 60_000;
    let count = await worker.count();
    while (count === 0) {
      if (Date.now() > startDeadline) {
        throw new Error(`${worker.process.name} completed nothing in 60 s:\n${worker.process.output()}`);
      }
      await sleep(20);
      count = await worker.count();
    }
    type Sample = { at: number; count: number; resources: ResourceSnapshot };
    const first: Sample = { at: performance.now(), count, resources: await resources.snapshot() };
    let start: Sample | undefined;
    let last = first;
    while (count < total) {
      await sleep(50);
      count = await worker.count();
      const at = performance.now();
      const windowEnds = start !== undefined && at - start.at >= windowMs;
      const startsNow = start === undefined && at - first.at >= warmupMs;
      // Resources are read only where the stretch may start or end: reading them costs CPU too.
      const snapshot =
        startsNow || windowEnds || count >= total ? await resources.snapshot() : last.resources;
      last = { at, count, resources: snapshot };
      if (startsNow) start = last;
      if (windowEnds) break;
    }
    const from = start && start.count < total ? start : first;
    const seconds = (last.at - from.at) / 1000;
    const items = last.count - from.count;
    const peakRssBytes = sampler.stop().get(worker.process.pid) ?? 0;
    return {
      perSecond: items / seconds,
      items,
      seconds,
      drained: last.count >= total,
      peakRssBytes,
      usage: usageBetween(from.resources, last.resources, items),
    };
  } finally {
    sampler.stop();
  }
}

/** A backlog, queued with no worker running: what it costs in Redis and how fast it drains. */
export interface BacklogRun {
  readonly size: number;
  readonly memory: NamespaceMemory;
  readonly drain: DrainRate;
}

/**
 * Queues `size` messages (ours: rows in Postgres plus our send jobs; the baseline: bare BullMQ jobs),
 * measures their Redis footprint, then starts the worker (the dispatcher against the sandbox at
 * `latencyMs`; the no-op worker waiting `latencyMs` per job) and measures its drain rate. With
 * `withMinimal`, the dispatcher and the minimal dispatcher drain alternately (ours, minimal,
 * minimal, ours: see {@link measureAlternately}), each from a backlog of its own, and each side's
 * two drains are reported as one; the Redis footprint is the first backlog's.
 */
export async function compareBacklog(
  system: BenchSystem,
  options: BenchOptions,
  size: number,
  latencyMs: number,
  withMinimal = false,
): Promise<{ ours: BacklogRun; bare: BacklogRun; minimal?: DrainRate }> {
  let ours: BacklogRun;
  let minimal: DrainRate | undefined;
  if (withMinimal) {
    const runs = await measureAlternately(
      (round) => drainOurs(system, options, size, latencyMs, round),
      (round) => drainMinimal(system, options, size, latencyMs, round),
    );
    ours = { ...runs.first[0], drain: combinedDrains(runs.first.map((run) => run.drain)) };
    minimal = combinedDrains(runs.second);
  } else {
    ours = await drainOurs(system, options, size, latencyMs, 1);
  }
  const bare = await drainNoop(system, options, size, latencyMs);
  await system.resetSandbox(0);
  return { ours, bare, ...(minimal ? { minimal } : {}) };
}

/** One side's drains as one: the rate over their total time, costs weighted by their items. */
function combinedDrains(drains: readonly DrainRate[]): DrainRate {
  const items = drains.reduce((sum, drain) => sum + drain.items, 0);
  const seconds = drains.reduce((sum, drain) => sum + drain.seconds, 0);
  return {
    perSecond: items / seconds,
    items,
    seconds,
    drained: drains.some((drain) => drain.drained),
    peakRssBytes: Math.max(...drains.map((drain) => drain.peakRssBytes)),
    usage: combinedUsage(drains.map((drain) => ({ usage: drain.usage, items: drain.items }))),
  };
}

/** Our dispatcher draining `size` queued messages (rows and our send jobs) from the sandbox. */
async function drainOurs(
  system: BenchSystem,
  options: BenchOptions,
  size: number,
  latencyMs: number,
  round: 1 | 2,
): Promise<BacklogRun> {
  progress(`  queueing ${size.toLocaleString('en-US')} messages for the dispatcher`);
  await system.resetData();
  await system.resetSandbox(latencyMs);
  await system.preloadOurs(size, `${system.runId}-backlog-${size}-${latencyMs}-${round}`);
  const memory = await namespaceMemory(system.redis, system.namespace);
  const dispatcher = await system.startDispatcher(options.concurrency);
  const drain = await drainedBy(system, options, size, dispatcher, true);
  progress(
    `  dispatcher: ${drain.perSecond.toFixed(1)} sends/s; Redis ${(memory.bytes / size).toFixed(0)} B/message`,
  );
  return { size, memory, drain };
}

/** The no-op worker draining `size` bare jobs, waiting `latencyMs` on each. */
async function drainNoop(
  system: BenchSystem,
  options: BenchOptions,
  size: number,
  latencyMs: number,
): Promise<BacklogRun> {
  progress(`  queueing ${size.toLocaleString('en-US')} bare jobs for the no-op worker`);
  await system.resetData();
  await system.preloadBare(size);
  const memory = await namespaceMemory(system.redis, system.bareNamespace);
  const worker = await system.startNoopWorker(options.concurrency, latencyMs);
  const drain = await drainedBy(system, options, size, worker, false);
  progress(
    `  no-op worker: ${drain.perSecond.toFixed(1)} jobs/s; Redis ${(memory.bytes / size).toFixed(0)} B/job`,
  );
  return { size, memory, drain };
}

/**
 * The minimal dispatcher (claim, POST, mark sent) draining the same backlog of rows, with bare jobs,
 * against the same sandbox at the same latency.
 */
async function drainMinimal(
  system: BenchSystem,
  options: BenchOptions,
  size: number,
  latencyMs: number,
  round: 1 | 2,
): Promise<DrainRate> {
  progress(`  queueing ${size.toLocaleString('en-US')} messages for the minimal dispatcher`);
  await system.resetData();
  await system.resetSandbox(latencyMs);
  await system.preloadMinimal(size, `${system.runId}-minimal-${size}-${latencyMs}-${round}`);
  const worker = await system.startMinimalDispatcher(options.concurrency);
  const drain = await drainedBy(system, options, size, worker, true);
  progress(`  minimal dispatcher: ${drain.perSecond.toFixed(1)} sends/s`);
  return drain;
}

/**
 * Measures a started worker's drain of `size` queued items (warm-up, then the window), metering
 * the sandbox too when it sends there, and stops the worker.
 */
async function drainedBy(
  system: BenchSystem,
  options: BenchOptions,
  size: number,
  worker: CountingWorker,
  sendsToSandbox: boolean,
): Promise<DrainRate> {
  try {
    return await measureDrain(
      worker,
      size,
      options.warmupSeconds * 1000,
      options.durationSeconds * 1000,
      meter(system, {
        service: { pids: [worker.process.pid] },
        sandbox: { pids: sendsToSandbox ? [system.sandbox.process.pid] : [] },
      }),
    );
  } finally {
    await worker.process.stop();
  }
}
